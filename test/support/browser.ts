/**
 * What the browser suites share: a real Amparo (embedded database in memory) serving the built web UI
 * (dist/web, `npx vite build`) on a free local port, Chromium driven by playwright-core, fresh browser
 * profiles that collect page errors, screenshots for a person to look at, and an axe-core scan.
 *
 * Every page opens signed in as the suite's coordinator (a member of the suite's team) unless told
 * otherwise: its session cookie goes into the browser profile, as if it had signed in. `signIn`
 * goes through the sign-in page itself. Pages are served from http://localhost:<port>, an address
 * passkeys accept (an IP address is not a valid WebAuthn relying party).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { totpCodeAt } from '../../src/adapters/accounts/totp.ts';
import { type Amparo, createAmparo } from '../../src/app.ts';
import type { Role } from '../../src/core/access/roles.ts';
import type { Team } from '../../src/core/accounts/model.ts';
import { makeUser, type TestUser } from './accounts.ts';
import { chromiumPath, hasChromium, requireComponent } from './components.ts';

const SESSION_COOKIE = 'amparo_session';
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
  /** False for a browser with JavaScript turned off (the defender's pages work without it). */
  javaScriptEnabled?: boolean;
  colorScheme?: 'light' | 'dark';
  /** Lets a scan inject its own script, which the app's Content-Security-Policy rightly refuses. */
  bypassCSP?: boolean;
  /** Whose session the profile holds: the suite's coordinator unless given; null for nobody signed in. */
  user?: TestUser | null;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors; each test asserts that none occurred. */
  errors: string[];
}

export interface BrowserSuite {
  /** Where pages are opened, e.g. http://localhost:41234; set once the suite has started. */
  readonly base: string;
  /** The running Amparo, for making accounts and teams through its services. */
  readonly amparo: Amparo;
  /** The suite's team, and its coordinator: pages open, and `api` calls are made, as this person. */
  readonly team: Team;
  readonly user: TestUser;
  /** A fresh browser profile (en-US, 1200×900) and a page in it; close its context when done. */
  newPage(options?: PageOptions): Promise<OpenedPage>;
  /** `newPage`, then goes to `path`. */
  open(path: string, options?: PageOptions): Promise<OpenedPage>;
  /**
   * Calls the HTTP API (/api/v1) directly as the suite's coordinator (with its API token), asserts the
   * answer is a success, and returns its JSON.
   */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /**
   * `api`, as someone else: with their API token, or with their session (cookie and anti-forgery token)
   * for the routes that need a person signed in, such as managing accounts.
   */
  apiAs<T = Record<string, unknown>>(
    user: TestUser,
    method: string,
    path: string,
    body?: unknown,
    options?: { session?: boolean },
  ): Promise<T>;
  /** An account with a known password and authenticator secret, signed in (a session and an API token). */
  makeUser(role: Role, options?: { teamIds?: string[]; actorId?: string; username?: string }): Promise<TestUser>;
  makeTeam(name: string): Promise<Team>;
}

const SYSTEM = { principal: 'system:test', source: null };

/**
 * Called inside a `describe`: starts Amparo and Chromium before its tests (hooks registered later
 * run after this one), and closes both after them.
 */
export function browserSuite(): BrowserSuite {
  let amparo: Amparo | undefined;
  let browser: Browser | undefined;
  let base = '';
  /** The same server by IP address, for Node's own requests (no name to resolve). */
  let direct = '';
  let team: Team | undefined;
  let user: TestUser | undefined;

  const started = () => {
    assert.ok(amparo && team && user, 'suite not started');
    return { amparo, team, user };
  };

  before(async () => {
    if (!existsSync(`${WEB_ROOT}/index.html`)) {
      throw new Error(`${WEB_ROOT}/index.html is missing: build the web UI first with \`npx vite build\`.`);
    }
    amparo = await createAmparo(
      { dataDir: 'memory://', databaseUrl: undefined, webRoot: WEB_ROOT, logLevel: 'silent' },
      // Passkeys are bound to the address the browser uses, known once the port is.
      { publicUrl: () => base },
    );
    await amparo.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (amparo.app.server.address() as AddressInfo).port;
    base = `http://localhost:${port}`;
    direct = `http://127.0.0.1:${port}`;
    team = await amparo.accounts.createTeam('Suite team', SYSTEM);
    user = await makeUser(amparo.accounts, 'coordinator', { teamIds: [team.id], username: 'suite-coordinator' });
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

  async function newPage({ language, user: who, ...contextOptions }: PageOptions = {}): Promise<OpenedPage> {
    assert.ok(browser, 'browser not started');
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1200, height: 900 },
      ...contextOptions,
    });
    const signedIn = who === undefined ? started().user : who;
    if (signedIn) await addSession(context, base, signedIn);
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

  async function apiAs<T>(
    as: TestUser,
    method: string,
    path: string,
    body?: unknown,
    options: { session?: boolean } = {},
  ): Promise<T> {
    const response = await fetch(`${direct}/api/v1${path}`, {
      method,
      headers: {
        ...(options.session ? as.headers : as.bearer),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${await response.clone().text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  return {
    get base() {
      return base;
    },
    get amparo() {
      return started().amparo;
    },
    get team() {
      return started().team;
    },
    get user() {
      return started().user;
    },
    newPage,
    async open(path, options) {
      const opened = await newPage(options);
      await opened.page.goto(base + path);
      return opened;
    },
    api: <T>(method: string, path: string, body?: unknown) => apiAs<T>(started().user, method, path, body),
    apiAs,
    makeUser: (role, options = {}) => makeUser(started().amparo.accounts, role, options),
    makeTeam: (name) => started().amparo.accounts.createTeam(name, SYSTEM),
  };
}

/** Puts a person's session cookie in a browser profile, as signing in would have. */
export async function addSession(context: BrowserContext, base: string, user: TestUser): Promise<void> {
  await context.addCookies([
    { name: SESSION_COOKIE, value: user.session, url: base, httpOnly: true, secure: true, sameSite: 'Strict' },
  ]);
}

/**
 * TOTP time steps already used per secret: the server refuses a step not later than the last one
 * the account used (so a code cannot be replayed), and accepts one step either side of now.
 */
const usedSteps = new Map<string, number>();
const STEP_MS = 30_000;

/**
 * A code the server will accept for `secret` now: the earliest step after the last one used that it
 * still accepts, waiting for the clock when every acceptable step is spent. A secret this module has
 * not seen is taken to have used the current step (as `makeUser`'s enrolment does).
 */
export async function nextTotpCode(secret: string): Promise<string> {
  const current = Math.floor(Date.now() / STEP_MS);
  const step = Math.max(current - 1, (usedSteps.get(secret) ?? current) + 1);
  if (step > current + 1) await new Promise((done) => setTimeout(done, (step - 1) * STEP_MS - Date.now() + 250));
  usedSteps.set(secret, step);
  return totpCodeAt(secret, new Date(step * STEP_MS));
}

/** Marks the step of a code just confirmed (e.g. at enrolment through the page) as used. */
export function totpStepUsed(secret: string, date = new Date()): void {
  usedSteps.set(secret, Math.max(usedSteps.get(secret) ?? 0, Math.floor(date.getTime() / STEP_MS)));
}

/** Signs in through the sign-in page with a password and an authenticator code; returns once the app shows. */
export async function signIn(page: Page, username: string, password: string, totpSecret: string): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/login')) {
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  }
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
  await page.getByLabel('6-digit code').fill(await nextTotpCode(totpSecret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
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
