// A person in a real browser, with JavaScript off and then on: registers, follows the
// confirmation link from the development outbox, logs in, sees their account, logs out;
// switches to Arabic (right to left). axe-core checks every page met on the way (WCAG 2.1 AA).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { translator } from '../../src/shared/i18n';
import {
  expectAxeClean,
  expectDsfrScriptsLoaded,
  expectNoHorizontalScroll,
  expectNoProblems,
  startBrowserApp,
  type BrowserApp,
  type BrowserPage,
} from '../helpers/browser';

const fr = translator('fr');
const ar = translator('ar');
const PASSWORD = 'Lavande-Garrigue-Pic-Saint-Loup-1789';
const ARABIC = /[\u0600-\u06FF]/;

const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

let b: BrowserApp;
before(async () => {
  b = await startBrowserApp({ after: (fn) => closers.push(fn) });
});

/** Every page met: no axe-core violation, and no sideways scrolling at the context's width. */
async function expectAccessible(page: Page, label: string): Promise<void> {
  await expectAxeClean(page, label);
  await expectNoHorizontalScroll(page, label);
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('main h1').first().innerText()).trim();
}

/** After a form post (PRG): the browser is on `path` and the page is well formed. */
async function expectAt(bp: BrowserPage, path: string): Promise<void> {
  await bp.page.waitForURL((u) => u.pathname === path);
  assert.equal(new URL(bp.page.url()).pathname, path);
}

// Without JavaScript on a small phone (320 px: WCAG reflow), with JavaScript on a desktop screen.
for (const javaScriptEnabled of [false, true]) {
  const viewport = javaScriptEnabled ? { width: 1280, height: 900 } : { width: 320, height: 640 };
  describe(`JavaScript ${javaScriptEnabled ? 'enabled, 1280 px wide' : 'disabled, 320 px wide'}`, () => {
    const email = `camille.${javaScriptEnabled ? 'js' : 'nojs'}@exemple.fr`;

    test('home page and the 404 page are accessible; DSFR scripts load without errors', async (t) => {
      const bp = await b.newPage(t, { javaScriptEnabled, viewport });
      const res = await bp.page.goto('/');
      assert.equal(res?.status(), 200);
      assert.equal(await bp.page.getAttribute('html', 'lang'), 'fr');
      assert.equal(await bp.page.getAttribute('html', 'dir'), 'ltr');
      assert.equal(await heading(bp.page), fr('system.home_heading'));
      if (javaScriptEnabled) {
        await expectDsfrScriptsLoaded(bp);
      } else {
        assert.equal(await bp.page.getAttribute('html', 'data-fr-js'), null, 'no script ran');
      }
      await expectAccessible(bp.page, 'home');

      const missing = await bp.page.goto('/nulle-part');
      assert.equal(missing?.status(), 404);
      await expectAccessible(bp.page, '404 page');
      expectNoProblems(bp);
    });

    test('register, confirm from the outbox, log in, see the account, log out', async (t) => {
      const bp = await b.newPage(t, { javaScriptEnabled, viewport });
      const { page } = bp;
      await page.goto('/');
      await page.getByRole('navigation', { name: fr('common.account_nav_label') }).getByRole('link', { name: fr('common.register') }).click();
      await expectAt(bp, '/compte/inscription');
      assert.equal(await heading(page), fr('accounts.register_title'));
      await expectAccessible(page, 'register page');

      // A mistake first: the form comes back with an error summary, itself accessible.
      await page.getByLabel(fr('accounts.field_email')).fill(email);
      await page.getByLabel(fr('accounts.field_password'), { exact: false }).first().fill(PASSWORD);
      await page.getByLabel(fr('accounts.field_password_confirm')).fill(`${PASSWORD}-typo`);
      await page.getByRole('button', { name: fr('accounts.register_submit') }).click();
      await page.locator('#resume-erreurs').waitFor();
      assert.match(await page.title(), new RegExp(`^${fr('common.error_prefix')}`));
      assert.equal(await page.getByLabel(fr('accounts.field_email')).inputValue(), email, 'e-mail kept');
      assert.equal(await page.getByLabel(fr('accounts.field_password_confirm')).inputValue(), '', 'passwords never echoed');
      if (javaScriptEnabled) {
        // public/app.js moves focus to the error summary so screen readers announce it.
        await page.waitForFunction(() => document.activeElement?.id === 'resume-erreurs');
      }
      await expectAccessible(page, 'register page with errors');

      await page.getByLabel(fr('accounts.field_password'), { exact: false }).first().fill(PASSWORD);
      await page.getByLabel(fr('accounts.field_password_confirm')).fill(PASSWORD);
      await page.getByRole('button', { name: fr('accounts.register_submit') }).click();
      await expectAt(bp, '/compte/inscription/message-envoye');
      assert.equal(await heading(page), fr('accounts.check_mail_title'));

      // The confirmation mail, as a newcomer reads it in the development outbox.
      await page.goto('/dev/outbox');
      assert.equal(await heading(page), fr('system.outbox_title'));
      await expectAccessible(page, 'outbox');
      const mail = page.locator('article', { has: page.locator('.outbox-to', { hasText: email }) }).first();
      const link = mail.locator('a[href*="/compte/confirmer?token="]');
      const href = await link.getAttribute('href');
      assert.ok(href?.startsWith(`${b.baseUrl}/compte/confirmer?token=`), `link to this server: ${href}`);
      await link.click();
      await expectAt(bp, '/compte/connexion');
      assert.match(await page.locator('main').innerText(), new RegExp(fr('accounts.flash_email_confirmed')));
      await expectAccessible(page, 'login page');

      await page.getByLabel(fr('accounts.field_email')).fill(email);
      await page.getByLabel(fr('accounts.field_password'), { exact: false }).first().fill(PASSWORD);
      await page.locator('main').getByRole('button', { name: fr('accounts.login_submit') }).click();
      await expectAt(bp, '/compte');
      assert.equal(await heading(page), fr('accounts.account_title'));
      assert.match(await page.locator('main').innerText(), new RegExp(email.replace(/\./g, '\\.')));
      await expectAccessible(page, 'account page');

      await page.getByRole('button', { name: fr('common.logout') }).click();
      await expectAt(bp, '/');
      assert.match(await page.locator('main').innerText(), new RegExp(fr('accounts.flash_logged_out')));
      await page.getByRole('navigation', { name: fr('common.account_nav_label') }).getByRole('link', { name: fr('common.login') }).waitFor();
      // The session is gone: the account page now asks to log in.
      await page.goto('/compte');
      assert.equal(new URL(page.url()).pathname, '/compte/connexion');
      if (javaScriptEnabled) await expectDsfrScriptsLoaded(bp);
      expectNoProblems(bp);
    });

    test('Arabic: the language link gives a right-to-left page in Arabic, accessible', async (t) => {
      const bp = await b.newPage(t, { javaScriptEnabled, viewport });
      const { page } = bp;
      await page.goto('/');
      await page.getByRole('link', { name: 'العربية' }).click();
      await page.waitForURL((u) => u.searchParams.get('lang') === 'ar');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await page.getAttribute('html', 'lang'), 'ar');
      const h1 = await heading(page);
      assert.equal(h1, ar('system.home_heading'));
      assert.match(h1, ARABIC);
      // The language choice sticks for the next pages.
      await page.goto('/compte/connexion');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await heading(page), ar('accounts.login_title'));
      await page.goto('/?lang=ar');
      await expectAccessible(page, 'Arabic home');
      if (javaScriptEnabled) await expectDsfrScriptsLoaded(bp);
      expectNoProblems(bp);
    });
  });
}
