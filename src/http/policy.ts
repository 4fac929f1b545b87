/**
 * Every API route's access policy, in one place. A route missing here fails at start-up and in the
 * route-enumeration test. Permissions open kinds of operation; which records they reach is decided
 * in the core by the caller's record scope, for every role alike.
 */
import type { Permission } from '../core/access/roles.ts';

export type RoutePolicy =
  /** Anyone, signed in or not. */
  | { access: 'public' }
  /** A session between password and second factor, or waiting to enrol one (or a complete one). */
  | { access: 'pending' }
  /** A complete session or an API token, whatever the role. */
  | { access: 'signed_in' }
  /** A complete session or token holding at least one of these permissions. */
  | { access: 'permission'; anyOf: Permission[]; sessionOnly?: boolean };

const anyOf = (...permissions: Permission[]): RoutePolicy => ({ access: 'permission', anyOf: permissions });
const sessionOnly = (...permissions: Permission[]): RoutePolicy => ({
  access: 'permission',
  anyOf: permissions,
  sessionOnly: true,
});
const PUBLIC: RoutePolicy = { access: 'public' };
const PENDING: RoutePolicy = { access: 'pending' };
/** Managing one's own credentials needs the person at the keyboard, never a token. */
const OWN_SESSION: RoutePolicy = { access: 'permission', anyOf: [], sessionOnly: true };

