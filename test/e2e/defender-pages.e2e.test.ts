/**
 * The defender's pages in Chromium with JavaScript turned off, as on a phone that has none: the
 * personal link's page, an SOS with its one button, a check-in with the PIN and one with the duress
 * PIN (the same page on the screen, a silent alert behind it), in English and in Arabic (right to
 * left), and a long proposed measure read whole on its own page and agreed to. The HTTP suites
 * (test/http/defender-pages.test.ts, defender-help.test.ts) cover their weight, headers and refusals.
 *
 * Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Without Chromium the suite is skipped
 * locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CASE_TEXTS } from '../../src/http/defender-pages/case-texts.ts';
import { PAGE_TEXTS } from '../../src/http/defender-pages/texts.ts';
import { browserSuite, requireChromium, shot } from '../support/browser.ts';

const skip = requireChromium();
const PIN = '2580';
const DURESS_PIN = '1397';
const en = PAGE_TEXTS.en;
const ar = PAGE_TEXTS.ar;

interface AlertItem {
  actorId: string;
  source: string;
  silent: boolean;
}

describe("the defender's pages in Chromium without JavaScript", { skip }, () => {
  const suite = browserSuite();
  let actorId = '';
  let token = '';

  const alertsOfDefender = async (): Promise<AlertItem[]> =>
    (
      await suite.api<{ items: AlertItem[] }>('GET', '/alerts?status=open,acknowledged,resolved&limit=100')
    ).items.filter((alert) => alert.actorId === actorId);

  /** A fresh profile with JavaScript off and nobody signed in, on the defender's link. */
  const openLink = async (query = '') => {
    const opened = await suite.newPage({ user: null, javaScriptEnabled: false });
    await opened.page.goto(`${suite.base}/s/${token}${query}`);
    return opened;
  };

  before(async () => {
    actorId = (
      await suite.api<{ id: string }>('POST', '/actors', { kind: 'individual', profile: { name: 'Ana Quispe' } })
    ).id;
    const link = await suite.api<{ url: string }>('POST', `/actors/${actorId}/safety/link`);
    token = link.url.split('/s/')[1] as string;
    await suite.api('PUT', `/actors/${actorId}/safety/pins`, { pin: PIN, duressPin: DURESS_PIN });
    await suite.api('POST', `/actors/${actorId}/check-ins`, {
      kind: 'recurring',
      everyHours: 24,
      dueAt: null,
      graceMinutes: 60,
      note: null,
    });
  });

  test('an SOS goes out with its one button and the optional message', async () => {
    const { page, context, errors } = await openLink();
    await page.getByLabel(en.messageLabel).fill('Two men outside my house');
    await page.getByRole('button', { name: en.sosButton }).click();
    await page.getByText(en.sosSentTitle).waitFor();
    await shot(page, 'defender-sos-sent-no-js');
    const alerts = await alertsOfDefender();
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.source, 'sos');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the PIN and the duress PIN show the same page; only the duress PIN raises an alert, a silent one', async () => {
    const checkIn = async (pin: string) => {
      const { page, context } = await openLink();
      await page.getByLabel(en.pinLabel).fill(pin);
      await page.getByRole('button', { name: en.checkInButton, exact: true }).click();
      await page.getByText(/Checked in at/).waitFor();
      const shown = (await page.locator('body').innerText()).replace(/\d+/g, '#');
      await context.close();
      return shown;
    };
    const before = await alertsOfDefender();
    const normal = await checkIn(PIN);
    assert.deepEqual(await alertsOfDefender(), before, 'the PIN raises nothing');
    const duress = await checkIn(DURESS_PIN);
    assert.equal(duress, normal, 'the screen shows nothing different');
    const after = await alertsOfDefender();
    assert.equal(after.length, before.length + 1);
    assert.equal(after[0]?.source, 'duress');
    assert.equal(after[0]?.silent, true);
  });

  test('in Arabic the page runs right to left, and its SOS works', async () => {
    const { page, context } = await openLink('?lang=ar');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    const before = (await alertsOfDefender()).length;
    await page.getByRole('button', { name: ar.sosButton }).click();
    await page.getByText(ar.sosSentTitle).waitFor();
    assert.equal((await alertsOfDefender()).length, before + 1);
    await context.close();
  });

  test('a long proposal is read whole on its own page and agreed to there, in Arabic', async () => {
    const t = CASE_TEXTS.ar;
    const caseId = (
      await suite.api<{ id: string }>('POST', '/cases', {
        beneficiaryId: actorId,
        title: 'Relocation',
        priority: 'high',
      })
    ).id;
    const whole = `${'ينتقل الفريق إلى بيت آمن لمدة ثلاثة أشهر، مع مرافقة في كل تنقّل. '.repeat(12)}وهذا كل شيء.`;
    const measure = await suite.api<{ id: string }>('POST', `/cases/${caseId}/measures`, {
      kind: 'legal_aid',
      beneficiaryIds: [actorId],
      description: whole,
      details: { kind: 'legal_aid', lawyer: 'Colectivo de Abogados', matter: 'Complaint for the threats' },
    });
    const { page, context, errors } = await openLink('?lang=ar');
    assert.equal(await page.getByText('وهذا كل شيء.').count(), 0, 'only its start on the personal page');
    await shot(page, 'defender-long-proposal-ar');
    await page.getByRole('link', { name: t.readAndAnswer }).click();
    await page.getByText('وهذا كل شيء.').waitFor();
    await shot(page, 'defender-measure-page-ar');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await page.getByRole('button', { name: t.agree, exact: true }).click();
    await page.getByText(t.agreedTitle).waitFor();
    const agreed = await suite.api<{ measures: { id: string; status: string }[] }>('GET', `/cases/${caseId}`);
    assert.equal(agreed.measures.find((m) => m.id === measure.id)?.status, 'agreed');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
