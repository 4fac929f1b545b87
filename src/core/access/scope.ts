/**
 * Which records a person may reach. Decided from their role, teams, explicit grants and their own
 * actor (for defenders); the storage adapter turns a scope into a query filter so that lists, counts
 * and pages never include a record outside it.
 */
import { invalid } from '../errors.ts';
import type { Role } from './roles.ts';
import { TEAM_SCOPED_ROLES } from './roles.ts';

export type RecordType = 'actor' | 'incident' | 'case';

export type RecordScope =
  /** System tasks only (demo data, migrations): never a person. */
  | { kind: 'everything' }
  | {
      kind: 'limited';
      userId: string;
      /** Records assigned to these teams are visible, unless restricted. */
      teamIds: readonly string[];
      /** The defender's own actor record. */
      selfActorId: string | null;
      /** The moment grants are judged at (expired grants reach nothing). */
      at: string;
    };

/** The scope of system tasks. */
export const EVERYTHING: RecordScope = { kind: 'everything' };

/** A scope that reaches no record: link and reply holders act through their secret, never a scope. */
export const reachesNothing = (at: string): RecordScope => ({
  kind: 'limited',
  userId: '00000000-0000-0000-0000-000000000000',
  teamIds: [],
  selfActorId: null,
  at,
});

export interface Viewer {
  userId: string;
  role: Role;
  teamIds: readonly string[];
  actorId: string | null;
}

export function scopeFor(viewer: Viewer, at: string): RecordScope {
  return {
    kind: 'limited',
    userId: viewer.userId,
    teamIds: TEAM_SCOPED_ROLES.includes(viewer.role) ? viewer.teamIds : [],
    selfActorId: viewer.role === 'defender' ? viewer.actorId : null,
    at,
  };
}

/** How a record is shared: the facts a scope is checked against. */
export interface RecordSharing {
  recordType: RecordType;
  recordId: string;
  teamIds: string[];
  restricted: boolean;
  /** Users holding an unexpired grant (referral, restricted access or break-glass). */
  grantedUserIds: string[];
}

/** The rule the SQL filter implements; kept here so it can be stated and property-tested once. */
export function scopeReaches(scope: RecordScope, sharing: RecordSharing): boolean {
  if (scope.kind === 'everything') return true;
  if (sharing.grantedUserIds.includes(scope.userId)) return true;
  if (sharing.recordType === 'actor' && scope.selfActorId === sharing.recordId) return true;
  if (sharing.restricted) return false;
  return sharing.teamIds.some((team) => scope.teamIds.includes(team));
}

export const GRANT_KINDS = ['grant', 'referral', 'break_glass'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

export interface Grant {
  id: string;
  recordType: RecordType;
  recordId: string;
  userId: string;
  kind: GrantKind;
  grantedBy: string;
  grantedAt: string;
  /** Break-glass grants always expire; others may. */
  expiresAt: string | null;
  revokedAt: string | null;
  /** Why it was given; required for break-glass. Written for colleagues, never copied into the audit trail. */
  reason: string | null;
}

/** How long a break-glass grant lasts: long enough to act in an emergency, short enough to lapse. */
export const BREAK_GLASS_MINUTES = 60;

/** The teams a new record goes to: the ones asked for, which must be among the creator's own. */
export function teamsForNewRecord(scope: RecordScope, requested: readonly string[] | undefined): string[] {
  if (scope.kind === 'everything') return [...new Set(requested ?? [])];
  const teams = [...new Set(requested ?? scope.teamIds)];
  if (teams.length === 0) {
    throw invalid(
      'teamIds',
      'You belong to no team, so nobody could see this record. Ask an administrator to add you to one.',
    );
  }
  if (teams.some((team) => !scope.teamIds.includes(team))) {
    throw invalid('teamIds', 'You can only give a new record to your own teams; a coordinator can share it further.');
  }
  return teams;
}