export const ROUTE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  'GET /api/v1/health': PUBLIC,

  'POST /api/v1/auth/login': PUBLIC,
  'GET /api/v1/auth/session': PENDING,
  'POST /api/v1/auth/second-factor': PENDING,
  'POST /api/v1/auth/passkey-login-options': PENDING,
  'POST /api/v1/auth/totp/enrol': PENDING,
  'POST /api/v1/auth/totp/confirm': PENDING,
  'POST /api/v1/auth/passkeys/options': PENDING,
  'POST /api/v1/auth/passkeys': PENDING,
  'GET /api/v1/auth/passkeys': OWN_SESSION,
  'POST /api/v1/auth/logout': PENDING,
  'POST /api/v1/auth/logout-everywhere': OWN_SESSION,
  'POST /api/v1/auth/password': OWN_SESSION,
  'POST /api/v1/auth/recovery-codes': OWN_SESSION,
  'GET /api/v1/me/tokens': OWN_SESSION,
  'POST /api/v1/me/tokens': OWN_SESSION,
  'DELETE /api/v1/me/tokens/:id': OWN_SESSION,

  'GET /api/v1/accounts': sessionOnly('accounts.manage'),
  'POST /api/v1/accounts': sessionOnly('accounts.manage'),
  'GET /api/v1/accounts/:id': sessionOnly('accounts.manage'),
  'PATCH /api/v1/accounts/:id': sessionOnly('accounts.manage'),
  'POST /api/v1/accounts/:id/unlock': sessionOnly('accounts.manage'),
  'POST /api/v1/accounts/:id/reset-second-factor': sessionOnly('accounts.manage'),
  'POST /api/v1/accounts/:id/logout-everywhere': sessionOnly('accounts.manage'),
  'GET /api/v1/teams': sessionOnly('accounts.manage'),
  'POST /api/v1/teams': sessionOnly('accounts.manage'),
  'PUT /api/v1/teams/:id/members': sessionOnly('accounts.manage'),
  'GET /api/v1/directory': anyOf('registry.share', 'accounts.manage'),
  'GET /api/v1/directory/teams': anyOf('registry.share', 'registry.write', 'accounts.manage'),
  // Case workers name colleagues of their own teams as leads and owners, without the whole directory.
  'GET /api/v1/directory/colleagues': anyOf('cases.write'),
  // Whoever refers cases or records a person's consent to share with a partner names the partners.
  'GET /api/v1/directory/partners': anyOf('registry.share', 'registry.write', 'cases.write', 'accounts.manage'),

  'GET /api/v1/actors': anyOf('registry.read'),
  'POST /api/v1/actors/search': anyOf('registry.read'),
  'POST /api/v1/actors': anyOf('registry.write'),
  'GET /api/v1/actors/:id': anyOf('registry.read', 'registry.self'),
  'PATCH /api/v1/actors/:id': anyOf('registry.write', 'registry.self'),
  'POST /api/v1/actors/:id/archive': anyOf('registry.write'),
  'POST /api/v1/actors/:id/restore': anyOf('registry.write'),
  'POST /api/v1/actors/:id/erase': anyOf('registry.erase'),
  'GET /api/v1/actors/:id/ties': anyOf('registry.read'),
  'GET /api/v1/actors/:id/export': anyOf('registry.export', 'registry.self'),
  'GET /api/v1/actors/:id/circle': anyOf('registry.read'),
  'POST /api/v1/ties': anyOf('registry.write'),
  'GET /api/v1/ties/:id': anyOf('registry.read'),
  'PATCH /api/v1/ties/:id': anyOf('registry.write'),
  'DELETE /api/v1/ties/:id': anyOf('registry.write'),

  'GET /api/v1/incidents': anyOf('registry.read'),
  'POST /api/v1/incidents': anyOf('registry.write'),
  'POST /api/v1/incidents/duplicate-check': anyOf('registry.write'),
  'GET /api/v1/incidents/:id': anyOf('registry.read'),
  'PATCH /api/v1/incidents/:id': anyOf('registry.write'),
  'GET /api/v1/incidents/:id/chain': anyOf('registry.read'),
  'POST /api/v1/incidents/:id/chain': anyOf('registry.write'),
  'DELETE /api/v1/incidents/:id/chain': anyOf('registry.write'),
  'GET /api/v1/incidents/export': anyOf('incidents.transfer'),
  'POST /api/v1/incidents/import': anyOf('incidents.transfer'),

  'POST /api/v1/security-plans': anyOf('risk.write'),
  'GET /api/v1/security-plans': anyOf('risk.read'),
  'GET /api/v1/security-plans/overdue': anyOf('risk.oversee'),
  'GET /api/v1/security-plans/:id': anyOf('risk.read'),
  'PATCH /api/v1/security-plans/:id': anyOf('risk.write'),
  'POST /api/v1/security-plans/:id/review': anyOf('risk.write'),
  'POST /api/v1/security-plans/:id/retire': anyOf('risk.write'),

  // Requests for help are the network's intake queue: triage sees them all, case workers write them down.
  'POST /api/v1/requests': anyOf('cases.write'),
  'GET /api/v1/requests': anyOf('cases.triage'),
  'GET /api/v1/requests/:id': anyOf('cases.triage'),
  'POST /api/v1/requests/:id/triage': anyOf('cases.triage'),
  'POST /api/v1/requests/:id/respond': anyOf('cases.triage'),
  'POST /api/v1/requests/:id/decline': anyOf('cases.triage'),
  'GET /api/v1/case-settings/response-targets': anyOf('cases.triage'),
  'PUT /api/v1/case-settings/response-targets': anyOf('cases.triage'),
  'POST /api/v1/cases': anyOf('cases.write'),
  'GET /api/v1/cases': anyOf('cases.read'),
  'GET /api/v1/cases/:id': anyOf('cases.read'),
  'PATCH /api/v1/cases/:id': anyOf('cases.write'),
  'POST /api/v1/cases/:id/close': anyOf('cases.write'),
  'POST /api/v1/cases/:id/reopen': anyOf('cases.write'),
  'POST /api/v1/cases/:id/incidents/:incidentId': anyOf('cases.write'),
  'DELETE /api/v1/cases/:id/incidents/:incidentId': anyOf('cases.write'),
  'POST /api/v1/cases/:id/assessments/:assessmentId': anyOf('cases.write'),
  'DELETE /api/v1/cases/:id/assessments/:assessmentId': anyOf('cases.write'),
  'POST /api/v1/cases/:id/notes': anyOf('cases.write'),
  'POST /api/v1/cases/:id/tasks': anyOf('cases.write'),
  'PATCH /api/v1/tasks/:id': anyOf('cases.write'),
  'GET /api/v1/my/tasks': anyOf('cases.read'),
  'POST /api/v1/cases/:id/measures': anyOf('cases.write'),
  'PATCH /api/v1/measures/:id': anyOf('cases.write'),
  'POST /api/v1/measures/:id/agreement': anyOf('cases.write'),
  'POST /api/v1/measures/:id/start': anyOf('cases.write'),
  'POST /api/v1/measures/:id/finish': anyOf('cases.write'),
  'POST /api/v1/measures/:id/cancel': anyOf('cases.write'),
  'POST /api/v1/measures/:id/visit': anyOf('cases.write'),
  'POST /api/v1/measures/:id/approve': anyOf('cases.approve'),
  'POST /api/v1/measures/:id/release': anyOf('cases.write'),
  'POST /api/v1/feedback/:id': anyOf('cases.write'),
  // A partner reaches only the referrals naming them (checked in the core), never the cases.
  'GET /api/v1/referrals': anyOf('referrals.respond'),
  'POST /api/v1/referrals/:id/answer': anyOf('referrals.respond'),
  'GET /api/v1/case-reports': anyOf('cases.report'),
  'GET /api/v1/case-reports.csv': anyOf('cases.report'),

  'POST /api/v1/risk-assessments': anyOf('risk.write'),
  'GET /api/v1/risk-assessments': anyOf('risk.read'),
  'GET /api/v1/risk-assessments/overdue': anyOf('risk.oversee'),
  'GET /api/v1/risk-assessments/:id': anyOf('risk.read'),
  'PATCH /api/v1/risk-assessments/:id': anyOf('risk.write'),
  'POST /api/v1/risk-assessments/:id/supersede': anyOf('risk.write'),
  'GET /api/v1/risk-assessments/:id/suggestion': anyOf('risk.read'),
  'POST /api/v1/risk-assessments/:id/overall': anyOf('risk.write'),
  'GET /api/v1/risk-assessments/:id/flags': anyOf('risk.read'),
  'GET /api/v1/review-flags': anyOf('risk.read'),
  'GET /api/v1/review-flags/open': anyOf('risk.oversee'),
  'POST /api/v1/review-flags/:id/resolve': anyOf('risk.write'),
  'GET /api/v1/actors/:id/member-incidents': anyOf('risk.read'),
  'GET /api/v1/actors/:id/timeline': anyOf('risk.read'),

  'GET /api/v1/actors/:id/consent': anyOf('registry.read'),
  'POST /api/v1/actors/:id/consent': anyOf('registry.write'),
  'GET /api/v1/actors/:id/sharing': anyOf('registry.share'),
  'PUT /api/v1/actors/:id/sharing': anyOf('registry.share'),
  'POST /api/v1/actors/:id/grants': anyOf('registry.share'),
  'DELETE /api/v1/grants/:id': anyOf('registry.share'),
  'POST /api/v1/break-glass': sessionOnly('access.break_glass'),
  'GET /api/v1/notifications': anyOf('notifications.read'),
  'POST /api/v1/notifications/:id/read': anyOf('notifications.read'),

  'GET /api/v1/analysis/actors': anyOf('registry.deidentified'),

  'GET /api/v1/vocabularies/:vocabulary': anyOf('vocabulary.read'),
  'POST /api/v1/vocabularies/:vocabulary/terms': anyOf('vocabulary.write'),
  'GET /api/v1/thesauri': anyOf('vocabulary.read'),
  'GET /api/v1/thesauri/:list': anyOf('vocabulary.read'),
  'GET /api/v1/thesauri/:list/export': anyOf('vocabulary.read'),
  'POST /api/v1/thesauri/:list/terms': anyOf('vocabulary.write'),
  'PUT /api/v1/thesauri/terms/:code/labels/:lang': anyOf('vocabulary.write'),

  'GET /api/v1/alerts': anyOf('alerts.read'),
  'POST /api/v1/alerts': anyOf('alerts.respond'),
  'GET /api/v1/alerts/events': anyOf('alerts.read'),
  'GET /api/v1/alerts/:id': anyOf('alerts.read'),
  'POST /api/v1/alerts/:id/acknowledge': anyOf('alerts.respond'),
  'POST /api/v1/alerts/:id/resolve': anyOf('alerts.respond'),
  'GET /api/v1/ladders': anyOf('alerts.read'),
  'POST /api/v1/ladders': anyOf('alerts.configure'),
  'GET /api/v1/ladders/:id': anyOf('alerts.read'),
  'PUT /api/v1/ladders/:id': anyOf('alerts.configure'),
  'DELETE /api/v1/ladders/:id': anyOf('alerts.configure'),
  // Everyone who can be notified keeps their own ways of being reached.
  'GET /api/v1/me/channels': anyOf('notifications.read'),
  'POST /api/v1/me/channels': anyOf('notifications.read'),
  'PUT /api/v1/me/channels/:id': anyOf('notifications.read'),
  'DELETE /api/v1/me/channels/:id': anyOf('notifications.read'),
  'GET /api/v1/channels': anyOf('alerts.configure'),
  'GET /api/v1/channels/kinds': anyOf('alerts.read'),
  'POST /api/v1/channels': anyOf('alerts.configure'),
  'PUT /api/v1/channels/:id': anyOf('alerts.configure'),
  'DELETE /api/v1/channels/:id': anyOf('alerts.configure'),
  'GET /api/v1/duty-shifts': anyOf('alerts.read'),
  'POST /api/v1/duty-shifts': anyOf('alerts.configure'),
  'DELETE /api/v1/duty-shifts/:id': anyOf('alerts.configure'),
  'GET /api/v1/actors/:id/check-ins': anyOf('alerts.read'),
  'POST /api/v1/actors/:id/check-ins': anyOf('alerts.respond'),
  'POST /api/v1/check-ins/:id/end': anyOf('alerts.respond'),
  'GET /api/v1/actors/:id/safety': anyOf('alerts.respond'),
  'POST /api/v1/actors/:id/safety/link': anyOf('alerts.respond'),
  'PUT /api/v1/actors/:id/safety/pins': anyOf('alerts.respond'),
  // Public, but refused unless signed with the installation's webhook secret (checked in the route).
  'POST /api/v1/inbound/reply': PUBLIC,

  'GET /api/v1/audit': anyOf('audit.read'),
  'GET /api/v1/audit/verify': anyOf('audit.read'),
  'POST /api/v1/keys/rotate': anyOf('keys.manage'),
};

export const policyKey = (method: string, url: string): string => `${method} ${url}`;
