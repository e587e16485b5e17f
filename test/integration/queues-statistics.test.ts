// Supervisor statistics: filed and decided per week, backlog by status, p50/p90 processing
// times by category (percentile_cont) and the rate of requests for pièces on known data;
// the page (SVG + tables), the CSV export and the API; agents and applicants refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';
import { computeStatistics } from '../../src/modules/queues/compute-statistics';
import { processingTimes } from '../../src/modules/queues/processing-times';
import { build } from '../helpers/build';
import { addEvent, apiGet, createStaffUser, insertDossier, otherPrefecture, page } from '../helpers/queues-fixtures';

const DAY = 86_400_000;

/** The Wednesday 10:00 UTC of the current week in Paris. */
function thisWednesday(now = new Date()): Date {
  const paris = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const d = new Date(`${paris}T10:00:00Z`);
  const isoDow = ((d.getUTCDay() + 6) % 7) + 1;
  return new Date(d.getTime() + (3 - isoDow) * DAY);
}

/** Known data around a Wednesday W (10:00 UTC). Decision times: salarie 10, 20, 30, 40 days; etudiant 4. */
async function seedStats(db: Kysely<DB>, p: string, W: Date): Promise<void> {
  const at = (days: number, hours = 0) => new Date(W.getTime() + days * DAY + hours * 3_600_000);
  const decided = async (category: string, filed: number, decidedAfter: number, to: 'decided_favourable' | 'decided_unfavourable' = 'decided_favourable', requested = false) => {
    const d = await insertDossier(db, p, { category, submittedAt: at(filed), state: to });
    if (requested) {
      await addEvent(db, p, d.id, 'request_pieces', 'submitted', 'pieces_requested', at(filed + 2));
      await addEvent(db, p, d.id, 'resubmit', 'pieces_requested', 'resubmitted', at(filed + 4));
    }
    await addEvent(db, p, d.id, 'decide', requested ? 'resubmitted' : 'under_review', to, at(filed + decidedAfter));
  };
  await decided('salarie', -21, 10);
  await decided('salarie', -21, 20, 'decided_unfavourable', true);
  await decided('salarie', -40, 30);
  await decided('salarie', -51, 40);
  await decided('etudiant', -9, 4);
  const v = await insertDossier(db, p, { category: 'visiteur', submittedAt: at(-15), state: 'closed' });
  await addEvent(db, p, v.id, 'close', 'submitted', 'closed', at(-5));
  await insertDossier(db, p, { category: 'etudiant', submittedAt: at(-2) });
  const e3 = await insertDossier(db, p, { category: 'etudiant', submittedAt: at(0, -2), state: 'pieces_requested' });
  await addEvent(db, p, e3.id, 'request_pieces', 'submitted', 'pieces_requested', at(0, -1));
  await insertDossier(db, p, { category: 'salarie', submittedAt: at(-31), state: 'under_review' });
}

const EXPECTED_CATEGORIES = [
  { categoryCode: 'etudiant', filed: 3, decided: 1, backlog: 2, p50Days: 4, p90Days: 4, piecesRequestRate: 1 / 3 },
  { categoryCode: 'salarie', filed: 2, decided: 4, backlog: 1, p50Days: 25, p90Days: 37, piecesRequestRate: 1 / 2 },
  { categoryCode: 'visiteur', filed: 1, decided: 0, backlog: 0, p50Days: null, p90Days: null, piecesRequestRate: 0 },
];

function close(actual: number | null, expected: number | null, label: string) {
  if (expected === null) return assert.equal(actual, null, label);
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-6, `${label}: ${actual} ≠ ${expected}`);
}

test('statistics on known dates: weekly filed and decided, backlog, p50/p90 and request rate by category', async (t) => {
  const { app, prefectureId: p } = await build(t);
  const db = app.deps.db;
  const W = new Date('2026-06-10T10:00:00Z');
  await seedStats(db, p, W);
  const gard = await otherPrefecture(db);
  await insertDossier(db, gard, { category: 'salarie', submittedAt: W, state: 'under_review' });

  const s = await computeStatistics(db, { prefectureId: p, weeks: 4, now: W });
  assert.equal(s.since, '2026-05-18');
  assert.deepEqual(s.weekly, [
    { week: '2026-05-18', filed: 2, decided: 0 },
    { week: '2026-05-25', filed: 1, decided: 3 },
    { week: '2026-06-01', filed: 1, decided: 1 },
    { week: '2026-06-08', filed: 2, decided: 1 },
  ]);
  assert.deepEqual(s.backlog, [
    { state: 'submitted', count: 1 },
    { state: 'under_review', count: 1 },
    { state: 'pieces_requested', count: 1 },
    { state: 'resubmitted', count: 0 },
  ]);
  assert.equal(s.categories.length, EXPECTED_CATEGORIES.length);
  for (const [i, e] of EXPECTED_CATEGORIES.entries()) {
    const c = s.categories[i]!;
    assert.equal(c.categoryCode, e.categoryCode);
    assert.deepEqual([c.filed, c.decided, c.backlog], [e.filed, e.decided, e.backlog], e.categoryCode);
    close(c.p50Days, e.p50Days, `${e.categoryCode} p50`);
    close(c.p90Days, e.p90Days, `${e.categoryCode} p90`);
    close(c.piecesRequestRate, e.piecesRequestRate, `${e.categoryCode} rate`);
  }
  // One category only.
  const etu = await computeStatistics(db, { prefectureId: p, weeks: 4, now: W, category: 'etudiant' });
  assert.deepEqual(
    etu.weekly.map((w) => [w.filed, w.decided]),
    [
      [0, 0],
      [0, 0],
      [1, 1],
      [2, 0],
    ],
  );
  assert.deepEqual(etu.categories.map((c) => c.categoryCode), ['etudiant']);
  // All decisions ever: the same p50/p90 (percentile_cont interpolates: p90 of 10,20,30,40 is 37).
  const all = await processingTimes(db, { prefectureId: p });
  assert.deepEqual(
    all.map((x) => [x.categoryCode, x.decided, Math.round(x.p50Days * 1000) / 1000, Math.round(x.p90Days * 1000) / 1000]),
    [
      ['etudiant', 1, 4, 4],
      ['salarie', 4, 25, 37],
    ],
  );
  // A window that starts after some decisions leaves them out.
  const late = await processingTimes(db, { prefectureId: p, since: new Date('2026-05-31T00:00:00Z') });
  assert.deepEqual(
    late.map((x) => [x.categoryCode, x.decided, Math.round(x.p50Days * 1000) / 1000]),
    [
      ['etudiant', 1, 4],
      ['salarie', 2, 25],
    ],
  );
});

