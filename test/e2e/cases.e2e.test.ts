/**
 * Protection cases in a real browser, against a real Amparo (embedded database in memory): a
 * coordinator finds an overdue request at the top of the triage board — said in words —, triages it
 * to a collective, opens a case, links a risk assessment, proposes a relocation for the collective's
 * leader and sees, next to it, the warning about a member at a higher risk with no measure, and
 * records the leader's agreement; a referral to a partner is refused with the API's words until the
 * leader's consent to share with that partner is recorded, after which the partner's page shows only
 * the referred part; the period report shows the figures and links its CSV; a case worker names a
 * colleague of their team as a task's owner and the partner of a referral. The pages pass axe in
 * English and in Arabic (right to left).
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { addDays } from '../../src/core/risk/dates.ts';
import type { TestUser } from '../support/accounts.ts';
import { browserSuite, requireChromium, scanWithAxe, shot } from '../support/browser.ts';

const skip = requireChromium();

/** Text as the pages show it, without the marks that keep names' own direction (U+2068, U+2069). */
const plain = (text: string | null): string => (text ?? '').replace(/[\u2068\u2069]/g, '');

const today = new Date().toISOString().slice(0, 10);

/** An open assessment with one rated threat and the level the assessors chose. */
const assessment = (subjectId: string, level: string) => ({
  subjectId,
  status: 'open',
  participants: [{ kind: 'actor', id: subjectId, role: 'defender' }],
  defenderTookPart: true,
  threats: [
    {
      id: 'calls',
      nature: 'possible',
      kind: 'harassment',
      source: { status: 'unknown' },
      objective: 'Stop the land claim',
      linkedIncidentIds: [],
      analysis: { facts: 'Calls to the committee’s office', pattern: '', objective: '', author: '', conclusion: '' },
      likelihood: { level: 'medium', reason: 'Weekly calls' },
      impact: { level: 'medium', reason: 'Work slowed down' },
    },
  ],
  vulnerabilities: [],
  capacities: [],
  nextReviewOn: addDays(today, 60),
  overall: { level, rationale: 'As the committee describes it', chosenBy: [subjectId] },
});

/** Types part of a name in an actor box and chooses the match from its list. */
async function findActor(page: Page, id: string, typed: string, name: string): Promise<void> {
  await page.locator(`#${id}`).fill(typed);
  await page
    .locator(`#${id}-listbox`)
    .getByRole('option', { name: new RegExp(name) })
    .click();
  await page.locator(`#${id}-chosen`).getByText(name).waitFor();
}

