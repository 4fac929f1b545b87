/**
 * Risk assessment and security plans in a real browser, against a real Amparo (embedded database in
 * memory): a coordinator walks an assessment of a defender through its five steps (a declared death
 * threat from a known source), sees the suggested level with its reasons, chooses a lower level —
 * refused without a rationale, accepted with one — and opens it; the actor page's timeline shows it.
 * An incident against a collective's member shows on the collective's page and flags a fellow
 * member's assessment, with the reason shown. A plan made from the assessment links its measure to
 * the threat; a plan with a measure past its due date shows on the coordinators' overdue page. The
 * new pages render right to left in Arabic and pass axe.
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { plansFor } from '../../src/app.ts';
import { addDays } from '../../src/core/risk/dates.ts';
import { browserSuite, requireChromium, scanWithAxe, shot } from '../support/browser.ts';

const skip = requireChromium();

// HURIDOCS codes (micro-thesauri 4, 18, 24, 43).
const CODES = {
  detention: '03010200000004',
  carriedOut: '01010000000018',
  unknownPerpetrator: '99000000000024',
  active: '01000000000043',
} as const;

const TODAY = new Date().toISOString().slice(0, 10);
const day = (offset: number) => addDays(TODAY, offset);

interface StoredAssessment {
  id: string;
  status: string;
  defenderTookPart: boolean;
  participants: { kind: string; id: string; role: string }[];
  threats: { id: string; kind: string; nature: string; source: { status: string; actorId?: string | null } }[];
  vulnerabilities: { threatIds: string[] }[];
  capacities: { threatIds: string[] }[];
  suggestion: { level: string } | null;
  overall: { level: string; rationale: string; suggestedLevel: string; differsFromSuggestion: boolean } | null;
}

interface StoredPlan {
  id: string;
  assessmentId: string | null;
  measures: { strategy: string; addresses: { kind: string; id: string } | null; status: string }[];
}

/** Moves to a step through the step list; its heading takes focus. */
async function goToStep(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Steps of the assessment' }).getByRole('button', { name }).click();
  await page.waitForFunction((title) => document.activeElement?.textContent?.endsWith(title) ?? false, name);
}

