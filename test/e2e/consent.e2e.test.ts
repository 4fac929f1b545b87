/**
 * Consent and the HURIDOCS vocabularies in a real browser, against a real Amparo (embedded database in
 * memory): a coordinator records consent to publication and withdraws it; consent to share with a
 * partner opens the way to a referral, and its withdrawal ends the partner's access at once; the
 * HURIDOCS lists in Spanish, and a local term added to list 4.
 *
 * Needs the built UI (dist/web, `npx vite build`) and Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium the suite is skipped locally, and fails in CI.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSuite, requireChromium, shot } from '../support/browser.ts';

const skip = requireChromium();

describe('consent and HURIDOCS vocabularies in the web UI', { skip }, () => {
  const suite = browserSuite();

  const newActor = async (name: string) =>
    (
      await suite.api<{ id: string }>('POST', '/actors', {
        kind: 'individual',
        profile: { name },
        teamIds: [suite.team.id],
      })
    ).id;

  const consentRow = (page: Page, name: string) =>
    page.getByRole('region', { name: 'Consent' }).locator('table.consent-current tr', {
      has: page.getByRole('rowheader', { name }),
    });

  async function record(
    page: Page,
    choice: { use: string; partner?: string; decision: 'Given' | 'Withdrawn'; method: string },
  ) {
    const form = page.getByRole('form', { name: 'Record a statement' });
    await form.getByLabel('Use').selectOption(choice.use);
    if (choice.partner) await form.getByLabel('Partner').selectOption({ label: choice.partner });
    await form.getByRole('radio', { name: choice.decision }).check();
    await form.getByLabel('How it was stated').selectOption(choice.method);
    await form.getByRole('button', { name: 'Record statement' }).click();
  }

  test('a coordinator records consent to publication, then its withdrawal', async () => {
    const id = await newActor('Marta Ccori');
    const { context, page, errors } = await suite.open(`/actors/${id}`);
    try {
      await page.getByRole('heading', { level: 1, name: 'Marta Ccori' }).waitFor();
      const consent = page.getByRole('region', { name: 'Consent' });
      await consent.getByText('No statement recorded yet.').waitFor();
      const publication = consentRow(page, 'Publication');
      assert.equal(await publication.locator('td').textContent(), 'Not asked: no consent');

      // A statement needs a use and a method: the form says so next to the fields.
      await page.getByRole('button', { name: 'Record statement' }).click();
      await page.locator('#consent-use-error').getByText('Choose a use.').waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'consent-use');

      await record(page, { use: 'publication', decision: 'Given', method: 'in_person' });
      await publication.locator('td', { hasText: /^Given on .+ \(in person\)$/ }).waitFor();
      await page.getByRole('status').getByText('Consent recorded: Publication.').waitFor();

      // Choosing a withdrawal says it applies at once.
      await page.getByRole('radio', { name: 'Withdrawn' }).check();
      await page.locator('.consent-form .notice').getByText('A withdrawal applies at once.').waitFor();
      await record(page, { use: 'publication', decision: 'Withdrawn', method: 'phone' });
      await publication.locator('td', { hasText: /^Withdrawn on .+: no consent$/ }).waitFor();
      const history = consent.locator('table.consent-history tbody tr');
      await history.nth(1).waitFor();
      assert.equal(await history.count(), 2);
      assert.match((await history.first().textContent()) ?? '', /Publication.*Withdrawn.*by phone/);
      // The other uses were never asked.
      assert.equal(
        await consentRow(page, 'UN reprisals reporting').locator('td').textContent(),
        'Not asked: no consent',
      );
      await shot(page, 'consent-withdrawn-en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('consent to share with a partner allows a referral; its withdrawal ends the partner’s access', async () => {
    const partner = await suite.makeUser('partner', { username: 'partner-org' });
    const id = await newActor('Julio Mamani');
    const { context, page, errors } = await suite.open(`/actors/${id}`);
    try {
      await page.getByRole('heading', { level: 1, name: 'Julio Mamani' }).waitFor();
      const sharing = page.getByRole('region', { name: 'Sharing' });
      await sharing.getByText('Nobody has explicit access.').waitFor();

      // Without consent, the referral is refused, and the form says what to do.
      const grantForm = page.getByRole('form', { name: 'Give a person access' });
      const refer = async () => {
        await grantForm.getByLabel('Person').selectOption({ label: 'partner-org (Partner)' });
        await grantForm.getByLabel('Kind').selectOption('referral');
        await grantForm.getByRole('button', { name: 'Give access' }).click();
      };
      await refer();
      await page
        .locator('#grant-user-error')
        .getByText('This person has not consented to their record being shared with this partner.', { exact: false })
        .waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'grant-user');

      await record(page, { use: 'partner_sharing', partner: 'partner-org', decision: 'Given', method: 'written' });
      const row = consentRow(page, 'Sharing with partner-org');
      await row.locator('td', { hasText: /^Given on .+ \(in writing\)$/ }).waitFor();

      await refer();
      await sharing.locator('table.grants tbody tr', { hasText: 'partner-org' }).getByText('Referral').waitFor();

      // The partner now reaches the record.
      const partnerView = await suite.open(`/actors/${id}`, { user: partner });
      try {
        await partnerView.page.getByRole('heading', { level: 1, name: 'Julio Mamani' }).waitFor();
        // A partner reads consent but records none.
        await partnerView.page.getByRole('region', { name: 'Consent' }).getByText('Sharing with').first().waitFor();
        assert.equal(await partnerView.page.getByRole('form', { name: 'Record a statement' }).count(), 0);
        assert.deepEqual(partnerView.errors, []);
      } finally {
        await partnerView.context.close();
      }

      // Withdrawal: the form says it ends the referral, and the sharing section shows it gone.
      await page.getByLabel('Use').selectOption('partner_sharing');
      await page.getByRole('radio', { name: 'Withdrawn' }).check();
      await page.getByText('It ends this partner’s referrals of the person', { exact: false }).waitFor();
      await record(page, { use: 'partner_sharing', partner: 'partner-org', decision: 'Withdrawn', method: 'phone' });
      await row.locator('td', { hasText: /^Withdrawn on / }).waitFor();
      await sharing.getByText('Nobody has explicit access.').waitFor();
      await shot(page, 'consent-partner-withdrawn-en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // And the partner has no access any more.
    const after = await suite.open(`/actors/${id}`, { user: partner });
    try {
      await after.page.getByRole('heading', { level: 1, name: 'No access to this record' }).waitFor();
      assert.equal(await after.page.getByRole('heading', { level: 1, name: 'Julio Mamani' }).count(), 0);
    } finally {
      await after.context.close();
    }
  });

  test('a case worker records consent to share with a partner, chosen by name', async () => {
    await suite.makeUser('partner', { username: 'defensoria-aliada' });
    const id = await newActor('Rosa Huanca');
    const caseWorker = await suite.makeUser('case_worker', { teamIds: [suite.team.id], username: 'case-worker-rosa' });
    const { context, page, errors } = await suite.open(`/actors/${id}`, { user: caseWorker });
    try {
      await page.getByRole('heading', { level: 1, name: 'Rosa Huanca' }).waitFor();
      await record(page, {
        use: 'partner_sharing',
        partner: 'defensoria-aliada',
        decision: 'Given',
        method: 'in_person',
      });
      await consentRow(page, 'Sharing with defensoria-aliada')
        .locator('td', { hasText: /^Given on / })
        .waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the HURIDOCS lists in Spanish, and a local term added to list 4', async () => {
    const spanish = await suite.api<{ items: { code: string; label: string; labelLanguage: string }[] }>(
      'GET',
      '/thesauri/4?lang=es&shape=tree',
    );
    const english = await suite.api<{ items: { code: string; label: string }[] }>(
      'GET',
      '/thesauri/4?lang=en&shape=tree',
    );
    const root = spanish.items[0];
    assert.ok(root, 'list 4 has terms');
    assert.equal(root.labelLanguage, 'es');
    assert.notEqual(root.label, english.items[0]?.label);

    const { context, page, errors } = await suite.open('/vocabularies');
    try {
      await page.getByRole('link', { name: 'HURIDOCS vocabularies (standard lists)' }).click();
      await page.getByRole('heading', { level: 1, name: 'HURIDOCS vocabularies' }).waitFor();
      const lists = page.locator('table.thesauri tbody tr');
      await lists.first().waitFor();
      assert.equal(await lists.count(), 50);
      await page.locator('#language-select').selectOption('es');
      await page.getByRole('heading', { level: 1, name: 'Vocabularios HURIDOCS' }).waitFor();
      await page.getByRole('link', { name: 'Types of acts' }).click();
      await page.waitForURL(`${suite.base}/vocabularies/huridocs/4`);
      await page.getByRole('heading', { level: 1, name: 'Types of acts' }).waitFor();
      await page.getByText('Lista HURIDOCS 4 ·', { exact: false }).waitFor();

      // Branches start closed; opening one shows its terms, in Spanish.
      const rootToggle = page.locator(`li[data-code="${root.code}"] > .term-row > button`);
      assert.equal(((await rootToggle.textContent()) ?? '').includes(root.label), true);
      assert.equal(await rootToggle.getAttribute('aria-expanded'), 'false');
      await shot(page, 'huridocs-list-4-es');

      // A local term under the first term: once added, it shows there, marked as local.
      const form = page.getByRole('form', { name: 'Añadir un término local' });
      await form.getByLabel('Ubicarlo debajo de').selectOption(root.code);
      await form.getByLabel('Etiqueta en español').fill('Desalojo comunitario');
      await form.getByLabel('Etiqueta en inglés').fill('Community eviction');
      await form.getByRole('button', { name: 'Añadir término local' }).click();
      await page.getByRole('status').getByText('Término local añadido.').waitFor();
      assert.equal(await rootToggle.getAttribute('aria-expanded'), 'true');
      const added = page.locator(`li[data-code="${root.code}"] li`, { hasText: 'Desalojo comunitario' });
      await added.getByText('Término local').waitFor();
      await shot(page, 'huridocs-local-term-es');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