describe('protection cases in the web UI', { skip }, () => {
  const suite = browserSuite();
  const ids = { collective: '', leader: '', berta: '', carlos: '', leaderAssessment: '', request: '' };
  let partner: TestUser;
  let caseId = '';

  before(async () => {
    const api = <T = { id: string }>(method: string, path: string, body?: unknown) => suite.api<T>(method, path, body);
    ids.collective = (
      await api('POST', '/actors', {
        kind: 'collective',
        collectiveForm: 'community',
        profile: { name: 'Colectivo Río Claro', country: 'CO', region: 'Chocó', setting: 'rural' },
      })
    ).id;
    ids.leader = (await api('POST', '/actors', { kind: 'individual', profile: { name: 'Ana Quispe' } })).id;
    ids.berta = (await api('POST', '/actors', { kind: 'individual', profile: { name: 'Berta Ruiz' } })).id;
    ids.carlos = (await api('POST', '/actors', { kind: 'individual', profile: { name: 'Carlos Mena' } })).id;
    await api('POST', '/ties', {
      kind: 'membership',
      fromActorId: ids.leader,
      toActorId: ids.collective,
      role: 'leader',
    });
    for (const member of [ids.berta, ids.carlos]) {
      await api('POST', '/ties', { kind: 'membership', fromActorId: member, toActorId: ids.collective });
    }
    // The leader at medium risk; Berta higher (she must be named in the warning), Carlos lower (he must not).
    ids.leaderAssessment = (await api('POST', '/risk-assessments', assessment(ids.leader, 'medium'))).id;
    await api('POST', '/risk-assessments', assessment(ids.berta, 'high'));
    await api('POST', '/risk-assessments', assessment(ids.carlos, 'low'));

    // A request a colleague heard by phone, received 30 hours ago: untriaged, it is timed as urgent (24 h).
    ids.request = (
      await api('POST', '/requests', {
        actorId: null,
        defenderName: 'Comité del Río Claro',
        description: 'Armed men came to the committee’s meeting and named the leader. They ask for help to leave.',
        safeContact: 'Through the parish, after 6 pm',
        statedUrgent: true,
        intermediary: { name: 'Padre Luis', relationship: 'parish priest', contact: '+57 300 111 2233' },
      })
    ).id;
    await suite.amparo.database.db.execute(
      sql`update help_requests set received_at = received_at - interval '30 hours' where id = ${ids.request}`,
    );
    partner = await suite.makeUser('partner', { username: 'abogados-del-pacifico' });
  });

  test('a coordinator triages an overdue request, opens a case, and proposes a relocation the leader agrees to', async () => {
    const { context, page, errors } = await suite.open('/');
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Triage' }).click();
      await page.getByRole('heading', { level: 1, name: 'Triage' }).waitFor();
      const card = page.locator(`li.request[aria-labelledby="request-${ids.request}-title"]`);
      await card.getByRole('heading', { name: 'Comité del Río Claro' }).waitFor();
      // Overdue in words, not colour only; the intermediary and the safe way to reach them are shown.
      await card.getByText('Overdue', { exact: true }).waitFor();
      await card.getByText('Overdue: the first response was due by').waitFor();
      await card.getByText('Not triaged').waitFor();
      await card.getByText('Padre Luis').waitFor();
      await card.getByText('Through the parish, after 6 pm').waitFor();
      await page.getByText('Overdue: 1.').waitFor();
      await shot(page, 'cases-triage-en');

      // Triage: urgent, and the collective in the registry.
      await card.getByRole('button', { name: 'Triage…' }).click();
      await card.getByRole('radio', { name: 'Urgent' }).check();
      await findActor(page, `request-${ids.request}-triage-actor`, 'Río Claro', 'Colectivo Río Claro');
      await card.getByRole('button', { name: 'Save the triage' }).click();
      await page.getByRole('status').getByText('Request triaged: Urgent.').waitFor();
      await card.getByRole('heading', { name: /Colectivo Río Claro/ }).waitFor();
      await card.getByText('Triaged', { exact: true }).waitFor();

      // Open the case: the collective is already chosen, and the priority kept.
      await card.getByRole('button', { name: 'Open a case…' }).click();
      await card.locator(`#request-${ids.request}-open-beneficiary-chosen`).getByText('Colectivo Río Claro').waitFor();
      assert.equal(await card.getByRole('radio', { name: 'Urgent' }).isChecked(), true);
      await card.getByRole('button', { name: 'Open the case' }).click();
      await card.locator(`#request-${ids.request}-open-title-error`).getByText('This is required.').waitFor();
      await card.getByLabel(/Title of the case/).fill('Río Claro: threats to the land committee');
      await card.getByRole('button', { name: 'Open the case' }).click();
      await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
      caseId = page.url().split('/').at(-1) ?? '';
      await page.getByRole('heading', { level: 1, name: 'Río Claro: threats to the land committee' }).waitFor();
      await page.getByRole('status').getByText('Case opened.').waitFor();
      const members = page.locator('table.case-members');
      for (const name of ['Ana Quispe', 'Berta Ruiz', 'Carlos Mena']) await members.getByText(name).waitFor();

      // Link the leader's assessment.
      const choices = page.locator('#case-link-assessments option').filter({ hasText: 'Ana Quispe' });
      await choices.waitFor({ state: 'attached' });
      await page.locator('#case-link-assessments').selectOption((await choices.getAttribute('value')) ?? '');
      await page.locator('form:has(#case-link-assessments)').getByRole('button', { name: 'Link' }).click();
      await page.getByRole('status').getByText('Risk assessment linked.').waitFor();
      await page.locator('section[aria-labelledby="case-links-title"] li').filter({ hasText: 'Ana Quispe' }).waitFor();
      // The timeline says when it was linked.
      await page.locator('li.timeline-assessment').filter({ hasText: 'linked to the case' }).waitFor();

      // A relocation for the leader only: Berta, at a higher risk, has no measure.
      await page.getByRole('button', { name: 'Propose a measure…' }).click();
      await page.getByLabel('Kind of measure').selectOption({ label: 'Relocation' });
      await page.getByRole('button', { name: 'Propose the measure' }).click();
      const summary = page.locator('#propose-measure .error-summary');
      await summary.getByText('Whom it protects: This is required.').waitFor();
      await summary.getByText('Destination: This is required.').waitFor();
      await page
        .locator('#propose-beneficiaries')
        .getByRole('checkbox', { name: /Ana Quispe/ })
        .check();
      await page.getByLabel(/What is to be done/).fill('Take Ana out of the river valley before the next meeting.');
      await page.getByRole('radio', { name: 'Shelter city' }).check();
      await page.getByLabel(/Destination/).fill('Bogotá, host organisation to be confirmed');
      await page.getByLabel('From', { exact: true }).fill(addDays(today, 3));
      await page.getByRole('button', { name: 'Propose the measure' }).click();
      await page.getByRole('status').getByText('Measure proposed. Warning:').waitFor();

      const measure = page.locator('li.measure').filter({ hasText: 'Relocation' });
      const warning = measure.locator('.collective-warning');
      await warning.getByRole('heading', { name: 'Others in the collective are left without protection' }).waitFor();
      assert.match(
        plain(await warning.textContent()),
        /members of Colectivo Río Claro whose highest assessed risk is Medium/,
      );
      await warning.getByRole('listitem').filter({ hasText: 'Berta Ruiz' }).getByText('risk: High').waitFor();
      assert.equal(await warning.getByText('Carlos Mena').count(), 0, 'a member at lower risk is not flagged');
      await measure.getByText('Not recorded yet: the measure cannot start before it is.').waitFor();
      assert.equal(await measure.getByRole('button', { name: 'Start the measure' }).count(), 0);
      await shot(page, 'cases-measure-warning-en');

      // The leader agreed, in person.
      await measure.getByRole('button', { name: 'Record the defender’s answer…' }).click();
      await measure.getByRole('radio', { name: 'Agreed' }).check();
      await measure.getByRole('button', { name: 'Record the answer' }).click();
      await measure.locator('.error-summary').getByText('How it was heard: This is required.').waitFor();
      await measure.getByLabel(/How it was heard/).selectOption({ label: 'in person' });
      await measure.getByRole('button', { name: 'Record the answer' }).click();
      await page.getByRole('status').getByText('Agreement recorded.').waitFor();
      await measure.getByText('Agreed by the defender (in person)').waitFor();
      await measure.getByRole('button', { name: 'Start the measure' }).waitFor();
      await page.locator('ol.case-timeline li.timeline-agreement').waitFor();

      const stored = await suite.api<{
        case: { assessmentIds: string[]; status: string };
        measures: { kind: string; status: string; beneficiaryIds: string[]; agreement: { kind: string } | null }[];
      }>('GET', `/cases/${caseId}`);
      assert.deepEqual(stored.case.assessmentIds, [ids.leaderAssessment]);
      assert.deepEqual(
        stored.measures.map((m) => [m.kind, m.status, m.beneficiaryIds, m.agreement?.kind]),
        [['relocation', 'agreed', [ids.leader], 'agreed']],
      );
      const request = await suite.api<{ status: string; caseId: string }>('GET', `/requests/${ids.request}`);
      assert.deepEqual([request.status, request.caseId], ['case_opened', caseId]);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a referral waits for the leader’s consent to share with the partner; the partner sees only the referred part', async () => {
    assert.ok(caseId, 'the first test opened a case');
    const { context, page, errors } = await suite.open(`/cases/${caseId}`);
    try {
      await page.getByRole('heading', { level: 1, name: 'Río Claro: threats to the land committee' }).waitFor();
      await page.getByRole('button', { name: 'Propose a measure…' }).click();
      await page.getByLabel('Kind of measure').selectOption({ label: 'Referral to a partner' });
      await page
        .locator('#propose-beneficiaries')
        .getByRole('checkbox', { name: /Ana Quispe/ })
        .check();
      await page.getByLabel(/What is to be done/).fill('Ask the lawyers to represent Ana.');
      await page.getByLabel(/Partner organisation/).selectOption({ label: 'abogados-del-pacifico' });
      await page.getByLabel(/Service asked of the partner/).fill('Legal representation');
      await page.getByLabel(/What the partner will see/).fill('A land defender threatened for her committee’s claim.');
      await page.getByRole('button', { name: 'Propose the measure' }).click();
      await page.getByRole('status').getByText('Measure proposed.').waitFor();

      const referral = page.locator('li.measure').filter({ hasText: 'Referral to a partner' });
      await referral.getByRole('button', { name: 'Record the defender’s answer…' }).click();
      await referral.getByRole('radio', { name: 'Agreed' }).check();
      await referral.getByLabel(/How it was heard/).selectOption({ label: 'by phone' });
      await referral.getByRole('button', { name: 'Record the answer' }).click();
      await referral.getByRole('button', { name: 'Send to the partner' }).click();
      // Refused, in the API's own words, until her consent is recorded.
      const refusal = referral.getByRole('alert');
      await refusal.getByText('Not done:').waitFor();
      assert.match(plain(await refusal.textContent()), /consent/i);
      await shot(page, 'cases-referral-refused-en');

      await suite.api('POST', `/actors/${ids.leader}/consent`, {
        use: 'partner_sharing',
        partnerId: partner.account.id,
        decision: 'given',
        statedAt: new Date().toISOString(),
        method: 'in_person',
      });
      await referral.getByRole('button', { name: 'Send to the partner' }).click();
      await page.getByRole('status').getByText('Referral sent to the partner.').waitFor();
      await referral.getByText('Sent to the partner').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    const asPartner = await suite.open('/', { user: partner });
    try {
      const nav = asPartner.page.getByRole('navigation', { name: 'Main' });
      // The partner was told, in words, with a way to the referral (and nothing of its content).
      await nav.getByRole('link', { name: /^Notifications/ }).click();
      const notice = asPartner.page.locator('li.notification').filter({ hasText: 'New referral' });
      await notice.getByText(/referred someone to your organisation/).waitFor();
      assert.ok(!plain(await notice.textContent()).includes('Legal representation'));
      await notice.getByRole('link', { name: 'Open referrals' }).click();
      await asPartner.page.getByRole('heading', { level: 1, name: 'Referrals' }).waitFor();
      const card = asPartner.page.locator('li.referral').filter({ hasText: 'Legal representation' });
      await card.getByText('A land defender threatened for her committee’s claim.').waitFor();
      const text = plain(await asPartner.page.locator('main').textContent());
      for (const hidden of ['Take Ana out', 'Berta Ruiz', 'threats to the land committee', 'Padre Luis']) {
        assert.ok(!text.includes(hidden), `the partner sees “${hidden}”`);
      }
      await card.getByRole('radio', { name: 'We accept' }).check();
      await card.getByRole('button', { name: 'Send the answer' }).click();
      await asPartner.page.getByRole('status').getByText('Answer sent: accepted.').waitFor();
      await card.getByText('Accepted', { exact: true }).waitFor();
      assert.deepEqual(asPartner.errors, []);
    } finally {
      await asPartner.context.close();
    }
  });

  test('the period report shows the figures, disaggregated, with its CSV', async () => {
    const { context, page, errors } = await suite.open('/case-reports');
    try {
      await page.getByRole('heading', { level: 1, name: 'Case reports' }).waitFor();
      const figures = page.locator('dl.report-figures');
      await figures.getByText('Requests received').waitFor();
      assert.match(plain(await figures.textContent()), /Requests received1/);
      const csv = page.getByRole('link', { name: 'Download as CSV' });
      assert.match(
        (await csv.getAttribute('href')) ?? '',
        /^\/api\/v1\/case-reports\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/,
      );
      // The link works with the browser's session, as a download of the same figures.
      const download = await page.request.get(`${suite.base}${await csv.getAttribute('href')}`);
      assert.equal(download.status(), 200);
      assert.match(download.headers()['content-type'] ?? '', /^text\/csv/);
      assert.match(await download.text(), /^section,dimension,value,metric,number\r?\n/);
      await page
        .locator('table.report-beneficiary_kind')
        .getByRole('row', { name: /Collective/ })
        .waitFor();
      await page.locator('#report-from').fill(addDays(today, -7));
      await page.getByRole('button', { name: 'Show the report' }).click();
      await page
        .getByRole('status')
        .getByText(/Report from .* shown\./)
        .waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a case worker names a colleague of their team as a task’s owner, and a partner for a referral, by name', async () => {
    assert.ok(caseId, 'the first test opened a case');
    const caseWorker = await suite.makeUser('case_worker', { teamIds: [suite.team.id], username: 'rosa-case-worker' });
    const { context, page, errors } = await suite.open(`/cases/${caseId}`, { user: caseWorker });
    try {
      await page.getByRole('heading', { level: 1, name: 'Río Claro: threats to the land committee' }).waitFor();
      await page.locator('#task-title').fill('Go with the coordinator to the committee');
      const owner = page.locator('#task-owner');
      await owner.getByRole('option', { name: 'suite-coordinator' }).waitFor({ state: 'attached' });
      assert.equal(await owner.getByRole('option', { name: 'abogados-del-pacifico' }).count(), 0, 'not the partner');
      await owner.selectOption({ label: 'suite-coordinator' });
      await page.getByRole('button', { name: 'Add the task' }).click();
      await page.getByRole('status').getByText('Task added.').waitFor();
      await page
        .getByRole('row', { name: /Go with the coordinator to the committee/ })
        .getByRole('cell', { name: 'suite-coordinator' })
        .waitFor();
      // And refers a case to a partner organisation, named.
      await page.getByRole('button', { name: 'Propose a measure…' }).click();
      await page.getByLabel('Kind of measure').selectOption({ label: 'Referral to a partner' });
      await page
        .getByLabel(/Partner organisation/)
        .getByRole('option', { name: 'abogados-del-pacifico' })
        .waitFor({ state: 'attached' });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('triage, cases, a case and the reports in Arabic, right to left, and axe finds no serious violation', async () => {
    assert.ok(caseId, 'the first test opened a case');
    const found: string[] = [];
    for (const language of ['ar', 'en'] as const) {
      const { context, page } = await suite.newPage({ language, bypassCSP: true });
      const check = async (state: string) => found.push(...(await scanWithAxe(page, `${language} ${state}`)));
      try {
        await page.goto(`${suite.base}/cases/${caseId}`);
        assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr');
        await page.locator('li.measure .collective-warning').first().waitFor();
        await page.locator('#propose-toggle').click();
        await page.locator('#propose-kind').waitFor();
        await check('case with the measure form open');
        if (language === 'ar') {
          await page.getByRole('heading', { level: 2, name: 'التدابير' }).waitFor();
          await shot(page, 'cases-case-ar');
        }

        await page.goto(`${suite.base}/triage`);
        await page.locator('section[aria-labelledby="targets-title"] form').waitFor();
        await page.locator('section[aria-labelledby="queue-title"] .result-count').waitFor();
        await check('triage board');

        await page.goto(`${suite.base}/cases`);
        await page.locator('table.case-list tbody tr').first().waitFor();
        await check('case list');

        await page.goto(`${suite.base}/case-reports`);
        await page.locator('dl.report-figures').waitFor();
        await check('reports');
        if (language === 'ar') await shot(page, 'cases-reports-ar');
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(found, []);
  });
});
