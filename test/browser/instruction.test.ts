// The agent's journey in a real browser, without JavaScript: staff log in with password and
// TOTP; the agent takes a renewal, rejects a pièce, asks for it; the applicant uploads it again
// and sends it back; the agent accepts it and finds the dossier complete (attestation de
// prolongation d'instruction, valid on /verifier); a supervisor decides favourably; the agent
// marks the card ready. axe-core checks the pages on the way (WCAG 2.1 AA).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../src/shared/security/passwords';
import { newTotpSecret, totpCode } from '../../src/shared/security/totp';
import { jpeg } from '../helpers/documents-fixtures';
import { tempDataDir } from '../helpers/documents-setup';
import { expectAxeClean, expectNoHorizontalScroll, expectNoProblems, startBrowserApp, type BrowserApp, type BrowserPage } from '../helpers/browser';
import { fileDossier, seedInstructionCatalogue } from '../helpers/instruction-fixtures';

const PASSWORD = 'Garrigue-Pic-Saint-Loup-Lavande-34';
const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});
const closer = { after: (fn: () => Promise<void> | void) => closers.push(fn) };

let b: BrowserApp;
before(async () => {
  const dataDir = await tempDataDir(closer);
  b = await startBrowserApp(closer, { config: { dataDir } });
  await seedInstructionCatalogue(b.app.deps.db, b.prefectureId);
});

async function staffAccount(role: 'agent' | 'supervisor', name: string): Promise<{ email: string; secret: string }> {
  const email = `${role}@herault.gouv.test`;
  const secret = newTotpSecret();
  await b.app.deps.db
    .insertInto('users')
    .values({
      prefecture_id: b.prefectureId,
      role,
      email,
      display_name: name,
      password_hash: await hashPassword(PASSWORD),
      email_confirmed_at: new Date(),
      totp_secret: b.app.deps.secrets.seal(secret),
      totp_enabled_at: new Date(),
    })
    .execute();
  return { email, secret };
}

/** The real staff login: password, then the TOTP code. */
async function staffLogin(bp: BrowserPage, account: { email: string; secret: string }): Promise<void> {
  const { page } = bp;
  await page.goto('/compte/connexion');
  await page.fill('#champ-email', account.email);
  await page.fill('#champ-password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/agent/double-authentification'), page.click('main button[type=submit]')]);
  await page.fill('#champ-code', totpCode(account.secret));
  await Promise.all([page.waitForURL((u) => u.pathname !== '/agent/double-authentification'), page.click('main button[type=submit]')]);
}

async function accessible(page: Page, label: string) {
  await expectAxeClean(page, label);
  await expectNoHorizontalScroll(page, label);
}

/** Selects a radio button from the keyboard, as a keyboard user would: independent of layout
 * shifts while the pièces' previews load (a mouse click on the label could land elsewhere). */
async function chooseRadio(page: Page, id: string) {
  await page.focus(`#${id}`);
  await page.keyboard.press('Space');
  assert.equal(await page.isChecked(`#${id}`), true, `radio ${id} is selected`);
}

async function submitForm(page: Page, action: string, button?: string) {
  const form = page.locator(`form[action$="${action}"]`);
  // Wait for the post's answer, then for the page it leads to (PRG) or re-renders.
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(action), { timeout: 60_000 });
  const target = form.locator(button ?? 'button[type=submit]');
  await target.scrollIntoViewIfNeeded();
  await Promise.all([page.waitForNavigation({ timeout: 60_000 }), target.press('Enter')]);
  const res = await answered;
  if (res.status() !== 303) {
    const summary = await page.locator('#resume-erreurs').innerText().catch(() => '');
    assert.fail(`${action} answered ${res.status()}: ${summary.slice(0, 300)} ${JSON.stringify(res.request().postData())}`);
  }
  await page.waitForLoadState('load');
}

