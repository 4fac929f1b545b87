/**
 * Incidents in a real browser, against a real Amparo (embedded database in memory): a coordinator
 * enters, in one page flow, an incident with two victims (one created on the spot, one collective
 * found by search), a perpetrator created on the spot as a party, an unknown perpetrator and a source;
 * the stored incident carries the HURIDOCS codes chosen. A second incident against the same victim on
 * the same day is flagged as a likely duplicate before it is saved. A failed save keeps everything
 * entered, with the error next to its field; the form works in Arabic (right to left) and passes axe.
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSuite, requireChromium, scanWithAxe, shot } from '../support/browser.ts';

const skip = requireChromium();

// HURIDOCS codes (micro-thesauri 4, 5, 18, 19, 24, 42, 43).
const CODES = {
  deathThreats: '02010302000004',
  reputation: '14000000000004',
  shooting: '01010000000005',
  carriedOut: '01010000000018',
  ordered: '01020000000018',
  reporter: '03010000000019',
  nonGovernmental: '02000000000024',
  unknownPerpetrator: '99000000000024',
  likelyReliable: '02000000000042',
  active: '01000000000043',
} as const;

const DAY = '2025-03-14';
const LATER_DAY = '2025-04-20';
const FIRST_TITLE = 'Amenazas en la vereda La Toma';
const EDITED_TITLE = `${FIRST_TITLE} (Cauca)`;

interface StoredIncident {
  id: string;
  title: string;
  initialDate: { precision: string; value?: string };
  place: { country: string; locality?: string };
  monitoringStatus: string;
  acts: { id: string; actType: string; victimId: string; victimKind: string; methods: string[] }[];
  involvements: {
    actId: string;
    perpetrator: { kind: 'actor'; actorId: string } | { kind: 'unknown'; description?: string };
    perpetratorType: string;
    degreeOfInvolvement: string;
  }[];
  sources: { actorId: string; connection: string; reliability: string; dateReceived: string }[];
}

interface StoredActor {
  id: string;
  kind: string;
  registered: boolean;
  displayName: string | null;
}

/** Types part of a name in an actor box and chooses the match from its list. */
async function findActor(page: Page, id: string, typed: string, name: string): Promise<void> {
  await page.locator(`#${id}`).fill(typed);
  await page
    .locator(`#${id}-listbox`)
    .getByRole('option', { name: new RegExp(name) })
    .click();
  await page.locator(`#${id}-chosen`).getByText(name).waitFor();
}

/** Creates someone by name from an actor box without leaving the page, and chooses them. */
async function createActor(page: Page, id: string, name: string): Promise<void> {
  await page.locator(`#${id}`).fill(name);
  await page
    .locator(`#${id}-listbox`)
    .getByRole('option', { name: /^Add new:/ })
    .click();
  assert.equal(await page.locator(`#${id}-new-name`).inputValue(), name);
  await page.locator('.picker-create').getByRole('button', { name: 'Add and choose' }).click();
  await page.locator(`#${id}-chosen`).getByText(name).waitFor();
}

/** The event part of the form: title, an exact day, Colombia, a locality. */
async function fillEvent(page: Page, title: string, day = DAY): Promise<void> {
  if (title) await page.getByLabel('Title').fill(title);
  await page.locator('#inc-initialDate-precision').selectOption('exact');
  await page.locator('#inc-initialDate-value').fill(day);
  await page.getByLabel('Country').selectOption('CO');
  await page.getByLabel('Locality').fill('Suárez');
}

