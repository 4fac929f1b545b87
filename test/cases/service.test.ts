import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { KeyringSecretBox } from '../../src/adapters/crypto/secret-box.ts';
import { SqlAuditTrail } from '../../src/adapters/storage/audit-trail.ts';
import { SqlCaseStore } from '../../src/adapters/storage/case-store.ts';
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
import { SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { teams } from '../../src/adapters/storage/schema.ts';
import { SqlSharingStore } from '../../src/adapters/storage/sharing-store.ts';
import type { RecordScope } from '../../src/core/access/scope.ts';
import { CaseService } from '../../src/core/cases/service.ts';
import type { ConsentStatement } from '../../src/core/consent/model.ts';
import { DomainError } from '../../src/core/errors.ts';
import type { ActorProfile } from '../../src/core/registry/model.ts';
import { TestClock } from '../support/accounts.ts';
import { pgliteEngine } from '../support/components.ts';

/** Asserts the promise fails with a DomainError of `code`. */
async function failsWith(promise: Promise<unknown>, code: DomainError['code']): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof DomainError, `a DomainError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('protection cases, through the service on a real database', () => {
  let database: Database;
  let cases: CaseService;
  /** The service as a process builds it: two of them share the database and nothing in memory. */
  let newProcess: () => CaseService;
  let statements: SqlConsentStore;
  const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));

  const coordinator = randomUUID();
  const approver = randomUUID();
  const outsider = randomUUID();
  const partner = randomUUID();
  const teamA = randomUUID();
  const teamB = randomUUID();
  const collective = randomUUID();
  const leader = randomUUID();
  const member = randomUUID();
  const lowMember = randomUUID();
  const incident = randomUUID();

  const staffScope = (userId: string, teamIds: string[]): RecordScope => ({
    kind: 'limited',
    userId,
    teamIds,
    selfActorId: null,
    at: clock.now().toISOString(),
  });
  const nowhere = staffScope('00000000-0000-0000-0000-000000000000', []);
  const as = (userId: string, teamIds: string[] = [teamA]) =>
    cases.forContext({ principal: `user:${userId}`, source: '127.0.0.1' }, staffScope(userId, teamIds));
  const asDefender = (actorId: string) =>
    cases.forContext({ principal: `defender-link:${actorId}`, source: null }, nowhere);

  const consent = (
    actorId: string,
    use: ConsentStatement['use'],
    partnerId: string | null,
    decision: 'given' | 'withdrawn',
  ) =>
    statements.insert({
      id: randomUUID(),
      actorId,
      use,
      partnerId,
      decision,
      statedAt: clock.now().toISOString(),
      recordedAt: clock.now().toISOString(),
      recordedBy: coordinator,
      method: 'in_person',
    });

  before(async () => {
    database = await pgliteEngine.open();
    const db = database.db;
    const registry = new SqlRegistryStore(db, database.vault);
    const sharing = new SqlSharingStore(db);
    statements = new SqlConsentStore(db, new KeyringSecretBox(database.vault.keyring));
    const ids = { newId: () => randomUUID() };
    newProcess = () =>
      new CaseService({
        store: new SqlCaseStore(db, database.vault),
        actors: new SqlCaseActors(db, registry),
        risk: new SqlRiskLevels(db),
        incidents: new SqlIncidentLookup(db),
        consent: new StoredConsentLookup(statements),
        accounts: new SqlCaseAccounts(db, clock, ids),
        alerts: new SqlAlertsLookup(db),
        sharing,
        audit: new SqlAuditTrail(db),
        clock,
        ids,
        context: { principal: 'system:test', source: null },
        scope: { kind: 'everything' },
      });
    cases = newProcess();

    for (const id of [teamA, teamB]) await db.insert(teams).values({ id, name: `Team ${id}`, createdAt: clock.now() });
    for (const [id, role] of [
      [coordinator, 'coordinator'],
      [approver, 'coordinator'],
      [outsider, 'coordinator'],
      [partner, 'partner'],
    ] as const) {
      await db.execute(sql`insert into users (id, username, role, status, password_hash, version, created_at, updated_at)
        values (${id}, ${`u-${id}`}, ${role}, 'active', 'x', 1, now(), now())`);
    }
    const addActor = async (id: string, kind: 'individual' | 'collective', profile: ActorProfile) => {
      await registry.insertActor({
        id,
        kind,
        collectiveForm: kind === 'collective' ? 'community' : null,
        types: [],
        profile,
        version: 1,
        createdAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
        archivedAt: null,
        erasedAt: null,
        erasureReason: null,
        registered: true,
      });
      await sharing.setTeamsOfRecord('actor', id, [teamA]);
    };
    await addActor(collective, 'collective', { name: 'Consejo Comunitario La Toma' });
    await addActor(leader, 'individual', {
      name: 'Francia',
      genderIdentity: 'woman',
      region: 'Cauca',
      setting: 'rural',
    });
    await addActor(member, 'individual', { name: 'Member at high risk' });
    await addActor(lowMember, 'individual', { name: 'Member at low risk' });
    for (const from of [leader, member, lowMember]) {
      await registry.insertTie({
        id: randomUUID(),
        kind: 'membership',
        fromActorId: from,
        toActorId: collective,
        role: null,
        startDate: null,
        endDate: null,
        version: 1,
        createdAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
      });
    }
    const assess = async (subjectId: string, level: string) => {
      const id = randomUUID();
      await db.execute(sql`insert into risk_assessments (id, subject_id, subject_kind, status, assessed_on,
        next_review_on, overall_level, defender_took_part, sealed, version, created_at, updated_at)
        values (${id}, ${subjectId}, 'individual', 'open', '2026-02-01', '2026-06-01', ${level}, true, '\\x00', 1, now(), now())`);
      return id;
    };
    await assess(leader, 'high');
    await assess(member, 'very_high');
    await assess(lowMember, 'medium');
    await db.execute(sql`insert into incidents (id, country, initial_precision, monitoring_status, parts, sealed,
      version, created_at, updated_at) values (${incident}, 'CO', 'unknown', 'open', '{}'::jsonb, '\\x00', 1, now(), now())`);
    await sharing.setTeamsOfRecord('incident', incident, [teamA]);
  });
  after(async () => database?.close());

  it('takes a request from the leader’s page to a case, measures, consent-gated referral, agreement, feedback and report', async () => {
    const coordinatorCases = as(coordinator);

    // The leader asks for help on their own page; the triage queue shows it, due within 24 hours.
    await failsWith(asDefender(member).submitOwnRequest(leader, { description: 'Not mine' }), 'forbidden');
    const submitted = await asDefender(leader).submitOwnRequest(leader, {
      description: 'Armed men asked for me at the community meeting',
      safeContact: 'Through my sister, after 8 pm',
      statedUrgent: true,
    });
    assert.equal(submitted.channel, 'self_service');
    const queue = await coordinatorCases.listRequests({ statuses: ['new', 'triaged'], limit: 10, offset: 0 });
    const queued = queue.items.find((r) => r.id === submitted.id);
    assert.ok(queued);
    assert.equal(queued.overdue, false);
    assert.equal(queued.dueAt, '2026-03-03T08:00:00.000Z');

    clock.advance(3600);
    const triaged = await coordinatorCases.triage(submitted.id, { priority: 'urgent', version: 1 });
    await failsWith(coordinatorCases.triage(submitted.id, { priority: 'high', version: 1 }), 'version_conflict');

    // The case is the collective's, asked for by its leader.
    const opened = await coordinatorCases.openCase(submitted.id, {
      beneficiaryId: collective,
      title: 'Threats against the community council',
      priority: 'urgent',
      leadId: coordinator,
    });
    assert.deepEqual(opened.teamIds, [teamA], 'the opener’s teams');
    const request = await coordinatorCases.getRequest(triaged.id);
    assert.equal(request.status, 'case_opened');
    assert.equal(request.firstResponseAt, clock.now().toISOString(), 'opening the case answered the request');

    const withIncident = await coordinatorCases.linkIncident(opened.id, incident, opened.version);
    const leaderAssessment = (await new SqlRiskLevels(database.db).latestLevels([leader])).get(leader)?.assessmentId;
    assert.ok(leaderAssessment);
    const linked = await coordinatorCases.linkAssessment(opened.id, leaderAssessment, withIncident.version);
    assert.deepEqual(linked.incidentIds, [incident]);
    assert.deepEqual(linked.assessmentIds, [leaderAssessment]);

    // Relocating the leader warns about the member at a higher risk, not about the one at a lower risk.
    const relocation = await coordinatorCases.proposeMeasure(opened.id, {
      kind: 'relocation',
      beneficiaryIds: [leader],
      description: 'Relocate her to Bogotá for three months',
      details: { kind: 'relocation', scope: 'shelter_city', destination: 'Bogotá', from: '2026-03-10', until: null },
    });
    assert.deepEqual(
      relocation.warnings.map((w) => [w.actorId, w.collectiveId, w.level, w.beneficiaryLevel]),
      [[member, collective, 'very_high', 'high']],
    );
    const accompaniment = await coordinatorCases.proposeMeasure(opened.id, {
      kind: 'accompaniment',
      beneficiaryIds: [member],
      description: 'Accompany him to the council meetings',
      details: { kind: 'accompaniment', accompaniers: 'Two volunteers', arrangements: 'Weekly' },
    });
    assert.deepEqual(accompaniment.warnings, [], 'nobody else at his level is left without a measure');
    assert.deepEqual(
      (await coordinatorCases.getCase(opened.id)).measures.find((m) => m.id === relocation.id)?.warnings,
      [],
    );

    // A referral is not sent without the leader's consent to share with that partner.
    const referral = await coordinatorCases.proposeMeasure(opened.id, {
      kind: 'referral',
      beneficiaryIds: [leader],
      description: 'Legal representation',
      details: {
        kind: 'referral',
        partnerId: partner,
        service: 'Legal representation',
        summary: 'A leader threatened',
      },
      ownerId: coordinator,
    });
    await failsWith(coordinatorCases.startMeasure(referral.id, referral.version), 'conflict');
    const agreedReferral = await coordinatorCases.recordAgreement(referral.id, {
      kind: 'agreed',
      by: 'defender',
      method: 'phone',
      version: referral.version,
    });
    await failsWith(coordinatorCases.startMeasure(referral.id, agreedReferral.version), 'conflict');
    await consent(leader, 'partner_sharing', partner, 'given');
    const sent = await coordinatorCases.startMeasure(referral.id, agreedReferral.version);
    assert.ok(sent.details.kind === 'referral' && sent.details.sentAt !== null);

    const partnerCases = as(partner, []);
    const seen = await partnerCases.referralsForMe();
    assert.deepEqual(seen, [
      {
        id: referral.id,
        service: 'Legal representation',
        summary: 'A leader threatened',
        beneficiaryName: 'Francia',
        sentAt: clock.now().toISOString(),
        partnerResponse: null,
        partnerNote: null,
      },
    ]);
    await failsWith(partnerCases.getCase(opened.id), 'forbidden');
    const answered = await partnerCases.answerReferral(referral.id, {
      response: 'accepted',
      note: 'We call her today',
    });
    assert.equal(answered.partnerResponse, 'accepted');
    clock.advance(60);
    await consent(leader, 'partner_sharing', partner, 'withdrawn');
    assert.deepEqual(await partnerCases.referralsForMe(), [], 'a withdrawn consent hides the referral');
    await failsWith(partnerCases.answerReferral(referral.id, { response: 'declined' }), 'forbidden');
    await failsWith(as(approver, []).answerReferral(referral.id, { response: 'declined' }), 'not_found');

    // The leader answers on their own page, and the measure can start.
    await failsWith(coordinatorCases.startMeasure(relocation.id, relocation.version), 'conflict');
    const own = await asDefender(leader).ownOverview(leader);
    assert.deepEqual(own.requests, [
      { id: submitted.id, receivedAt: submitted.receivedAt, status: 'case_opened', hasCase: true },
    ]);
    assert.equal(own.measures.find((m) => m.id === relocation.id)?.needsAgreement, true);
    assert.equal(
      own.measures.some((m) => m.id === accompaniment.id),
      false,
      'only measures protecting them',
    );
    await failsWith(asDefender(leader).agreeOwn(leader, accompaniment.id, 'agreed'), 'not_found');
    const agreed = await asDefender(leader).agreeOwn(leader, relocation.id, 'agreed');
    assert.equal(agreed.status, 'agreed');
    const started = await coordinatorCases.startMeasure(relocation.id, agreed.version);
    clock.advance(86_400);
    const finished = await coordinatorCases.finishMeasure(relocation.id, {
      outcome: 'partly_effective',
      version: started.version,
    });
    assert.equal(finished.status, 'done');

    // Asked afterwards whether it helped.
    const [question] = (await asDefender(leader).ownOverview(leader)).feedback;
    assert.ok(question);
    assert.equal(question.measureKind, 'relocation');
    await failsWith(
      asDefender(member).recordFeedback(question.id, { useful: 'yes', increasedRisk: 'no' }, 'self_service'),
      'not_found',
    );
    const feedback = await asDefender(leader).recordFeedback(
      question.id,
      { useful: 'partly', increasedRisk: 'unsure', comment: 'Far from my family' },
      'self_service',
    );
    assert.equal(feedback.via, 'self_service');
    await failsWith(
      asDefender(leader).recordFeedback(question.id, { useful: 'yes', increasedRisk: 'no' }, 'self_service'),
      'conflict',
    );

    // The case page: everything in one timeline; outside the team it is out of reach.
    const detail = await coordinatorCases.getCase(opened.id);
    assert.deepEqual(new Set(detail.members?.map((m) => m.id)), new Set([leader, member, lowMember]));
    assert.equal(detail.feedback[0]?.useful, 'partly');
    const kinds = detail.timeline.map((e) => e.kind);
    for (const kind of ['request', 'opened', 'incident', 'assessment', 'measure', 'agreement', 'feedback'] as const) {
      assert.ok(kinds.includes(kind), kind);
    }
    await failsWith(as(outsider, [teamB]).getCase(opened.id), 'forbidden');
    await failsWith(coordinatorCases.getCase(randomUUID()), 'not_found');

    // The report counts the request and its response times.
    const report = await as(coordinator).report({ from: '2026-03-01', to: '2026-03-31' });
    assert.equal(report.requests.received, 1);
    assert.equal(report.requests.responded, 1);
    assert.deepEqual(report.requests.responseHours, { median: 1, p90: 1 });
    assert.deepEqual(
      report.byDimension.gender.map((r) => [r.value, r.received, r.measures, r.feedback]),
      [
        ['woman', 1, 2, 1],
        ['not_recorded', 0, 1, 0],
      ],
      'the leader’s request, relocation, referral and answer; the member’s accompaniment',
    );
    assert.equal(report.feedback.useful.partly, 1);
    await failsWith(as(coordinator).report({ from: '2026-03-31', to: '2026-03-01' }), 'validation_failed');

    // The trail names records, never what people wrote.
    const trail = new SqlAuditTrail(database.db);
    const entries = await trail.entriesAbout(opened.id);
    assert.ok(entries.some((e) => e.action === 'case.read'));
    assert.ok(entries.some((e) => e.action === 'case.create'));
    assert.ok(!JSON.stringify(await trail.browse({ limit: 500 })).includes('Armed men'));
  });

  it('releases an appeal approved by another, only with consent to publication', async () => {
    const opened = await as(coordinator).openCase(null, {
      beneficiaryId: leader,
      title: 'Public statement',
      priority: 'high',
    });
    const appeal = await as(coordinator).proposeMeasure(opened.id, {
      kind: 'urgent_appeal',
      beneficiaryIds: [leader],
      description: 'Statement to the press',
      details: { kind: 'urgent_appeal', form: 'public_statement', audience: 'Press', draft: 'We condemn…' },
    });
    await failsWith(as(coordinator).approveAppeal(appeal.id, appeal.version), 'conflict');
    const approved = await as(approver).approveAppeal(appeal.id, appeal.version);
    const agreed = await as(coordinator).recordAgreement(appeal.id, {
      kind: 'could_not_ask',
      reason: 'Detained',
      version: approved.version,
    });
    await failsWith(as(coordinator).releaseAppeal(appeal.id, agreed.version), 'conflict');
    await consent(leader, 'publication', null, 'given');
    const released = await as(coordinator).releaseAppeal(appeal.id, agreed.version);
    assert.equal(released.status, 'done');
    assert.equal(released.outcome, 'unknown');

    const closed = await as(coordinator).closeCase(opened.id, { reason: 'risk_reduced', version: opened.version });
    const own = await asDefender(leader).ownOverview(leader);
    assert.ok(
      own.feedback.some((f) => f.caseId === closed.id && f.measureId === null),
      'asked for their view',
    );
    await failsWith(as(coordinator).updateCase(opened.id, { title: 'x', version: closed.version }), 'conflict');
    const reopened = await as(coordinator).reopenCase(opened.id, closed.version);
    assert.equal(reopened.status, 'monitoring');
  });

  it('reminds a visit’s owner once, however many processes tick, and again for the next visit', async () => {
    const opened = await as(coordinator).openCase(null, { beneficiaryId: leader, title: 'Visits', priority: 'high' });
    const today = clock.now().toISOString().slice(0, 10);
    const proposed = await as(coordinator).proposeMeasure(opened.id, {
      kind: 'visits',
      beneficiaryIds: [leader],
      description: 'A visit every week',
      details: { kind: 'visits', everyDays: 7, nextOn: today },
      ownerId: approver,
    });
    const agreed = await as(coordinator).recordAgreement(proposed.id, {
      kind: 'agreed',
      by: 'defender',
      method: 'in_person',
      version: proposed.version,
    });
    const started = await as(coordinator).startMeasure(proposed.id, agreed.version);
    const reminders = async () =>
      (
        (await database.db.execute(
          sql`select count(*)::int as n from notifications
              where user_id = ${approver} and kind = 'visit_due' and record_id = ${proposed.id}`,
        )) as unknown as { rows: { n: number }[] }
      ).rows[0]?.n;

    const ticks = await Promise.all([cases.remindDueVisits(), newProcess().remindDueVisits()]);
    assert.equal(ticks[0] + ticks[1], 1, `one reminder between the two (${ticks})`);
    assert.equal(await reminders(), 1);
    assert.equal(await newProcess().remindDueVisits(), 0, 'nor again after a restart');
    clock.advance(2 * 86_400);
    assert.equal(await cases.remindDueVisits(), 0, 'nor each day while that visit stays due');

    await as(coordinator).recordVisit(proposed.id, {
      on: clock.now().toISOString().slice(0, 10),
      version: started.version,
    });
    assert.equal(await cases.remindDueVisits(), 0, 'the next visit is not due yet');
    clock.advance(7 * 86_400);
    assert.equal(await newProcess().remindDueVisits(), 1, 'the next visit is reminded');
    assert.equal(await reminders(), 2);
  });
});
