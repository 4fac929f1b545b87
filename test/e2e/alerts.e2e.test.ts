/**
 * The coordinators' rapid-response pages in a real browser, against a real Amparo (embedded database
 * in memory): the ladder editor saves a three-step network ladder with the keyboard-reachable step
 * controls, and shows, after saving, that a colleague without a contact channel could not be reached;
 * the console shows an alert raised through the API without a reload, and announces it; the alert's
 * page shows its timeline, and taking it there updates both that page and the console, live. The
 * console, an alert, the ladders and the ladder editor pass axe in English and in Arabic (right to left).
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestUser } from '../support/accounts.ts';
import { browserSuite, requireChromium, scanWithAxe, shot } from '../support/browser.ts';

const skip = requireChromium();

/** Text as the pages show it, without the marks that keep names' own direction (U+2068, U+2069). */
const plain = (text: string | null): string => (text ?? '').replace(/[\u2068\u2069]/g, '');

async function waitForLive(page: Page, text = 'Live updates: on'): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).waitFor();
}

describe('the alert console, alerts and escalation ladders in the web UI', { skip }, () => {
  const suite = browserSuite();
  let defender = '';
  let colleague: TestUser;
  let alertId = '';

  before(async () => {
    defender = (
      await suite.api<{ id: string }>('POST', '/actors', { kind: 'individual', profile: { name: 'Ana Quispe' } })
    ).id;
    colleague = await suite.makeUser('case_worker', { teamIds: [suite.team.id], username: 'lucia-reyes' });
  });

  test('the ladder editor saves a three-step ladder and warns about a colleague without channels', async () => {
    const { context, page, errors } = await suite.open('/ladders');
    try {
      await page.getByRole('heading', { level: 1, name: 'Escalation ladders' }).waitFor();
      await page.getByText('There is no network ladder.').waitFor();
      await page.getByRole('link', { name: 'New ladder' }).click();
      await page.getByRole('heading', { level: 1, name: 'New escalation ladder' }).waitFor();

      await page.locator('#ladder-name').fill('Network: on-call coordinators');
      assert.equal(await page.getByRole('radio', { name: /^The whole network/ }).isChecked(), true);
      const steps = page.locator('fieldset.ladder-step');
      assert.equal(await steps.count(), 3);

      // Step 1 notifies the colleague; step 2 waits; step 3 notifies whoever is on duty.
      const first = steps.nth(0);
      await first.getByLabel('A colleague').selectOption({ label: 'lucia-reyes · Case worker' });
      await first.getByRole('button', { name: 'Add A colleague' }).click();
      await first.getByRole('listitem').filter({ hasText: 'lucia-reyes' }).waitFor();
      await steps.nth(1).getByLabel('Minutes to wait').fill('10');
      await steps.nth(2).getByRole('button', { name: 'Add the coordinator on duty' }).click();
      await steps.nth(2).getByText('the coordinator on duty').waitFor();

      // A fourth step, added, moved up with the keyboard, and removed again: focus follows each time.
      await page.getByRole('button', { name: 'Add a step' }).click();
      await steps.nth(3).waitFor();
      assert.match((await page.evaluate(() => document.activeElement?.id)) ?? '', /^step-\d+-kind$/);
      await steps.nth(3).getByLabel('What this step does').selectOption('webhook');
      await steps.nth(3).getByRole('button', { name: 'Move up Step 4' }).focus();
      await page.keyboard.press('Enter');
      await steps.nth(2).getByLabel('Webhook address').waitFor();
      assert.equal(plain(await page.evaluate(() => document.activeElement?.textContent ?? null)), 'Move up Step 3');
      await steps.nth(2).getByRole('button', { name: 'Remove Step 3' }).click();
      assert.equal(await steps.count(), 3);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'add-step');

      // A repeat without its step, refused before sending, with the error next to the field.
      await page.getByRole('button', { name: 'Add a step' }).click();
      await steps.nth(3).getByLabel('What this step does').selectOption('repeat');
      await page.getByRole('button', { name: 'Create the ladder' }).click();
      const summary = page.locator('.error-summary');
      await summary.getByText('Step 4 · Back to: Choose the earlier step to go back to.').waitFor();
      await steps.nth(3).getByRole('button', { name: 'Remove Step 4' }).click();

      await page.getByRole('button', { name: 'Create the ladder' }).click();
      await page.waitForURL(/\/ladders\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { level: 1, name: /Escalation ladder: Network: on-call coordinators/ }).waitFor();
      const warnings = page.locator('#saved-warnings');
      const noChannel = warnings.locator('li[data-problem="no_channel"]');
      await noChannel.first().waitFor();
      const texts = (await noChannel.allTextContents()).map(plain);
      assert.ok(
        texts.some((text) => text.startsWith('Step 1: lucia-reyes has no contact channel Amparo can send on.')),
        texts.join(' | '),
      );
      assert.equal(
        await noChannel
          .filter({ hasText: 'lucia-reyes' })
          .getByRole('link', { name: 'Set up their channels' })
          .getAttribute('href'),
        `/channels?owner=${encodeURIComponent(`user:${colleague.account.id}`)}`,
      );
      await warnings.locator('li[data-problem="nobody_on_duty"]').waitFor();
      await shot(page, 'alerts-ladder-saved-en');

      const saved = await suite.api<{ ladders: { ladder: { steps: unknown[] } }[]; networkLadder: boolean }>(
        'GET',
        '/ladders',
      );
      assert.equal(saved.networkLadder, true);
      assert.deepEqual(saved.ladders[0]?.ladder.steps, [
        { kind: 'notify', targets: [{ kind: 'user', userId: colleague.account.id }] },
        { kind: 'wait', minutes: 10 },
        { kind: 'notify', targets: [{ kind: 'on_duty' }] },
      ]);

      // The console says, before any alert, that someone on a ladder cannot be reached.
      await page.goto(`${suite.base}/alerts`);
      const banner = page.locator('section[aria-labelledby="ladder-banner-title"]');
      await banner.locator('li').filter({ hasText: 'Network: on-call coordinators' }).waitFor();
      assert.match(plain(await banner.textContent()), /Network: on-call coordinators: \d+ warnings?\./);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('an alert raised through the API appears live in the console; taking it updates the status', async () => {
    const { context, page: consolePage, errors } = await suite.open('/alerts');
    try {
      await consolePage.getByRole('heading', { level: 1, name: 'Alert console' }).waitFor();
      await consolePage.getByText('No open alert.').waitFor();
      await waitForLive(consolePage);

      const raised = await suite.api<{ id: string; status: string }>('POST', '/alerts', {
        actorId: defender,
        severity: 'critical',
        message: 'Detained at the checkpoint on the river road.',
        location: { lat: 4.5981, lon: -74.0758 },
      });
      alertId = raised.id;
      assert.equal(raised.status, 'open');

      // No reload: the row arrives through the event feed, and the live region says so.
      const open = consolePage.locator('table.alerts-open');
      const row = open.locator('tbody tr').filter({ hasText: 'Ana Quispe' });
      await row.waitFor();
      assert.match(plain(await row.textContent()), /Ana Quispe.*Critical.*Raised by a coordinator.*Open/);
      const log = consolePage.getByRole('log');
      assert.equal(plain(await log.textContent()), 'New alert, Critical: Raised by a coordinator, Ana Quispe.');

      // The alert's page, in a second tab: facts, timeline, deliveries, the person's protection.
      const alertPage = await context.newPage();
      await alertPage.goto(`${suite.base}/alerts/${alertId}`);
      await alertPage.getByRole('heading', { level: 1, name: /Alert: .*Ana Quispe/ }).waitFor();
      await waitForLive(alertPage);
      const facts = alertPage.locator('section[aria-labelledby="alert-facts-title"]');
      await facts.getByText('Detained at the checkpoint on the river road.').waitFor();
      assert.match(plain(await facts.textContent()), /Taken byNobody yet\./);
      const timeline = alertPage.locator('ol.alert-timeline');
      await timeline.getByText('Alert raised.').waitFor();
      // The ladder's first step: the colleague has no channel, and the timeline says so in words.
      await timeline.locator('li.timeline-unreachable').filter({ hasText: 'lucia-reyes' }).waitFor();
      assert.match(
        plain(await timeline.locator('li.timeline-unreachable').first().textContent()),
        /Step 1: lucia-reyes cannot be notified: no usable channel\./,
      );
      await alertPage.getByRole('link', { name: 'Their circle (family, organisations, colleagues)' }).waitFor();
      await shot(alertPage, 'alerts-alert-open-en');

      await alertPage.getByRole('button', { name: 'Take this alert' }).click();
      await alertPage.getByRole('status').getByText('You took the alert').waitFor();
      await facts.getByText('Taken', { exact: true }).waitFor();
      assert.match(plain(await facts.textContent()), /StatusTakenTaken bysuite-coordinator · /);
      await timeline.locator('li.timeline-acknowledged').filter({ hasText: 'suite-coordinator' }).waitFor();
      await alertPage.getByRole('button', { name: 'Take this alert' }).waitFor({ state: 'detached' });

      // The console, untouched meanwhile, moved it to the taken ones.
      const taken = consolePage.locator('table.alerts-acknowledged tbody tr').filter({ hasText: 'Ana Quispe' });
      await taken.waitFor();
      assert.match(plain(await taken.textContent()), /Taken by suite-coordinator/);
      await consolePage.getByText('No open alert.').waitFor();

      const stored = await suite.api<{ alert: { status: string; acknowledgedBy: string } }>(
        'GET',
        `/alerts/${alertId}`,
      );
      assert.equal(stored.alert.status, 'acknowledged');
      assert.equal(stored.alert.acknowledgedBy, `user:${suite.user.account.id}`);

      // Resolving needs a note.
      await alertPage.getByRole('button', { name: 'Resolve the alert' }).click();
      await alertPage.locator('#resolve-note-error').getByText('Say how the alert was resolved.').waitFor();
      await alertPage.getByLabel(/How it was resolved/).fill('Released after the lawyer arrived; at home now.');
      await alertPage.getByRole('button', { name: 'Resolve the alert' }).click();
      await facts.getByText('Released after the lawyer arrived; at home now.').waitFor();
      await consolePage.locator('table.alerts-resolved tbody tr').filter({ hasText: 'Ana Quispe' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("a ladder's warning leads to the colleague's channels; the safety section sets up check-ins, a link and PINs", async () => {
    const { context, page, errors } = await suite.open('/ladders');
    try {
      const warning = page.locator('.ladder-warnings li[data-problem="no_channel"]').filter({ hasText: 'lucia-reyes' });
      await warning.getByRole('link', { name: 'Set up their channels' }).click();
      await page.getByRole('heading', { level: 1, name: /Contact channels: .*lucia-reyes/ }).waitFor();
      await page.getByText('No channel yet: alerts cannot reach this person.').waitFor();

      // In Amparo needs no address; a webhook does, and goes first once moved up.
      await page.getByLabel('Kind').selectOption({ label: 'In Amparo' });
      assert.equal(await page.locator('#channel-new-address').count(), 0);
      await page.getByRole('button', { name: 'Add the channel' }).click();
      await page.getByRole('status').getByText('Channel added.').waitFor();
      await page.getByLabel('Kind').selectOption({ label: 'Webhook' });
      await page.getByRole('button', { name: 'Add the channel' }).click();
      await page.locator('#channel-new-address-error').getByText('Give the address.').waitFor();
      await page.getByLabel(/Webhook address/).fill('https://bridge.example.org/lucia');
      await page.getByRole('button', { name: 'Add the channel' }).click();
      const items = page.locator('ol.channel-list > li');
      await items.nth(1).getByText('https://bridge.example.org/lucia').waitFor();
      await page.getByRole('button', { name: 'Move up channel 2 (Webhook)' }).click();
      await page.getByRole('status').getByText('Order saved.').waitFor();
      await items.nth(0).getByText('https://bridge.example.org/lucia').waitFor();
      const stored = await suite.api<{ items: { kind: string; position: number }[] }>(
        'GET',
        `/channels?owner=${encodeURIComponent(`user:${colleague.account.id}`)}`,
      );
      assert.deepEqual(
        stored.items.sort((a, b) => a.position - b.position).map((channel) => channel.kind),
        ['webhook', 'in_app'],
      );
      const ladders = await suite.api<{
        ladders: { warnings: { problem: string; recipient: { id: string } | null }[] }[];
      }>('GET', '/ladders');
      assert.deepEqual(
        ladders.ladders[0]?.warnings.filter((w) => w.recipient?.id === colleague.account.id),
        [],
      );

      // The safety section of the defender's page.
      await page.goto(`${suite.base}/actors/${defender}`);
      const safety = page.locator('section[aria-labelledby="safety-title"]');
      await safety.getByText('No check-in running.').waitFor();
      const tomorrow = new Date(Date.now() + 24 * 3600_000);
      const local = (date: Date) =>
        new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      await safety.getByLabel(/^Back by/).fill(local(tomorrow));
      await safety.getByLabel(/^Note/).fill('Hearing at the court in Quibdó.');
      await safety.getByRole('button', { name: 'Start the check-in' }).click();
      const row = safety.locator('table.check-ins tbody tr');
      await row.getByText('Hearing at the court in Quibdó.').waitFor();
      assert.match((await row.textContent()) ?? '', /Once \(back by\).*30 minutes.*Running/);

      await safety.getByRole('button', { name: 'Issue a personal link and code' }).click();
      const secret = safety.locator('.notice-secret');
      await secret.getByText(/Hand them over in person/).waitFor();
      const [url, code] = await secret.locator('code').allTextContents();
      assert.match(url ?? '', /\/s\/[A-Za-z0-9_-]{20,}$/);
      assert.match(code ?? '', /^\d{8}$/);
      await secret.getByRole('button', { name: 'Done, hide them' }).click();
      await secret.waitFor({ state: 'detached' });
      await safety.getByText('A personal link and code are set up.').waitFor();
      assert.equal(await safety.getByText(url ?? '-').count(), 0);

      await safety.locator('#safety-pin').fill('4826');
      await safety.locator('#safety-duress-pin').fill('4826');
      await safety.getByRole('button', { name: 'Set the PINs' }).click();
      await safety.getByText('The duress PIN must differ from the check-in PIN.').waitFor();
      await safety.locator('#safety-duress-pin').fill('9173');
      await safety.getByRole('button', { name: 'Set the PINs' }).click();
      await page.getByRole('status').getByText('PINs set.').waitFor();
      await safety.getByText('Check-in PIN and duress PIN are set.').waitFor();

      await row.getByRole('button', { name: /^End/ }).click();
      await safety.getByText('No check-in running.').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the console, an alert and the ladders in Arabic, right to left, and axe finds no serious violation', async () => {
    assert.ok(alertId, 'the earlier test raised an alert');
    const ladders = await suite.api<{ ladders: { ladder: { id: string } }[] }>('GET', '/ladders');
    const ladderId = ladders.ladders[0]?.ladder.id;
    assert.ok(ladderId, 'the first test saved a ladder');
    const found: string[] = [];
    for (const language of ['ar', 'en'] as const) {
      const { context, page } = await suite.newPage({ language, bypassCSP: true });
      const check = async (state: string) => found.push(...(await scanWithAxe(page, `${language} ${state}`)));
      try {
        await page.goto(`${suite.base}/alerts`);
        assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr');
        await page.locator('table.alerts-resolved tbody tr').first().waitFor();
        await waitForLive(page, language === 'ar' ? 'التحديث المباشر: يعمل' : 'Live updates: on');
        await page.getByRole('button', { name: language === 'ar' ? 'إطلاق تنبيه…' : 'Raise an alert…' }).click();
        await page.locator('#raise-actor').waitFor();
        await check('console');
        if (language === 'ar') await shot(page, 'alerts-console-ar');

        await page.goto(`${suite.base}/alerts/${alertId}`);
        await page.locator('ol.alert-timeline li').first().waitFor();
        await page
          .locator('table.alert-deliveries, section[aria-labelledby="deliveries-title"] p.muted')
          .first()
          .waitFor();
        await check('alert');
        if (language === 'ar') {
          assert.match(plain(await page.locator('h1').textContent()), /^تنبيه: Ana Quispe$/);
          await shot(page, 'alerts-alert-ar');
        }

        await page.goto(`${suite.base}/ladders`);
        await page.locator('.ladder-warnings').first().waitFor();
        await check('ladders');

        await page.goto(`${suite.base}/ladders/${ladderId}`);
        await page.locator('fieldset.ladder-step').first().waitFor();
        await page.locator('#saved-warnings').waitFor();
        await check('ladder editor');
        if (language === 'ar') await shot(page, 'alerts-ladder-ar');

        await page.goto(`${suite.base}/channels?owner=${encodeURIComponent(`user:${colleague.account.id}`)}`);
        await page.locator('ol.channel-list > li').first().waitFor();
        await check('contact channels');

        await page.goto(`${suite.base}/channels`);
        await page.locator('section[aria-labelledby="duty-title"] form').waitFor();
        await check('own channels and duty roster');

        await page.goto(`${suite.base}/actors/${defender}`);
        await page.locator('section[aria-labelledby="safety-title"] ul.plain-list li').first().waitFor();
        await check('actor page with its safety section');
        if (language === 'ar') await shot(page, 'alerts-safety-ar');
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(found, []);
  });
});
