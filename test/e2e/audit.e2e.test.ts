/**
 * The audit trail page in a real browser, against a real Amparo (embedded database in memory): a
 * coordinator's reads of a record, then an administrator's view of its trail, filters, keyset pages,
 * client-side validation, Arabic right to left, and an axe-core scan (WCAG 2.1 A and AA rules). The
 * trail names records by id: no name may show. Administrators read the trail but not the records.
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 * Screenshots go to /tmp/amparo-e2e for a person to look at.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestUser } from '../support/accounts.ts';
import { browserSuite, requireChromium, scanWithAxe, shot } from '../support/browser.ts';

const skip = requireChromium();

const NAME = 'Ana Lucía Quispe';
const REGION = 'Cusco';

describe('audit trail web UI', { skip }, () => {
  const suite = browserSuite();
  let admin: TestUser;

  // Runs after the suite's own start-up hook, registered above.
  before(async () => {
    admin = await suite.makeUser('administrator');
  });

  /** The trail is for administrators: they open it. */
  const openTrail = (path: string, options: Parameters<typeof suite.open>[1] = {}) =>
    suite.open(path, { user: admin, ...options });

  async function createPerson(): Promise<string> {
    const actor = await suite.api('POST', '/actors', { kind: 'individual', profile: { name: NAME, region: REGION } });
    assert.equal(typeof actor.id, 'string');
    return actor.id as string;
  }

  const entriesTable = (page: Page) => page.getByRole('table', { name: 'Audit trail entries, newest first' });
  const bodyRows = (page: Page) => page.locator('table.audit-table tbody tr');
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
  /** The entry numbers shown, top to bottom. */
  const shownSequence = async (page: Page) =>
    (await page.locator('table.audit-table tbody th').allTextContents()).map(Number);

  test('a coordinator reads a record; an administrator finds those reads in its trail, by id only', async () => {
    const id = await createPerson();
    const coordinator = await suite.open(`/actors/${id}`);
    try {
      // Opening the page is itself a read of the profile, and is audited. The trail is not the coordinator's to read.
      await coordinator.page.getByRole('heading', { level: 1, name: NAME }).waitFor();
      await coordinator.page.getByRole('region', { name: 'Circle' }).getByText('0 actors', { exact: false }).waitFor();
      assert.equal(await coordinator.page.getByRole('link', { name: 'Audit trail for this record' }).count(), 0);
      assert.equal(
        await coordinator.page.getByRole('navigation', { name: 'Main' }).getByText('Audit trail').count(),
        0,
      );
      assert.deepEqual(coordinator.errors, []);
    } finally {
      await coordinator.context.close();
    }

    const { context, page, errors } = await openTrail('/');
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
      await page.waitForURL(`${suite.base}/audit`);
      await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      assert.equal(await page.title(), 'Audit trail · Amparo');
      assert.equal(
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Audit trail' })
          .getAttribute('aria-current'),
        'page',
      );
      await page.getByLabel('Record id').fill(id);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(`${suite.base}/audit?recordId=${id}`);
      await page.getByText('never what the record contains', { exact: false }).waitFor();
      await page.getByText('amparo audit verify', { exact: true }).waitFor();
      assert.equal(await page.getByLabel('Record id').inputValue(), id);

      const table = entriesTable(page);
      const created = table.getByRole('row').filter({ hasText: 'Created record' });
      const read = table.getByRole('row').filter({ hasText: 'Read profile' });
      await created.waitFor();
      await read.first().waitFor();
      assert.equal(await created.count(), 1);
      const headers = await table.getByRole('columnheader').allTextContents();
      assert.deepEqual(headers, ['No.', 'Time', 'Action', 'Who', 'From', 'Records']);
      for (const row of [created, read.first()]) {
        const [time, , who, source, records] = await row.getByRole('cell').allTextContents();
        assert.match(time ?? '', /\d{4}/);
        // People by username; their id stays at hand in the tooltip.
        assert.equal(who, suite.user.username);
        assert.equal(
          await row.getByRole('cell').nth(2).locator('bdi').getAttribute('title'),
          `user:${suite.user.account.id}`,
        );
        assert.equal(source, '127.0.0.1');
        assert.match(records ?? '', new RegExp(id.slice(0, 8)));
        const link = row.getByRole('link', { name: `Actor ${id.slice(0, 8)}` });
        assert.equal(await link.getAttribute('href'), `/actors/${id}`);
      }
      // The ties and circle sections of the page read those too, each audited.
      await table.getByRole('row').filter({ hasText: 'Read ties' }).first().waitFor();
      await table.getByRole('row').filter({ hasText: 'Read circle' }).first().waitFor();

      // Ids only: the person's name and place appear nowhere on the page, nor in its address or title.
      const mainText = (await page.locator('main').textContent()) ?? '';
      for (const personal of [NAME, 'Quispe', REGION]) {
        assert.ok(!mainText.includes(personal), `the audit page shows “${personal}”`);
        assert.ok(!page.url().includes(encodeURIComponent(personal)), 'personal data in the address');
      }
      await shot(page, 'audit-en');

      // A principal that is not a person (here, the tests' own set-up) shows as it is written.
      await page.getByLabel('Record id').fill('');
      await page.getByLabel('Who', { exact: true }).fill('system:test');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(`${suite.base}/audit?principal=system%3Atest`);
      const systemWho = bodyRows(page).first().getByRole('cell').nth(2);
      await systemWho.getByText('system:test', { exact: true }).waitFor();
      assert.equal(await systemWho.locator('bdi').getAttribute('title'), null);
      await page.getByLabel('Who', { exact: true }).fill('');
      await page.getByLabel('Record id').fill(id);

      // Filtered to creations, exactly one entry is left.
      await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Created record' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('status').getByText('1 entry: no.', { exact: false }).waitFor();
      assert.equal(await bodyRows(page).count(), 1);
      assert.match((await bodyRows(page).textContent()) ?? '', /Created record/);
      assert.ok(page.url().includes('action=actor.create'), 'the filter is in the address');

      // A malformed record id is refused next to the field, and no request is sent.
      let requests = 0;
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/v1/audit') requests++;
      });
      const recordId = page.getByLabel('Record id');
      await recordId.fill('not-an-id');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.locator('#audit-record-error').getByText('Enter a full record id', { exact: false }).waitFor();
      assert.equal(await recordId.getAttribute('aria-invalid'), 'true');
      assert.match((await recordId.getAttribute('aria-describedby')) ?? '', /audit-record-error/);
      await page.waitForFunction(() => document.activeElement?.id === 'audit-record');
      assert.equal(requests, 0);
      assert.equal(await bodyRows(page).count(), 1, 'the entries shown stay as they were');
      await shot(page, 'audit-invalid-en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('keyset pages: "Older entries" continues below the oldest entry shown, "Newest" returns to the start', async () => {
    const id = await createPerson();
    for (let i = 0; i < 60; i++) await suite.api('GET', `/actors/${id}`);
    const { context, page, errors } = await openTrail(`/audit?recordId=${id}`);
    try {
      await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
      await page.getByText('50 entries, newest first', { exact: false }).waitFor();
      const newest = await shownSequence(page);
      assert.equal(newest.length, 50);
      assert.deepEqual(
        newest,
        [...newest].sort((a, b) => b - a),
        'newest first',
      );
      assert.equal(await page.getByRole('button', { name: 'Newest' }).count(), 0);

      await page.getByRole('button', { name: 'Older entries' }).click();
      await page.getByRole('status').getByText('11 entries, newest first', { exact: false }).waitFor();
      const older = await shownSequence(page);
      assert.equal(older.length, 11, 'the creation and the last 10 reads');
      assert.ok(Math.max(...older) < Math.min(...newest), 'the next page holds older entries only');
      assert.equal(await entriesTable(page).getByRole('row').filter({ hasText: 'Created record' }).count(), 1);
      assert.ok(page.url().includes(`before=${newest.at(-1)}`), 'the page is in the address');
      // The buttons used were replaced: focus goes to the top of the results.
      await page.waitForFunction(() => document.activeElement?.id === 'audit-results-title');
      assert.equal(await page.getByRole('button', { name: 'Older entries' }).count(), 0);

      await page.getByRole('button', { name: 'Newest' }).click();
      await page.getByRole('status').getByText('50 entries, newest first', { exact: false }).waitFor();
      assert.deepEqual(await shownSequence(page), newest);
      assert.equal(await focusedId(page), 'audit-results-title');
      assert.ok(!page.url().includes('before='));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('days are whole days in the person’s time zone; an empty result says so', async () => {
    const id = await createPerson();
    const { context, page, errors } = await openTrail(`/audit?recordId=${id}`, { timezoneId: 'America/Bogota' });
    try {
      await entriesTable(page).getByText('Created record').waitFor();
      const sent: URL[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/v1/audit') sent.push(url);
      });
      await page.getByLabel('From date').fill('2024-03-11');
      await page.getByLabel('To date').fill('2024-03-10');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.locator('#audit-to-error').getByText('The end date cannot be before the start date.').waitFor();
      assert.equal(sent.length, 0);

      await page.getByLabel('From date').fill('2024-03-10');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('status').getByText('No entries match these filters.').waitFor();
      assert.equal(await bodyRows(page).count(), 0);
      // Bogotá is five hours behind UTC all year.
      assert.equal(sent.at(-1)?.searchParams.get('from'), '2024-03-10T05:00:00.000Z');
      assert.equal(sent.at(-1)?.searchParams.get('to'), '2024-03-11T04:59:59.999Z');
      assert.equal(sent.at(-1)?.searchParams.get('recordId'), id);

      await page.getByRole('button', { name: 'Clear filters' }).click();
      // What is announced is the new page, not the empty one still on screen while it loads.
      await page
        .getByRole('status')
        .getByText(/\d+ entries, newest first/)
        .waitFor();
      await entriesTable(page).getByText('Created record').first().waitFor();
      assert.equal(await page.getByLabel('Record id').inputValue(), '');
      assert.equal(new URL(page.url()).search, '');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a tie entry shows the tie by id and links its two actors', async () => {
    const person = await createPerson();
    const collective = await suite.api('POST', '/actors', {
      kind: 'collective',
      collectiveForm: 'organisation',
      profile: { name: 'Red Andina de Defensoras' },
    });
    const tie = await suite.api('POST', '/ties', { kind: 'membership', fromActorId: person, toActorId: collective.id });
    const { context, page, errors } = await openTrail(`/audit?recordId=${tie.id}`);
    try {
      const row = entriesTable(page).getByRole('row').filter({ hasText: 'Added tie' });
      await row.waitFor();
      assert.equal(await bodyRows(page).count(), 1);
      const records = row.getByRole('cell').last();
      assert.match((await records.textContent()) ?? '', new RegExp(`Tie ${String(tie.id).slice(0, 8)}`));
      // The tie has no page of its own: its id is text, and only its two actors are links.
      const links = records.getByRole('link');
      assert.equal(await links.count(), 2);
      assert.deepEqual(await links.evaluateAll((found) => found.map((a) => a.getAttribute('href'))), [
        `/actors/${person}`,
        `/actors/${collective.id}`,
      ]);
      // An administrator reads the trail, not the records: the actor page says so (and offers emergency access).
      await records.getByRole('link', { name: `Actor ${person.slice(0, 8)}` }).click();
      await page.getByRole('heading', { level: 1, name: 'No access to this record' }).waitFor();
      await page.getByRole('region', { name: 'Emergency access (break-glass)' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the audit trail speaks Arabic right to left', async () => {
    const id = await createPerson();
    await suite.api('GET', `/actors/${id}`);
    const { context, page, errors } = await openTrail(`/audit?recordId=${id}`);
    try {
      await entriesTable(page).getByText('Read profile').waitFor();
      const html = page.locator('html');
      await page.getByLabel('Language').selectOption({ label: 'العربية' });
      await page.getByRole('heading', { level: 1, name: 'مسار التدقيق' }).waitFor();
      assert.equal(await html.getAttribute('dir'), 'rtl');
      assert.equal(await html.getAttribute('lang'), 'ar');
      assert.equal(await page.title(), 'مسار التدقيق · Amparo');
      const table = page.getByRole('table', { name: 'قيود مسار التدقيق، من الأحدث إلى الأقدم' });
      await table.getByRole('row').filter({ hasText: 'الاطلاع على الملف' }).waitFor();
      await table.getByRole('row').filter({ hasText: 'إنشاء السجل' }).waitFor();
      await page.getByLabel('معرّف السجل').waitFor();
      await page.getByLabel('الإجراء', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'تطبيق التصفية' }).waitFor();
      // Columns run from the right: the entry number is the rightmost.
      const first = await table.getByRole('columnheader', { name: 'الرقم' }).boundingBox();
      const last = await table.getByRole('columnheader', { name: 'السجلات' }).boundingBox();
      assert.ok(first && last && first.x > last.x, 'the first column is on the right');
      await shot(page, 'audit-ar');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('axe finds no serious or critical WCAG 2.1 AA violation on the audit page (English and Arabic)', async () => {
    const id = await createPerson();
    await suite.api('GET', `/actors/${id}`);
    const found: string[] = [];
    for (const language of ['en', 'ar'] as const) {
      // The scan injects its own script, which the app's Content-Security-Policy rightly refuses: only
      // this context bypasses it.
      const { context, page } = await openTrail(`/audit?recordId=${id}`, { language, bypassCSP: true });
      try {
        await page.locator('section[aria-busy="false"] table.audit-table tbody tr').first().waitFor();
        found.push(...(await scanWithAxe(page, `${language} entries`)));
        await page.locator('#audit-record').fill('not-an-id');
        await page.locator('form button[type="submit"]').click();
        await page.locator('#audit-record-error').waitFor();
        found.push(...(await scanWithAxe(page, `${language} invalid record id`)));
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
  });
});
