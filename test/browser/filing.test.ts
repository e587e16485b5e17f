// An applicant files a renewal in a real browser, with JavaScript off on a small phone (320 px)
// and then on a desktop screen: registers, confirms from the development outbox, logs in,
// answers the guided questions, fills the identity step, uploads the pièces (a real PDF and a
// phone photo), reviews, swears and submits, downloads the attestation de dépôt (a PDF) and
// sees the status page. axe-core checks every page of the journey (WCAG 2.1 AA).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { translator } from '../../src/shared/i18n';
import { expectAxeClean, expectDsfrScriptsLoaded, expectNoHorizontalScroll, expectNoProblems, startBrowserApp, type BrowserApp, type BrowserPage } from '../helpers/browser';
import { jpeg, pdf } from '../helpers/documents-fixtures';

const fr = translator('fr');
const PASSWORD = 'Cigale-Olivier-Garrigue-Lodeve-2026';
const DAY = 86400_000;

const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

let b: BrowserApp;
before(async () => {
  b = await startBrowserApp({ after: (fn) => closers.push(fn) });
});

async function expectAccessible(page: Page, label: string): Promise<void> {
  await expectAxeClean(page, label);
  await expectNoHorizontalScroll(page, label);
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('main h1').first().innerText()).trim();
}

async function expectAt(bp: BrowserPage, path: string | RegExp): Promise<void> {
  await bp.page.waitForURL((u) => (typeof path === 'string' ? u.pathname === path : path.test(u.pathname)));
}

