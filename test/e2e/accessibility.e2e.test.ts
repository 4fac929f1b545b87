/**
 * Accessibility of the web UI in a real browser, against a real Amparo (embedded database in memory):
 * an axe-core scan (WCAG 2.1 A and AA rules) of every page and state a person meets, in English and
 * in Arabic (right to left) — the registry, incidents and overdue protection work as a coordinator; account security, users, teams,
 * notifications, analysis and the no-access page as the roles that see them — and a keyboard walk of
 * an actor page: every control is reached with Tab and shows where the focus is. (The sign-in and
 * enrolment pages are scanned in security.e2e.test.ts.)
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestUser } from '../support/accounts.ts';
import { browserSuite, requireChromium, scanWithAxe } from '../support/browser.ts';

const skip = requireChromium();

type Language = 'en' | 'ar';

describe('web UI accessibility', { skip }, () => {
  const suite = browserSuite();
  const ids = { collective: '', individual: '' };
  let incidentId = '';
  const people: { admin?: TestUser; analyst?: TestUser; coordinator?: TestUser; partner?: TestUser } = {};

  const api = (method: string, path: string, body: unknown) =>
    suite.api<{ id: string; version: number }>(method, path, body);

  // Runs after the suite's own start-up hook, registered above.
  before(async () => {
    // A collective with two members (so ties and a two-step circle show), and an archived record (a badge).
    const collective = await api('POST', '/actors', {
      kind: 'collective',
      collectiveForm: 'community',
      types: ['social_movement'],
      profile: { name: 'Colectivo Tierra Viva', country: 'CO', rightsAreas: ['land_environment'] },
    });
    const laila = await api('POST', '/actors', { kind: 'individual', profile: { name: 'ليلى حداد' } });
    const jose = await api('POST', '/actors', {
      kind: 'individual',
      profile: {
        name: 'José Álvarez',
        aliases: ['Pepe'],
        languages: ['es'],
        country: 'CO',
        region: 'Cauca',
        contactChannels: [{ kind: 'signal', value: '+57 300 000 0000', note: 'evenings' }],
      },
    });
    await api('POST', '/ties', { kind: 'membership', fromActorId: laila.id, toActorId: collective.id, role: 'leader' });
    await api('POST', '/ties', { kind: 'membership', fromActorId: jose.id, toActorId: collective.id, role: 'member' });
    const archived = await api('POST', '/actors', { kind: 'individual', profile: { name: 'Rosa Mamani' } });
    await api('POST', `/actors/${archived.id}/archive`, { version: archived.version });
    ids.collective = collective.id;
    ids.individual = jose.id;
    // An incident with a perpetrator and a source, so its list, its record and the form are scanned.
    const incident = await api('POST', '/incidents', {
      title: 'Amenazas al Colectivo Tierra Viva',
      initialDate: { precision: 'month', value: '2025-02' },
      place: { country: 'CO', region: 'Cauca' },
      monitoringStatus: '01000000000043',
      acts: [{ id: 'threat', actType: '02010302000004', victimId: collective.id, victimKind: 'collective' }],
      involvements: [
        {
          actId: 'threat',
          perpetrator: { kind: 'unknown', description: 'Panfleto sin firma' },
          perpetratorType: '99000000000024',
          degreeOfInvolvement: '01010000000018',
        },
      ],
      sources: [
        { actorId: laila.id, connection: '01010000000019', reliability: '01000000000042', dateReceived: '2025-02-20' },
      ],
    });
    incidentId = incident.id;
    // A second team, so the new-actor form asks which of the coordinator's teams will see the record.
    // (Joining a team ends a person's sessions, so this coordinator is made with both teams.)
    const second = await suite.makeTeam('Second team');
    people.coordinator = await suite.makeUser('coordinator', {
      teamIds: [...suite.user.account.teamIds, second.id],
    });
    people.admin = await suite.makeUser('administrator');
    people.analyst = await suite.makeUser('analyst');
    // A partner, so the consent form offers partner sharing.
    people.partner = await suite.makeUser('partner');
    // An emergency access, so the coordinator has a notification to read.
    await suite.apiAs(
      people.admin,
      'POST',
      '/break-glass',
      { recordType: 'actor', recordId: collective.id, reason: 'Scan of the notifications page.' },
      { session: true },
    );
  });

  async function scanEveryPage(language: Language, colorScheme: 'light' | 'dark'): Promise<string[]> {
    // The scan needs to inject its own script, which the app's Content-Security-Policy rightly refuses;
    // only this scan's context bypasses it. The app itself runs with the CSP in every other test.
    const { context, page } = await suite.newPage({ language, bypassCSP: true, colorScheme, user: people.coordinator });
    const found: string[] = [];
    const visit = async (path: string, ready: string) => {
      await page.goto(suite.base + path);
      assert.equal(await page.locator('html').getAttribute('lang'), language);
      await page.locator(ready).first().waitFor();
    };
    const check = async (state: string) =>
      found.push(...(await scanWithAxe(page, `${language}/${colorScheme} ${state}`)));
    try {
      await visit('/', 'section[aria-busy="false"] table.results a[href^="/actors/"]');
      await check('registry list');

      for (const [name, id] of Object.entries(ids)) {
        await visit(`/actors/${id}`, 'section[aria-labelledby="circle-title"][aria-busy="false"] .circle-list a');
        await page.locator('table.ties tbody tr').first().waitFor();
        await page.locator('table.consent-current').waitFor();
        await page.locator('section[aria-labelledby="timeline-title"][aria-busy="false"]').waitFor();
        await check(`actor page (${name})`);
      }

      // The consent section: a statement recorded (history and state), and the form choosing a withdrawal.
      await page.locator('#consent-use').selectOption('publication');
      await page.locator('#consent-method').selectOption('in_person');
      await page.locator('.consent-form button[type="submit"]').click();
      await page.locator('table.consent-history tbody tr').first().waitFor();
      await page.locator('#consent-use').selectOption('partner_sharing');
      await page.locator('input[name="consent-decision"][value="withdrawn"]').check();
      await page.locator('.consent-form button[type="submit"]').click();
      await page.locator('#consent-partner-error').waitFor();
      await check('consent section with a statement, a withdrawal chosen and an error');

      await page.locator('button[aria-controls="erase-panel"]').click();
      await page.locator('#erase-panel').waitFor();
      await check('erase panel');
      await page.locator('#erase-panel .button-danger').click();
      await page.locator('#erase-reason-error').waitFor();
      await check('erase panel with errors');

      await visit('/actors/new', '#f-name');
      await page.locator('#f-teams input').first().waitFor();
      await check('new actor form, with the choice of teams');
      for (const box of await page.locator('#f-teams input').all()) await box.uncheck();
      await page.locator('#f-name').fill('x'.repeat(201));
      await page.locator('#f-languages').fill('es, not a tag!');
      await page.locator('.form-actions button[type="submit"]').click();
      await page.locator('.error-summary').waitFor();
      await page.locator('#f-languages-error').waitFor();
      await page.locator('#f-teams-error').waitFor();
      await check('new actor form after a failed submit');

      await visit(`/actors/${ids.individual}/edit`, '#f-name');
      await page.waitForFunction(() => (document.getElementById('f-name') as HTMLInputElement | null)?.value !== '');
      await check('edit form');

      await visit('/vocabularies', 'section[aria-labelledby="vocab-actor_type"] table');
      await check('vocabularies');

      await visit('/vocabularies/huridocs', 'table.thesauri tbody tr');
      await check('HURIDOCS lists');
      await visit('/vocabularies/huridocs/4', 'ul.term-tree button[aria-expanded]');
      await page.locator('section[aria-labelledby="terms-title"] .actions button').first().click();
      await page.locator('ul.term-tree ul.term-tree').first().waitFor();
      await check('HURIDOCS list 4, every branch open');
      await page.locator('form[aria-labelledby="add-local-title"] button[type="submit"]').click();
      await page.locator('#local-label-en-error').waitFor();
      await check('HURIDOCS local term form with an error');

      await visit('/security', 'section[aria-labelledby="tokens-title"] table');
      await check('account security');
      await page.locator('#token-name').fill('Scan');
      await page.locator('#token-scopes input').first().check();
      await page.locator('.add-token button[type="submit"]').click();
      await page.locator('#token-created').waitFor();
      await page.locator('.add-token button[type="submit"]').click();
      await page.locator('#token-name-error').waitFor();
      await check('account security, token shown once and a form error');

      await visit('/notifications', '.notification');
      await check('notifications');

      await visit('/protection/overdue', 'section[aria-labelledby="overdue-measures-title"]');
      await check('overdue reviews and measures');

      await visit('/incidents', 'section[aria-busy="false"] table.incidents a[href^="/incidents/"]');
      await check('incident list');
      await visit(`/incidents/${incidentId}`, '.term-code');
      await check('incident record');
      await visit('/incidents/new', 'form.incident-form[aria-busy="false"]');
      await page.locator('.form-actions button[type="submit"]').click();
      await page.locator('.error-summary').waitFor();
      await check('new incident form after a failed submit');
    } finally {
      await context.close();
    }
    return found;
  }

  /** The pages of administrators and analysts, who do not see the registry itself. */
  async function scanOtherRoles(language: Language, colorScheme: 'light' | 'dark'): Promise<string[]> {
    const found: string[] = [];
    const check = async (page: Page, state: string) =>
      found.push(...(await scanWithAxe(page, `${language}/${colorScheme} ${state}`)));
    const admin = await suite.newPage({ language, bypassCSP: true, colorScheme, user: people.admin });
    try {
      const { page } = admin;
      await page.goto(`${suite.base}/users`);
      await page.locator('table.accounts tbody tr').first().waitFor();
      await check(page, 'users');
      await page.locator('#new-username').fill(`scan-${language}-${colorScheme}`);
      await page.locator('#new-role').selectOption('partner');
      await page.locator('section[aria-labelledby="new-account-title"] button[type="submit"]').click();
      await page.locator('#account-created .secret-value').waitFor();
      await page.locator('table.accounts tbody button').first().click();
      await page.locator('#manage-panel').waitFor();
      await check(page, 'users, one-time password and the manage panel');

      await page.goto(`${suite.base}/teams`);
      await page.locator('.team-list button').first().click();
      await page.locator('.team-list fieldset').waitFor();
      await check(page, 'teams with the members form');

      await page.goto(`${suite.base}/actors/${ids.individual}`);
      await page.locator('#break-glass-reason').waitFor();
      await page.locator('section.danger-zone button[type="submit"]').click();
      await page.locator('#break-glass-reason-error').waitFor();
      await check(page, 'no access, with the break-glass form and its error');
    } finally {
      await admin.context.close();
    }
    const analyst = await suite.newPage({ language, bypassCSP: true, colorScheme, user: people.analyst });
    try {
      const { page } = analyst;
      await page.goto(`${suite.base}/`);
      await page.locator('table.analysis-table').first().waitFor();
      await check(page, 'analysis');
    } finally {
      await analyst.context.close();
    }
    return found;
  }

  // Dark colours come from prefers-color-scheme, so they need their own contrast check.
  for (const [language, scheme] of [
    ['en', 'light'],
    ['ar', 'light'],
    ['en', 'dark'],
  ] as const) {
    test(`axe finds no serious or critical WCAG 2.1 AA violation (${language}, ${scheme} colours)`, async () => {
      const violations = [...(await scanEveryPage(language, scheme)), ...(await scanOtherRoles(language, scheme))];
      assert.deepEqual(violations, [], `accessibility violations:\n${violations.join('\n')}`);
    });
  }

  test('keyboard: Tab reaches every control of an actor page, each with a visible focus indicator', async () => {
    const { context, page } = await suite.newPage({ language: 'en' });
    try {
      await page.goto(`${suite.base}/actors/${ids.collective}`);
      await page.locator('section[aria-labelledby="circle-title"][aria-busy="false"] .circle-list a').first().waitFor();
      // The risk sections load after the rest of the page.
      await page.locator('section[aria-labelledby="timeline-title"][aria-busy="false"]').waitFor();
      await page.locator('section[aria-labelledby="member-incidents-title"][aria-busy="false"]').waitFor();
      // So do the safety section's check-in form and safety credentials.
      await page.locator('#check-in-graceMinutes').waitFor();
      await page.locator('#safety-pin').waitFor();
      // Every element that should be a Tab stop gets a key; radios sharing a name are one stop, as browsers make them.
      const expected = await page.evaluate(() => {
        const candidates = document.querySelectorAll<HTMLElement>(
          'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]',
        );
        const keys = new Set<string>();
        for (const [index, element] of [...candidates].entries()) {
          const style = getComputedStyle(element);
          const hidden = element.getClientRects().length === 0 || style.visibility === 'hidden';
          if (hidden || element.tabIndex < 0 || element.matches(':disabled') || element.closest('[inert]')) continue;
          const name = element instanceof HTMLInputElement && element.type === 'radio' ? element.name : '';
          // A selector-like key (tag, id, first class, position): failures name elements, never their content.
          const selector = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}`;
          const key = name
            ? `radio:${name}`
            : `${selector}${element.classList[0] ? `.${element.classList[0]}` : ''}@${index}`;
          element.dataset.tabKey = key;
          keys.add(key);
        }
        return [...keys];
      });
      assert.ok(expected.length > 10, `only ${expected.length} focusable elements found`);

      const reached: string[] = [];
      const noIndicator = new Set<string>();
      // A date input holds several stops (its parts and its calendar button): one key, reached once.
      for (let presses = 0; presses < expected.length * 4; presses++) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          if (!element || element === document.body) return null;
          const style = getComputedStyle(element);
          const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
          return {
            key: element.dataset.tabKey ?? `unexpected:${element.tagName.toLowerCase()}#${element.id}`,
            indicator: outline || style.boxShadow !== 'none',
          };
        });
        if (focus === null || focus.key === reached[0]) break;
        if (focus.key !== reached.at(-1)) reached.push(focus.key);
        if (!focus.indicator) noIndicator.add(focus.key);
      }
      const missed = expected.filter((key) => !reached.includes(key));
      assert.deepEqual(missed, [], `not reachable with Tab: ${missed.join(', ')}`);
      assert.deepEqual([...noIndicator], [], 'no visible focus indicator');
      assert.equal(reached.length, expected.length, `Tab stops: ${reached.join(', ')}`);
    } finally {
      await context.close();
    }
  });
});