test('statistics page (SVG beside tables), CSV export and API are for supervisors and admins only', async (t) => {
  const { app, prefectureId: p } = await build(t);
  const db = app.deps.db;
  await seedStats(db, p, thisWednesday());
  // A category name that needs CSV quoting.
  await db.updateTable('permit_categories').set({ name: JSON.stringify({ fr: 'Visiteur, "long séjour"', en: 'Visitor', ar: 'زائر' }) }).where('prefecture_id', '=', p).where('code', '=', 'visiteur').execute();
  const agent = await createStaffUser(db, p, 'agent');
  const supervisor = await createStaffUser(db, p, 'supervisor');
  const admin = await createStaffUser(db, p, 'admin');

  for (const url of ['/agent/statistiques', '/agent/statistiques/export.csv?table=categories']) assert.equal((await page(app, agent, url)).statusCode, 403, url);
  assert.equal((await apiGet(app, agent, '/api/v1/instruction/statistics')).statusCode, 403);

  const html = await page(app, supervisor, '/agent/statistiques?weeks=4');
  assert.equal(html.statusCode, 200);
  const svgs = html.body.match(/<svg [^>]*role="img"[^>]*>/g) ?? [];
  assert.equal(svgs.length, 4);
  for (const id of ['graphique-semaines', 'graphique-stock', 'graphique-delais', 'graphique-demandes-pieces']) {
    assert.match(html.body, new RegExp(`<title id="${id}-title">`));
    assert.match(html.body, new RegExp(`<desc id="${id}-desc">`));
  }
  assert.equal((html.body.match(/<caption>/g) ?? []).length, 3);
  assert.doesNotMatch(html.body, /style=/, 'no inline style (CSP)');
  assert.match(html.body, /<th scope="row">Étudiant[^<]*<\/th><td>3<\/td><td>1<\/td><td>2<\/td>/);
  assert.match((await page(app, admin, '/agent/statistiques')).body, /graphique-semaines/);
  assert.match((await page(app, supervisor, '/agent')).body, /href="\/agent\/statistiques"/);
  assert.equal((await page(app, supervisor, '/agent/statistiques?weeks=0')).statusCode, 400);

  const csv = await page(app, supervisor, '/agent/statistiques/export.csv?table=categories&weeks=4');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
  assert.match(String(csv.headers['content-disposition']), /^attachment; filename="statistiques-categories-\d{4}-\d{2}-\d{2}\.csv"$/);
  assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 byte order mark');
  const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
  assert.equal(lines[0], 'Code catégorie,Catégorie,Déposés,Décidés,En stock,Délai médian p50 (jours),Délai p90 (jours),Taux de demandes de pièces (0 à 1)');
  assert.equal(lines[1], 'etudiant,Étudiant,3,1,2,4,4,0.3333');
  assert.equal(lines[2], 'salarie,Salarié,2,4,1,25,37,0.5');
  assert.equal(lines[3], 'visiteur,"Visiteur, ""long séjour""",1,0,0,,,0');
  assert.equal(lines[4], '');
  assert.equal(lines.length, 5);
  const weekly = await page(app, supervisor, '/agent/statistiques/export.csv?table=weekly&weeks=4');
  const wl = weekly.body.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(wl[0], 'Semaine du,Déposés,Décidés');
  assert.deepEqual(
    wl.slice(1).map((l) => l.split(',').slice(1).join(',')),
    ['2,0', '1,3', '1,1', '2,1'],
  );
  const backlog = await page(app, supervisor, '/agent/statistiques/export.csv?table=backlog');
  assert.match(backlog.body, /\r\nsubmitted,Déposée,1\r\nunder_review,En cours d'examen,1\r\npieces_requested,Pièces demandées,1\r\nresubmitted,Pièces envoyées,0\r\n$/);
  assert.equal((await page(app, supervisor, '/agent/statistiques/export.csv?table=other')).statusCode, 400);

  const res = await apiGet(app, supervisor, '/api/v1/instruction/statistics?weeks=4&category=salarie');
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(
    body.weekly.map((w: { filed: number; decided: number }) => [w.filed, w.decided]),
    [
      [2, 0],
      [0, 3],
      [0, 0],
      [0, 1],
    ],
  );
  assert.deepEqual(body.processingTimes, [{ category: 'salarie', decided: 4, p50Days: 25, p90Days: 37 }]);
});
