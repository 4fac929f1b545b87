/**
 * Roles and what each may do. A permission opens a kind of operation; which *records* it reaches is
 * decided separately by the record scope (scope.ts): no role reaches a record just by being that role.
 */
export const ROLES = ['administrator', 'coordinator', 'case_worker', 'analyst', 'partner', 'defender'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Read actors in scope: full profiles, ties and circles. */
  'registry.read',
  /** Create actors and ties, change and archive them. */
  'registry.write',
  /** Erase actors (crypto-shredding) — irreversible, so not for every writer. */
  'registry.erase',
  /** Decide who sees a record: its teams, restriction and explicit grants. */
  'registry.share',
  /** Export everything held about an actor (right of access). */
  'registry.export',
  /** Counts and de-identified rows across the whole registry: no names, contacts or places. */
  'registry.deidentified',
  /** Read and change one's own actor profile (defenders). */
  'registry.self',
  'vocabulary.read',
  'vocabulary.write',
  /** Read risk assessments and security plans of records in scope. */
  'risk.read',
  /** Make and change risk assessments and security plans, resolve review flags. */
  'risk.write',
  /** The network-wide lists of overdue reviews and measures, for those who coordinate protection. */
  'risk.oversee',
  /** Import incidents from files and export them (full, publication, State, UN), consent applied. */
  'incidents.transfer',
  /** The alert console: alerts of records in scope with their timelines, ladders and their warnings. */
  'alerts.read',
  /** Raise, acknowledge and resolve alerts; set up check-ins, PINs and personal links with defenders. */
  'alerts.respond',
  /** Escalation ladders, other people's contact channels and the duty roster. */
  'alerts.configure',
  /** Protection cases in scope: read them with their measures, notes, tasks and the defender's feedback. */
  'cases.read',
  /** Open cases, write notes and tasks, propose and follow measures, record the defender's agreement. */
  'cases.write',
  /** The network's queue of requests for help: triage, respond, open or decline; response-time targets. */
  'cases.triage',
  /** Approve an urgent appeal or public statement for release. */
  'cases.approve',
  /** The period reports: counts and response times, disaggregated, no names. */
  'cases.report',
  /** Referrals made to one's own organisation: the referred part only, and the answer to them. */
  'referrals.respond',
  /** Browse and verify the audit trail. */
  'audit.read',
  /** Manage accounts, teams and roles. */
  'accounts.manage',
  /** Rotate the master key of encryption at rest. */
  'keys.manage',
  /** Reach a record outside one's scope, with a stated reason, audited and notified. */
  'access.break_glass',
  /** Receive and read notifications (break-glass and others). */
  'notifications.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // registry.read reaches nothing by itself: an administrator's scope holds only break-glass grants.
  administrator: [
    'registry.read',
    'vocabulary.read',
    'vocabulary.write',
    'audit.read',
    'accounts.manage',
    'keys.manage',
    'access.break_glass',
    'notifications.read',
  ],
  coordinator: [
    'registry.read',
    'registry.write',
    'registry.erase',
    'registry.share',
    'registry.export',
    'vocabulary.read',
    'vocabulary.write',
    'risk.read',
    'risk.write',
    'risk.oversee',
    'incidents.transfer',
    'alerts.read',
    'alerts.respond',
    'alerts.configure',
    'cases.read',
    'cases.write',
    'cases.triage',
    'cases.approve',
    'cases.report',
    'notifications.read',
  ],
  case_worker: [
    'registry.read',
    'registry.write',
    'registry.export',
    'vocabulary.read',
    'risk.read',
    'risk.write',
    'alerts.read',
    'alerts.respond',
    'cases.read',
    'cases.write',
    'notifications.read',
  ],
  analyst: ['registry.deidentified', 'vocabulary.read', 'cases.report'],
  partner: ['registry.read', 'vocabulary.read', 'referrals.respond', 'notifications.read'],
  defender: ['registry.self', 'vocabulary.read'],
};

export const roleAllows = (role: Role, permission: Permission): boolean => ROLE_PERMISSIONS[role].includes(permission);

/** Staff accounts must have a second factor before they can do anything else. */
export const needsSecondFactor = (role: Role): boolean => role !== 'defender';

/** Roles whose record scope comes from team assignments (partners see only what is referred to them). */
export const TEAM_SCOPED_ROLES: readonly Role[] = ['coordinator', 'case_worker'];
