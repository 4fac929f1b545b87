/**
 * Accessibility of the web UI in a real browser, against a real Amparo (embedded database in memory):
 * an axe-core scan (WCAG 2.1 A and AA rules) of every page and state a person meets, in English and
 * in Arabic (right to left), and a keyboard walk of an actor page: every control is reached with Tab
 * and shows where the focus is.
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Amparo } from '../../src/app.ts';
import { chromiumPath as CHROMIUM, hasChromium, inMemoryAmparo, requireComponent } from '../support/components.ts';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const skip = requireComponent(hasChromium, `Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

type Language = 'en' | 'ar';
type Api = (method: string, path: string, body?: unknown) => Promise<{ id: string; version: number }>;

describe('web UI accessibility', { skip }, () => {
  let amparo: Amparo | undefined;
  let browser: Browser | undefined;
  let base = '';
  const ids = { collective: '', individual: '' };

  const api: Api = async (method, path, body) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
    return (await response.json()) as { id: string; version: number };
  };

  before(async () => {
    if (!existsSync(`${WEB_ROOT}/index.html`)) {
      throw new Error(`${WEB_ROOT}/index.html is missing: build the web UI first with \`npx vite build\`.`);
    }
    amparo = await inMemoryAmparo(WEB_ROOT);
    await amparo.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(amparo.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });

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
  });

  after(async () => {
    await browser?.close();
    await amparo?.close();
  });

  /** A fresh profile in the given interface language, chosen the way the UI remembers it (localStorage). */
  async function openContext(
    language: Language,
    options: { bypassCSP?: boolean; colorScheme?: 'light' | 'dark' } = {},
  ): Promise<BrowserContext> {
    assert.ok(browser, 'browser not started');
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US', ...options });
    await context.addInitScript((chosen) => window.localStorage.setItem('amparo.language', chosen), language);
    return context;
  }

  /** Runs axe on the page as it is now; returns one line per serious or critical violation, selectors only. */
  async function scan(page: Page, state: string): Promise<string[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
    const violations = await page.evaluate(async (tags) => {
      const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResults> } }).axe;
      const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.map((node) => node.target.join(' ')),
        }));
    }, WCAG_TAGS);
    return violations.map((v) => `${state}: ${v.id} [${v.impact}] ${v.help} → ${v.targets.join(' | ')}`);
  }

  async function scanEveryPage(language: Language, colorScheme: 'light' | 'dark'): Promise<string[]> {
    // The scan needs to inject its own script, which the app's Content-Security-Policy rightly refuses;
    // only this scan's context bypasses it. The app itself runs with the CSP in every other test.
    const context = await openContext(language, { bypassCSP: true, colorScheme });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const found: string[] = [];
    const visit = async (path: string, ready: string) => {
      await page.goto(base + path);
      assert.equal(await page.locator('html').getAttribute('lang'), language);
      await page.locator(ready).first().waitFor();
    };
    const check = async (state: string) => found.push(...(await scan(page, `${language}/${colorScheme} ${state}`)));
    try {
      await visit('/', 'section[aria-busy="false"] table.results a[href^="/actors/"]');
      await check('registry list');

      for (const [name, id] of Object.entries(ids)) {
        await visit(`/actors/${id}`, 'section[aria-labelledby="circle-title"][aria-busy="false"] .circle-list a');
        await page.locator('table.ties tbody tr').first().waitFor();
        await check(`actor page (${name})`);
      }

      await page.locator('button[aria-controls="erase-panel"]').click();
      await page.locator('#erase-panel').waitFor();
      await check('erase panel');
      await page.locator('#erase-panel .button-danger').click();
      await page.locator('#erase-reason-error').waitFor();
      await check('erase panel with errors');

      await visit('/actors/new', '#f-name');
      await check('new actor form');
      await page.locator('#f-name').fill('x'.repeat(201));
      await page.locator('#f-languages').fill('es, not a tag!');
      await page.locator('.form-actions button[type="submit"]').click();
      await page.locator('.error-summary').waitFor();
      await page.locator('#f-languages-error').waitFor();
      await check('new actor form after a failed submit');

      await visit(`/actors/${ids.individual}/edit`, '#f-name');
      await page.waitForFunction(() => (document.getElementById('f-name') as HTMLInputElement | null)?.value !== '');
      await check('edit form');

      await visit('/vocabularies', 'section[aria-labelledby="vocab-actor_type"] table');
      await check('vocabularies');
    } finally {
      await context.close();
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
      const violations = await scanEveryPage(language, scheme);
      assert.deepEqual(violations, [], `accessibility violations:\n${violations.join('\n')}`);
    });
  }

  test('keyboard: Tab reaches every control of an actor page, each with a visible focus indicator', async () => {
    const context = await openContext('en');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      await page.goto(`${base}/actors/${ids.collective}`);
      await page.locator('section[aria-labelledby="circle-title"][aria-busy="false"] .circle-list a').first().waitFor();
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
