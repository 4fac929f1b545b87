/**
 * Signing in and record-level access in a real browser, against a real Amparo (embedded database in
 * memory): a new case worker's first sign-in (password, forced authenticator enrolment, recovery
 * codes) and the registry limited to the team's records; an administrator's emergency access
 * ("break-glass") to a record outside every scope, audited and notified; passkeys through
 * Chromium's virtual authenticator; the sign-in messages; and an axe-core scan of the sign-in and
 * enrolment pages in English and Arabic.
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 * Screenshots go to /tmp/amparo-e2e for a person to look at.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CDPSession, Page } from 'playwright-core';
import { totpCodeAt } from '../../src/adapters/accounts/totp.ts';
import type { Team } from '../../src/core/accounts/model.ts';
import { TEST_PASSWORD, type TestUser } from '../support/accounts.ts';
import {
  browserSuite,
  nextTotpCode,
  requireChromium,
  scanWithAxe,
  shot,
  signIn,
  totpStepUsed,
} from '../support/browser.ts';

const skip = requireChromium();

const NAME_A = 'Rosa Quispe';
const NAME_B = 'Tomás Huanca';
const SYSTEM = { principal: 'system:test', source: null };
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('signing in and record access in the web UI', { skip }, () => {
  const suite = browserSuite();
  const teams: { a?: Team; b?: Team } = {};
  const people: { admin?: TestUser; coordinatorA?: TestUser; coordinatorB?: TestUser } = {};
  const actors = { a: '', b: '' };

  // Runs after the suite's own start-up hook, registered above.
  before(async () => {
    teams.a = await suite.makeTeam('Team A');
    teams.b = await suite.makeTeam('Team B');
    people.admin = await suite.makeUser('administrator', { username: 'admin' });
    people.coordinatorA = await suite.makeUser('coordinator', { teamIds: [teams.a.id], username: 'coord-a' });
    people.coordinatorB = await suite.makeUser('coordinator', { teamIds: [teams.b.id], username: 'coord-b' });
    const a = await suite.apiAs<{ id: string }>(people.coordinatorA, 'POST', '/actors', {
      kind: 'individual',
      profile: { name: NAME_A },
      teamIds: [teams.a.id],
    });
    const b = await suite.apiAs<{ id: string }>(people.coordinatorB, 'POST', '/actors', {
      kind: 'individual',
      profile: { name: NAME_B },
      teamIds: [teams.b.id],
    });
    actors.a = a.id;
    actors.b = b.id;
  });

  const need = <T>(value: T | undefined): T => {
    assert.ok(value, 'set up in before()');
    return value;
  };

  /** An account as an administrator creates it: a generated one-time password, no second factor yet. */
  async function createdByAdmin(username: string, teamIds: string[]): Promise<{ id: string; password: string }> {
    const created = await suite.apiAs<{ account: { id: string }; password: string }>(
      need(people.admin),
      'POST',
      '/accounts',
      { username, role: 'case_worker', teamIds },
      { session: true },
    );
    assert.equal(typeof created.password, 'string');
    return { id: created.account.id, password: created.password };
  }

  /** The authenticator key as the enrolment page shows it (grouped in fours). */
  const shownSecret = async (page: Page) =>
    ((await page.locator('.secret-value').first().textContent()) ?? '').replace(/\s+/g, '');

  test('a new case worker enrols an authenticator at first sign-in and sees only team A’s records', async () => {
    const { id: userId, password } = await createdByAdmin('maria.case', [need(teams.a).id]);
    // Opening a record without a session leads to sign-in, and back to the record afterwards.
    const { context, page, errors } = await suite.open(`/actors/${actors.a}`, { user: null });
    try {
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(new URL(page.url()).searchParams.get('next'), `/actors/${actors.a}`);
      assert.equal(await page.title(), 'Sign in · Amparo');
      // Nobody is signed in: no navigation yet, only the language.
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
      await page.getByLabel('Language').waitFor();

      await page.getByLabel('Username').fill('maria.case');
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('Wrong username or password.').waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'login-password');

      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Set up a second factor' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'login-title');
      const qr = page.getByRole('img', { name: 'QR code to add Amparo to an authenticator app' });
      await qr.waitFor();
      assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
      const secret = await shownSecret(page);
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      await shot(page, 'enrol-en');

      // A mistyped code is refused next to the field; the right one completes the sign-in.
      await page.getByLabel('6-digit code').fill('12345');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.locator('#enrol-totp-code-error').getByText('Enter the 6 digits the app shows.').waitFor();
      await page.getByLabel('6-digit code').fill(await totpCodeAt(secret, new Date()));
      totpStepUsed(secret);
      await page.getByRole('button', { name: 'Confirm' }).click();

      await page.getByRole('heading', { level: 1, name: 'Save your recovery codes' }).waitFor();
      const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      await page.getByText('These codes will not be shown again.').waitFor();
      await shot(page, 'recovery-codes-en');
      await page.getByRole('button', { name: 'I have saved them – continue' }).click();

      // Back to the record that was asked for, signed in.
      await page.waitForURL(`${suite.base}/actors/${actors.a}`);
      await page.getByRole('heading', { level: 1, name: NAME_A }).waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      await page.getByText('Signed in as maria.case').waitFor();
      // A case worker has no sharing, audit or administration to reach.
      assert.equal(await page.getByRole('region', { name: 'Sharing' }).count(), 0);
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.deepEqual(await nav.getByRole('link').allTextContents(), [
        'Registry',
        'New actor',
        'Incidents',
        'Cases',
        'Alerts',
        'Notifications',
        'My channels',
      ]);

      await nav.getByRole('link', { name: 'Registry' }).click();
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      const results = page.locator('table.results');
      await results.getByRole('link', { name: NAME_A }).waitFor();
      const names = await results.locator('tbody a[href^="/actors/"]').allTextContents();
      assert.deepEqual(names, [NAME_A], 'only team A’s record is listed');
      await shot(page, 'registry-team-a');

      // Team B's record is not there for the case worker, even by its address.
      await page.goto(`${suite.base}/actors/${actors.b}`);
      await page.getByRole('heading', { level: 1, name: 'No access to this record' }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Emergency access (break-glass)' }).count(), 0);

      // Signed out, then in again with the password and a code from the enrolled authenticator.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page, 'maria.case', password, secret);
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      const again = await page.locator('table.results tbody a[href^="/actors/"]').allTextContents();
      assert.deepEqual(again, [NAME_A], 'still only team A’s record after signing in with the code');

      const account = await suite.amparo.accounts.getAccount(userId);
      assert.equal(account.secondFactor.totp, true);
      assert.equal(account.secondFactor.recoveryCodesLeft, 10);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('an administrator uses break-glass to open team B’s record: audited, and team B’s coordinator is notified', async () => {
    const admin = need(people.admin);
    const { context, page, errors } = await suite.open(`/actors/${actors.b}`, { user: admin });
    try {
      await page.getByRole('heading', { level: 1, name: 'No access to this record' }).waitFor();
      await page.getByRole('alert').getByText('This record is not shared with you.', { exact: false }).waitFor();
      const form = page.getByRole('region', { name: 'Emergency access (break-glass)' });
      await form.getByText('for 60 minutes', { exact: false }).waitFor();
      await shot(page, 'break-glass-en');

      // A reason is required, and must say something.
      await form.getByLabel('Reason').fill('urgent');
      await form.getByRole('button', { name: 'Open this record in an emergency' }).click();
      await form.getByText('Write a reason of at least 10 characters.').waitFor();
      assert.equal(await form.getByLabel('Reason').getAttribute('aria-invalid'), 'true');

      await form.getByLabel('Reason').fill('Arrest reported tonight; her coordinator cannot be reached.');
      await form.getByRole('button', { name: 'Open this record in an emergency' }).click();
      await page.getByRole('heading', { level: 1, name: NAME_B }).waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      await page.getByText('You opened this record with emergency access.', { exact: false }).waitFor();
      await page.getByRole('status').getByText('Emergency access granted for 60 minutes.', { exact: false }).waitFor();
      await shot(page, 'break-glass-open-en');

      // The trail shows the break-glass on this record.
      await page.getByRole('link', { name: 'Audit trail for this record' }).click();
      await page.waitForURL(`${suite.base}/audit?recordId=${actors.b}`);
      const trail = page.getByRole('table', { name: 'Audit trail entries, newest first' });
      const entry = trail.getByRole('row').filter({ hasText: 'Emergency access (break-glass)' });
      await entry.waitFor();
      // Who: the administrator by username, the id at hand in the tooltip.
      const who = entry.getByRole('cell').nth(2);
      assert.equal(await who.textContent(), 'admin');
      assert.equal(await who.locator('bdi').getAttribute('title'), `user:${admin.account.id}`);
      // The reason is written for colleagues, never copied into the trail.
      assert.ok(!((await page.locator('main').textContent()) ?? '').includes('Arrest reported'));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // Team B's coordinator is told (the navigation counts it), and sees the grant (with its reason) in the record's sharing.
    const coordinatorB = need(people.coordinatorB);
    const coordinator = await suite.open('/', { user: coordinatorB });
    try {
      const { page } = coordinator;
      const nav = page.getByRole('navigation', { name: 'Main' });
      const notifications = nav.getByRole('link', { name: /^Notifications/ });
      await nav.getByRole('link', { name: 'Notifications, 1 unread', exact: true }).waitFor();
      assert.equal(await notifications.locator('.nav-count').textContent(), '1');
      await notifications.click();
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      const item = page.locator('.notification').filter({ hasText: 'Emergency access used' }).first();
      await item.waitFor();
      await item.getByText('admin used emergency access to open', { exact: false }).waitFor();
      await page.getByText('1 unread.').waitFor();
      await shot(page, 'notifications-unread-en');
      await item.getByRole('button', { name: 'Mark as read' }).click();
      await page.getByRole('status').getByText('Marked as read.').waitFor();
      await page.getByText('0 unread.').waitFor();
      // The count goes once nothing is unread.
      await nav.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
      assert.equal(await notifications.locator('.nav-count').count(), 0);

      // Another emergency access while the page is open: the count comes back with the next page.
      const other = await suite.apiAs<{ id: string }>(coordinatorB, 'POST', '/actors', {
        kind: 'individual',
        profile: { name: 'Second record of team B' },
      });
      await suite.apiAs(
        admin,
        'POST',
        '/break-glass',
        { recordType: 'actor', recordId: other.id, reason: 'Checking the notification count.' },
        { session: true },
      );
      await item.getByRole('link', { name: /^Actor / }).click();
      await page.getByRole('heading', { level: 1, name: NAME_B }).waitFor();
      await nav.getByRole('link', { name: 'Notifications, 1 unread', exact: true }).waitFor();
      const grants = page.getByRole('region', { name: 'Sharing' }).getByRole('table');
      const row = grants.getByRole('row').filter({ hasText: 'Emergency access' });
      await row.getByText('Arrest reported tonight', { exact: false }).waitFor();
      await row.getByRole('rowheader', { name: 'admin' }).waitFor();
      assert.deepEqual(coordinator.errors, []);
    } finally {
      await coordinator.context.close();
    }
  });

  /** A virtual platform authenticator (user verification included) in this page's browser. */
  async function virtualAuthenticator(page: Page): Promise<CDPSession> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return cdp;
  }

  test('passkeys: added on the security page, then used to sign in; or set up instead of an app at first sign-in', async () => {
    const worker = await suite.makeUser('case_worker', { teamIds: [need(teams.a).id], username: 'pablo.passkey' });
    const { context, page, errors } = await suite.open('/', { user: worker });
    try {
      await virtualAuthenticator(page);
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      await page.getByRole('link', { name: 'Account security' }).click();
      await page.getByRole('heading', { level: 1, name: 'Account security' }).waitFor();
      const factor = page.getByRole('region', { name: 'Second factor' });
      await factor.getByText('No passkeys yet.').waitFor();
      await factor.getByLabel('Name for this passkey').fill('Work laptop');
      await factor.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByRole('status').getByText('Passkey added.').waitFor();
      await factor.getByRole('rowheader', { name: 'Work laptop' }).waitFor();
      await shot(page, 'security-en');

      // Signed out, then in again: password, then the passkey instead of a code.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByLabel('Username').fill(worker.username);
      await page.getByLabel('Password').fill(worker.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      await page.getByText(`Signed in as ${worker.username}`).waitFor();
      const passkeys = await suite.amparo.accounts.listPasskeys(worker.account.id);
      assert.equal(passkeys.length, 1);
      assert.notEqual(passkeys[0]?.lastUsedAt, null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // A new account may enrol a passkey instead of an authenticator app; its recovery codes come with it.
    const { account } = await suite.amparo.accounts.createAccount(
      { username: 'lena.passkey', role: 'case_worker', password: TEST_PASSWORD, teamIds: [need(teams.a).id] },
      SYSTEM,
    );
    const fresh = await suite.open('/login', { user: null });
    try {
      const { page } = fresh;
      await virtualAuthenticator(page);
      await page.getByLabel('Username').fill('lena.passkey');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Set up a second factor' }).waitFor();
      const passkey = page.getByRole('region', { name: 'Or use a passkey' });
      await passkey.getByLabel('Name for this passkey').fill('Phone');
      await passkey.getByRole('button', { name: 'Set up a passkey instead' }).click();
      await page.getByRole('heading', { level: 1, name: 'Save your recovery codes' }).waitFor();
      assert.equal(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count(), 10);
      await page.getByRole('button', { name: 'I have saved them – continue' }).click();
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      const view = await suite.amparo.accounts.getAccount(account.id);
      assert.equal(view.secondFactor.totp, false);
      assert.equal(view.secondFactor.passkeys, 1);
      assert.deepEqual(fresh.errors, []);
    } finally {
      await fresh.context.close();
    }
  });

  test('sign-in messages: a second factor by code or recovery code; waiting and locked accounts are told how long', async () => {
    const worker = await suite.makeUser('case_worker', { teamIds: [need(teams.a).id] });
    const { context, page, errors } = await suite.open('/login', { user: null });
    try {
      // The server's answers to too many attempts, as it sends them.
      await page.route('**/api/v1/auth/login', (route) =>
        route.fulfill({
          status: 429,
          contentType: 'application/json',
          headers: { 'retry-after': '30' },
          body: JSON.stringify({ error: { code: 'throttled', message: 'Too many attempts.', retryAfterSeconds: 30 } }),
        }),
      );
      await page.getByLabel('Username').fill(worker.username);
      await page.getByLabel('Password').fill(worker.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('Too many attempts: wait 30 seconds and try again.').waitFor();
      await page.unroute('**/api/v1/auth/login');
      await page.route('**/api/v1/auth/login', (route) =>
        route.fulfill({
          status: 423,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'locked', message: 'Locked.', retryAfterSeconds: 900 } }),
        }),
      );
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .getByRole('alert')
        .getByText('This account is locked for 15 minutes; an administrator can unlock it.')
        .waitFor();
      await page.unroute('**/api/v1/auth/login');

      // Empty fields are named before anything is sent.
      await page.getByLabel('Password').fill('');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#login-password-error').getByText('Enter your password.').waitFor();

      await page.getByLabel('Password').fill(worker.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
      await page.getByLabel('6-digit code').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').getByText('That code did not work.', { exact: false }).waitFor();

      await page.getByRole('button', { name: 'Use a recovery code' }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'login-recovery');
      await page.getByLabel('Recovery code').fill(worker.recoveryCodes[0] ?? '');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      const view = await suite.amparo.accounts.getAccount(worker.account.id);
      assert.equal(view.secondFactor.recoveryCodesLeft, 9);

      // Signing out ends the session; the sign-in page comes back, and with the password and a code it opens again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.goto(`${suite.base}/`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await signIn(page, worker.username, worker.password, worker.totpSecret ?? '');
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('administrators create accounts (one-time password shown once), manage them, and make teams', async () => {
    const admin = need(people.admin);
    const { context, page, errors } = await suite.open('/users', { user: admin });
    try {
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      const create = page.getByRole('region', { name: 'Create an account' });
      await create.getByLabel('Username').fill('Not Valid!');
      await create.getByRole('button', { name: 'Create account' }).click();
      await create.locator('#new-username-error').waitFor();
      await create.locator('#new-role-error').waitFor();
      await create.getByLabel('Username').fill('jorge.new');
      await create.getByLabel('Role').selectOption({ label: 'Case worker' });
      await create.getByRole('checkbox', { name: 'Team A' }).check();
      await create.getByRole('button', { name: 'Create account' }).click();
      await create.getByText('Account “jorge.new” created. Its one-time password:').waitFor();
      const password = ((await create.locator('.secret-value').textContent()) ?? '').trim();
      assert.ok(password.length >= 12, 'a generated password is shown');
      await shot(page, 'users-en');

      const accounts = page.getByRole('region', { name: 'Accounts' });
      const row = accounts.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'jorge.new' }) });
      await row.getByText('Team A').waitFor();
      await row.getByRole('button', { name: 'Manage jorge.new' }).click();
      const panel = page.getByRole('region', { name: 'Manage jorge.new' });
      await page.waitForFunction(() => document.activeElement?.id === 'manage-title');
      await panel.getByLabel('Role', { exact: true }).selectOption({ label: 'Coordinator' });
      await panel.getByRole('button', { name: 'Save role' }).click();
      await page.getByRole('status').getByText('jorge.new is now: Coordinator.').waitFor();
      await row.getByText('Coordinator').waitFor();
      page.once('dialog', (dialog) => void dialog.accept());
      await panel.getByRole('button', { name: 'Disable account' }).click();
      await page.getByRole('status').getByText('jorge.new disabled.').waitFor();
      await row.getByText('Disabled').waitFor();

      // The password handed over does not open a disabled account.
      const tryIt = await suite.newPage({ user: null });
      try {
        await tryIt.page.goto(`${suite.base}/login`);
        await tryIt.page.getByLabel('Username').fill('jorge.new');
        await tryIt.page.getByLabel('Password').fill(password);
        await tryIt.page.getByRole('button', { name: 'Sign in' }).click();
        await tryIt.page.getByRole('alert').getByText('Wrong username or password.').waitFor();
      } finally {
        await tryIt.context.close();
      }

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
      await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
      await page.getByLabel('Name').fill('Team C');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('status').getByText('Team “Team C” created.').waitFor();
      await page.getByRole('button', { name: 'Choose members (Team C)' }).click();
      const members = page.getByRole('group', { name: 'Members of Team C' });
      await members.getByRole('checkbox', { name: /coord-a/ }).check();
      await page.getByRole('button', { name: 'Save members' }).click();
      await page.getByRole('status').getByText('Members of “Team C” saved.').waitFor();
      await page.getByText('1 member: coord-a').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('API tokens are created on the security page, shown once, and revoked', async () => {
    const worker = await suite.makeUser('case_worker', { teamIds: [need(teams.a).id] });
    const { context, page, errors } = await suite.open('/security', { user: worker });
    try {
      const tokens = page.getByRole('region', { name: 'API tokens' });
      await tokens.getByRole('rowheader', { name: 'tests' }).waitFor();
      await tokens.getByRole('button', { name: 'Create token' }).click();
      await tokens.locator('#token-name-error').getByText('Give the token a name.').waitFor();
      await tokens.getByRole('textbox', { name: 'Name (required)' }).fill('Nightly report');
      await tokens.getByRole('checkbox', { name: 'Read records' }).check();
      await tokens.getByRole('button', { name: 'Create token' }).click();
      await tokens.getByText('Token “Nightly report” created').waitFor();
      const token = ((await tokens.locator('.secret-value').textContent()) ?? '').trim();
      const direct = suite.base.replace('localhost', '127.0.0.1');
      const listed = await fetch(`${direct}/api/v1/actors`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(listed.status, 200, 'the new token reads records');
      const written = await fetch(`${direct}/api/v1/actors`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'individual', profile: {} }),
      });
      assert.equal(written.status, 403, 'but only within its scope');

      await tokens.getByRole('button', { name: 'Revoke Nightly report' }).click();
      await page.getByRole('status').getByText('Token “Nightly report” revoked.').waitFor();
      const row = tokens.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Nightly report' }) });
      await row.getByText('Revoked').waitFor();
      const refused = await fetch(`${direct}/api/v1/actors`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(refused.status, 401);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('axe finds no serious or critical WCAG 2.1 AA violation on the sign-in and enrolment pages (English and Arabic)', async () => {
    const found: string[] = [];
    for (const language of ['en', 'ar'] as const) {
      const newcomer = `axe-${language}`;
      await suite.amparo.accounts.createAccount(
        { username: newcomer, role: 'case_worker', password: TEST_PASSWORD, teamIds: [need(teams.a).id] },
        SYSTEM,
      );
      const enrolled = await suite.makeUser('case_worker', { teamIds: [need(teams.a).id] });
      // The scan injects its own script, which the app's Content-Security-Policy rightly refuses.
      const { context, page } = await suite.open('/login', { user: null, language, bypassCSP: true });
      const check = async (state: string) => found.push(...(await scanWithAxe(page, `${language} ${state}`)));
      try {
        await page.locator('#login-username').waitFor();
        assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr');
        await check('sign-in');
        await page.locator('form button[type="submit"]').click();
        await page.locator('#login-password-error').waitFor();
        await check('sign-in with errors');
        await page.locator('#login-username').fill(newcomer);
        await page.locator('#login-password').fill('wrong password, sorry');
        await page.locator('form button[type="submit"]').click();
        await page.locator('[role="alert"]').waitFor();
        await check('wrong password');

        await page.locator('#login-password').fill(TEST_PASSWORD);
        await page.locator('form button[type="submit"]').click();
        await page.locator('img.qr').waitFor();
        await check('enrolment');
        if (language === 'ar') await shot(page, 'enrol-ar');
        const secret = await shownSecret(page);
        await page.locator('#enrol-totp-code').fill(await totpCodeAt(secret, new Date()));
        await page.locator('#enrol-totp-code').press('Enter');
        await page.locator('.recovery-codes').waitFor();
        await check('recovery codes');
        await page.locator('.form-actions button').click();
        await page.waitForURL((url) => url.pathname === '/');

        await context.clearCookies();
        await page.goto(`${suite.base}/login`);
        await page.locator('#login-username').fill(enrolled.username);
        await page.locator('#login-password').fill(enrolled.password);
        await page.locator('form button[type="submit"]').click();
        await page.locator('#login-code').waitFor();
        await check('second factor');
        await page.locator('#login-code').fill(await nextTotpCode(enrolled.totpSecret ?? ''));
        await page.locator('#login-code').press('Enter');
        await page.waitForURL((url) => url.pathname === '/');
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
  });

  test('the sign-in page speaks Arabic right to left', async () => {
    const { context, page, errors } = await suite.open('/login', { user: null, language: 'ar' });
    try {
      await page.getByRole('heading', { level: 1, name: 'تسجيل الدخول' }).waitFor();
      assert.equal(await page.title(), 'تسجيل الدخول · Amparo');
      await page.getByLabel('اسم المستخدم').fill('nobody-here');
      await page.getByLabel('كلمة المرور').fill('a wrong password');
      await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
      await page.getByRole('alert').getByText('اسم المستخدم أو كلمة المرور غير صحيحة.').waitFor();
      // Usernames and passwords are Latin text: their fields stay left to right inside the right-to-left page.
      assert.equal(await page.getByLabel('اسم المستخدم').getAttribute('dir'), 'ltr');
      await shot(page, 'login-ar');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('no page opens without a session, and an expired session returns to the page after signing in again', async () => {
    const worker = await suite.makeUser('case_worker', { teamIds: [need(teams.a).id] });
    const { context, page, errors } = await suite.open(`/actors/${actors.a}`, { user: worker });
    try {
      await page.getByRole('heading', { level: 1, name: NAME_A }).waitFor();
      // The page has finished loading (its timeline last), so no request of its own meets the ended session.
      await page.locator('section[aria-labelledby="timeline-title"][aria-busy="false"]').waitFor();
      // The session ends elsewhere (an administrator logs the account out everywhere).
      await suite.apiAs(need(people.admin), 'POST', `/accounts/${worker.account.id}/logout-everywhere`, undefined, {
        session: true,
      });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.match(page.url(), /\/login\?next=%2F$|\/login$/);
      await signIn(page, worker.username, worker.password, worker.totpSecret ?? '');
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      assert.match(page.url(), new RegExp(`^${suite.base}/(actors)?$`));
      await page.getByRole('table').getByRole('link', { name: NAME_A }).click();
      await page.waitForURL(new RegExp(`/actors/${UUID}$`));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
  test('an analyst sees counts across teams, without names; counts under 3 are withheld', async () => {
    const coordinator = need(people.coordinatorA);
    for (const name of ['Ana', 'Berta', 'Carla']) {
      await suite.apiAs(coordinator, 'POST', '/actors', { kind: 'individual', profile: { name, country: 'CO' } });
    }
    await suite.apiAs(coordinator, 'POST', '/actors', { kind: 'individual', profile: { name: 'Dora', country: 'PE' } });
    const analyst = await suite.makeUser('analyst');
    const { context, page, errors } = await suite.open('/', { user: analyst });
    try {
      await page.getByRole('heading', { level: 1, name: 'Analysis' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Analysis', 'Reports']);
      const countries = page.getByRole('region', { name: 'By country' }).getByRole('table');
      await countries.getByRole('row', { name: 'Colombia 3' }).waitFor();
      await countries.getByRole('row', { name: 'Peru fewer than 3' }).waitFor();
      const text = (await page.locator('main').textContent()) ?? '';
      for (const name of [NAME_A, NAME_B, 'Dora']) assert.ok(!text.includes(name), `the analysis shows “${name}”`);
      await shot(page, 'analysis-en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
  test('teams by name: a creator with two teams chooses where a record goes; a coordinator moves it to another team', async () => {
    const [teamA, teamB] = [need(teams.a), need(teams.b)];
    const both = await suite.makeUser('coordinator', { teamIds: [teamA.id, teamB.id], username: 'coord-ab' });
    const sharingOf = (id: string) => suite.apiAs<{ teamIds: string[] }>(both, 'GET', `/actors/${id}/sharing`);
    /** Whether team A's coordinator reaches the record (a refusal is an answer, not an error). */
    const coordinatorAReaches = async (id: string) =>
      (
        await fetch(`${suite.base.replace('localhost', '127.0.0.1')}/api/v1/actors/${id}`, {
          headers: need(people.coordinatorA).bearer,
        })
      ).ok;

    // Someone in a single team is not asked: the record goes to that team.
    const worker = await suite.makeUser('case_worker', { teamIds: [teamA.id] });
    const single = await suite.open('/actors/new', { user: worker });
    try {
      await single.page.getByRole('heading', { level: 1, name: 'Add an actor' }).waitFor();
      await single.page.getByLabel('Name (sensitive)', { exact: true }).waitFor();
      assert.equal(await single.page.getByRole('group', { name: 'Teams that will see this record' }).count(), 0);
      assert.deepEqual(single.errors, []);
    } finally {
      await single.context.close();
    }

    const { context, page, errors } = await suite.open('/actors/new', { user: both });
    try {
      const choice = page.getByRole('group', { name: 'Teams that will see this record' });
      await choice.waitFor();
      // Only the creator's own teams, by name, all of them chosen to begin with.
      assert.equal(await choice.getByRole('checkbox').count(), 2);
      assert.equal(await choice.getByRole('checkbox', { name: 'Team A' }).isChecked(), true);
      assert.equal(await choice.getByRole('checkbox', { name: 'Team B' }).isChecked(), true);
      await page.getByLabel('Name (sensitive)', { exact: true }).fill('Inés Mamani');
      await choice.getByRole('checkbox', { name: 'Team A' }).uncheck();
      await choice.getByRole('checkbox', { name: 'Team B' }).uncheck();
      await page.getByRole('button', { name: 'Add actor' }).click();
      await page.locator('.error-summary').getByRole('link', { name: 'Teams that will see this record' }).waitFor();
      await choice.getByText('Choose at least one team.').waitFor();
      await shot(page, 'new-actor-teams-en');
      await choice.getByRole('checkbox', { name: 'Team B' }).check();
      const [created] = await Promise.all([
        page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/api/v1/actors')),
        page.getByRole('button', { name: 'Add actor' }).click(),
      ]);
      assert.deepEqual(created.postDataJSON().teamIds, [teamB.id], 'the form asks for team B only');
      await page.getByRole('heading', { level: 1, name: 'Inés Mamani' }).waitFor();
      const id = new URL(page.url()).pathname.split('/').at(-1) ?? '';
      assert.match(id, new RegExp(`^${UUID}$`));
      // The record went to team B only.
      assert.deepEqual((await sharingOf(id)).teamIds, [teamB.id], 'the record is shared with team B only');
      assert.equal(await coordinatorAReaches(id), false);

      // The sharing section names every team; the coordinator moves the record from team B to team A.
      const sharing = page.getByRole('region', { name: 'Sharing' });
      const teamsGroup = sharing.getByRole('group', { name: 'Teams that can see this record' });
      await teamsGroup.getByRole('checkbox', { name: 'Suite team' }).waitFor();
      assert.equal(await teamsGroup.getByRole('checkbox', { name: 'Team B' }).isChecked(), true);
      assert.equal(await teamsGroup.getByRole('checkbox', { name: 'Team A' }).isChecked(), false);
      assert.doesNotMatch((await teamsGroup.textContent()) ?? '', /Team [0-9a-f]{8}/, 'no team is shown by id');
      await shot(page, 'sharing-teams-en');
      await teamsGroup.getByRole('checkbox', { name: 'Team A' }).check();
      await teamsGroup.getByRole('checkbox', { name: 'Team B' }).uncheck();
      await sharing.getByRole('button', { name: 'Save sharing' }).click();
      await page.getByRole('status').getByText('Sharing saved.').waitFor();
      assert.deepEqual((await sharingOf(id)).teamIds, [teamA.id]);
      assert.equal(await coordinatorAReaches(id), true);
      await page.reload();
      await teamsGroup.getByRole('checkbox', { name: 'Team A' }).waitFor();
      assert.equal(await teamsGroup.getByRole('checkbox', { name: 'Team A' }).isChecked(), true);
      assert.equal(await teamsGroup.getByRole('checkbox', { name: 'Team B' }).isChecked(), false);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
  test('a defender sees and edits only their own record', async () => {
    const own = await suite.apiAs<{ id: string }>(need(people.coordinatorA), 'POST', '/actors', {
      kind: 'individual',
      profile: { name: 'Elena Ccori', region: 'Puno' },
    });
    const defender = await suite.makeUser('defender', { actorId: own.id });
    const { context, page, errors } = await suite.open('/', { user: defender });
    try {
      await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
      await page.getByRole('link', { name: 'Your record in the registry' }).click();
      await page.getByRole('heading', { level: 1, name: 'Elena Ccori' }).waitFor();
      await page.getByRole('region', { name: 'Profile' }).getByText('Puno').waitFor();
      // Ties and circles reach other people: not part of a defender's own view.
      assert.equal(await page.getByRole('region', { name: 'Ties' }).count(), 0);
      await page.getByRole('link', { name: 'Edit' }).click();
      await page.getByLabel('Region').fill('Puno, Juliaca');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').getByText('Changes saved.').waitFor();
      await page.goto(`${suite.base}/actors/${actors.a}`);
      await page.getByRole('heading', { level: 1, name: 'No access to this record' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