describe('risk assessments and security plans in the web UI', { skip }, () => {
  const suite = browserSuite();
  const ids = { defender: '', source: '', collective: '', assessedMember: '', victimMember: '', assessment: '' };
  let memberAssessment = '';

  const create = (body: Record<string, unknown>) => suite.api<{ id: string }>('POST', '/actors', body);

  before(async () => {
    ids.defender = (await create({ kind: 'individual', profile: { name: 'Ana Quispe' } })).id;
    ids.source = (await create({ kind: 'individual', profile: { name: 'El Patrón Ruiz' }, registered: false })).id;
    ids.collective = (
      await create({ kind: 'collective', collectiveForm: 'community', profile: { name: 'Colectivo Río Claro' } })
    ).id;
    ids.assessedMember = (await create({ kind: 'individual', profile: { name: 'Beto Cárdenas' } })).id;
    ids.victimMember = (await create({ kind: 'individual', profile: { name: 'Carla Mendoza' } })).id;
    for (const member of [ids.assessedMember, ids.victimMember]) {
      await suite.api('POST', '/ties', { kind: 'membership', fromActorId: member, toActorId: ids.collective });
    }
  });

  test('a coordinator walks an assessment through its steps, and chooses a level below the suggestion', async () => {
    const { context, page, errors } = await suite.open(`/actors/${ids.defender}`);
    try {
      const timeline = page.locator('section[aria-labelledby="timeline-title"]');
      await timeline.getByText('No incident or risk assessment recorded yet.').waitFor();
      await timeline.getByRole('link', { name: 'Assess the risk' }).click();
      await page.getByRole('heading', { level: 1, name: 'New risk assessment: Ana Quispe' }).waitFor();

      // 1. Who took part: the defender, explicitly; the coordinator is listed already.
      await page.getByRole('heading', { level: 2, name: '1. Who took part' }).waitFor();
      await page.getByLabel('Ana Quispe (the defender) took part').check();
      assert.equal(await page.locator('#participant-0-who').inputValue(), suite.user.account.id);

      // 2. A declared death threat, from a source identified in the registry, with its analysis.
      await page.getByRole('button', { name: 'Next: Threats' }).click();
      await page.getByRole('heading', { level: 2, name: '2. Threats' }).waitFor();
      await page.getByRole('button', { name: 'Add a threat' }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'threat-0-nature');
      await page.locator('#threat-0-kind').selectOption('death');
      await page.getByRole('radio', { name: 'Identified' }).check();
      await page.locator('#threat-0-source-actor').fill('Patrón');
      await page
        .locator('#threat-0-source-actor-listbox')
        .getByRole('option', { name: /El Patrón Ruiz/ })
        .click();
      await page.locator('#threat-0-source-actor-chosen').getByText('El Patrón Ruiz').waitFor();
      await page.locator('#threat-0-objective').fill('That she stops the land claim.');
      await page.locator('#threat-0-analysis-facts').fill('A note under her door on 2 March, signed by the group.');
      await page.locator('#threat-0-analysis-conclusion').fill('They have the means to carry it out.');

      // Nothing entered is lost when moving between steps.
      await goToStep(page, 'Who took part');
      assert.equal(await page.getByLabel('Ana Quispe (the defender) took part').isChecked(), true);
      await goToStep(page, 'Threats');
      assert.equal(await page.locator('#threat-0-kind').inputValue(), 'death');
      assert.equal(await page.locator('#threat-0-objective').inputValue(), 'That she stops the land claim.');

      // 3. A vulnerability and a capacity, each linked to the threat.
      await page.getByRole('button', { name: 'Next: Vulnerabilities and capacities' }).click();
      await page.getByRole('button', { name: 'Add a vulnerability' }).click();
      await page.locator('#vulnerability-0-dimension').selectOption('physical');
      await page.locator('#vulnerability-0-description').fill('Walks home alone after meetings.');
      await page.locator('#vulnerability-0-threats').getByLabel('Threat 1: Death').check();
      await page.getByRole('button', { name: 'Add a capacity' }).click();
      await page.locator('#capacity-0-dimension').selectOption('organisational');
      await page.locator('#capacity-0-description').fill('The community guard accompanies her.');
      await page.locator('#capacity-0-threats').getByLabel('Threat 1: Death').check();

      // 4. Likelihood and impact, each with its reason.
      await page.getByRole('button', { name: 'Next: Likelihood and impact' }).click();
      await page.locator('#threat-0-likelihood-level').selectOption('high');
      await page.locator('#threat-0-likelihood-reason').fill('The group killed a leader nearby last year.');
      await page.locator('#threat-0-impact-level').selectOption('very_high');
      await page.locator('#threat-0-impact-reason').fill('Her life is at stake.');

      // 5. The suggestion needs the assessment saved; it then shows with every reason, applied to nothing.
      await page.getByRole('button', { name: 'Next: Level and review' }).click();
      await page.getByText('Save the assessment to see the level Amparo suggests').waitFor();
      await page.getByRole('button', { name: 'Save and see the suggestion' }).click();
      await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
      ids.assessment = page.url().split('/').at(-1) ?? '';
      await page.getByRole('heading', { level: 1, name: 'Risk assessment: Ana Quispe' }).waitFor();
      const suggestion = page.locator('section[aria-labelledby="suggestion-title"]');
      await suggestion.locator('.suggested-level').getByText('Very high').waitFor();
      const reasons = suggestion.locator('.reason-list li');
      assert.deepEqual(await reasons.allTextContents(), [
        'Threat: Threat 1: likelihood High, impact Very high, so Very high on the matrix.',
        'Minimum: Threat 1 is a declared death threat from a known source: at least High.',
      ]);
      for (const level of ['Low', 'Medium', 'High', 'Very high']) {
        assert.equal(await page.getByRole('radio', { name: level, exact: true }).isChecked(), false);
      }
      await shot(page, 'risk-suggestion-en');

      // A level below the suggestion is refused without a rationale, with the error next to the field.
      await page.getByRole('radio', { name: 'Medium', exact: true }).check();
      await page.getByRole('button', { name: 'Record the chosen level' }).click();
      await page.locator('#overall-rationale-error').getByText('This level differs from the suggested one').waitFor();
      await page
        .locator('.error-summary')
        .getByRole('link', { name: /Rationale/ })
        .waitFor();
      await page
        .locator('#overall-rationale')
        .fill('The community guard and the relocation of her meetings lower the risk for now.');
      await page.getByRole('button', { name: 'Record the chosen level' }).click();
      await page.getByRole('status').getByText('Level recorded: Medium.').waitFor();
      const chosen = page.locator('section[aria-labelledby="choice-title"] dl');
      await chosen.getByText('(Amparo suggested Very high)').waitFor();

      await page.getByRole('button', { name: 'Open the assessment' }).click();
      await page.getByRole('status').getByText('Assessment opened.').waitFor();
      await page.getByText('Open · assessed on', { exact: false }).waitFor();

      const stored = await suite.api<StoredAssessment>('GET', `/risk-assessments/${ids.assessment}`);
      assert.equal(stored.status, 'open');
      assert.equal(stored.defenderTookPart, true);
      assert.deepEqual(stored.participants, [
        { kind: 'actor', id: ids.defender, role: 'defender' },
        { kind: 'account', id: suite.user.account.id, role: 'assessor' },
      ]);
      const [threat] = stored.threats;
      assert.equal(threat?.kind, 'death');
      assert.deepEqual(threat?.source, { status: 'identified', actorId: ids.source });
      assert.deepEqual(stored.vulnerabilities[0]?.threatIds, [threat?.id]);
      assert.deepEqual(stored.capacities[0]?.threatIds, [threat?.id]);
      assert.equal(stored.overall?.level, 'medium');
      assert.equal(stored.overall?.suggestedLevel, 'very_high');
      assert.equal(stored.overall?.differsFromSuggestion, true);

      // The actor page's timeline shows the assessment, with the level chosen.
      await page.getByRole('link', { name: 'Back to the actor' }).click();
      const entry = page.locator('.timeline li.timeline-assessment');
      await entry.getByRole('link', { name: 'Risk assessment' }).waitFor();
      assert.match((await entry.textContent()) ?? '', /Assessment.*Medium.*Open.*next review on/);
      assert.equal(await entry.getByRole('link').getAttribute('href'), `/assessments/${ids.assessment}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("an incident against a member shows on the collective's page and flags a fellow member's assessment", async () => {
    memberAssessment = (
      await suite.api<{ id: string }>('POST', '/risk-assessments', {
        subjectId: ids.assessedMember,
        status: 'draft',
        participants: [],
        defenderTookPart: false,
        threats: [],
        vulnerabilities: [],
        capacities: [],
        nextReviewOn: day(60),
      })
    ).id;
    const incident = await suite.api<{ id: string }>('POST', '/incidents', {
      title: 'Detención de Carla Mendoza',
      initialDate: { precision: 'exact', value: day(-3) },
      place: { country: 'CO' },
      monitoringStatus: CODES.active,
      acts: [{ id: 'detention', actType: CODES.detention, victimId: ids.victimMember, victimKind: 'individual' }],
      involvements: [
        {
          actId: 'detention',
          perpetrator: { kind: 'unknown' },
          perpetratorType: CODES.unknownPerpetrator,
          degreeOfInvolvement: CODES.carriedOut,
        },
      ],
    });

    const { context, page, errors } = await suite.open(`/actors/${ids.collective}`);
    try {
      const members = page.locator('section[aria-labelledby="member-incidents-title"]');
      const row = members.locator('tbody tr');
      await row.first().waitFor();
      assert.equal(await row.count(), 1);
      assert.equal(await row.locator('td').nth(1).textContent(), 'Arbitrary detention');
      assert.equal(
        await row.getByRole('link', { name: 'Carla Mendoza' }).getAttribute('href'),
        `/actors/${ids.victimMember}`,
      );
      assert.equal(await row.getByRole('link', { name: 'Open' }).getAttribute('href'), `/incidents/${incident.id}`);

      // The fellow member's assessment is flagged, with the reason: who, of which collective, what and when.
      await page.goto(`${suite.base}/assessments/${memberAssessment}`);
      const flags = page.locator('section[aria-labelledby="flags-title"]');
      await flags.getByRole('heading', { name: 'To look at again' }).waitFor();
      const reason = flags.locator('.flag-list li');
      await reason.getByRole('link', { name: 'Colectivo Río Claro' }).waitFor();
      assert.match(
        (await reason.textContent()) ?? '',
        /^Carla Mendoza \(a member of Colectivo Río Claro\): Arbitrary detention, .+\. Open the incident/,
      );
      assert.equal(
        await reason.getByRole('link', { name: 'Open the incident' }).getAttribute('href'),
        `/incidents/${incident.id}`,
      );
      await shot(page, 'risk-flag-en');
      await reason.getByRole('button', { name: 'Mark as reviewed' }).click();
      await page.getByRole('status').getByText('Marked as reviewed.').waitFor();
      await flags.waitFor({ state: 'detached' });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    const open = await suite.api<{ items: unknown[] }>('GET', `/risk-assessments/${memberAssessment}/flags`);
    assert.deepEqual(open.items, []);
  });

  test('a plan made from the assessment, and late measures and reviews on the overdue page', async () => {
    assert.ok(ids.assessment, 'the first test made the assessment');
    // A plan made twenty days ago, with a measure due ten days ago: overdue today.
    const past = { now: () => new Date(Date.now() - 20 * 86_400_000) };
    const late = await plansFor(suite.amparo.database, { principal: 'system:test', source: null }, past).createPlan({
      subjectId: ids.defender,
      assessmentId: null,
      protocols: { preventive: [], emergency: [] },
      reviewEveryDays: 5,
      measures: [
        {
          strategy: 'protection',
          description: 'Install a camera at the office door',
          addresses: null,
          owner: { kind: 'account', id: suite.user.account.id },
          dueOn: day(-10),
          status: 'agreed',
          agreedWithDefender: true,
        },
      ],
    });
    // An assessment whose review date has passed.
    await suite.api('POST', '/risk-assessments', {
      subjectId: ids.assessedMember,
      status: 'draft',
      assessedOn: day(-100),
      participants: [],
      defenderTookPart: false,
      threats: [],
      vulnerabilities: [],
      capacities: [],
      nextReviewOn: day(-5),
    });

    const { context, page, errors } = await suite.open(`/assessments/${ids.assessment}`);
    try {
      await page.getByRole('link', { name: 'Make a security plan' }).click();
      await page.getByRole('heading', { level: 1, name: 'New security plan: Ana Quispe' }).waitFor();
      assert.equal(await page.locator('#plan-assessment').inputValue(), ids.assessment);
      await page.getByRole('button', { name: 'Add a measure' }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'measure-0-description');
      await page.locator('#measure-0-description').fill('Public statement of support by the network');
      await page.locator('#measure-0-strategy').selectOption('deterrence');
      await page.locator('#measure-0-addresses').selectOption({ label: 'Threat 1: Death' });
      await page.locator('#measure-0-owner').selectOption({ label: 'suite-coordinator' });
      // Agreed without a due date: refused, with the error next to the due date.
      await page.locator('#measure-0-status').selectOption('agreed');
      await page.getByLabel('Agreed with the defender, Measure 1').check();
      await page.getByRole('button', { name: 'Make the plan' }).click();
      await page
        .locator('#measure-0-due-error')
        .getByText('An agreed measure needs a due date.', { exact: false })
        .waitFor();
      await page.locator('#measure-0-due').fill(day(14));
      await page.getByRole('button', { name: 'Add a preventive protocol' }).click();
      await page.locator('#preventive-0-title').fill('Travelling to the community');
      await page.locator('#preventive-0-steps').fill('Tell the network before leaving\nCheck in on arrival');
      await page.getByRole('button', { name: 'Make the plan' }).click();
      await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { level: 1, name: 'Security plan: Ana Quispe' }).waitFor();
      const planId = page.url().split('/').at(-1) ?? '';
      const plan = await suite.api<StoredPlan>('GET', `/security-plans/${planId}`);
      const stored = await suite.api<StoredAssessment>('GET', `/risk-assessments/${ids.assessment}`);
      assert.equal(plan.assessmentId, ids.assessment);
      assert.deepEqual(plan.measures[0]?.addresses, { kind: 'threat', id: stored.threats[0]?.id });
      assert.equal(plan.measures[0]?.strategy, 'deterrence');
      assert.equal(plan.measures[0]?.status, 'agreed');

      // The coordinators' overdue page, from the navigation.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overdue reviews' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overdue reviews and measures' }).waitFor();
      // The flag raised above was marked as reviewed: none waits in the network-wide list.
      await page.getByRole('heading', { level: 2, name: 'Assessments flagged for review' }).waitFor();
      await page.getByText('No assessment is waiting to be looked at again.').waitFor();
      const measures = page.locator('table.overdue-measures tbody tr');
      // Subjects are named once their records are read.
      await measures.getByRole('link', { name: 'Ana Quispe' }).waitFor();
      assert.equal(await measures.count(), 1);
      assert.match((await measures.textContent()) ?? '', /Install a camera at the office door.*Ana Quispe.*10/);
      const reviews = page.locator('table.overdue-plans tbody tr');
      assert.equal(await reviews.count(), 1);
      assert.equal(await reviews.getByRole('link').last().getAttribute('href'), `/plans/${late.id}`);
      const assessments = page.locator('table.overdue-assessments tbody tr');
      await assessments.getByRole('link', { name: 'Beto Cárdenas' }).waitFor();
      assert.equal(await assessments.count(), 1);
      assert.match((await assessments.textContent()) ?? '', /Beto Cárdenas.*Draft/);
      await shot(page, 'risk-overdue-en');

      // The late plan's review is recorded from its page: it leaves the list of plans to review.
      await measures.getByRole('link', { name: 'Open the plan' }).click();
      await page.getByRole('heading', { level: 1, name: 'Security plan: Ana Quispe' }).waitFor();
      assert.equal(await page.locator('#measure-0-description').inputValue(), 'Install a camera at the office door');
      await page.getByRole('button', { name: 'Record a review' }).click();
      await page.getByRole('status').getByText('Review recorded.').waitFor();
      const overdue = await suite.api<{ plansDueForReview: unknown[] }>('GET', '/security-plans/overdue');
      assert.deepEqual(overdue.plansDueForReview, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the risk pages in Arabic, right to left, and axe finds no serious violation on them', async () => {
    assert.ok(ids.assessment && memberAssessment, 'the earlier tests made the assessments');
    const plans = await suite.api<{ items: { id: string }[] }>('GET', `/security-plans?subjectId=${ids.defender}`);
    const found: string[] = [];
    for (const language of ['ar', 'en'] as const) {
      const { context, page } = await suite.newPage({ language, bypassCSP: true });
      const check = async (state: string) => found.push(...(await scanWithAxe(page, `${language} ${state}`)));
      try {
        await page.goto(`${suite.base}/assessments/${ids.assessment}`);
        assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr');
        const heading = language === 'ar' ? 'تقييم المخاطر: Ana Quispe' : 'Risk assessment: Ana Quispe';
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        for (const step of [1, 2, 3, 4, 5]) {
          await page
            .locator('.step-list button')
            .nth(step - 1)
            .click();
          await page.locator(`.step-list li:nth-child(${step}) button[aria-current="step"]`).waitFor();
          if (step === 5) await page.locator('.reason-list li').first().waitFor();
          await check(`assessment step ${step}`);
        }
        if (language === 'ar') {
          assert.match((await page.locator('.suggested-level').textContent()) ?? '', /مرتفع جدًا/);
          await shot(page, 'risk-suggestion-ar');
        }
        await page.goto(`${suite.base}/actors/${ids.defender}/assessments/new`);
        await page.locator('#defender-took-part').waitFor();
        await page.locator('.step-list button').nth(1).click();
        await page.locator('#add-threat').click();
        await page.locator('#threat-0-kind').waitFor();
        await check('new assessment, a threat added');

        await page.goto(`${suite.base}/assessments/${memberAssessment}`);
        await page.locator('#step-title').waitFor();
        await check('a member’s assessment');

        await page.goto(`${suite.base}/plans/${plans.items[0]?.id}`);
        await page.locator('table.measures tbody tr').first().waitFor();
        await check('security plan');

        await page.goto(`${suite.base}/protection/overdue`);
        await page.locator('table.overdue-measures tbody tr').first().waitFor();
        await check('overdue page');
        if (language === 'ar') await shot(page, 'risk-overdue-ar');

        await page.goto(`${suite.base}/actors/${ids.collective}`);
        await page.locator('table.member-incidents tbody tr').first().waitFor();
        await page.locator('section[aria-labelledby="timeline-title"][aria-busy="false"]').waitFor();
        await check('collective page with its members’ incidents');
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
  });
});
