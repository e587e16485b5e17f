// An applicant in a real browser files an appointment request: without JavaScript (accepted,
// flagged for staff review: the accessible alternative to the proof of work) and with
// JavaScript (the ALTCHA widget, served from our origin, solves the proof of work in a Web
// Worker), then sees it in their list. axe-core checks the filing page, the request, the list,
// and the public walk-in rules page in Arabic (right to left).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { translator } from '../../src/shared/i18n';
import { createSession, SESSION_COOKIE } from '../../src/shared/auth/sessions';
import { setupFront } from '../helpers/appointments-front-fixtures';
import { expectAxeClean, expectNoProblems, startBrowserApp, type BrowserApp, type BrowserPage } from '../helpers/browser';

const fr = translator('fr');
const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

let b: BrowserApp;
before(async () => {
  b = await startBrowserApp({ after: (fn) => closers.push(fn) });
  await setupFront(b.app, b.prefectureId);
});

let n = 0;
/** A fresh context signed in as a new applicant (30-day-old account). */
async function applicant(t: { after(fn: () => Promise<void> | void): void }, javaScriptEnabled: boolean): Promise<BrowserPage & { email: string }> {
  const email = `personne${++n}@exemple.fr`;
  const created = new Date(Date.now() - 30 * 86_400_000);
  const user = await b.app.deps.db
    .insertInto('users')
    .values({ prefecture_id: b.prefectureId, role: 'applicant', email, password_hash: 'unused', email_confirmed_at: created, created_at: created })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const { token } = await createSession(b.app.deps.db, user, 'web', false);
  const bp = await b.newPage(t, { javaScriptEnabled, viewport: javaScriptEnabled ? { width: 1280, height: 900 } : { width: 320, height: 640 } });
  await bp.context.addCookies([{ name: SESSION_COOKIE, value: token, url: b.baseUrl }]);
  return { ...bp, email };
}

async function fillFiling(page: Page, who: { surname: string; givenNames: string; phone: string }): Promise<void> {
  await page.locator('input[name="surname"]').fill(who.surname);
  await page.locator('input[name="given_names"]').fill(who.givenNames);
  await page.locator('input[name="birth_date"]').fill('1991-05-17');
  // DSFR radios: the label is what a person clicks.
  await page.locator('label', { hasText: fr('appointments.front.permit_other') }).click();
  await page.locator('label', { hasText: 'Renouvellement de titre de séjour' }).click();
  const site = await page.locator('select[name="site_id"] option:not([value=""])').first().getAttribute('value');
  await page.locator('select[name="site_id"]').selectOption(site ?? '');
  await page.locator('input[name="phone"]').fill(who.phone);
}

async function statusOf(email: string): Promise<string> {
  const r = await b.app.deps.db.selectFrom('appointment_requests').select('status').where('email', '=', email).executeTakeFirstOrThrow();
  return r.status;
}

test('without JavaScript: the request is accepted, flagged for review, and listed', async (t) => {
  const bp = await applicant(t, false);
  const { page } = bp;
  const res = await page.goto('/rendez-vous/demande');
  assert.equal(res?.status(), 200);
  assert.ok((await page.locator('main').innerText()).includes(fr('appointments.front.nojs_review')), 'the no-JavaScript way is explained');
  await expectAxeClean(page, 'filing page (no JS)');
  await fillFiling(page, { surname: 'Sans', givenNames: 'Script', phone: '06 10 20 30 40' });
  await page.getByRole('button', { name: fr('appointments.front.file_submit') }).click();
  await page.waitForURL(/\/rendez-vous\/demandes\/[0-9a-f-]{36}$/);
  assert.equal(await statusOf(bp.email), 'review');
  await expectAxeClean(page, 'request page (no JS)');
  await page.goto('/rendez-vous');
  assert.ok(await page.getByText(fr('appointments.front.status_review')).first().isVisible());
  await expectAxeClean(page, 'my requests (no JS)');
  expectNoProblems(bp);
});

test('with JavaScript: the widget from our origin solves the proof of work; the request is pending', async (t) => {
  const bp = await applicant(t, true);
  const { page } = bp;
  const external: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(b.baseUrl) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) external.push(req.url());
  });
  await page.goto('/rendez-vous/demande');
  await expectAxeClean(page, 'filing page (JS)');
  await fillFiling(page, { surname: 'Avec', givenNames: 'Script', phone: '06 10 20 30 41' });
  // The person ticks the widget's box (its label; DSFR styles overlay the input itself).
  const box = page.locator('altcha-widget input[type="checkbox"]');
  await page.locator(`altcha-widget label[for="${await box.getAttribute('id')}"]`).click();
  await page.waitForFunction(() => {
    const input = document.querySelector<HTMLInputElement>('altcha-widget input[name="altcha"], input[name="altcha"]');
    return !!input && input.value.length > 20;
  });
  await page.getByRole('button', { name: fr('appointments.front.file_submit') }).click();
  await page.waitForURL(/\/rendez-vous\/demandes\/[0-9a-f-]{36}$/);
  assert.equal(await statusOf(bp.email), 'pending');
  await page.goto('/rendez-vous');
  assert.ok(await page.getByText(fr('appointments.front.status_pending')).first().isVisible());
  await expectAxeClean(page, 'my requests (JS)');
  assert.deepEqual(external, [], 'nothing loaded from another origin');
  expectNoProblems(bp);
});

test('public walk-in rules in Arabic: right to left and accessible', async (t) => {
  const bp = await b.newPage(t, { javaScriptEnabled: false });
  const res = await bp.page.goto('/rendez-vous/sans-rendez-vous?lang=ar');
  assert.equal(res?.status(), 200);
  assert.equal(await bp.page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await bp.page.getAttribute('html', 'lang'), 'ar');
  assert.match(await bp.page.locator('main').innerText(), /[\u0600-\u06FF]/);
  await expectAxeClean(bp.page, 'walk-in rules (ar)');
  expectNoProblems(bp);
});
