/** Request and response shapes of accounts, sessions, teams, sharing and analysis. */
import { Type } from 'typebox';
import { PERMISSIONS, ROLES } from '../core/access/roles.ts';
import { enumOf, Id, nullable, Timestamp, text, Version } from './schemas.ts';

const closed = { additionalProperties: false } as const;

export const LoginBody = Type.Object(
  { username: text(64), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  closed,
);
export const Stage = enumOf(['second_factor', 'enrol', 'complete'] as const);
export const StageReply = Type.Object({ stage: Stage, csrfToken: Type.String() }, closed);

export const SecondFactorView = Type.Object(
  { totp: Type.Boolean(), passkeys: Type.Integer(), recoveryCodesLeft: Type.Integer() },
  closed,
);
export const AccountView = Type.Object(
  {
    id: Id,
    username: Type.String(),
    role: enumOf(ROLES),
    status: enumOf(['active', 'disabled'] as const),
    actorId: nullable(Id),
    teamIds: Type.Array(Id),
    secondFactor: SecondFactorView,
    lockedUntil: nullable(Timestamp),
    failedLogins: Type.Integer(),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  closed,
);
export const AccountList = Type.Array(AccountView);

export const SessionReply = Type.Object(
  {
    stage: Stage,
    csrfToken: Type.String(),
    methods: Type.Object({ totp: Type.Boolean(), passkeys: Type.Boolean() }, closed),
    account: nullable(
      Type.Object(
        {
          id: Id,
          username: Type.String(),
          role: enumOf(ROLES),
          status: enumOf(['active', 'disabled'] as const),
          actorId: nullable(Id),
          teamIds: Type.Array(Id),
          teams: Type.Array(Type.Object({ id: Id, name: Type.String() }, closed)),
          secondFactor: SecondFactorView,
          permissions: Type.Array(enumOf(PERMISSIONS)),
        },
        closed,
      ),
    ),
  },
  closed,
);

export const SecondFactorBody = Type.Union([
  Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code.' }) }, closed),
  Type.Object({ recoveryCode: text(32) }, closed),
  Type.Object({ passkey: Type.Object({}, { additionalProperties: true }) }, closed),
]);
export const CodeBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, closed);
export const TotpEnrolment = Type.Object({ secret: Type.String(), uri: Type.String(), qrSvg: Type.String() }, closed);
export const RecoveryCodesReply = Type.Object(
  { recoveryCodes: Type.Array(Type.String()), stage: Stage, csrfToken: Type.String() },
  closed,
);
export const PasskeyBody = Type.Object(
  { response: Type.Object({}, { additionalProperties: true }), label: Type.Optional(Type.String({ maxLength: 60 })) },
  closed,
);
export const PasskeyReply = Type.Object(
  { recoveryCodes: nullable(Type.Array(Type.String())), stage: Stage, csrfToken: Type.String() },
  closed,
);
export const PasskeyList = Type.Array(
  Type.Object(
    { id: Type.String(), label: Type.String(), createdAt: Timestamp, lastUsedAt: nullable(Timestamp) },
    { additionalProperties: false },
  ),
);
export const WebAuthnOptions = Type.Object({}, { additionalProperties: true });
export const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Type.String({ maxLength: 1024 }) },
  closed,
);
export const CsrfReply = Type.Object({ csrfToken: Type.String() }, closed);
export const CodesOnly = Type.Object({ recoveryCodes: Type.Array(Type.String()) }, closed);

export const TokenRecord = Type.Object(
  {
    id: Id,
    userId: Id,
    name: Type.String(),
    scopes: Type.Array(enumOf(PERMISSIONS)),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    lastUsedAt: nullable(Timestamp),
    revokedAt: nullable(Timestamp),
  },
  closed,
);
export const TokenList = Type.Array(TokenRecord);
export const CreateTokenBody = Type.Object(
  {
    name: text(80),
    scopes: Type.Array(enumOf(PERMISSIONS), { minItems: 1, maxItems: PERMISSIONS.length }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
  },
  closed,
);
export const CreatedToken = Type.Object({ token: Type.String(), record: TokenRecord }, closed);

export const CreateAccountBody = Type.Object(
  {
    username: text(63),
    role: enumOf(ROLES),
    actorId: Type.Optional(nullable(Id)),
    teamIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  },
  closed,
);
export const CreatedAccount = Type.Object({ account: AccountView, password: Type.String() }, closed);
export const UpdateAccountBody = Type.Object(
  {
    version: Version,
    role: Type.Optional(enumOf(ROLES)),
    status: Type.Optional(enumOf(['active', 'disabled'] as const)),
    actorId: Type.Optional(nullable(Id)),
  },
  closed,
);

export const Team = Type.Object({ id: Id, name: Type.String(), createdAt: Timestamp }, closed);
export const TeamList = Type.Array(
  Type.Object({ id: Id, name: Type.String(), createdAt: Timestamp, memberIds: Type.Array(Id) }, closed),
);
export const CreateTeamBody = Type.Object({ name: text(100) }, closed);
export const TeamMembersBody = Type.Object({ userIds: Type.Array(Id, { maxItems: 500 }) }, closed);
export const TeamDirectory = Type.Array(Type.Object({ id: Id, name: Type.String() }, closed));
export const Directory = Type.Array(Type.Object({ id: Id, username: Type.String(), role: enumOf(ROLES) }, closed));

export const Grant = Type.Object(
  {
    id: Id,
    recordType: Type.String(),
    recordId: Id,
    userId: Id,
    kind: enumOf(['grant', 'referral', 'break_glass'] as const),
    grantedBy: Id,
    grantedAt: Timestamp,
    expiresAt: nullable(Timestamp),
    revokedAt: nullable(Timestamp),
    reason: nullable(Type.String()),
  },
  closed,
);
export const Sharing = Type.Object(
  { teamIds: Type.Array(Id), restricted: Type.Boolean(), grants: Type.Array(Grant) },
  closed,
);
export const SharingBody = Type.Object(
  { teamIds: Type.Array(Id, { maxItems: 50 }), restricted: Type.Boolean() },
  closed,
);
export const GrantBody = Type.Object(
  {
    userId: Id,
    kind: enumOf(['grant', 'referral'] as const),
    expiresAt: Type.Optional(nullable(Timestamp)),
    reason: Type.Optional(nullable(Type.String({ maxLength: 500 }))),
  },
  closed,
);
export const BreakGlassBody = Type.Object(
  { recordType: enumOf(['actor'] as const), recordId: Id, reason: Type.String({ maxLength: 500 }) },
  closed,
);
export const GrantReply = Type.Object({ grant: Grant }, closed);
export const NotificationList = Type.Array(
  Type.Object(
    {
      id: Id,
      kind: Type.String(),
      recordType: Type.String(),
      recordId: Id,
      actorUserId: Id,
      grantId: nullable(Id),
      createdAt: Timestamp,
      readAt: nullable(Timestamp),
    },
    { additionalProperties: false },
  ),
);

const Facets = Type.Array(Type.Object({ key: Type.String(), count: nullable(Type.Integer()) }, closed));
export const AnalysisReply = Type.Object(
  { total: Type.Integer(), byKind: Facets, byCountry: Facets, byType: Facets, byRightsArea: Facets },
  closed,
);