test('agent journey: take → reject a pièce → request → applicant resubmits → complete → attestation → favourable → card ready', async (t) => {
  const agentAccount = await staffAccount('agent', 'Camille Instructrice');
  const supervisorAccount = await staffAccount('supervisor', 'Dominique Superviseur');
  const { dossierId, applicant, number } = await fileDossier(b.app, b.prefectureId, { kind: 'renewal', permitExpiresInDays: 90 });
  const url = `/agent/dossiers/${dossierId}`;

  const agent = await b.newPage(t, { javaScriptEnabled: false });
  await staffLogin(agent, agentAccount);
  const res = await agent.page.goto(url);
  assert.equal(res?.status(), 200);
  assert.match(await agent.page.locator('main h1').innerText(), new RegExp(number));
  await accessible(agent.page, 'staff dossier page (new)');

  // Take.
  await submitForm(agent.page, `${dossierId}/prendre`);
  assert.equal(await agent.page.locator('[data-field=assignee]').innerText(), 'Camille Instructrice');
  assert.equal(await agent.page.getAttribute('[data-state]', 'data-state'), 'under_review');

  // Accept the passport, reject the photo as illegible.
  await chooseRadio(agent.page, 'revue-test_passeport-accepted');
  await submitForm(agent.page, '/pieces/test_passeport/revue');
  await chooseRadio(agent.page, 'revue-test_photo-rejected');
  await agent.page.selectOption('#revue-test_photo-reason', 'illegible');
  await submitForm(agent.page, '/pieces/test_photo/revue');
  assert.equal(await agent.page.getAttribute('[data-piece=test_photo]', 'data-status'), 'rejected');
  await accessible(agent.page, 'staff dossier page (a pièce rejected)');

  // Request for pièces: the rejected photo is ticked, the deadline filled in (one month).
  assert.equal(await agent.page.isChecked('#demande-test_photo'), true);
  assert.equal(await agent.page.isChecked('#demande-test_passeport'), false);
  assert.match(await agent.page.inputValue('#champ-deadline'), /^\d{4}-\d{2}-\d{2}$/);
  await submitForm(agent.page, '/demande-de-pieces');
  assert.equal(await agent.page.getAttribute('[data-state]', 'data-state'), 'pieces_requested');

  // The applicant uploads the photo again and sends the pièces back.
  const person = await b.newPage(t, { javaScriptEnabled: false });
  await person.context.addCookies([{ name: 'sejour_sid', value: applicant.web.cookies.get('sejour_sid') ?? '', url: b.baseUrl }]);
  await person.page.goto(`/dossiers/${dossierId}/pieces/test_photo`);
  await person.page.setInputFiles('#fichiers-test_photo', { name: 'photo-nette.jpg', mimeType: 'image/jpeg', buffer: jpeg() });
  await Promise.all([person.page.waitForURL((u) => u.pathname === `/dossiers/${dossierId}/pieces/test_photo`), person.page.click('form[enctype="multipart/form-data"] button[type=submit]')]);
  assert.doesNotMatch(person.page.url(), /erreur/);
  await person.page.goto(`/dossiers/${dossierId}`);
  await accessible(person.page, 'applicant status page (pièces requested)');
  await Promise.all([person.page.waitForURL((u) => u.pathname === `/dossiers/${dossierId}`), person.page.click(`form[action="/dossiers/${dossierId}/renvoyer"] button`)]);
  expectNoProblems(person);

  // Back to its agent: the new photo is to review; accept it, find the dossier complete.
  const previews: string[] = [];
  agent.page.on('response', (r) => {
    if (r.url().includes(`/agent/dossiers/${dossierId}/documents/`)) previews.push(`${r.status()} ${r.headers()['content-type'] ?? ''}`);
  });
  await agent.page.goto(url);
  assert.equal(await agent.page.getAttribute('[data-state]', 'data-state'), 'resubmitted');
  assert.equal(await agent.page.locator('[data-field=assignee]').innerText(), 'Camille Instructrice');
  assert.equal(await agent.page.getAttribute('[data-piece=test_photo]', 'data-status'), 'to_review');
  assert.equal(await agent.page.locator('[data-piece=test_photo] img.app-preview').count(), 2, 'both photos previewed inline');
  // The previews (images and the PDF in its <object>) load under the page's CSP: any refusal
  // would show as a failed request in expectNoProblems below.
  assert.ok(previews.filter((p) => p === '200 image/jpeg').length >= 2, previews.join(', '));
  assert.ok(previews.includes('200 application/pdf'), previews.join(', '));
  expectNoProblems(agent);
  await chooseRadio(agent.page, 'revue-test_photo-accepted');
  await submitForm(agent.page, '/pieces/test_photo/revue');
  await submitForm(agent.page, '/complet');
  const prolongation = agent.page.locator('[data-kind=prolongation]');
  assert.equal(await prolongation.getAttribute('data-status'), 'valid');
  const code = (await prolongation.locator('code').innerText()).trim();
  await accessible(agent.page, 'staff dossier page (complete, attestation issued)');

  // The attestation verifies on /verifier.
  const verifier = await b.newPage(t, { javaScriptEnabled: false });
  await verifier.page.goto('/verifier');
  await verifier.page.fill('#champ-code', code);
  await Promise.all([verifier.page.waitForURL(/code=/), verifier.page.click('main button[type=submit]')]);
  assert.equal(await verifier.page.getAttribute('[data-status]', 'data-status'), 'valid');

  // The supervisor decides favourably: card production ordered, prolongation revoked.
  const supervisor = await b.newPage(t, { javaScriptEnabled: false });
  await staffLogin(supervisor, supervisorAccount);
  await supervisor.page.goto(url);
  await submitForm(supervisor.page, '/decision-favorable');
  assert.equal(await supervisor.page.getAttribute('[data-state]', 'data-state'), 'card_in_production');
  assert.equal(await supervisor.page.getAttribute('[data-kind=decision_favorable]', 'data-status'), 'valid');
  assert.equal(await supervisor.page.getAttribute('[data-kind=prolongation]', 'data-status'), 'revoked');
  await verifier.page.goto(`/verifier/${code}`);
  assert.equal(await verifier.page.getAttribute('[data-status]', 'data-status'), 'revoked');

  // The card arrives: the agent marks it ready.
  await agent.page.goto(url);
  await submitForm(agent.page, '/titre-pret');
  assert.equal(await agent.page.getAttribute('[data-state]', 'data-state'), 'card_ready');
  await accessible(agent.page, 'staff dossier page (card ready)');
  for (const bp of [agent, supervisor, verifier]) expectNoProblems(bp);
});
