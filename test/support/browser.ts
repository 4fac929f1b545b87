/**
 * What the browser suites share: a real Amparo (embedded database in memory) serving the built web UI
 * (dist/web, `npx vite build`) on a free local port, Chromium driven by playwright-core, fresh browser
 * profiles that collect page errors, screenshots for a person to look at, and an axe-core scan.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Amparo } from '../../src/app.ts';
import { chromiumPath, hasChromium, inMemoryAmparo, requireComponent } from './components.ts';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const SHOTS = '/tmp/amparo-e2e';
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The `skip` value of a browser suite: false with Chromium, else the reason (or throws in CI). */
export const requireChromium = (): false | string =>
  requireComponent(hasChromium, `Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);

export interface PageOptions {
  /** The interface language, chosen the way the UI remembers it (localStorage); without it, localStorage is empty. */
  language?: 'en' | 'ar';
  timezoneId?: string;
  colorScheme?: 'light' | 'dark';
  /** Lets a scan inject its own script, which the app's Content-Security-Policy rightly refuses. */
  bypassCSP?: boolean;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors; each test asserts that none occurred. */
  errors: string[];
}

export interface BrowserSuite {
  /** Where Amparo listens, e.g. http://127.0.0.1:41234; set once the suite has started. */
  readonly base: string;
  /** A fresh browser profile (en-US, 1200×900) and a page in it; close its context when done. */
  newPage(options?: PageOptions): Promise<OpenedPage>;
  /** `newPage`, then goes to `path`. */
  open(path: string, options?: PageOptions): Promise<OpenedPage>;
  /** Calls the HTTP API (/api/v1) directly, asserts the answer is a success, and returns its JSON. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * Called inside a `describe`: starts Amparo and Chromium before its tests (hooks registered later
 * run after this one), and closes both after them.
 */
export function browserSuite(): BrowserSuite {
  let amparo: Amparo | undefined;
  let browser: Browser | undefined;
  let base = '';

  before(async () => {
    if (!existsSync(`${WEB_ROOT}/index.html`)) {
      throw new Error(`${WEB_ROOT}/index.html is missing: build the web UI first with \`npx vite build\`.`);
    }
    amparo = await inMemoryAmparo(WEB_ROOT);
    await amparo.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(amparo.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
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
  });

  after(async () => {
    await browser?.close();
    await amparo?.close();
  });

  async function newPage({ language, ...contextOptions }: PageOptions = {}): Promise<OpenedPage> {
    assert.ok(browser, 'browser not started');
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1200, height: 900 },
      ...contextOptions,
    });
    if (language) {
      await context.addInitScript((chosen) => window.localStorage.setItem('amparo.language', chosen), language);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Console errors catch, e.g., Content-Security-Policy violations; refused requests are expected in some tests.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(message.text());
    });
    return { context, page, errors };
  }

  return {
    get base() {
      return base;
    },
    newPage,
    async open(path, options) {
      const opened = await newPage(options);
      await opened.page.goto(base + path);
      return opened;
    },
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
      return (await response.json()) as T;
    },
  };
}

/** A full-page screenshot, for a person to look at, at /tmp/amparo-e2e/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Runs axe on the page as it is now; returns one line per serious or critical violation, selectors only. */
export async function scanWithAxe(page: Page, state: string): Promise<string[]> {
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
