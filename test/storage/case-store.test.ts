import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type SQL, sql } from 'drizzle-orm';
import { KeyringSecretBox } from '../../src/adapters/crypto/secret-box.ts';
import { requestKeyId, SqlCaseStore } from '../../src/adapters/storage/case-store.ts';
import {
  SqlAlertsLookup,
  SqlCaseAccounts,
  SqlCaseActors,
  SqlIncidentLookup,
  SqlRiskLevels,
  StoredConsentLookup,
} from '../../src/adapters/storage/case-support.ts';
import { SqlConsentStore } from '../../src/adapters/storage/consent-store.ts';
import type { Database } from '../../src/adapters/storage/database.ts';
import { actorKeyId, SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../src/adapters/storage/response-support.ts';
import { teams } from '../../src/adapters/storage/schema.ts';
import { SqlSharingStore } from '../../src/adapters/storage/sharing-store.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import {
  type CaseEvent,
  type CaseNote,
  type CaseTask,
  DEFAULT_RESPONSE_TARGETS,
  type FeedbackRequest,
  type HelpRequest,
  type MeasureDetails,
  type ProtectionCase,
  type ProtectionMeasure,
} from '../../src/core/cases/model.ts';
import { isOverdue, responseDueAt } from '../../src/core/cases/rules.ts';
import type { ActorProfile } from '../../src/core/registry/model.ts';
import { storageEngines } from '../support/components.ts';
import { storedTie } from './tools.ts';

const T0 = '2026-03-01T10:00:00.000Z';
/** `hours` after T0, as an ISO string. */
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();

const rows = async <T = Record<string, unknown>>(database: Database, query: SQL) =>
  ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;

/** Every column of the row as text, with its sealed bytes as text too: what someone with the database reads. */
const rawRow = async (database: Database, table: string, id: string) =>
  (
    await rows<{ dump: string }>(
      database,
      sql`select row_to_json(t)::text || encode(t.sealed, 'escape') as dump from ${sql.identifier(table)} t where t.id = ${id}::uuid`,
    )
  )[0]?.dump ?? '';

const assertSealed = (dump: string, secrets: readonly string[]) => {
  assert.ok(dump.length > 0, 'the row exists');
  for (const secret of secrets) assert.ok(!dump.includes(secret), `${secret} is stored in plaintext`);
};

function request(over: Partial<HelpRequest> = {}): HelpRequest {
  return {
    id: randomUUID(),
    channel: 'intermediary',
    actorId: null,
    defenderName: 'Marta Lucía Quintero',
    intermediary: { name: 'Jorge Perdomo', relationship: 'colleague at the radio', contact: 'Signal +57 300 123 4567' },
    safeContact: 'Call her sister after 8 pm',
    description: 'Armed men came to the community radio in Suárez asking for her',
    statedUrgent: true,
    priority: null,
    status: 'new',
    submittedBy: 'public',
    receivedAt: T0,
    triagedAt: null,
    triagedBy: null,
    firstResponseAt: null,
    firstResponseBy: null,
    declineReason: null,
    caseId: null,
    version: 1,
    ...over,
  };
}

