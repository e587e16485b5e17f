// Staff lists in a real browser: the queue page (tabs, filters, search, results), the deadline
// watch list and the statistics page (SVG charts beside tables), without JavaScript on a small
// phone and with JavaScript on a desktop screen, in French and Arabic; axe-core on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { translator } from '../../src/shared/i18n';
import { expectAxeClean, expectNoHorizontalScroll, expectNoProblems, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { addEvent, createStaffUser, insertDossier, type Staff } from '../helpers/queues-fixtures';

const fr = translator('fr');
const DAY = 86_400_000;
const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

let b: BrowserApp;
let supervisor: Staff;
before(async () => {
  b = await startBrowserApp({ after: (fn) => closers.push(fn) });
  const db = b.app.deps.db;
  const p = b.prefectureId;
  supervisor = await createStaffUser(db, p, 'supervisor', 'Sacha Superviseur');
  const now = Date.now();
  await insertDossier(db, p, { surname: 'Müller', givenNames: 'Éloïse', submittedAt: new Date(now - 118 * DAY) });
  await insertDossier(db, p, { surname: 'Benali', givenNames: 'Yasmine', submittedAt: new Date(now - 10 * DAY), state: 'under_review', assignedTo: supervisor.id, kind: 'renewal', late: true });
  const d = await insertDossier(db, p, { surname: 'Nguyễn', givenNames: 'Văn Minh', category: 'etudiant', submittedAt: new Date(now - 40 * DAY), state: 'decided_favourable' });
  await addEvent(db, p, d.id, 'decide', 'under_review', 'decided_favourable', new Date(now - 12 * DAY));
});

for (const javaScriptEnabled of [false, true]) {
  const viewport = javaScriptEnabled ? { width: 1280, height: 900 } : { width: 320, height: 640 };
  describe(`JavaScript ${javaScriptEnabled ? 'enabled, 1280 px' : 'disabled, 320 px'}`, () => {
    test('queues, search, deadlines and statistics pages are accessible, in French and Arabic', async (t) => {
      const bp = await b.newPage(t, { javaScriptEnabled, viewport });
      const { page } = bp;
      await bp.context.addCookies([{ name: 'sejour_sid', value: supervisor.token, url: b.baseUrl }]);
      assert.equal((await page.goto('/agent/dossiers'))?.status(), 200);
      assert.match(await page.locator('#liste').innerText(), /Müller/);
      await page.fill('#champ-q', 'ELOISE');
      await page.click('#filtres button[type=submit]');
      await page.waitForURL(/q=ELOISE/);
      assert.match(await page.locator('#liste').innerText(), /Éloïse/);
      await expectAxeClean(page, 'queue search');
      await expectNoHorizontalScroll(page, 'queue search');
      // Tabs keep the search: Benali is not an Éloïse; without the search, she is in my queue.
      await page.click('#file-review-mine');
      await page.waitForURL(/scope=mine/);
      assert.equal(await page.locator('#liste-vide').count(), 1);
      await page.goto('/agent/dossiers');
      assert.match(await page.locator('#file-review-mine').innerText(), new RegExp(fr('queues.queue_review_mine').replace(/[()]/g, '\\$&')));
      await page.click('#file-review-mine');
      await page.waitForURL(/scope=mine/);
      assert.match(await page.locator('#liste').innerText(), /Benali/);
      await expectAxeClean(page, 'queue mine');
      assert.equal((await page.goto('/agent/dossiers?by=agdref&q=12'))?.status(), 400);
      await expectAxeClean(page, 'queue with an error');
      assert.equal((await page.goto('/agent/echeances'))?.status(), 200);
      assert.match(await page.locator('#echeances').innerText(), /Müller/);
      await expectAxeClean(page, 'deadlines');
      await expectNoHorizontalScroll(page, 'deadlines');
      assert.equal((await page.goto('/agent/statistiques'))?.status(), 200);
      assert.equal(await page.locator('svg[role=img]').count(), 4);
      await expectAxeClean(page, 'statistics');
      await expectNoHorizontalScroll(page, 'statistics');
      assert.equal((await page.goto('/agent/statistiques?lang=ar'))?.status(), 200);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await expectAxeClean(page, 'statistics in Arabic');
      assert.equal((await page.goto('/agent/dossiers?lang=ar'))?.status(), 200);
      await expectAxeClean(page, 'queues in Arabic');
      expectNoProblems(bp);
    });
  });
}
