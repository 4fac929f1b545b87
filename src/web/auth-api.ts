/**
 * The API for accounts, sessions, teams, sharing and notifications: its answers' types (written here
 * against the HTTP contract, so the web layer needs nothing from the server's code) and one typed
 * function per route. Every answer that carries a new anti-forgery token hands it to the request
 * function at once, so the next write sends it.
 */
import type { Permission, Role } from '../core/access/roles.ts';
import type { AccountStatus, Notification, SessionStage } from '../core/accounts/model.ts';
import { request, setCsrfToken } from './api.ts';

export type { Permission, Role, SessionStage };

export interface SecondFactorState {
  totp: boolean;
  /** How many passkeys are registered. */
  passkeys: number;
  recoveryCodesLeft: number;
}

export interface SessionAccount {
  id: string;
  username: string;
  role: Role;
  status: AccountStatus;
  actorId: string | null;
  teamIds: string[];
  /** The account's own teams, by name. */
  teams: TeamName[];
  secondFactor: SecondFactorState;
  permissions: Permission[];
}

export interface SessionInfo {
  stage: SessionStage;
  csrfToken: string;
  /** The second factors a pending sign-in may use. */
  methods: { totp: boolean; passkeys: boolean };
  /** Present once the sign-in is complete. */
  account: SessionAccount | null;
}

export interface StageAnswer {
  stage: SessionStage;
  csrfToken: string;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  /** An SVG document of the QR code for `uri`. */
  qrSvg: string;
}

export interface RecoveryCodesAnswer {
  recoveryCodes: string[];
}

