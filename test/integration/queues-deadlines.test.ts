// Deadline watch list: open dossiers within 30 days of the four-month implicit rejection, or
// past it, most urgent first, on known dates; decided ones and another préfecture's never;
// the page for every staff role, p50/p90 for supervisors only; the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listDeadlines } from '../../src/modules/queues/list-deadlines';
import { build } from '../helpers/build';
import { addEvent, apiGet, createStaffUser, insertDossier, otherPrefecture, page } from '../helpers/queues-fixtures';

const DAY = 86_400_000;

test('the watch list on known dates: past and coming deadlines, most urgent first, keyset pages', async (t) => {
  const { app, prefectureId: p } = await build(t);
  const db = app.deps.db;
  const now = new Date('2026-06-10T10:00:00Z');
  const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
  const a = await insertDossier(db, p, { surname: 'Passé', submittedAt: at('2026-02-01'), state: 'under_review' });
  const f = await insertDossier(db, p, { surname: 'Aujourdhui', submittedAt: at('2026-02-10'), state: 'pieces_requested' });
  const b = await insertDossier(db, p, { surname: 'Dix', submittedAt: at('2026-02-20') });
  const c = await insertDossier(db, p, { surname: 'VingtNeuf', submittedAt: at('2026-03-09'), state: 'resubmitted' });
  await insertDossier(db, p, { surname: 'TrenteDeux', submittedAt: at('2026-03-12') });
  const decided = await insertDossier(db, p, { surname: 'Decide', submittedAt: at('2026-01-01'), state: 'decided_unfavourable' });
  await addEvent(db, p, decided.id, 'decide', 'under_review', 'decided_unfavourable', at('2026-03-01'));
  await insertDossier(db, p, { surname: 'Retire', submittedAt: at('2026-01-02'), state: 'withdrawn' });
  const gard = await otherPrefecture(db);
  await insertDossier(db, gard, { surname: 'Gard', submittedAt: at('2026-01-01') });

  const { rows, nextCursor } = await listDeadlines(db, { prefectureId: p, now });
  assert.equal(nextCursor, null);
  assert.deepEqual(
    rows.map((r) => [r.id, r.daysLeft, r.deadline.toISOString().slice(0, 10)]),
    [
      [a.id, -9, '2026-06-01'],
      [f.id, 0, '2026-06-10'],
      [b.id, 10, '2026-06-20'],
      [c.id, 29, '2026-07-09'],
    ],
  );
  // Pages of one row walk the same list.
  const seen: string[] = [];
  let after: string | undefined;
  do {
    const pageOf = await listDeadlines(db, { prefectureId: p, now, after, pageSize: 1 });
    seen.push(...pageOf.rows.map((r) => r.id));
    after = pageOf.nextCursor ?? undefined;
  } while (after);
  assert.deepEqual(seen, [a.id, f.id, b.id, c.id]);
  // Four calendar months in Paris: filed on 31 October, the deadline is the last day of February.
  const oct = await insertDossier(db, p, { surname: 'Octobre', submittedAt: new Date('2026-10-31T09:00:00Z') });
  const later = await listDeadlines(db, { prefectureId: p, now: new Date('2027-02-20T10:00:00Z') });
  const row = later.rows.find((r) => r.id === oct.id);
  assert.equal(row?.daysLeft, 8);
});

test('the page shows the list to every staff role and processing times to supervisors; the API answers the same', async (t) => {
  const { app, prefectureId: p } = await build(t);
  const db = app.deps.db;
  const now = Date.now();
  const soon = await insertDossier(db, p, { surname: 'Bientôt', givenNames: 'Léa', submittedAt: new Date(now - 115 * DAY) });
  const past = await insertDossier(db, p, { surname: 'Dépassé', submittedAt: new Date(now - 130 * DAY), state: 'under_review' });
  const far = await insertDossier(db, p, { surname: 'Loin', submittedAt: new Date(now - 30 * DAY) });
  const done = await insertDossier(db, p, { category: 'etudiant', submittedAt: new Date(now - 200 * DAY), state: 'decided_favourable' });
  await addEvent(db, p, done.id, 'decide', 'under_review', 'decided_favourable', new Date(now - 190 * DAY));
  const agent = await createStaffUser(db, p, 'agent');
  const supervisor = await createStaffUser(db, p, 'supervisor');

  const html = await page(app, agent, '/agent/echeances');
  assert.equal(html.statusCode, 200);
  const iPast = html.body.indexOf(`/agent/dossiers/${past.id}`);
  const iSoon = html.body.indexOf(`/agent/dossiers/${soon.id}`);
  assert.ok(iPast > 0 && iSoon > iPast, 'the past deadline comes first');
  assert.ok(!html.body.includes(far.id) && !html.body.includes(done.id));
  assert.match(html.body, /fr-badge--error/);
  assert.doesNotMatch(html.body, /id="delais-table"/, 'agents do not see processing times');
  const sup = await page(app, supervisor, '/agent/echeances');
  assert.match(sup.body, /id="delais-table"/);
  assert.match(sup.body, /<th scope="row">Étudiant<\/th><td>1<\/td><td>10 j<\/td><td>10 j<\/td>/);

  const api = await apiGet(app, agent, '/api/v1/instruction/deadlines');
  assert.equal(api.statusCode, 200);
  const list = api.json().dossiers as { id: string; daysLeft: number }[];
  assert.deepEqual(
    list.map((d) => d.id),
    [past.id, soon.id],
  );
  assert.ok(list[0]!.daysLeft < 0 && list[1]!.daysLeft > 0);
  assert.equal((await page(app, agent, '/agent/echeances?after=%3Cscript%3E')).statusCode, 400);
});
