/**
 * The registry pages in a real browser, against a real Amparo (embedded database in memory):
 * people's paths through the UI, with clicks and typing, in English, Spanish and Arabic.
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 * Screenshots go to /tmp/amparo-e2e for a person to look at.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSuite, requireChromium, shot } from '../support/browser.ts';

const skip = requireChromium();

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('registry web UI', { skip }, () => {
  const suite = browserSuite();

  async function createIndividual(page: Page, name: string): Promise<string> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New actor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add an actor' }).waitFor();
    await page.getByLabel('Name (sensitive)', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Add actor' }).click();
    await page.waitForURL(new RegExp(`/actors/${UUID}$`));
    await page.getByRole('heading', { level: 1, name }).waitFor();
    return new URL(page.url()).pathname.split('/').pop() ?? '';
  }

  async function tieToCollective(page: Page, search: string, collective: string, role: string): Promise<void> {
    const form = page.getByRole('form', { name: 'Add a tie' });
    assert.equal(await form.getByLabel('Kind of tie').inputValue(), 'membership');
    const searchBox = form.getByLabel('Other actor: search by name or alias');
    await searchBox.click();
    await page.keyboard.type(search);
    await page.keyboard.press('Enter');
    await form.getByRole('radio', { name: new RegExp(collective) }).check();
    await form.getByLabel('Role').selectOption({ label: role });
    await form.getByRole('button', { name: 'Add tie' }).click();
    await page.getByRole('status').getByText(`Tie with ${collective} added.`).waitFor();
    const ties = page.getByRole('table').filter({ hasText: 'Relationship' });
    await ties
      .getByRole('row', { name: new RegExp(collective) })
      .getByText(role, { exact: true })
      .waitFor();
  }

  test('a coordinator records a collective, two members and their ties, and sees the circle', async () => {
    const { context, page, errors } = await suite.open('/');
    try {
      await page.getByRole('link', { name: 'Add an actor' }).click();
      await page.getByRole('radio', { name: 'Collective' }).check();
      await page.getByLabel('Form of collective').selectOption('community');
      await page.getByRole('checkbox', { name: 'Human rights or social justice movement' }).check();
      await page.getByLabel('Name (sensitive)', { exact: true }).fill('Colectivo Tierra Viva');
      await page.getByLabel('Country').selectOption('CO');
      await page.getByRole('checkbox', { name: 'Land, territory and environment' }).check();
      await page.getByRole('button', { name: 'Add actor' }).click();
      await page.waitForURL(new RegExp(`/actors/${UUID}$`));
      await page.getByRole('heading', { level: 1, name: 'Colectivo Tierra Viva' }).waitFor();
      await page.getByRole('status').getByText('Actor added.').waitFor();
      const collectiveId = new URL(page.url()).pathname.split('/').pop() ?? '';
      const collective = await suite.api('GET', `/actors/${collectiveId}`);
      assert.equal(collective.kind, 'collective');
      assert.equal(collective.collectiveForm, 'community');
      assert.deepEqual(collective.types, ['social_movement']);
      assert.equal((collective.profile as { country?: string }).country, 'CO');
      const profile = page.getByRole('region', { name: 'Profile' });
      await profile.getByText('Colombia').waitFor();
      await page.getByText('Collective · Community · Human rights or social justice movement').waitFor();

      await createIndividual(page, 'ليلى حداد');
      await tieToCollective(page, 'Tierra', 'Colectivo Tierra Viva', 'Leader');

      const joseId = await createIndividual(page, 'José Álvarez');
      // Search folds case and accents.
      await tieToCollective(page, 'tierra viva', 'Colectivo Tierra Viva', 'Member');

      // The collective's ties list shows both members, linked.
      await page.getByRole('region', { name: 'Ties' }).getByRole('link', { name: 'Colectivo Tierra Viva' }).click();
      await page.getByRole('heading', { level: 1, name: 'Colectivo Tierra Viva' }).waitFor();
      const ties = page.getByRole('region', { name: 'Ties' }).getByRole('table');
      await ties
        .getByRole('row', { name: /ليلى حداد/ })
        .getByText('Leader')
        .waitFor();
      await ties
        .getByRole('row', { name: /José Álvarez/ })
        .getByText('Member', { exact: true })
        .waitFor();
      assert.equal(await ties.getByText('Has as member').count(), 2);
      await shot(page, 'collective-en');

      // From José's page, Laila is in the circle at depth 2, through the collective.
      await ties.getByRole('link', { name: 'José Álvarez' }).click();
      await page.waitForURL(`${suite.base}/actors/${joseId}`);
      const circle = page.getByRole('region', { name: 'Circle' });
      assert.equal(await circle.getByLabel('Depth').inputValue(), '2');
      await circle.getByRole('heading', { name: '2 steps away' }).waitFor();
      const laila = circle.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'ليلى حداد' }) });
      await laila.waitFor();
      const path = ((await laila.locator('.path').textContent()) ?? '').replace(/\s+/g, ' ');
      assert.match(path, /José Álvarez → member of → Colectivo Tierra Viva ← leader of ← ليلى حداد/);
      await circle.getByRole('heading', { name: 'Direct ties' }).waitFor();
      await shot(page, 'circle-en');

      // Depth 1 leaves only the collective.
      await circle.getByLabel('Depth').selectOption('1');
      await circle.getByText('1 actor in the circle', { exact: false }).waitFor();
      assert.equal(await circle.getByRole('link', { name: 'ليلى حداد' }).count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('invalid input is refused next to the field, nothing is created, and conflicts keep the input', async () => {
    const { context, page, errors } = await suite.open('/actors/new');
    try {
      const before = (await suite.api('GET', '/actors?includeArchived=true')).total;
      await page.getByLabel('Name (sensitive)', { exact: true }).fill('x'.repeat(201));
      // Commas or spaces separate tags, so the first bad one here is "a".
      await page.getByLabel('Languages').fill('es, not a tag!');
      let posted = 0;
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/v1/actors')) posted++;
      });
      await page.getByRole('button', { name: 'Add actor' }).click();

      const summary = page.getByRole('alert').filter({ hasText: 'There are 2 problems' });
      await summary.waitFor();
      assert.equal(await summary.evaluate((element) => element === document.activeElement), true);
      const languages = page.getByLabel('Languages');
      assert.equal(await languages.getAttribute('aria-invalid'), 'true');
      assert.match((await page.locator('#f-languages-error').textContent()) ?? '', /“a” is not a language code/);
      assert.match((await page.locator('#f-name-error').textContent()) ?? '', /at most 200 characters/);
      // Following the summary's link puts the cursor in the field.
      await summary.getByRole('link', { name: /Languages/ }).click();
      assert.equal(await languages.evaluate((element) => element === document.activeElement), true);
      await shot(page, 'validation-en');
      assert.equal(posted, 0);
      assert.equal((await suite.api('GET', '/actors?includeArchived=true')).total, before);

      // An error the server finds is shown at the field it names.
      await page.getByLabel('Name (sensitive)', { exact: true }).fill('Prueba');
      await languages.fill('es');
      await page.route('**/api/v1/actors', (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'validation_failed',
              message: 'The field "profile.region" is not valid.',
              field: 'profile.region',
            },
          }),
        }),
      );
      await page.getByRole('button', { name: 'Add actor' }).click();
      await page.locator('#f-region-error').getByText('The field "profile.region" is not valid.').waitFor();
      assert.equal(await page.getByLabel('Region').getAttribute('aria-invalid'), 'true');
      await page.unroute('**/api/v1/actors');

      // Someone else saves first: the edit is refused, the message says so, the input stays.
      const actor = await suite.api('POST', '/actors', { kind: 'individual', profile: { name: 'Ana Pérez' } });
      await page.goto(`${suite.base}/actors/${actor.id}/edit`);
      await page.getByLabel('Name (sensitive)', { exact: true }).fill('Ana María Pérez');
      await suite.api('PATCH', `/actors/${actor.id}`, { version: actor.version, profile: { region: 'Cauca' } });
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('alert').getByText('This record was changed by someone else.').waitFor();
      assert.equal(await page.getByLabel('Name (sensitive)', { exact: true }).inputValue(), 'Ana María Pérez');
      const stored = await suite.api('GET', `/actors/${actor.id}`);
      assert.equal((stored.profile as { name?: string }).name, 'Ana Pérez');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('ties end and are deleted; records are archived, restored, and erased only after confirmation', async () => {
    const collective = await suite.api('POST', '/actors', {
      kind: 'collective',
      collectiveForm: 'organisation',
      profile: { name: 'Red Sur' },
    });
    const person = await suite.api('POST', '/actors', { kind: 'individual', profile: { name: 'Rosa Mamani' } });
    await suite.api('POST', '/ties', { kind: 'membership', fromActorId: person.id, toActorId: collective.id });
    const { context, page, errors } = await suite.open(`/actors/${person.id}`);
    try {
      await page.getByRole('heading', { level: 1, name: 'Rosa Mamani' }).waitFor();
      const ties = page.getByRole('region', { name: 'Ties' });
      await ties.getByRole('button', { name: 'End tie with Red Sur' }).click();
      const endDate = ties.getByRole('textbox', { name: 'End date (tie with Red Sur)' });
      assert.equal(await endDate.evaluate((element) => element === document.activeElement), true);
      await endDate.fill('2024-05-31');
      await ties.getByRole('button', { name: 'Save end date' }).click();
      await page.getByRole('status').getByText('Tie ended.').waitFor();
      await ties
        .getByRole('row', { name: /Red Sur/ })
        .getByText('May 31, 2024')
        .waitFor();
      // An ended tie no longer links the circle.
      await page
        .getByRole('region', { name: 'Circle' })
        .getByText('0 actors in the circle', { exact: false })
        .waitFor();

      await ties.getByRole('button', { name: 'Delete tie with Red Sur' }).click();
      await ties.getByRole('button', { name: 'Delete tie', exact: true }).click();
      await page.getByRole('status').getByText('Tie deleted.').waitFor();
      await ties.getByText('No ties recorded.').waitFor();

      const manage = page.getByRole('region', { name: 'Archive or erase' });
      await manage.getByRole('button', { name: 'Archive' }).click();
      await page.getByText('This record was archived on', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Restore' }).click();
      await page.getByRole('status').getByText('Record restored.').waitFor();

      // Erasure asks for a reason and an explicit confirmation before anything happens.
      await manage.getByRole('button', { name: 'Erase…' }).click();
      await manage.getByRole('button', { name: 'Erase permanently' }).click();
      await manage.getByText('Choose a reason.').waitFor();
      await manage.getByText('Confirm that you understand that erasure cannot be undone.').waitFor();
      assert.equal((await suite.api('GET', `/actors/${person.id}`)).erasedAt, null);
      await manage.getByLabel('Reason for erasure').selectOption('requested_by_person');
      await manage.getByLabel('I understand that this cannot be undone').check();
      await manage.getByRole('button', { name: 'Erase permanently' }).click();
      await page.getByRole('status').getByText('Record erased.').waitFor();
      await page.getByText('(reason: Requested by the person)', { exact: false }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Profile' }).count(), 0);
      const erased = await suite.api('GET', `/actors/${person.id}`);
      assert.notEqual(erased.erasedAt, null);
      assert.deepEqual(erased.profile, {});
      await shot(page, 'erased-en');

      await page.goto(`${suite.base}/actors/not-an-id`);
      await page.getByRole('heading', { level: 1, name: 'Record not found' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a network adds its own actor type and uses it at once', async () => {
    const { context, page, errors } = await suite.open('/vocabularies');
    try {
      const form = page.getByRole('form', { name: 'Add a term' });
      await form.getByLabel('Code').fill('Land Defender');
      await form.getByRole('button', { name: 'Add term' }).click();
      await form.getByText('Use 2 to 60 lowercase letters', { exact: false }).first().waitFor();
      await form.getByLabel('Code').fill('land_defender');
      await form.getByLabel('Applies to').selectOption('individual');
      await form.getByLabel('Label in English').fill('Land defender');
      await form.getByLabel('Label in Spanish').fill('Defensor/a de la tierra');
      await form.getByLabel('Label in French').fill('Défenseur·e de la terre');
      await form.getByLabel('Label in Arabic').fill('مدافع عن الأرض');
      await form.getByRole('button', { name: 'Add term' }).click();
      await page.getByRole('status').getByText('Term added.').waitFor();
      await page
        .getByRole('region', { name: 'Actor types' })
        .getByRole('row', { name: /Land defender/ })
        .getByText('Added by the network')
        .waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New actor' }).click();
      await page.getByRole('checkbox', { name: 'Land defender' }).waitFor();
      await page.getByRole('radio', { name: 'Collective' }).check();
      assert.equal(await page.getByRole('checkbox', { name: 'Land defender' }).count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the interface speaks Arabic right to left, and Spanish', async () => {
    const { context, page, errors } = await suite.open('/');
    try {
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      const html = page.locator('html');
      assert.equal(await html.getAttribute('dir'), 'ltr');
      assert.equal(await html.getAttribute('lang'), 'en');
      const brand = page.locator('.brand');
      const firstNavItem = page.getByRole('navigation').getByRole('link').first();
      const ltrBrand = await brand.boundingBox();
      const ltrNav = await firstNavItem.boundingBox();
      assert.ok(ltrBrand && ltrNav && ltrBrand.x < ltrNav.x, 'in English the brand comes first, on the left');

      await page.getByLabel('Language').selectOption({ label: 'العربية' });
      await page.getByRole('heading', { level: 1, name: 'السجل' }).waitFor();
      assert.equal(await html.getAttribute('dir'), 'rtl');
      assert.equal(await html.getAttribute('lang'), 'ar');
      await page.getByRole('button', { name: 'بحث', exact: true }).waitFor();
      await page.getByRole('link', { name: 'انتقل إلى المحتوى الرئيسي' }).waitFor({ state: 'attached' });
      const rtlBrand = await brand.boundingBox();
      const rtlNav = await firstNavItem.boundingBox();
      assert.ok(rtlBrand && rtlNav, 'header visible');
      assert.ok(rtlBrand.x > rtlNav.x, 'in Arabic the brand comes first, on the right');
      assert.ok(rtlBrand.x > 600 && ltrBrand.x < 600, 'the header has flipped sides');
      assert.equal(await page.title(), 'السجل · Amparo');
      await shot(page, 'registry-ar');

      // The choice is remembered.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'السجل' }).waitFor();
      assert.equal(await html.getAttribute('dir'), 'rtl');

      await page.goto(`${suite.base}/actors/new`);
      await page.getByRole('heading', { level: 1, name: 'إضافة جهة فاعلة' }).waitFor();
      await page.getByRole('radio', { name: 'كيان جماعي' }).check();
      await page.getByLabel('شكل الكيان الجماعي').waitFor();
      await shot(page, 'form-ar');

      await page.getByLabel('اللغة').selectOption({ label: 'Español' });
      await page.getByRole('heading', { level: 1, name: 'Añadir un actor' }).waitFor();
      assert.equal(await html.getAttribute('dir'), 'ltr');
      assert.equal(await html.getAttribute('lang'), 'es');
      await page.getByRole('navigation').getByRole('link', { name: 'Registro' }).click();
      await page.getByRole('heading', { level: 1, name: 'Registro' }).waitFor();
      await page.getByRole('button', { name: 'Buscar', exact: true }).waitFor();
      await page.getByLabel('Incluir registros archivados').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('keyboard: the skip link comes first, then the main navigation, and Enter searches', async () => {
    await suite.api('POST', '/actors', { kind: 'individual', profile: { name: 'Mariana Quispe', country: 'PE' } });
    const { context, page, errors } = await suite.open('/');
    try {
      await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
      await page.keyboard.press('Tab');
      const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
      assert.equal(await focused(), 'Skip to main content');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'Registry');
      assert.equal(
        await page.evaluate(() => document.activeElement?.closest('nav')?.getAttribute('aria-label')),
        'Main',
      );

      // The skip link moves focus into the main content; the next Tab reaches the page's controls.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

      const search = page.getByRole('searchbox', { name: 'Name or alias' });
      await search.focus();
      await page.keyboard.type('quispe');
      await page.keyboard.press('Enter');
      const results = page.getByRole('table');
      await results.getByRole('link', { name: 'Mariana Quispe' }).waitFor();
      await page.getByText('Showing 1–1 of 1').waitFor();
      assert.ok(!page.url().includes('quispe'), 'the search term stays out of the URL');
      await shot(page, 'search-en');

      // Into the record and back: the search is still there.
      await results.getByRole('link', { name: 'Mariana Quispe' }).focus();
      await page.keyboard.press('Enter');
      const heading = page.getByRole('heading', { level: 1, name: 'Mariana Quispe' });
      await heading.waitFor();
      // Focus follows the navigation to the new page's heading, even though it rendered after loading.
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      assert.equal(await heading.evaluate((element) => element === document.activeElement), true);
      // Names stay out of titles, which browsers keep in their history.
      assert.equal(await page.title(), 'Actor · Amparo');
      await page.goBack();
      await page.getByText('Showing 1–1 of 1').waitFor();
      assert.equal(await search.inputValue(), 'quispe');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