export interface PasskeyRecord {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  scopes: Permission[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AccountView {
  id: string;
  username: string;
  role: Role;
  status: AccountStatus;
  actorId: string | null;
  teamIds: string[];
  secondFactor: SecondFactorState;
  lockedUntil: string | null;
  failedLogins: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A team as anyone who shares or writes records may see it: its name only. */
export interface TeamName {
  id: string;
  name: string;
}

export interface TeamView {
  id: string;
  name: string;
  createdAt: string;
  memberIds: string[];
}

export interface DirectoryEntry {
  id: string;
  username: string;
  role: Role;
}

export type GrantKindChoice = 'grant' | 'referral';

export interface GrantView {
  id: string;
  userId: string;
  kind: GrantKindChoice | 'break_glass';
  grantedBy: string;
  grantedAt: string;
  expiresAt: string | null;
  reason: string | null;
}

export interface SharingView {
  teamIds: string[];
  restricted: boolean;
  grants: GrantView[];
}

export interface NotificationView {
  id: string;
  kind: Notification['kind'];
  recordType: string;
  recordId: string;
  actorUserId: string;
  grantId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** A count under 3 comes as null: so few records could point at a person. */
export interface Bucket {
  key: string;
  count: number | null;
}

export interface ActorAnalysis {
  total: number;
  byKind: Bucket[];
  byCountry: Bucket[];
  byType: Bucket[];
  byRightsArea: Bucket[];
}

const id = encodeURIComponent;

/** Keeps the anti-forgery token an answer carries, and passes the answer on. */
const keepToken = <T extends { csrfToken?: string | null }>(answer: T): T => {
  if (typeof answer.csrfToken === 'string') setCsrfToken(answer.csrfToken);
  return answer;
};

const quiet = { quiet401: true };

export const authApi = {
  /** The current session; a 401 means nobody is signed in (not an error to redirect on). */
  session: async (signal?: AbortSignal) =>
    keepToken(await request<SessionInfo>('GET', '/auth/session', undefined, { signal, quiet401: true })),
  login: async (username: string, password: string) =>
    keepToken(await request<StageAnswer>('POST', '/auth/login', { username, password }, quiet)),
  secondFactor: async (proof: { code: string } | { recoveryCode: string } | { passkey: unknown }) =>
    keepToken(await request<StageAnswer>('POST', '/auth/second-factor', proof, quiet)),
  passkeyLoginOptions: () => request<unknown>('POST', '/auth/passkey-login-options', undefined, quiet),
  startTotp: () => request<TotpEnrolment>('POST', '/auth/totp/enrol', undefined, quiet),
  confirmTotp: async (code: string) =>
    keepToken(await request<RecoveryCodesAnswer & StageAnswer>('POST', '/auth/totp/confirm', { code }, quiet)),
  passkeyRegistrationOptions: () => request<unknown>('POST', '/auth/passkeys/options', undefined, quiet),
  registerPasskey: async (response: unknown, label: string) =>
    keepToken(
      await request<{ recoveryCodes: string[] | null } & StageAnswer>(
        'POST',
        '/auth/passkeys',
        { response, label },
        quiet,
      ),
    ),
  passkeys: (signal?: AbortSignal) => request<PasskeyRecord[]>('GET', '/auth/passkeys', undefined, signal),
  logout: () => request<void>('POST', '/auth/logout', undefined, quiet),
  logoutEverywhere: () => request<void>('POST', '/auth/logout-everywhere'),
  changePassword: async (currentPassword: string, newPassword: string) =>
    keepToken(await request<{ csrfToken: string }>('POST', '/auth/password', { currentPassword, newPassword })),
  newRecoveryCodes: () => request<RecoveryCodesAnswer>('POST', '/auth/recovery-codes'),

  tokens: (signal?: AbortSignal) => request<ApiTokenRecord[]>('GET', '/me/tokens', undefined, signal),
  createToken: (body: { name: string; scopes: Permission[]; expiresInDays: number }) =>
    request<{ token: string; record: ApiTokenRecord }>('POST', '/me/tokens', body),
  revokeToken: (tokenId: string) => request<void>('DELETE', `/me/tokens/${id(tokenId)}`),

  accounts: (signal?: AbortSignal) => request<AccountView[]>('GET', '/accounts', undefined, signal),
  createAccount: (body: { username: string; role: Role; actorId?: string; teamIds?: string[] }) =>
    request<{ account: AccountView; password: string }>('POST', '/accounts', body),
  updateAccount: (
    accountId: string,
    body: { version: number; role?: Role; status?: AccountStatus; actorId?: string | null },
  ) => request<AccountView>('PATCH', `/accounts/${id(accountId)}`, body),
  unlock: (accountId: string) => request<unknown>('POST', `/accounts/${id(accountId)}/unlock`),
  resetSecondFactor: (accountId: string) => request<unknown>('POST', `/accounts/${id(accountId)}/reset-second-factor`),
  logoutAccountEverywhere: (accountId: string) =>
    request<unknown>('POST', `/accounts/${id(accountId)}/logout-everywhere`),

  teams: (signal?: AbortSignal) => request<TeamView[]>('GET', '/teams', undefined, signal),
  createTeam: (name: string) => request<TeamView>('POST', '/teams', { name }),
  setTeamMembers: (teamId: string, userIds: string[]) =>
    request<unknown>('PUT', `/teams/${id(teamId)}/members`, { userIds }),
  directory: (signal?: AbortSignal) => request<DirectoryEntry[]>('GET', '/directory', undefined, signal),
  colleagues: (signal?: AbortSignal) => request<DirectoryEntry[]>('GET', '/directory/colleagues', undefined, signal),
  partners: (signal?: AbortSignal) => request<DirectoryEntry[]>('GET', '/directory/partners', undefined, signal),
  teamDirectory: (signal?: AbortSignal) => request<TeamName[]>('GET', '/directory/teams', undefined, signal),

  sharing: (actorId: string, signal?: AbortSignal) =>
    request<SharingView>('GET', `/actors/${id(actorId)}/sharing`, undefined, signal),
  setSharing: (actorId: string, body: { teamIds: string[]; restricted: boolean }) =>
    request<unknown>('PUT', `/actors/${id(actorId)}/sharing`, body),
  grant: (
    actorId: string,
    body: { userId: string; kind: GrantKindChoice; expiresAt?: string | null; reason?: string },
  ) => request<unknown>('POST', `/actors/${id(actorId)}/grants`, body),
  revokeGrant: (grantId: string) => request<void>('DELETE', `/grants/${id(grantId)}`),
  breakGlass: (recordId: string, reason: string) =>
    request<{ grant: GrantView }>('POST', '/break-glass', { recordType: 'actor', recordId, reason }),

  notifications: (signal?: AbortSignal) => request<NotificationView[]>('GET', '/notifications', undefined, signal),
  markRead: (notificationId: string) => request<void>('POST', `/notifications/${id(notificationId)}/read`),

  analysis: (signal?: AbortSignal) => request<ActorAnalysis>('GET', '/analysis/actors', undefined, signal),
};
