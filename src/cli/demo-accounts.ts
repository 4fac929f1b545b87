/**
 * Demo accounts for a demo registry: two teams sharing the fictional actors between them, and one
 * account per role with a fresh random password, printed once. Staff enrol their second factor at
 * first sign-in, like everyone else; nothing here is a default password.
 */
import { sql } from 'drizzle-orm';
import { SqlAccountStore } from '../adapters/storage/account-store.ts';
import type { Database } from '../adapters/storage/database.ts';
import { accessFor, accountsFor, consentFor } from '../app.ts';
import type { Role } from '../core/access/roles.ts';
import { EVERYTHING, scopeFor } from '../core/access/scope.ts';
import { createDemoCases } from './demo-cases.ts';
import { createDemoProtection } from './demo-protection.ts';

const system = { principal: 'system:demo', source: null };
const accountsStore = (database: Database) => new SqlAccountStore(database.db);

const DEMO_USERS: { username: string; role: Role; team?: 'north' | 'south' }[] = [
  { username: 'admin', role: 'administrator' },
  { username: 'coordinator', role: 'coordinator', team: 'north' },
  { username: 'caseworker', role: 'case_worker', team: 'north' },
  { username: 'caseworker-south', role: 'case_worker', team: 'south' },
  { username: 'analyst', role: 'analyst' },
  { username: 'partner', role: 'partner' },
  { username: 'defender', role: 'defender' },
];

export interface DemoAccount {
  username: string;
  role: Role;
  password: string;
  team: string | null;
  /** An API token, for the coordinator only, so the CLI works on the demo at once. */
  apiToken?: string;
}

/** Creates the demo teams and accounts; skipped (empty result) when any account exists already. */
export async function createDemoAccounts(database: Database): Promise<DemoAccount[]> {
  const accounts = accountsFor(database);
  if ((await accounts.countAccounts()) > 0) return [];
  const north = await accounts.createTeam('Team North', system);
  const south = await accounts.createTeam('Team South', system);
  // Every actor goes to one of the two teams, alternating in a stable order.
  await database.db.execute(sql`
    insert into record_teams (record_type, record_id, team_id)
    select 'actor', id, case when row_number() over (order by id) % 2 = 0 then ${north.id}::uuid else ${south.id}::uuid end
    from actors where erased_at is null
    on conflict do nothing`);
  const picked = (await database.db.execute(sql`
    select a.id from actors a join record_teams t on t.record_id = a.id and t.record_type = 'actor'
    where a.kind = 'individual' and a.erased_at is null and t.team_id = ${north.id}::uuid
    order by a.id limit 4`)) as unknown as { rows: { id: string }[] };
  const [defenderActor, ...referred] = picked.rows.map((r) => r.id);

  const created: DemoAccount[] = [];
  let partnerId: string | null = null;
  let coordinatorId: string | null = null;
  let caseWorkerId: string | null = null;
  for (const user of DEMO_USERS) {
    if (user.role === 'defender' && !defenderActor) continue;
    const teamIds = user.team === 'north' ? [north.id] : user.team === 'south' ? [south.id] : [];
    const { account, password } = await accounts.createAccount(
      {
        username: user.username,
        role: user.role,
        teamIds,
        actorId: user.role === 'defender' ? (defenderActor ?? null) : null,
      },
      system,
    );
    if (user.role === 'partner') partnerId = account.id;
    if (user.username === 'caseworker') caseWorkerId = account.id;
    let apiToken: string | undefined;
    if (user.role === 'coordinator') {
      coordinatorId = account.id;
      const stored = await accountsStore(database).findAccount(account.id);
      if (stored) {
        apiToken = (
          await accounts.issueToken(
            stored,
            {
              name: 'demo CLI',
              scopes: [
                'registry.read',
                'registry.write',
                'registry.export',
                'risk.read',
                'risk.write',
                'risk.oversee',
                'incidents.transfer',
                'alerts.read',
                'alerts.respond',
                'alerts.configure',
              ],
              expiresInDays: 30,
            },
            system,
          )
        ).token;
      }
    }
    created.push({
      username: user.username,
      role: user.role,
      password: password as string,
      team: user.team === 'north' ? north.name : user.team === 'south' ? south.name : null,
      ...(apiToken ? { apiToken } : {}),
    });
  }
  if (partnerId && coordinatorId) {
    // The partner sees only what the coordinator referred to them.
    const access = accessFor(database);
    const viewer = { userId: coordinatorId, role: 'coordinator' as const, teamIds: [north.id], actorId: null };
    const consent = consentFor(database);
    for (const actorId of referred.slice(0, 2)) {
      // A referral needs the person's consent to share with this partner, recorded first.
      await consent.record(
        actorId,
        {
          use: 'partner_sharing',
          partnerId,
          decision: 'given',
          statedAt: new Date().toISOString(),
          method: 'in_person',
        },
        coordinatorId,
        EVERYTHING,
        system,
      );
      await access.grant(
        'actor',
        actorId,
        { userId: partnerId, kind: 'referral', reason: 'Demo referral for legal support' },
        viewer,
        scopeFor(viewer, new Date().toISOString()),
        system,
      );
    }
  }
  if (coordinatorId) {
    const { collective } = await createDemoProtection(database, north.id, coordinatorId);
    await createDemoCases(database, {
      teamId: north.id,
      leadId: caseWorkerId,
      partnerId,
      defenderActorId: defenderActor ?? null,
      referredActorId: partnerId ? (referred[0] ?? null) : null,
      collective,
    });
  }
  return created;
}

export function describeDemoAccounts(accounts: DemoAccount[]): string[] {
  if (accounts.length === 0) return [];
  const width = Math.max(...accounts.map((a) => a.username.length));
  return [
    'Demo accounts (the passwords are shown only now; staff set up an authenticator app at first sign-in):',
    ...accounts.map((a) => `  ${a.username.padEnd(width)}  ${a.password}  ${a.role}${a.team ? ` (${a.team})` : ''}`),
    ...accounts
      .filter((a) => a.apiToken)
      .map((a) => `API token of ${a.username} for the CLI (30 days): export AMPARO_TOKEN=${a.apiToken}`),
  ];
}