describe('incidents in the web UI', { skip }, () => {
  const suite = browserSuite();
  const ids = { collective: '', firstIncident: '' };

  // Runs after the suite's own start-up hook, registered above.
  before(async () => {
    const collective = await suite.api<{ id: string }>('POST', '/actors', {
      kind: 'collective',
      collectiveForm: 'community',
      profile: { name: 'Consejo Comunitario La Toma', country: 'CO' },
    });
    ids.collective = collective.id;
  });

  test('a coordinator enters two victims, a known and an unknown perpetrator and a source in one flow', async () => {
    const { context, page, errors } = await suite.open('/incidents');
    try {
      await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
      await page.getByText('No incident has been recorded yet.').waitFor();
      await page.getByRole('link', { name: 'Record an incident' }).click();
      await page.getByRole('heading', { level: 1, name: 'Record an incident' }).waitFor();
      // The lists are loaded and the defaults set: an active incident, one act ready.
      await page.locator('form.incident-form[aria-busy="false"]').waitFor();
      assert.equal(await page.getByLabel('Monitoring status').inputValue(), CODES.active);
      assert.equal(await page.getByRole('heading', { level: 3 }).count(), 1);

      await fillEvent(page, FIRST_TITLE);
      // The date's input takes the shape of what is known: a month only, then back to the day.
      await page.locator('#inc-initialDate-precision').selectOption('month');
      assert.equal(await page.locator('#inc-initialDate-value').getAttribute('type'), 'month');
      assert.equal(await page.locator('#inc-initialDate-value').inputValue(), DAY.slice(0, 7));
      await page.locator('#inc-initialDate-precision').selectOption('unknown');
      assert.equal(await page.locator('#inc-initialDate-value').count(), 0);
      await page.locator('#inc-initialDate-precision').selectOption('exact');
      await page.locator('#inc-initialDate-value').fill(DAY);

      // Act 1: a death threat against a person entered on the spot, by a perpetrator entered on the spot.
      await page.locator('#act-0-type').selectOption(CODES.deathThreats);
      await createActor(page, 'act-0-victim', 'Ana Lucía Mina');
      await page.locator('#act-0-methods-add').selectOption(CODES.shooting);
      await page.getByRole('button', { name: 'Add Methods — Act 1' }).click();
      await page.getByRole('button', { name: 'Remove Shooting as a method for killing' }).waitFor();
      await page.getByRole('button', { name: 'Add a perpetrator to act 1' }).click();
      await createActor(page, 'act-0-perp-0-actor', 'Comandante Rojas');
      await page.locator('#act-0-perp-0-type').selectOption(CODES.nonGovernmental);
      await page.locator('#act-0-perp-0-degree').selectOption(CODES.ordered);

      // Act 2: against a collective already in the registry, by someone nobody identified.
      await page.getByRole('button', { name: 'Add another act' }).click();
      await page.locator('#act-1-type').selectOption(CODES.reputation);
      await findActor(page, 'act-1-victim', 'Consejo', 'Consejo Comunitario La Toma');
      await page.getByRole('button', { name: 'Add a perpetrator to act 2' }).click();
      await page.locator('#act-1-perp-0-known').getByRole('radio', { name: 'Unknown' }).check();
      // An unknown perpetrator's type defaults to "Unknown".
      assert.equal(await page.locator('#act-1-perp-0-type').inputValue(), CODES.unknownPerpetrator);
      await page.locator('#act-1-perp-0-description').fill('Dos hombres en moto');
      await page.locator('#act-1-perp-0-degree').selectOption(CODES.carriedOut);

      // The source, entered on the spot; the day received defaults to today.
      await page.getByRole('button', { name: 'Add a source' }).click();
      assert.match(await page.locator('#source-0-dateReceived').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
      await createActor(page, 'source-0-actor', 'Radio Comunitaria Suárez');
      await page.locator('#source-0-connection').selectOption(CODES.reporter);
      await page.locator('#source-0-reliability').selectOption(CODES.likelyReliable);
      await page.locator('#source-0-dateReceived').fill('2025-03-15');
      await shot(page, 'incident-form-filled-en');

      await page.getByRole('button', { name: 'Save incident' }).click();
      await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { level: 1, name: FIRST_TITLE }).waitFor();
      await page.getByRole('status').getByText('Incident recorded.').waitFor();
      // The record names the victims, linked to their pages, and labels the codes.
      await page.getByRole('link', { name: 'Consejo Comunitario La Toma' }).waitFor();
      await page.getByRole('link', { name: 'Ana Lucía Mina' }).waitFor();
      await page.getByText('Death threats', { exact: true }).waitFor();
      await page.getByRole('table', { name: 'Perpetrators of act 2' }).getByText('Unknown perpetrator').waitFor();
      await shot(page, 'incident-view-en');
      ids.firstIncident = new URL(page.url()).pathname.split('/').at(-1) ?? '';

      // What was stored: the acts, involvements and source, with the HURIDOCS codes chosen.
      const stored = await suite.api<StoredIncident>('GET', `/incidents/${ids.firstIncident}`);
      assert.equal(stored.title, FIRST_TITLE);
      assert.deepEqual(stored.initialDate, { precision: 'exact', value: DAY });
      assert.deepEqual(stored.place, { country: 'CO', locality: 'Suárez' });
      assert.equal(stored.monitoringStatus, CODES.active);
      const [threat, smear] = stored.acts;
      assert.ok(threat && smear);
      assert.deepEqual(
        [threat.actType, threat.victimKind, threat.methods],
        [CODES.deathThreats, 'individual', [CODES.shooting]],
      );
      assert.deepEqual(
        [smear.actType, smear.victimKind, smear.victimId],
        [CODES.reputation, 'collective', ids.collective],
      );
      const [known, unknown] = stored.involvements;
      assert.ok(known && unknown);
      assert.equal(known.actId, threat.id);
      assert.equal(known.perpetrator.kind, 'actor');
      assert.deepEqual([known.perpetratorType, known.degreeOfInvolvement], [CODES.nonGovernmental, CODES.ordered]);
      assert.equal(unknown.actId, smear.id);
      assert.deepEqual(unknown.perpetrator, { kind: 'unknown', description: 'Dos hombres en moto' });
      assert.deepEqual(
        [unknown.perpetratorType, unknown.degreeOfInvolvement],
        [CODES.unknownPerpetrator, CODES.carriedOut],
      );
      assert.equal(stored.sources.length, 1);
      const [source] = stored.sources;
      assert.deepEqual(
        [source?.connection, source?.reliability, source?.dateReceived],
        [CODES.reporter, CODES.likelyReliable, '2025-03-15'],
      );

      // Those entered as perpetrator and source are parties, not defenders; the victim is registered.
      const actor = (id: string) => suite.api<StoredActor>('GET', `/actors/${id}`);
      const perpetrator = await actor(known.perpetrator.kind === 'actor' ? known.perpetrator.actorId : '');
      const informant = await actor(source?.actorId ?? '');
      const victim = await actor(threat.victimId);
      assert.deepEqual(
        [perpetrator.displayName, perpetrator.registered, perpetrator.kind],
        ['Comandante Rojas', false, 'individual'],
      );
      assert.deepEqual([informant.displayName, informant.registered], ['Radio Comunitaria Suárez', false]);
      assert.deepEqual([victim.displayName, victim.registered], ['Ana Lucía Mina', true]);

      // The incident entered in the UI is exported with its HURIDOCS codes and labels (CSV, one row per act).
      const exported = await fetch(
        `${suite.base.replace('localhost', '127.0.0.1')}/api/v1/incidents/export?format=csv&purpose=full`,
        {
          headers: suite.user.bearer,
        },
      );
      assert.equal(exported.status, 200);
      const rows = (await exported.text()).split('\n').filter((line) => line.includes(ids.firstIncident));
      assert.equal(rows.length, 2, 'one row per act');
      const [threatRow, smearRow] = rows;
      assert.ok(threatRow?.includes(`${CODES.deathThreats},020103020000,Death threats`), threatRow);
      assert.ok(smearRow?.includes(CODES.reputation), smearRow);
      assert.ok(smearRow?.includes(`${ids.collective},collective`), smearRow);

      // Editing loads every part into the same form; a change keeps the parts' ids.
      await page.getByRole('link', { name: 'Edit incident' }).click();
      await page.getByRole('heading', { level: 1, name: 'Edit incident' }).waitFor();
      await page.locator('#act-1-victim-chosen').getByText('Consejo Comunitario La Toma').waitFor();
      assert.equal(await page.locator('#act-1-perp-0-description').inputValue(), 'Dos hombres en moto');
      await page.getByLabel('Title').fill(EDITED_TITLE);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { level: 1, name: EDITED_TITLE }).waitFor();
      const edited = await suite.api<StoredIncident & { version: number }>('GET', `/incidents/${ids.firstIncident}`);
      assert.equal(edited.version, 2);
      assert.deepEqual(
        edited.acts.map((act) => act.id),
        stored.acts.map((act) => act.id),
      );
      assert.deepEqual(edited.involvements, stored.involvements);

      // The list shows it, and filters by country and dates.
      await page.getByRole('link', { name: 'Back to incidents' }).click();
      await page.getByRole('table').getByRole('link', { name: EDITED_TITLE }).waitFor();
      await page.getByLabel('From').fill('2025-04-01');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText('No incident matches these filters.').waitFor();
      assert.match(page.url(), /from=2025-04-01/);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByRole('table').getByRole('link', { name: EDITED_TITLE }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a second incident against the same victim on the same day is flagged before it is saved', async () => {
    assert.ok(ids.firstIncident, 'needs the incident of the first test');
    const { context, page, errors } = await suite.open('/incidents/new');
    try {
      await page.locator('form.incident-form[aria-busy="false"]').waitFor();
      await fillEvent(page, 'Amenaza a Ana Lucía');
      await page.locator('#act-0-type').selectOption(CODES.deathThreats);
      const warning = page.locator('.duplicate-warning');
      assert.equal(await warning.getAttribute('role'), 'status');
      // Search finds the victim entered in the first flow, chosen with the keyboard; the warning follows.
      await page.locator('#act-0-victim').fill('Ana Luc');
      await page
        .locator('#act-0-victim-listbox')
        .getByRole('option', { name: /Ana Lucía Mina/ })
        .waitFor();
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('#act-0-victim').getAttribute('aria-activedescendant'), 'act-0-victim-option-0');
      await page.keyboard.press('Enter');
      await page.locator('#act-0-victim-chosen').getByText('Ana Lucía Mina').waitFor();
      await warning.getByText('This may already be recorded: 1 similar incident.').waitFor();
      const link = warning.getByRole('link', { name: `${EDITED_TITLE} (opens in a new tab)` });
      assert.equal(await link.getAttribute('href'), `/incidents/${ids.firstIncident}`);
      await warning.getByText('Same victim: Ana Lucía Mina').waitFor();
      await warning.getByText('Dates overlap').waitFor();
      await warning.getByText('Same type of act: Death threats').waitFor();
      await shot(page, 'incident-duplicate-warning-en');

      // Saving asks first; the person decides.
      await page.getByRole('button', { name: 'Save incident' }).click();
      const confirm = page.getByRole('alert').filter({ hasText: 'Save anyway?' });
      await confirm.waitFor();
      await confirm.getByRole('link', { name: new RegExp(FIRST_TITLE) }).waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent?.includes('Save anyway?'));
      await confirm.getByRole('button', { name: 'Save anyway' }).click();
      await page.getByRole('heading', { level: 1, name: 'Amenaza a Ana Lucía' }).waitFor();
      const page2 = await suite.api<{ total: number }>('GET', '/incidents');
      assert.equal(page2.total, 2);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a failed save keeps everything entered and says where the problem is', async () => {
    const { context, page, errors } = await suite.open('/incidents/new');
    try {
      await page.locator('form.incident-form[aria-busy="false"]').waitFor();
      // Everything but the title; a month after the first incident, so no duplicate is flagged.
      await fillEvent(page, '', LATER_DAY);
      await page.locator('#act-0-type').selectOption(CODES.reputation);
      await findActor(page, 'act-0-victim', 'Consejo', 'Consejo Comunitario La Toma');
      await page.getByRole('button', { name: 'Add a perpetrator to act 1' }).click();
      await page.locator('#act-0-perp-0-known').getByRole('radio', { name: 'Unknown' }).check();
      await page.getByRole('button', { name: 'Save incident' }).click();

      const summary = page.locator('.error-summary');
      await summary.getByRole('link', { name: 'Title: This is required.' }).waitFor();
      await summary
        .getByRole('link', { name: 'Perpetrator 1 of act 1 — Degree of involvement: Choose an option from the list.' })
        .waitFor();
      assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#inc-title-error').textContent(), 'Error: This is required.');
      // Nothing entered was lost.
      assert.equal(await page.getByLabel('Locality').inputValue(), 'Suárez');
      assert.equal(await page.locator('#inc-initialDate-value').inputValue(), LATER_DAY);
      assert.equal(await page.locator('#act-0-type').inputValue(), CODES.reputation);
      await page.locator('#act-0-victim-chosen').getByText('Consejo Comunitario La Toma').waitFor();

      // A refusal by the server lands next to the field it names, here an involvement's.
      await page.getByLabel('Title').fill('Estigmatización del Consejo');
      await page.locator('#act-0-perp-0-degree').selectOption(CODES.carriedOut);
      await page.route('**/api/v1/incidents', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 400,
              json: {
                error: {
                  code: 'validation_failed',
                  message: 'Choose a term of the HURIDOCS list 18 (degrees of involvement).',
                  field: 'involvements.0.degreeOfInvolvement',
                },
              },
            })
          : route.continue(),
      );
      await page.getByRole('button', { name: 'Save incident' }).click();
      await page
        .locator('#act-0-perp-0-degree-error')
        .getByText('Choose a term of the HURIDOCS list 18 (degrees of involvement).')
        .waitFor();
      assert.equal(await page.getByLabel('Title').inputValue(), 'Estigmatización del Consejo');
      assert.equal(await page.locator('#act-0-perp-0-degree').inputValue(), CODES.carriedOut);
      await shot(page, 'incident-form-errors-en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('in Arabic the form runs right to left, works, and axe finds no serious violation', async () => {
    assert.ok(ids.firstIncident, 'needs the incident of the first test');
    const { context, page, errors } = await suite.open('/incidents/new', { language: 'ar', bypassCSP: true });
    const found: string[] = [];
    const check = async (state: string) => found.push(...(await scanWithAxe(page, `ar ${state}`)));
    try {
      await page.getByRole('heading', { level: 1, name: 'تسجيل حادثة' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      await page.locator('form.incident-form[aria-busy="false"]').waitFor();
      await check('new incident form');

      await page.locator('#inc-country').selectOption('CO');
      await page.locator('#inc-initialDate-value').fill(DAY);
      await page.locator('#act-0-type').selectOption(CODES.deathThreats);
      // The actor box in Arabic: the list open, then the panel that adds someone new.
      await page.locator('#act-0-victim').fill('Ana');
      await page
        .locator('#act-0-victim-listbox')
        .getByRole('option', { name: /Ana Lucía Mina/ })
        .waitFor();
      await check('actor search open');
      await page
        .locator('#act-0-victim-listbox')
        .getByRole('option', { name: /Ana Lucía Mina/ })
        .click();
      await page.locator('.duplicate-warning .notice').waitFor();
      await page.getByRole('button', { name: 'إضافة مرتكب للفعل 1' }).click();
      await page.locator('#act-0-perp-0-actor').fill('ليلى');
      await page
        .locator('#act-0-perp-0-actor-listbox')
        .getByRole('option', { name: /^إضافة جديد:/ })
        .click();
      await page.locator('.picker-create').getByRole('radio', { name: 'كيان جماعي' }).check();
      await page.locator('#act-0-perp-0-actor-new-form').waitFor();
      await check('duplicate warning and the panel adding a perpetrator');
      await page.locator('.picker-create').getByRole('button', { name: 'إلغاء' }).click();

      await page.getByRole('button', { name: 'حفظ الحادثة' }).click();
      await page.locator('.error-summary').waitFor();
      await page.locator('#inc-title-error').getByText('هذا الحقل مطلوب.').waitFor();
      await check('form with errors');
      await shot(page, 'incident-form-errors-ar');

      await page.goto(`${suite.base}/incidents/${ids.firstIncident}`);
      await page.getByRole('heading', { level: 1, name: EDITED_TITLE }).waitFor();
      await page.locator('.term-code').first().waitFor();
      await check('incident record');
      await page.goto(`${suite.base}/incidents`);
      await page.locator('table.incidents tbody tr').first().waitFor();
      await check('incident list');
      await shot(page, 'incident-list-ar');
      assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