for (const javaScriptEnabled of [false, true]) {
  const viewport = javaScriptEnabled ? { width: 1280, height: 900 } : { width: 320, height: 640 };
  describe(`filing a renewal, JavaScript ${javaScriptEnabled ? 'enabled, 1280 px wide' : 'disabled, 320 px wide'}`, () => {
    const email = `nadia.${javaScriptEnabled ? 'js' : 'nojs'}@exemple.fr`;

    test('register → confirm → log in → choose → identity → pièces → review → submit → attestation → status', async (t) => {
      const bp = await b.newPage(t, { javaScriptEnabled, viewport });
      const { page } = bp;

      // Register and confirm from the outbox.
      await page.goto('/compte/inscription');
      await expectAccessible(page, 'register page');
      await page.getByLabel(fr('accounts.field_email')).fill(email);
      await page.getByLabel(fr('accounts.field_password'), { exact: false }).first().fill(PASSWORD);
      await page.getByLabel(fr('accounts.field_password_confirm')).fill(PASSWORD);
      await page.getByRole('button', { name: fr('accounts.register_submit') }).click();
      await expectAt(bp, '/compte/inscription/message-envoye');
      await expectAccessible(page, 'mail sent page');
      await page.goto('/dev/outbox');
      await expectAccessible(page, 'outbox');
      const mail = page.locator('article', { has: page.locator('.outbox-to', { hasText: email }) }).first();
      await mail.locator('a[href*="/compte/confirmer?token="]').click();
      await expectAt(bp, '/compte/connexion');
      await expectAccessible(page, 'login page');
      await page.getByLabel(fr('accounts.field_email')).fill(email);
      await page.getByLabel(fr('accounts.field_password'), { exact: false }).first().fill(PASSWORD);
      await page.locator('main').getByRole('button', { name: fr('accounts.login_submit') }).click();
      await expectAt(bp, '/compte');
      await expectAccessible(page, 'account page');

      // My dossiers, then the guided questions.
      await page.goto('/dossiers');
      assert.equal(await heading(page), fr('dossiers.my_dossiers'));
      await expectAccessible(page, 'my dossiers');
      await page.locator('main').getByRole('link', { name: fr('dossiers.new_request') }).click();
      await expectAt(bp, '/dossiers/nouveau');
      assert.equal(await heading(page), fr('dossiers.q_kind_title'));
      await expectAccessible(page, 'question: kind');
      await page.getByLabel(fr('dossiers.q_kind.renewal'), { exact: false }).check({ force: true });
      await page.getByRole('button', { name: fr('dossiers.continue') }).click();
      await page.waitForURL((u) => u.searchParams.get('demande') === 'renewal');
      assert.equal(await heading(page), fr('dossiers.q_category_title'));
      await expectAccessible(page, 'question: category');
      await page.locator('input[name="category"][value="carte_resident"]').check({ force: true });
      await page.getByRole('button', { name: fr('dossiers.start_request') }).click();
      await expectAt(bp, /^\/dossiers\/[0-9a-f-]{36}\/identite$/);
      const dossierId = /\/dossiers\/([0-9a-f-]{36})\//.exec(page.url())?.[1] as string;

      // Identity, with a mistake first (AGDREF number too short): errors, then fixed.
      assert.equal(await heading(page), fr('dossiers.identity_title'));
      assert.match(await page.locator('main').innerText(), new RegExp(fr('dossiers.window_title').replace(/[?]/g, '\\?')));
      await expectAccessible(page, 'identity');
      const expires = new Date(Date.now() + 100 * DAY).toISOString().slice(0, 10);
      const values: Record<string, string> = {
        surname: 'EL AMRANI',
        given_names: 'Nadia',
        birth_date: '1985-09-30',
        birth_place: 'Fès, Maroc',
        nationality: 'marocaine',
        agdref_number: '34123',
        current_permit_number: 'FR9988776',
        current_permit_expires_on: expires,
        address_line: '8 rue Foch',
        postal_code: '34000',
        city: 'Montpellier',
        phone: '06 11 22 33 44',
        ephoto_code: 'QWER1234TYUI5678OPAS90',
      };
      for (const [name, value] of Object.entries(values)) await page.locator(`[name="${name}"]`).fill(value);
      await page.getByRole('button', { name: fr('dossiers.save_continue') }).click();
      await page.locator('#resume-erreurs').waitFor();
      await expectAccessible(page, 'identity with errors');
      assert.equal(await page.locator('[name="surname"]').inputValue(), 'EL AMRANI', 'values kept');
      await page.locator('[name="agdref_number"]').fill('3412345678');
      await page.getByRole('button', { name: fr('dossiers.save_continue') }).click();
      await expectAt(bp, `/dossiers/${dossierId}/pieces/passport`);

      // One page per pièce: a PDF for the passport and the permit, a phone photo for the address proof.
      const files: Record<string, { name: string; mimeType: string; buffer: Buffer }> = {
        passport: { name: 'passeport.pdf', mimeType: 'application/pdf', buffer: pdf() },
        current_permit: { name: 'titre.pdf', mimeType: 'application/pdf', buffer: pdf() },
        proof_of_address: { name: 'IMG_0042.JPG', mimeType: 'image/jpeg', buffer: jpeg({ exif: true }) },
      };
      for (const [code, file] of Object.entries(files)) {
        await expectAt(bp, `/dossiers/${dossierId}/pieces/${code}`);
        await expectAccessible(page, `pièce ${code}`);
        await page.locator('input[type="file"][name="fichiers"]').setInputFiles(file);
        await page.getByRole('button', { name: fr('documents.upload_submit') }).click();
        await page.locator('main').getByText(file.name.replace(/\.JPG$/, '.jpg')).first().waitFor();
        await expectAccessible(page, `pièce ${code} with its file`);
        await page.locator('main').getByRole('link', { name: fr('dossiers.next_step') }).click();
      }

      // Review, sworn statement, submission.
      await expectAt(bp, `/dossiers/${dossierId}/recapitulatif`);
      assert.equal(await heading(page), fr('dossiers.review_title'));
      assert.equal(await page.locator('#pieces-manquantes').count(), 0, 'no pièce missing');
      await expectAccessible(page, 'review');
      await page.getByRole('button', { name: fr('dossiers.submit_button') }).click();
      await page.locator('#resume-erreurs').waitFor();
      await expectAccessible(page, 'review without the sworn statement');
      await page.locator('input[name="sworn"]').check({ force: true });
      await page.getByRole('button', { name: fr('dossiers.submit_button') }).click();
      await expectAt(bp, `/dossiers/${dossierId}`);

      // The status page: number, timeline, next steps, attestation.
      const h1 = await heading(page);
      assert.match(h1, /34-\d{4}-\d{6}/);
      const main = await page.locator('main').innerText();
      assert.ok(main.includes(fr('dossiers.state.submitted')));
      assert.ok(main.includes(fr('dossiers.next.wait')));
      assert.ok(main.includes(fr('dossiers.timeline_title')));
      await expectAccessible(page, 'status page');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: fr('dossiers.download_attestation') }).click()]);
      const path = await download.path();
      const bytes = await readFile(path);
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the attestation is a PDF');
      assert.match(download.suggestedFilename(), /^attestation-de-depot-34-\d{4}-\d{6}\.pdf$/);

      // Back on the list, the dossier shows as filed.
      await page.goto('/dossiers');
      // textContent: DSFR badges are shown in capitals.
      assert.ok((await page.locator('main').textContent())?.includes(fr('dossiers.state.submitted')));
      await expectAccessible(page, 'my dossiers, with the filed one');
      if (javaScriptEnabled) await expectDsfrScriptsLoaded(bp);
      else assert.equal(await page.getAttribute('html', 'data-fr-js'), null, 'no script ran');
      expectNoProblems(bp);

      // The server kept the photo (its metadata removed: see documents-upload.test.ts).
      const photo = await b.app.deps.db.selectFrom('documents').select('sha256').where('dossier_id', '=', dossierId).where('mime', '=', 'image/jpeg').execute();
      assert.equal(photo.length, 1);
    });
  });
}