for (const { engine, name, skip } of storageEngines()) {
  describe(`protection cases [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlCaseStore;
    let registry: SqlRegistryStore;
    const person = randomUUID();
    const collective = randomUUID();
    const member = randomUUID();
    const otherMember = randomUUID();
    const erased = randomUUID();
    const lead = randomUUID();
    const partner = randomUUID();
    const disabled = randomUUID();
    const teamA = randomUUID();
    const teamB = randomUUID();

    const addActor = (id: string, kind: 'individual' | 'collective', profile: ActorProfile) =>
      registry.insertActor({
        id,
        kind,
        collectiveForm: kind === 'collective' ? 'organisation' : null,
        types: [],
        profile,
        version: 1,
        createdAt: T0,
        updatedAt: T0,
        archivedAt: null,
        erasedAt: null,
        erasureReason: null,
        registered: true,
      });

    const addUser = (id: string, role: string, status = 'active') =>
      database.db.execute(sql`insert into users (id, username, role, status, password_hash, version, created_at, updated_at)
        values (${id}, ${`case-${id}`}, ${role}, ${status}, 'x', 1, now(), now())`);

    const addIncident = async () => {
      const id = randomUUID();
      await database.db.execute(sql`insert into incidents (id, country, initial_precision, monitoring_status, parts,
        sealed, version, created_at, updated_at)
        values (${id}, 'CO', 'unknown', 'open', '{}'::jsonb, '\\x00', 1, now(), now())`);
      return id;
    };

    const addAssessment = async (
      subjectId: string,
      level: string | null,
      over: { status?: string; on?: string } = {},
    ) => {
      const id = randomUUID();
      await database.db.execute(sql`insert into risk_assessments (id, subject_id, subject_kind, status, assessed_on,
        next_review_on, overall_level, defender_took_part, sealed, version, created_at, updated_at)
        values (${id}, ${subjectId}, 'individual', ${over.status ?? 'open'}, ${over.on ?? '2026-02-01'}, '2026-06-01',
        ${level}, true, '\\x00', 1, now(), now())`);
      return id;
    };

    const protectionCase = (over: Partial<ProtectionCase> = {}): ProtectionCase => ({
      id: randomUUID(),
      beneficiaryId: person,
      beneficiaryKind: 'individual',
      title: 'Threats against the Suárez community radio',
      priority: 'urgent',
      status: 'intake',
      requestId: null,
      incidentIds: [],
      assessmentIds: [],
      teamIds: [teamA],
      leadId: lead,
      openedAt: T0,
      openedBy: `user:${lead}`,
      closedAt: null,
      closeReason: null,
      closeNote: null,
      version: 1,
      ...over,
    });

    const measure = (
      caseId: string,
      details: MeasureDetails,
      over: Partial<ProtectionMeasure> = {},
    ): ProtectionMeasure => ({
      id: randomUUID(),
      caseId,
      kind: details.kind,
      beneficiaryIds: [person],
      description: 'Accompany her to the prosecutor in Popayán',
      details,
      status: 'proposed',
      ownerId: lead,
      agreement: null,
      outcome: null,
      outcomeNote: null,
      proposedAt: at(1),
      proposedBy: `user:${lead}`,
      startedAt: null,
      endedAt: null,
      version: 1,
      ...over,
    });

    const visits = (nextOn: string): MeasureDetails => ({ kind: 'visits', everyDays: 14, nextOn, lastOn: null });
    const referral = (partnerId: string): MeasureDetails => ({
      kind: 'referral',
      partnerId,
      service: 'Legal representation before the prosecutor',
      summary: 'A radio journalist threatened after reporting on land grabs',
      partnerResponse: null,
      partnerNote: null,
      sentAt: null,
    });

    const feedback = (caseId: string, over: Partial<FeedbackRequest> = {}): FeedbackRequest => ({
      id: randomUUID(),
      caseId,
      measureId: null,
      actorId: person,
      askedAt: at(5),
      answeredAt: null,
      useful: null,
      increasedRisk: null,
      comment: null,
      via: null,
      ...over,
    });

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      store = new SqlCaseStore(database.db, database.vault);
      registry = new SqlRegistryStore(database.db, database.vault);
      await addActor(person, 'individual', {
        name: 'Marta Lucía Quintero',
        genderIdentity: 'woman',
        region: 'Cauca',
        setting: 'rural',
      });
      await addActor(collective, 'collective', { name: 'Radio Comunitaria Suárez' });
      await addActor(member, 'individual', { name: 'Leader' });
      await addActor(otherMember, 'individual', { name: 'Another member' });
      await addActor(erased, 'individual', { name: 'Someone erased later' });
      for (const [from, kind] of [
        [member, 'membership'],
        [otherMember, 'member_organisation'],
      ] as const) {
        await registry.insertTie(storedTie(kind, from, collective, T0));
      }
      await addUser(lead, 'case_worker');
      await addUser(partner, 'partner');
      await addUser(disabled, 'case_worker', 'disabled');
      for (const id of [teamA, teamB]) {
        await database.db.insert(teams).values({ id, name: `Team ${id}`, createdAt: new Date(T0) });
      }
    });
    after(async () => database?.close());

    describe('requests for help', () => {
      it('reads a request back exactly and seals everything the requester wrote', async () => {
        const stored = request();
        await store.insertRequest(stored);
        assert.deepEqual(await store.findRequest(stored.id), stored);
        assert.equal(await store.findRequest(randomUUID()), null);
        const dump = await rawRow(database, 'help_requests', stored.id);
        assert.ok(dump.includes('intermediary'), 'the channel is a column the queue reads');
        assertSealed(dump, ['Marta', 'Perdomo', 'colleague', '4567', 'sister', 'Suárez']);
        const keys = await database.vault.keyring.get([requestKeyId(stored.id)]);
        assert.equal(keys.size, 1, 'a request without an actor has a key of its own');
      });

      it('replaces at the expected version only, and linking an actor seals it under theirs', async () => {
        const stored = request();
        await store.insertRequest(stored);
        const triaged: HelpRequest = {
          ...stored,
          actorId: person,
          priority: 'high',
          status: 'triaged',
          triagedAt: at(2),
          triagedBy: `user:${lead}`,
          firstResponseAt: at(2),
          firstResponseBy: `user:${lead}`,
          version: 2,
        };
        assert.equal(await store.replaceRequest(triaged, 1), true);
        assert.equal(await store.replaceRequest({ ...triaged, version: 3 }, 1), false);
        assert.deepEqual(await store.findRequest(stored.id), triaged);
        const keys = await database.vault.keyring.get([requestKeyId(stored.id)]);
        assert.equal(keys.size, 0, 'the request’s own key is destroyed once it is sealed under the actor’s');
        const declined: HelpRequest = {
          ...triaged,
          status: 'declined',
          declineReason: 'Outside our mandate',
          version: 3,
        };
        assert.equal(await store.replaceRequest(declined, 2), true);
        assert.deepEqual(await store.findRequest(stored.id), declined);
        assertSealed(await rawRow(database, 'help_requests', stored.id), ['mandate']);
      });

      it('lists the queue oldest first, filtered by status, with the total of all matches', async () => {
        await database.db.execute(
          sql`delete from help_requests where id not in (select request_id from cases where request_id is not null)`,
        );
        const oldest = request({ receivedAt: at(-10) });
        const newest = request({ receivedAt: at(10) });
        const middle = request({ receivedAt: at(0), status: 'triaged', priority: 'low' });
        const done = request({ receivedAt: at(-20), status: 'declined', declineReason: 'Duplicate' });
        for (const r of [newest, done, middle, oldest]) await store.insertRequest(r);
        const queue = await store.listRequests({ statuses: ['new', 'triaged'], limit: 10, offset: 0 });
        assert.deepEqual(
          queue.items.map((r) => r.id),
          [oldest.id, middle.id, newest.id],
        );
        assert.equal(queue.total, 3);
        const page = await store.listRequests({ statuses: ['new', 'triaged'], limit: 1, offset: 1 });
        assert.deepEqual(
          page.items.map((r) => r.id),
          [middle.id],
        );
        assert.equal(page.total, 3);
        const all = await store.listRequests({ statuses: [], limit: 10, offset: 0 });
        assert.equal(all.total, 4);
      });

      it('orders the triage queue in SQL exactly as the core’s due and overdue rules do', async () => {
        await database.db.execute(
          sql`delete from help_requests where id not in (select request_id from cases where request_id is not null)`,
        );
        const targets = { urgent: 24, high: 72, medium: 168, low: 336 };
        const now = at(0);
        const priorities = [null, 'urgent', 'high', 'medium', 'low'] as const;
        const made: HelpRequest[] = [];
        for (let i = 0; i < 30; i++) {
          const receivedAt = at(-((i * 37) % 400));
          // Some answered in time, some late, most not yet.
          const answered = i % 5 === 0 ? at(-((i * 37) % 400) + (i % 3) * 40) : null;
          made.push(
            request({
              receivedAt,
              priority: priorities[i % priorities.length] ?? null,
              status: i % 2 === 0 ? 'new' : 'triaged',
              firstResponseAt: answered,
              firstResponseBy: answered ? 'user:someone' : null,
            }),
          );
        }
        for (const r of made) await store.insertRequest(r);
        const expected = [...made]
          .map((r) => ({ id: r.id, due: responseDueAt(r, targets), overdue: isOverdue(r, targets, now) }))
          .sort(
            (a, b) => Number(b.overdue) - Number(a.overdue) || a.due.localeCompare(b.due) || a.id.localeCompare(b.id),
          )
          .map((r) => r.id);
        const pages: string[] = [];
        for (let offset = 0; offset < made.length; offset += 7) {
          const page = await store.listRequests({ statuses: [], limit: 7, offset, dueBy: { targets, now } });
          assert.equal(page.total, made.length);
          pages.push(...page.items.map((r) => r.id));
        }
        assert.deepEqual(pages, expected);
      });

      it('lists a defender’s own requests, newest first', async () => {
        const first = request({
          channel: 'self_service',
          actorId: member,
          submittedBy: `defender-link:${member}`,
          receivedAt: at(-5),
        });
        const second = request({
          channel: 'self_service',
          actorId: member,
          submittedBy: `defender-link:${member}`,
          receivedAt: at(-1),
        });
        await store.insertRequest(first);
        await store.insertRequest(second);
        assert.deepEqual(await store.requestsOfActor(member), [second, first]);
      });
    });

    describe('cases, notes and tasks', () => {
      it('reads a case back with its links and teams, and seals its title and closing note', async () => {
        const incident = await addIncident();
        const assessment = await addAssessment(person, 'high');
        const opened = request({ actorId: person, status: 'triaged' });
        await store.insertRequest(opened);
        const stored = protectionCase({
          requestId: opened.id,
          incidentIds: [incident],
          assessmentIds: [assessment],
          teamIds: [teamA, teamB].sort(),
        });
        await store.insertCase(stored);
        assert.deepEqual(await store.findCase(stored.id), stored);
        assert.equal(await store.findCase(randomUUID()), null);
        assert.deepEqual(await new SqlSharingStore(database.db).teamsOfRecord('case', stored.id), stored.teamIds);
        assert.equal(await new SqlSharingStore(database.db).recordExists('case', stored.id), true);
        const closed: ProtectionCase = {
          ...stored,
          status: 'closed',
          closedAt: at(48),
          closeReason: 'other',
          closeNote: 'She moved to Bogotá with her family',
          incidentIds: [],
          version: 2,
        };
        assert.equal(await store.replaceCase(closed, 1), true);
        assert.equal(await store.replaceCase({ ...closed, version: 3 }, 1), false);
        assert.deepEqual(await store.findCase(stored.id), closed);
        assertSealed(await rawRow(database, 'cases', stored.id), ['Suárez', 'radio', 'Bogotá']);
        await assert.rejects(
          store.insertCase(protectionCase({ requestId: opened.id })),
          (error) => sqlState(error) === UNIQUE_VIOLATION,
          'one case per request',
        );
      });

      it('keeps the teams the sharing store set before and after the case was opened', async () => {
        const stored = protectionCase({ teamIds: [teamA] });
        await new SqlSharingStore(database.db).setTeamsOfRecord('case', stored.id, [teamA]);
        await store.insertCase(stored);
        assert.deepEqual((await store.findCase(stored.id))?.teamIds, [teamA]);
        await new SqlSharingStore(database.db).setTeamsOfRecord('case', stored.id, [teamB]);
        assert.equal(await store.replaceCase({ ...stored, status: 'assessing', version: 2 }, 1), true);
        assert.deepEqual((await store.findCase(stored.id))?.teamIds, [teamB]);
      });

      it('lists cases newest first by status, lead, reach and beneficiary, and finds the cases concerning people', async () => {
        const beneficiary = randomUUID();
        await addActor(beneficiary, 'individual', { name: 'A defender with three cases' });
        const older = protectionCase({ beneficiaryId: beneficiary, openedAt: at(-48), leadId: null });
        const active = protectionCase({ beneficiaryId: beneficiary, status: 'active', openedAt: at(-24) });
        const newer = protectionCase({ beneficiaryId: beneficiary, openedAt: at(-1), teamIds: [teamB] });
        for (const c of [older, active, newer]) await store.insertCase(c);
        const search = {
          scope: EVERYTHING,
          statuses: [],
          leadId: null,
          ids: null,
          beneficiaryId: beneficiary,
          limit: 10,
          offset: 0,
        };
        const all = await store.listCases(search);
        assert.deepEqual(
          all.items.map((c) => c.id),
          [newer.id, active.id, older.id],
        );
        assert.equal(all.total, 3);
        assert.deepEqual(
          (await store.listCases({ ...search, statuses: ['intake'] })).items.map((c) => c.id),
          [newer.id, older.id],
        );
        assert.deepEqual(
          (await store.listCases({ ...search, leadId: lead })).items.map((c) => c.id),
          [newer.id, active.id],
        );
        const reach = await store.listCases({ ...search, ids: [active.id, randomUUID()] });
        assert.deepEqual(
          reach.items.map((c) => c.id),
          [active.id],
        );
        assert.equal(reach.total, 1);
        assert.deepEqual(await store.listCases({ ...search, ids: [] }), { items: [], total: 0 });
        // A member of team A only: the filter is in the query, so the page and the total agree.
        const teamAOnly = {
          kind: 'limited',
          userId: randomUUID(),
          teamIds: [teamA],
          selfActorId: null,
          at: at(0),
        } as const;
        const inReach = await store.listCases({ ...search, scope: teamAOnly, limit: 1 });
        assert.deepEqual(
          inReach.items.map((c) => c.id),
          [active.id],
        );
        assert.equal(inReach.total, 2);
        const page = await store.listCases({ ...search, limit: 1, offset: 1 });
        assert.deepEqual(
          page.items.map((c) => c.id),
          [active.id],
        );
        assert.equal(page.total, 3);

        const groupCase = protectionCase({ beneficiaryId: collective, beneficiaryKind: 'collective' });
        await store.insertCase(groupCase);
        await store.insertMeasure(
          measure(groupCase.id, { kind: 'digital_security', focus: 'Phones' }, { beneficiaryIds: [otherMember] }),
        );
        assert.deepEqual(
          (await store.casesConcerning([otherMember])).map((c) => c.id),
          [groupCase.id],
        );
        assert.deepEqual(
          (await store.casesConcerning([beneficiary, otherMember])).map((c) => c.id),
          [groupCase.id, newer.id, active.id, older.id],
        );
        assert.deepEqual(await store.casesConcerning([]), []);
      });

      it('keeps a case’s events in time order, and refuses a kind it does not know', async () => {
        const stored = protectionCase();
        await store.insertCase(stored);
        const incidentId = randomUUID();
        const later: CaseEvent = {
          id: randomUUID(),
          caseId: stored.id,
          at: at(5),
          kind: 'incident_linked',
          refId: incidentId,
          detail: null,
          by: `user:${lead}`,
        };
        const earlier: CaseEvent = {
          ...later,
          id: randomUUID(),
          at: at(4),
          kind: 'status',
          refId: null,
          detail: 'active',
        };
        await store.appendEvents([later, earlier]);
        await store.appendEvents([]);
        assert.deepEqual(await store.eventsOf(stored.id), [earlier, later]);
        await assert.rejects(() =>
          store.appendEvents([{ ...later, id: randomUUID(), kind: 'anything' as CaseEvent['kind'] }]),
        );
        assert.equal((await store.eventsOf(stored.id)).length, 2);
      });

      it('keeps notes and tasks sealed, tasks replaced at their version, and each owner’s open tasks soonest due first', async () => {
        const stored = protectionCase();
        await store.insertCase(stored);
        const note: CaseNote = {
          id: randomUUID(),
          caseId: stored.id,
          text: 'Spoke with her brother in Popayán',
          authorId: `user:${lead}`,
          at: at(3),
        };
        const earlier: CaseNote = { ...note, id: randomUUID(), text: 'First call', at: at(2) };
        await store.insertNote(note);
        await store.insertNote(earlier);
        assert.deepEqual(await store.notesOf(stored.id), [earlier, note]);
        assertSealed(await rawRow(database, 'case_notes', note.id), ['Popayán', 'brother']);

        const owner = randomUUID();
        await addUser(owner, 'case_worker');
        const task = (title: string, dueOn: string | null, createdAt: string): CaseTask => ({
          id: randomUUID(),
          caseId: stored.id,
          title,
          ownerId: owner,
          dueOn,
          status: 'open',
          createdAt,
          doneAt: null,
          version: 1,
        });
        const later = task('Book the bus to Cali', '2026-03-20', at(1));
        const sooner = task('Call the ombudsman', '2026-03-05', at(2));
        const undated = task('Find a lawyer', null, at(0));
        for (const t of [later, sooner, undated]) await store.insertTask(t);
        assert.deepEqual(await store.findTask(sooner.id), sooner);
        assert.equal(await store.findTask(randomUUID()), null);
        assertSealed(await rawRow(database, 'case_tasks', later.id), ['Cali', 'bus']);
        assert.deepEqual(await store.openTasksOf(owner, 10), [sooner, later, undated]);
        assert.deepEqual(await store.openTasksOf(owner, 1), [sooner]);
        const done: CaseTask = { ...sooner, status: 'done', doneAt: at(4), title: 'Called the ombudsman', version: 2 };
        assert.equal(await store.replaceTask(done, 1), true);
        assert.equal(await store.replaceTask({ ...done, version: 3 }, 1), false);
        assert.deepEqual(await store.openTasksOf(owner, 10), [later, undated]);
        assert.deepEqual(await store.tasksOf(stored.id), [undated, later, done]);
      });
    });

    describe('measures', () => {
      it('reads each kind back exactly, agreement included, and seals descriptions, details and notes', async () => {
        const stored = protectionCase();
        await store.insertCase(stored);
        const agreed = measure(
          stored.id,
          {
            kind: 'relocation',
            scope: 'shelter_city',
            destination: 'Shelter in Barcelona',
            from: '2026-04-01',
            until: null,
          },
          {
            status: 'agreed',
            agreement: { kind: 'agreed', by: 'defender', method: 'phone', at: at(2), recordedBy: `user:${lead}` },
          },
        );
        const couldNotAsk = measure(
          stored.id,
          { kind: 'emergency_grant', amountMinor: 150_000, currency: 'USD', purpose: 'Rent for a safe house' },
          {
            status: 'in_progress',
            proposedAt: at(1.5),
            agreement: {
              kind: 'could_not_ask',
              reason: 'Detained incommunicado',
              at: at(3),
              recordedBy: `user:${lead}`,
            },
            startedAt: at(3),
          },
        );
        const ended = measure(
          stored.id,
          {
            kind: 'trial_monitoring',
            court: 'Juzgado 2 Penal de Popayán',
            caseNumber: '2026-00123',
            hearings: [{ on: '2026-05-02', note: 'First hearing' }],
          },
          {
            status: 'done',
            agreement: { kind: 'agreed', by: 'representative', method: 'self_service', at: at(2), recordedBy: 'x' },
            proposedAt: at(2),
            startedAt: at(4),
            endedAt: at(40),
            outcome: 'partly_effective',
            outcomeNote: 'The judge postponed twice',
          },
        );
        for (const m of [agreed, couldNotAsk, ended]) await store.insertMeasure(m);
        assert.deepEqual(await store.findMeasure(agreed.id), agreed);
        assert.deepEqual(await store.findMeasure(couldNotAsk.id), couldNotAsk);
        assert.equal(await store.findMeasure(randomUUID()), null);
        assert.deepEqual(await store.measuresOf(stored.id), [agreed, couldNotAsk, ended]);
        for (const [id, secrets] of [
          [agreed.id, ['Barcelona', 'Popayán']],
          [couldNotAsk.id, ['incommunicado', 'safe house']],
          [ended.id, ['Juzgado', '00123', 'postponed']],
        ] as const) {
          assertSealed(await rawRow(database, 'case_measures', id), secrets);
        }
        const dump = await rawRow(database, 'case_measures', couldNotAsk.id);
        assert.ok(dump.includes('could_not_ask'), 'the agreement’s kind is a column the report reads');
      });

      it('replaces a measure and whom it protects at the expected version only', async () => {
        const groupCase = protectionCase({ beneficiaryId: collective, beneficiaryKind: 'collective' });
        await store.insertCase(groupCase);
        const stored = measure(
          groupCase.id,
          { kind: 'psychosocial', provider: 'Corporación AVRE', sessions: 6 },
          {
            beneficiaryIds: [member, otherMember],
          },
        );
        await store.insertMeasure(stored);
        assert.deepEqual(await store.findMeasure(stored.id), stored);
        const next: ProtectionMeasure = { ...stored, beneficiaryIds: [otherMember], ownerId: null, version: 2 };
        assert.equal(await store.replaceMeasure(next, 1), true);
        assert.equal(await store.replaceMeasure({ ...next, version: 3 }, 1), false);
        assert.deepEqual(await store.findMeasure(stored.id), next);
      });

      it('finds live measures protecting people, a partner’s referrals and the visits due', async () => {
        const groupCase = protectionCase({ beneficiaryId: collective, beneficiaryKind: 'collective' });
        await store.insertCase(groupCase);
        const leader = randomUUID();
        await addActor(leader, 'individual', { name: 'Leader of another collective' });
        const live = measure(
          groupCase.id,
          { kind: 'accompaniment', accompaniers: 'PBI', arrangements: 'Daily' },
          {
            beneficiaryIds: [leader],
          },
        );
        const cancelled = measure(
          groupCase.id,
          { kind: 'legal_aid', lawyer: 'CAJAR', matter: 'Defamation suit' },
          {
            beneficiaryIds: [leader],
            status: 'cancelled',
            outcomeNote: 'Not needed',
          },
        );
        const forTheGroup = measure(
          groupCase.id,
          { kind: 'digital_security', focus: 'Laptops' },
          {
            beneficiaryIds: [collective],
            status: 'in_progress',
          },
        );
        for (const m of [live, cancelled, forTheGroup]) await store.insertMeasure(m);
        assert.deepEqual(
          (await store.liveMeasuresFor([leader])).map((m) => m.id),
          [live.id],
        );
        assert.deepEqual(
          (await store.liveMeasuresFor([leader, collective])).map((m) => m.id).sort(),
          [live.id, forTheGroup.id].sort(),
        );
        assert.deepEqual(await store.liveMeasuresFor([]), []);

        const otherPartner = randomUUID();
        await addUser(otherPartner, 'partner');
        const first = measure(groupCase.id, referral(partner), { beneficiaryIds: [leader], proposedAt: at(1) });
        const second = measure(groupCase.id, referral(partner), { beneficiaryIds: [leader], proposedAt: at(2) });
        const elsewhere = measure(groupCase.id, referral(otherPartner), { beneficiaryIds: [leader] });
        for (const m of [first, second, elsewhere]) await store.insertMeasure(m);
        assert.deepEqual(await store.referralsTo(partner), [second, first]);
        assert.deepEqual(
          (await store.referralsTo(otherPartner)).map((m) => m.id),
          [elsewhere.id],
        );
        assert.deepEqual(await store.referralsTo(lead), []);
        assertSealed(await rawRow(database, 'case_measures', first.id), ['land grabs', 'prosecutor']);

        const overdue = measure(groupCase.id, visits('2026-03-08'), {
          status: 'in_progress',
          beneficiaryIds: [leader],
        });
        const today = measure(groupCase.id, visits('2026-03-10'), { status: 'in_progress', beneficiaryIds: [leader] });
        const tomorrow = measure(groupCase.id, visits('2026-03-11'), {
          status: 'in_progress',
          beneficiaryIds: [leader],
        });
        const notStarted = measure(groupCase.id, visits('2026-03-01'), { status: 'agreed', beneficiaryIds: [leader] });
        for (const m of [today, tomorrow, notStarted, overdue]) await store.insertMeasure(m);
        assert.deepEqual(await store.visitsDue('2026-03-10', 10), [overdue, today]);
        assert.deepEqual(await store.visitsDue('2026-03-10', 1), [overdue]);
        // The next visit moves with the details: the column follows every replace.
        const visited: ProtectionMeasure = {
          ...overdue,
          details: { kind: 'visits', everyDays: 14, nextOn: '2026-03-22', lastOn: '2026-03-08' },
          version: 2,
        };
        assert.equal(await store.replaceMeasure(visited, 1), true);
        assert.deepEqual(await store.visitsDue('2026-03-10', 10), [today]);
      });

      it('lets one caller only claim a visit’s reminder, until the next visit is set', async () => {
        const stored = protectionCase();
        await store.insertCase(stored);
        const due = measure(stored.id, visits('2026-05-04'), { status: 'in_progress' });
        const ownerless = measure(stored.id, visits('2026-05-04'), { status: 'in_progress', ownerId: null });
        for (const m of [due, ownerless]) await store.insertMeasure(m);
        // Of this test's measures (the earlier tests' visits are due too).
        const dueOn = async (day: string) =>
          (await store.visitsDue(day, 100)).map((m) => m.id).filter((id) => id === due.id || id === ownerless.id);
        assert.deepEqual(await dueOn('2026-05-04'), [due.id], 'nobody to remind of the one without an owner');
        assert.equal(await store.claimVisitReminder(due.id, '2026-05-03'), false, 'not the visit that is due');
        // Racing callers (separate connections on PostgreSQL): exactly one wins.
        const claims = await Promise.all(
          Array.from({ length: 6 }, () => store.claimVisitReminder(due.id, '2026-05-04')),
        );
        assert.equal(claims.filter(Boolean).length, 1);
        assert.deepEqual(await dueOn('2026-05-04'), [], 'reminded');
        assert.deepEqual(await dueOn('2026-05-09'), [], 'and not again while that visit stays due');
        // An edit that keeps the date keeps the mark; a visit recorded sets the next one, reminded afresh.
        const edited: ProtectionMeasure = { ...due, description: 'Weekly call, then a visit', version: 2 };
        assert.equal(await store.replaceMeasure(edited, 1), true);
        assert.deepEqual(await dueOn('2026-05-09'), []);
        const visited: ProtectionMeasure = {
          ...edited,
          details: { kind: 'visits', everyDays: 14, nextOn: '2026-05-18', lastOn: '2026-05-04' },
          version: 3,
        };
        assert.equal(await store.replaceMeasure(visited, 2), true);
        assert.deepEqual(await dueOn('2026-05-17'), []);
        assert.deepEqual(await dueOn('2026-05-18'), [due.id]);
        assert.equal(await store.claimVisitReminder(due.id, '2026-05-18'), true);
        assert.equal(await store.claimVisitReminder(due.id, '2026-05-18'), false);
        const ended: ProtectionMeasure = {
          ...visited,
          details: { kind: 'visits', everyDays: 14, nextOn: '2026-06-01', lastOn: '2026-05-18' },
          status: 'done',
          version: 4,
        };
        assert.equal(await store.replaceMeasure(ended, 3), true);
        assert.equal(await store.claimVisitReminder(due.id, '2026-06-01'), false, 'a measure that ended');
        assert.deepEqual(await dueOn('2026-06-30'), []);
      });
    });

    describe('feedback and settings', () => {
      it('asks, records one answer only, and seals the comment', async () => {
        const stored = protectionCase();
        await store.insertCase(stored);
        const done = measure(
          stored.id,
          { kind: 'digital_security', focus: 'Phone' },
          { status: 'done', outcome: 'effective' },
        );
        await store.insertMeasure(done);
        const question = feedback(stored.id, { measureId: done.id, askedAt: at(6) });
        const caseQuestion = feedback(stored.id, { askedAt: at(7) });
        await store.insertFeedback(question);
        await store.insertFeedback(caseQuestion);
        assert.deepEqual(await store.findFeedback(question.id), question);
        assert.equal(await store.findFeedback(randomUUID()), null);
        assert.deepEqual(await store.openFeedbackOf(person).then((f) => f.filter((q) => q.caseId === stored.id)), [
          question,
          caseQuestion,
        ]);
        const answer: FeedbackRequest = {
          ...question,
          answeredAt: at(8),
          useful: 'partly',
          increasedRisk: 'unsure',
          comment: 'The new phone was seen by the neighbours',
          via: 'self_service',
        };
        assert.equal(await store.answerFeedback(answer), true);
        assert.equal(await store.answerFeedback({ ...answer, useful: 'no' }), false, 'answered once');
        assert.deepEqual(await store.findFeedback(question.id), answer);
        assert.deepEqual(await store.feedbackOfCase(stored.id), [answer, caseQuestion]);
        assert.deepEqual(
          (await store.openFeedbackOf(person)).filter((q) => q.caseId === stored.id),
          [caseQuestion],
        );
        assertSealed(await rawRow(database, 'case_feedback', question.id), ['neighbours']);
      });

      it('answers the default response targets until the network sets its own', async () => {
        assert.deepEqual(await store.responseTargets(), DEFAULT_RESPONSE_TARGETS);
        await store.setResponseTargets({ urgent: 12, high: 48, medium: 120, low: 240 });
        assert.deepEqual(await store.responseTargets(), { urgent: 12, high: 48, medium: 120, low: 240 });
        await store.setResponseTargets({ urgent: 6, high: 48, medium: 120, low: 2160 });
        assert.deepEqual(await store.responseTargets(), { urgent: 6, high: 48, medium: 120, low: 2160 });
        const [row] = await rows<{ n: number }>(database, sql`select count(*)::int as n from case_settings`);
        assert.equal(row?.n, 1);
      });
    });

    describe('reports', () => {
      it('reads the period’s requests with the first measure of their case, its measures and its answers', async () => {
        const from = '2030-01-01T00:00:00.000Z';
        const to = '2030-02-01T00:00:00.000Z';
        const inJanuary = (hours: number) => new Date(Date.parse(from) + hours * 3_600_000).toISOString();
        const withCase = request({
          actorId: person,
          receivedAt: inJanuary(1),
          firstResponseAt: inJanuary(5),
          priority: 'urgent',
          status: 'case_opened',
        });
        const waiting = request({ receivedAt: inJanuary(2) });
        const earlier = request({ receivedAt: '2029-12-31T23:59:59.999Z' });
        const atTheEnd = request({ receivedAt: to });
        for (const r of [withCase, waiting, earlier, atTheEnd]) await store.insertRequest(r);
        const opened = protectionCase({ requestId: withCase.id, openedAt: inJanuary(5) });
        await store.insertCase(opened);
        await store.replaceRequest({ ...withCase, caseId: opened.id, version: 2 }, 1);
        const declined = measure(
          opened.id,
          { kind: 'digital_security', focus: 'Phone' },
          {
            proposedAt: inJanuary(6),
            status: 'cancelled',
            agreement: { kind: 'declined', by: 'defender', method: 'phone', at: inJanuary(7), recordedBy: 'x' },
          },
        );
        const started = measure(
          opened.id,
          { kind: 'accompaniment', accompaniers: 'PBI', arrangements: 'Daily' },
          {
            proposedAt: inJanuary(6),
            status: 'in_progress',
            agreement: { kind: 'agreed', by: 'defender', method: 'phone', at: inJanuary(30), recordedBy: 'x' },
            startedAt: inJanuary(31),
          },
        );
        const couldNotAsk = measure(
          opened.id,
          { kind: 'legal_aid', lawyer: 'CAJAR', matter: 'Habeas corpus' },
          {
            proposedAt: inJanuary(8),
            status: 'done',
            outcome: 'effective',
            agreement: { kind: 'could_not_ask', reason: 'Detained', at: inJanuary(20), recordedBy: 'x' },
            startedAt: inJanuary(21),
            endedAt: inJanuary(40),
          },
        );
        const lastYear = measure(opened.id, { kind: 'digital_security', focus: 'Phone' }, { proposedAt: T0 });
        for (const m of [declined, started, couldNotAsk, lastYear]) await store.insertMeasure(m);
        const answered = feedback(opened.id, { measureId: couldNotAsk.id, askedAt: inJanuary(40) });
        const unanswered = feedback(opened.id, { askedAt: inJanuary(41) });
        for (const f of [answered, unanswered]) await store.insertFeedback(f);
        await store.answerFeedback({
          ...answered,
          answeredAt: inJanuary(50),
          useful: 'yes',
          increasedRisk: 'no',
          via: 'staff',
        });

        assert.deepEqual(await store.reportRequests(from, to), [
          {
            id: withCase.id,
            receivedAt: withCase.receivedAt,
            firstResponseAt: withCase.firstResponseAt,
            priority: 'urgent',
            actorId: person,
            caseId: opened.id,
            firstMeasureAt: inJanuary(20),
          },
          {
            id: waiting.id,
            receivedAt: waiting.receivedAt,
            firstResponseAt: null,
            priority: null,
            actorId: null,
            caseId: null,
            firstMeasureAt: null,
          },
        ]);
        const measures = await store.reportMeasures(from, to);
        // Proposed at the same moment: the id decides.
        const sameMoment = [declined, started].sort((a, b) => (a.id < b.id ? -1 : 1));
        assert.deepEqual(
          measures.map((m) => [m.id, m.kind, m.status, m.outcome, m.beneficiaryIds]),
          [...sameMoment, couldNotAsk].map((m) => [m.id, m.kind, m.status, m.outcome, [person]]),
        );
        assert.deepEqual(await store.reportFeedback(from, to), [
          {
            id: answered.id,
            measureId: couldNotAsk.id,
            measureKind: 'legal_aid',
            actorId: person,
            answeredAt: inJanuary(50),
            useful: 'yes',
            increasedRisk: 'no',
          },
        ]);
      });
    });

    describe('erasure and transactions', () => {
      it('answers a case, its parts and the person’s requests as gone once the person is erased, and writes none', async () => {
        const stored = protectionCase({ beneficiaryId: erased, teamIds: [] });
        await store.insertCase(stored);
        const note: CaseNote = { id: randomUUID(), caseId: stored.id, text: 'Moved house', authorId: 'x', at: at(1) };
        await store.insertNote(note);
        const live = measure(stored.id, visits('2026-03-01'), { beneficiaryIds: [erased], status: 'in_progress' });
        await store.insertMeasure(live);
        const asked = feedback(stored.id, { actorId: erased });
        await store.insertFeedback(asked);
        const own = request({ channel: 'self_service', actorId: erased, submittedBy: `defender-link:${erased}` });
        await store.insertRequest(own);

        await database.vault.keyringFor(database.db).destroy(actorKeyId(erased));
        await database.db.execute(sql`update actors set erased_at = now() where id = ${erased}`);

        assert.equal(await store.findCase(stored.id), null);
        assert.deepEqual(await store.notesOf(stored.id), []);
        assert.deepEqual(await store.measuresOf(stored.id), []);
        assert.deepEqual(await store.liveMeasuresFor([erased]), []);
        assert.ok(!(await store.visitsDue('2026-12-31', 100)).some((m) => m.id === live.id));
        assert.equal(await store.findFeedback(asked.id), null);
        assert.equal(await store.findRequest(own.id), null);
        assert.deepEqual(await store.requestsOfActor(erased), []);
        const queue = await store.listRequests({ statuses: [], limit: 1000, offset: 0 });
        assert.ok(!queue.items.some((r) => r.id === own.id));
        assert.equal(queue.items.length, queue.total, 'the total counts no request that cannot be shown');
        const listed = await store.listCases({
          scope: EVERYTHING,
          statuses: [],
          leadId: null,
          ids: [stored.id],
          beneficiaryId: null,
          limit: 10,
          offset: 0,
        });
        assert.deepEqual(listed, { items: [], total: 0 });
        await assert.rejects(store.insertNote({ ...note, id: randomUUID() }), { code: 'gone' });
        await assert.rejects(store.insertCase(protectionCase({ beneficiaryId: erased })), { code: 'gone' });
        await assert.rejects(store.insertRequest(request({ actorId: erased })), { code: 'gone' });
      });

      it('rolls a change back with its transaction', async () => {
        const stored = protectionCase();
        await store.insertCase(stored);
        await assert.rejects(
          store.transaction(async (tx, audit) => {
            assert.ok(audit);
            await tx.replaceCase({ ...stored, title: 'Changed', version: 2 }, 1);
            await tx.insertNote({ id: randomUUID(), caseId: stored.id, text: 'Lost', authorId: 'x', at: at(1) });
            throw new Error('abort');
          }),
          /abort/,
        );
        assert.deepEqual(await store.findCase(stored.id), stored);
        assert.deepEqual(await store.notesOf(stored.id), []);
        const committed = await store.transaction(async (tx) => {
          await tx.replaceCase({ ...stored, status: 'active', version: 2 }, 1);
          return tx.findCase(stored.id);
        });
        assert.equal(committed?.status, 'active');
      });
    });

    describe('what cases read of the rest of Amparo', () => {
      it('describes actors with the report’s dimensions, and knows collectives and their members', async () => {
        const actors = new SqlCaseActors(database.db, registry);
        const facts = await actors.describe([person, collective, erased, randomUUID()]);
        assert.deepEqual(facts.get(person), {
          id: person,
          kind: 'individual',
          name: 'Marta Lucía Quintero',
          genderIdentity: 'woman',
          region: 'Cauca',
          setting: 'rural',
        });
        assert.equal(facts.get(collective)?.kind, 'collective');
        assert.equal(facts.get(collective)?.genderIdentity, null);
        assert.ok(!facts.has(erased), 'erased actors are left out');
        assert.equal(facts.size, 2);
        assert.deepEqual(
          await actors.collectivesOf([member, otherMember, person]),
          new Map([
            [member, [collective]],
            [otherMember, [collective]],
          ]),
        );
        const members = await actors.membersOf([collective]);
        assert.deepEqual(members.get(collective)?.slice().sort(), [member, otherMember].sort());
        assert.deepEqual(await actors.membersOf([]), new Map());
      });

      it('reads the latest live risk level of each actor and the subject of an assessment', async () => {
        const subject = randomUUID();
        await addActor(subject, 'individual', { name: 'Assessed' });
        await addAssessment(subject, 'medium', { on: '2026-01-01' });
        const latest = await addAssessment(subject, 'very_high', { on: '2026-02-15' });
        await addAssessment(subject, 'low', { on: '2026-03-01', status: 'closed' });
        await addAssessment(subject, null, { on: '2026-03-05', status: 'draft' });
        const levels = new SqlRiskLevels(database.db);
        assert.deepEqual(
          await levels.latestLevels([subject, randomUUID()]),
          new Map([[subject, { assessmentId: latest, level: 'very_high' }]]),
        );
        assert.equal(await levels.subjectOfAssessment(latest), subject);
        assert.equal(await levels.subjectOfAssessment(randomUUID()), null);
      });

      it('tells which incidents exist, and whether consent is in force', async () => {
        const incident = await addIncident();
        assert.deepEqual(await new SqlIncidentLookup(database.db).existing([incident, randomUUID()]), [incident]);
        const statements = new SqlConsentStore(database.db, new KeyringSecretBox(database.vault.keyring));
        const consent = new StoredConsentLookup(statements);
        assert.equal(await consent.hasConsent(member, 'partner_sharing', partner, at(10)), false, 'silence means no');
        await statements.insert({
          id: randomUUID(),
          actorId: member,
          use: 'partner_sharing',
          partnerId: partner,
          decision: 'given',
          statedAt: at(1),
          recordedAt: at(1),
          recordedBy: lead,
          method: 'in_person',
        });
        assert.equal(await consent.hasConsent(member, 'partner_sharing', partner, at(10)), true);
        assert.equal(await consent.hasConsent(member, 'partner_sharing', lead, at(10)), false, 'one partner only');
        assert.equal(await consent.hasConsent(member, 'publication', null, at(10)), false);
        await statements.insert({
          id: randomUUID(),
          actorId: member,
          use: 'partner_sharing',
          partnerId: partner,
          decision: 'withdrawn',
          statedAt: at(2),
          recordedAt: at(2),
          recordedBy: lead,
          method: 'phone',
        });
        assert.equal(await consent.hasConsent(member, 'partner_sharing', partner, at(10)), false, 'withdrawn');
      });

      it('knows active accounts’ roles and notifies them by record id', async () => {
        const ids = [randomUUID(), randomUUID()];
        const accounts = new SqlCaseAccounts(
          database.db,
          { now: () => new Date(at(9)) },
          { newId: () => ids.shift() as string },
        );
        assert.deepEqual(
          await accounts.rolesOf([lead, partner, disabled, randomUUID()]),
          new Map([
            [lead, 'case_worker'],
            [partner, 'partner'],
          ]),
        );
        const caseId = randomUUID();
        const measureId = randomUUID();
        await accounts.notify(lead, 'case_assigned', 'case', caseId, `user:${partner}`);
        await accounts.notify(partner, 'referral_received', 'measure', measureId, 'system');
        const written = await rows<{ kind: string; record_type: string; record_id: string; actor_user_id: string }>(
          database,
          sql`select kind, record_type, record_id, actor_user_id from notifications
              where record_id in (${caseId}::uuid, ${measureId}::uuid) order by kind`,
        );
        assert.deepEqual(written, [
          { kind: 'case_assigned', record_type: 'case', record_id: caseId, actor_user_id: partner },
          { kind: 'referral_received', record_type: 'measure', record_id: measureId, actor_user_id: partner },
        ]);
      });

      it('lists the alerts raised about people since a moment', async () => {
        const subject = randomUUID();
        await addActor(subject, 'individual', { name: 'Alerted' });
        const raise = async (raisedAt: string) => {
          const id = randomUUID();
          await database.db.execute(sql`insert into alerts (id, actor_id, source, severity, status, silent, cursor,
            raised_by, raised_at, sealed, version)
            values (${id}, ${subject}, 'sos', 'critical', 'open', false, '{}'::jsonb, 'link', ${raisedAt}, '\\x00', 1)`);
          return id;
        };
        await raise(at(-5));
        const second = await raise(at(2));
        const first = await raise(at(1));
        assert.deepEqual(await new SqlAlertsLookup(database.db).alertsAbout([subject], T0), [
          { id: first, raisedAt: at(1), status: 'open' },
          { id: second, raisedAt: at(2), status: 'open' },
        ]);
        assert.deepEqual(await new SqlAlertsLookup(database.db).alertsAbout([], T0), []);
      });
    });
  });
}
