/**
 * Accounts, sessions, API tokens and teams: the people who use Amparo and how they prove it.
 * Secrets are never held here in the clear: passwords and tokens as hashes, TOTP secrets sealed.
 */
import type { Permission, Role } from '../access/roles.ts';

export type AccountStatus = 'active' | 'disabled';

export interface Account {
  id: string;
  username: string;
  role: Role;
  status: AccountStatus;
  /** argon2id hash (PHC string). */
  passwordHash: string;
  /** The TOTP secret, sealed; null until enrolment is confirmed. */
  totpSecret: Uint8Array | null;
  /** A secret offered for enrolment but not yet confirmed with a code. */
  totpPending: Uint8Array | null;
  /** The last TOTP time step accepted, so a code cannot be replayed. */
  totpLastStep: number | null;
  /** Hashes of unused recovery codes. */
  recoveryCodes: string[];
  /** The defender's own actor record. */
  actorId: string | null;
  failedLogins: number;
  lastFailedAt: string | null;
  lockedUntil: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Passkey {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * A session passes through stages: after the password it may only complete the second factor
 * (or enrol one, for a staff account that has none); only a `complete` session reaches data.
 */
export type SessionStage = 'second_factor' | 'enrol' | 'complete';

export interface Session {
  /** SHA-256 of the token in the cookie; the token itself is never stored. */
  id: string;
  userId: string;
  stage: SessionStage;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  source: string | null;
  /** A pending WebAuthn challenge (registration or login). */
  challenge: string | null;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the token; the token is shown once, at creation. */
  tokenHash: string;
  scopes: Permission[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Team {
  id: string;
  name: string;
  createdAt: string;
}

export interface Notification {
  id: string;
  userId: string;
  /** Alert kinds (record type 'alert') are written by the in-app channel of rapid response. */
  kind:
    | 'break_glass'
    | 'alert'
    | 'alert_acknowledged'
    | 'alert_resolved'
    /** Protection cases (record type 'case' or 'measure'). */
    | 'case_assigned'
    | 'task_assigned'
    | 'referral_received'
    | 'referral_answered'
    | 'visit_due'
    | 'feedback_received';
  recordType: string;
  recordId: string;
  /** Who caused it (a user id) and the grant it concerns; never personal data of the record. */
  actorUserId: string;
  grantId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** Failed-login bookkeeping per source address (the per-account side lives on the account). */
export interface SourceThrottle {
  source: string;
  failures: number;
  lastFailedAt: string;
  blockedUntil: string | null;
}
