// Staff queues: every filter and search kind returns the right rows, accent- and
// case-insensitive partial names, keyset pagination over ties, counts, isolation between
// préfectures, applicants refused, the page without JavaScript and the API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listQueue } from '../../src/modules/queues/list-queue';
import { queueQuerySchema } from '../../src/modules/queues/queue-filters';
import { prepareNameSearch } from '../../src/modules/queues/search';
import { build } from '../helpers/build';
import { apiGet, createStaffUser, insertDossier, otherPrefecture, page, siteIds, type DossierSpec, type Staff } from '../helpers/queues-fixtures';

const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

describe('queues', async () => {
  const t0 = { after: (fn: () => Promise<void> | void) => after.push(fn) };
  const after: (() => Promise<void> | void)[] = [];
  const { app, prefectureId: p } = await build(t0);
  const db = app.deps.db;
  const agent = await createStaffUser(db, p, 'agent', 'Camille Agent');
  const other = await createStaffUser(db, p, 'agent', 'Dominique Autre');
  const sites = await siteIds(db, p);
  const ids: Record<string, { id: string; number: string }> = {};
  ids.eloise = await insertDossier(db, p, { surname: 'Müller', givenNames: 'Éloïse Marie', submittedAt: day('2026-01-05'), category: 'etudiant', siteId: sites.montpellier, email: 'Eloise.Muller@Example.test' });
  ids.noel = await insertDossier(db, p, { surname: 'NOËL', givenNames: 'François', submittedAt: day('2026-01-06'), state: 'under_review', assignedTo: agent.id, siteId: sites.beziers, agdref: '0123456789' });
  ids.li = await insertDossier(db, p, { surname: 'Li', givenNames: 'Wei', submittedAt: day('2026-02-10'), state: 'resubmitted', assignedTo: other.id, kind: 'renewal', late: true });
  ids.oconnor = await insertDossier(db, p, { surname: "O'Connor-Dubois", givenNames: 'Seán', submittedAt: day('2026-03-01'), state: 'pieces_requested', kind: 'change_of_status' });
  ids.garcia = await insertDossier(db, p, { surname: 'García Løkke', givenNames: 'Zoë', submittedAt: day('2026-03-15'), state: 'decided_favourable', siteId: sites.lodeve });
  ids.closed = await insertDossier(db, p, { surname: 'Mullerova', givenNames: 'Anna', submittedAt: day('2026-03-20'), state: 'withdrawn' });
  ids.handed = await insertDossier(db, p, { surname: 'Dupont', givenNames: 'Liam', submittedAt: day('2026-03-21'), state: 'handed_over', kind: 'renewal', late: true });
  // A draft is never listed.
  const applicant = await createStaffUser(db, p, 'applicant');
  await db
    .insertInto('dossiers')
    .values({ prefecture_id: p, applicant_id: applicant.id, applicant_email: 'brouillon@example.test', category_code: 'salarie', request_kind: 'first', surname: 'Müller' })
    .execute();
  // Another préfecture with a look-alike dossier.
  const gard = await otherPrefecture(db);
  const gardAgent = await createStaffUser(db, gard, 'agent');
  const gardDossier = await insertDossier(db, gard, { surname: 'Müller', givenNames: 'Éloïse', submittedAt: day('2026-01-05') });

  test.after(async () => {
    for (const fn of after.reverse()) await fn();
  });

  const numbers = async (who: Staff, qs: string) => {
    const res = await apiGet(app, who, `/api/v1/instruction/dossiers?${qs}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { dossiers: { number: string }[] }).dossiers.map((d) => d.number).sort();
  };
  const n = (...keys: string[]) => keys.map((k) => ids[k]!.number).sort();

  test('queues group the states; "mine" is what I hold; drafts never appear', async () => {
    assert.deepEqual(await numbers(agent, 'queue=new'), n('eloise'));
    assert.deepEqual(await numbers(agent, 'queue=review'), n('noel', 'li'));
    assert.deepEqual(await numbers(agent, 'queue=review&scope=mine'), n('noel'));
    assert.deepEqual(await numbers(other, 'queue=review&scope=mine'), n('li'));
    assert.deepEqual(await numbers(agent, 'queue=waiting'), n('oconnor'));
    assert.deepEqual(await numbers(agent, 'queue=decided'), n('garcia', 'closed', 'handed'));
    const res = await apiGet(app, agent, '/api/v1/instruction/dossiers');
    assert.deepEqual(res.json().counts, { new: 1, review: 2, reviewMine: 1, waiting: 1, decided: 3 });
    assert.equal(res.json().dossiers[0].href, `/agent/dossiers/${ids.eloise!.id}`);
  });

  test('filters: category, request kind, site, filing dates, late renewal; counts follow the filters', async () => {
    assert.deepEqual(await numbers(agent, 'queue=new&category=etudiant'), n('eloise'));
    assert.deepEqual(await numbers(agent, 'queue=new&category=salarie'), []);
    assert.deepEqual(await numbers(agent, 'queue=review&kind=renewal'), n('li'));
    assert.deepEqual(await numbers(agent, 'queue=waiting&kind=change_of_status'), n('oconnor'));
    assert.deepEqual(await numbers(agent, `queue=review&site=${sites.beziers}`), n('noel'));
    assert.deepEqual(await numbers(agent, `queue=decided&site=${sites.lodeve}`), n('garcia'));
    assert.deepEqual(await numbers(agent, 'queue=decided&from=2026-03-20'), n('closed', 'handed'));
    assert.deepEqual(await numbers(agent, 'queue=decided&to=2026-03-20'), n('garcia', 'closed'));
    assert.deepEqual(await numbers(agent, 'queue=decided&from=2026-03-16&to=2026-03-20'), n('closed'));
    assert.deepEqual(await numbers(agent, 'queue=decided&late=1'), n('handed'));
    assert.deepEqual(await numbers(agent, 'queue=review&late=1'), n('li'));
    const res = await apiGet(app, agent, '/api/v1/instruction/dossiers?late=1');
    assert.deepEqual(res.json().counts, { new: 0, review: 1, reviewMine: 0, waiting: 0, decided: 1 });
  });

  test('name search ignores case and accents and matches part of a name', async () => {
    const byName = (q: string, queue = 'new') => numbers(agent, `queue=${queue}&by=name&q=${encodeURIComponent(q)}`);
    assert.deepEqual(await byName('eloise'), n('eloise'));
    assert.deepEqual(await byName('MÜLLER'), n('eloise'));
    assert.deepEqual(await byName('muller'), n('eloise'));
    assert.deepEqual(await byName('ller'), n('eloise'));
    assert.deepEqual(await byName('Éloïse Mul'), n('eloise'));
    assert.deepEqual(await byName('mar elo'), n('eloise'), 'words in any order');
    assert.deepEqual(await byName('zoe', 'decided'), n('garcia'));
    assert.deepEqual(await byName('GARCIA lokke', 'decided'), n('garcia'));
    assert.deepEqual(await byName('muller', 'decided'), n('closed'), 'Mullerova contains muller');
    assert.deepEqual(await byName('noel francois', 'review'), n('noel'));
    assert.deepEqual(await byName('oconnor', 'waiting'), [], 'the apostrophe separates words');
    assert.deepEqual(await byName("o'connor", 'waiting'), n('oconnor'));
    assert.deepEqual(await byName("O'C", 'waiting'), n('oconnor'), 'each piece of a word the apostrophe splits');
    assert.deepEqual(await byName("o'z", 'waiting'), [], 'no word of the name starts with z');
    assert.deepEqual(await byName("z'connor", 'waiting'), [], 'a short word is checked even when the index is asked only for the long one');
    assert.deepEqual(await byName('connor s', 'waiting'), n('oconnor'));
    assert.deepEqual(await byName('dubois sean', 'waiting'), n('oconnor'));
    // One or two letters: the start of a word.
    assert.deepEqual(await byName('li', 'review'), n('li'));
    assert.deepEqual(await byName('li', 'decided'), n('handed'), 'Liam starts with li; García Løkke does not');
    assert.deepEqual(await byName('w', 'review'), n('li'));
    assert.deepEqual(await byName('ei', 'review'), [], 'not the start of a word');
    assert.deepEqual(await byName('100%_'), [], 'wildcards are not wildcards');
  });

  test('every word of a name search asks the trigram index for something, punctuation included', async () => {
    // A term without trigrams would be `search_trgm @> '{}'`: every dossier read from the table.
    for (const q of ["o'c", "d'a l'e", 'é.', 'Jean-Pierre', "N'Diaye", 'li w']) {
      const { terms } = await prepareNameSearch(db, { prefectureId: p, queue: 'waiting', q, probe: app.deps.config.queues.nameProbe });
      assert.ok(terms.length > 0, q);
      for (const term of terms) assert.ok(term.trigrams.length > 0, `${q}: "${term.folded}" has no trigram`);
    }
    assert.deepEqual(
      (await prepareNameSearch(db, { prefectureId: p, queue: 'waiting', q: "D'a  l'É", probe: app.deps.config.queues.nameProbe })).terms.map((t) => t.folded),
      ['d', 'a', 'l', 'e'],
    );
  });

  test('a name search in "mine" lists only what I hold, with the counts of the search', async () => {
    assert.deepEqual(await numbers(agent, 'queue=review&scope=mine&by=name&q=noel'), n('noel'));
    assert.deepEqual(await numbers(agent, 'queue=review&scope=mine&by=name&q=li'), [], 'Li is held by another agent');
    assert.deepEqual(await numbers(other, 'queue=review&scope=mine&by=name&q=li'), n('li'));
    const res = await apiGet(app, agent, '/api/v1/instruction/dossiers?queue=review&scope=mine&by=name&q=wei');
    assert.deepEqual(res.json().counts, { new: 0, review: 1, reviewMine: 0, waiting: 0, decided: 0 });
  });

  test('number (exact or prefix), AGDREF and e-mail searches', async () => {
    const all = ['new', 'review', 'waiting', 'decided'];
    const everywhere = async (qs: string) => (await Promise.all(all.map((q) => numbers(agent, `queue=${q}&${qs}`)))).flat().sort();
    assert.deepEqual(await everywhere(`by=number&q=${ids.noel!.number}`), n('noel'));
    assert.deepEqual(await everywhere(`by=number&q=${ids.noel!.number.slice(0, 12)}`).then((r) => r.includes(ids.noel!.number)), true);
    assert.deepEqual(await everywhere('by=number&q=34-2026-'), n('eloise', 'noel', 'li', 'oconnor', 'garcia', 'closed', 'handed'));
    assert.deepEqual(await everywhere('by=number&q=34-2025'), []);
    assert.deepEqual(await everywhere('by=agdref&q=0123456789'), n('noel'));
    assert.deepEqual(await everywhere('by=agdref&q=0123456788'), []);
    assert.deepEqual(await everywhere('by=email&q=eloise.muller%40example.TEST'), n('eloise'));
    assert.deepEqual(await everywhere('by=email&q=eloise%40example.test'), []);
    // Bad input: 400 problem, never a 500.
    for (const qs of ['by=agdref&q=12345', 'by=number&q=abc', 'by=email&q=nope', 'queue=later', 'from=2026-02-30', 'from=2026-03-02&to=2026-03-01', 'after=xyz']) {
      const res = await apiGet(app, agent, `/api/v1/instruction/dossiers?${qs}`);
      assert.equal(res.statusCode, 400, qs);
      assert.match(String(res.headers['content-type']), /problem\+json/);
    }
  });

  test('a broad name search (a name many dossiers carry) lists the same rows by filing date, without counts, and says so', async (t) => {
    // The sample reads the first 4 dossiers of the listed queue: a name in 2 of them or more is broad.
    const probe = { sample: 4, broadFrom: 2 };
    const { app: app3, prefectureId: p3 } = await build(t, { config: { queues: { nameProbe: probe } } });
    const db3 = app3.deps.db;
    const me = await createStaffUser(db3, p3, 'agent');
    const made: Record<string, string> = {};
    const add = async (key: string, surname: string, state: DossierSpec['state'], date: string) => {
      made[key] = (await insertDossier(db3, p3, { surname, givenNames: 'Sam', submittedAt: day(date), state, ...(state === 'under_review' ? { assignedTo: me.id } : {}) })).number;
    };
    await add('dupuis1', 'Dupuis', 'submitted', '2026-05-03');
    await add('dupuis2', 'DUPUIS', 'submitted', '2026-05-01');
    await add('dupuis3', 'Dupuis-Léger', 'submitted', '2026-05-02');
    await add('dupuis4', 'Dupuis', 'under_review', '2026-05-04');
    await add('dupuis5', 'Dupuis', 'pieces_requested', '2026-05-05');
    await add('dupuis6', 'Dupuis', 'handed_over', '2026-05-06');
    await add('martin1', 'Martin', 'submitted', '2026-05-07');
    await add('martin2', 'Martin', 'closed', '2026-05-08');
    await add('zed1', 'Zed', 'closed', '2026-05-09');
    await add('zed2', 'Zed', 'decided_unfavourable', '2026-05-10');
    const list = (q: string, queue: 'new' | 'review' | 'waiting' | 'decided', nameProbe = probe) =>
      listQueue(db3, { prefectureId: p3, userId: me.id, query: queueQuerySchema.parse({ queue, by: 'name', q }), nameProbe });
    // A sample larger than the queue: never broad.
    const small = { sample: 11, broadFrom: 2 };

    const broad = await list('dupuis', 'new');
    assert.equal(broad.counts, null, 'broad: counts not computed');
    assert.deepEqual(broad.rows.map((r) => r.number), [made.dupuis2, made.dupuis3, made.dupuis1], 'filing order');
    // The same rows as the trigram path, which a queue smaller than the sample takes.
    const narrow = await list('dupuis', 'new', small);
    assert.deepEqual(narrow.counts, { new: 3, review: 1, reviewMine: 1, waiting: 1, decided: 1 });
    assert.deepEqual(narrow.rows.map((r) => r.number), broad.rows.map((r) => r.number));
    for (const [q, queue] of [['DUP', 'review'], ['du', 'waiting'], ['léger', 'new'], ['sam dupuis', 'decided'], ['puis', 'new']] as const) {
      const b = await list(q, queue);
      const nw = await list(q, queue, small);
      assert.deepEqual(b.rows.map((r) => r.number), nw.rows.map((r) => r.number), `${q} in ${queue}`);
      assert.ok(b.rows.length > 0, `${q} in ${queue} finds something`);
    }
    assert.equal((await list('dup', 'new')).counts, null);
    // The sample is the listed queue's: "zed", common among the decided dossiers, is not broad
    // when listing the new ones (and "dupuis", broad in "new", is not in "decided").
    assert.deepEqual((await list('zed', 'new')).counts, { new: 0, review: 0, reviewMine: 0, waiting: 0, decided: 2 });
    assert.equal((await list('zed', 'decided')).counts, null);
    assert.notEqual((await list('dupuis', 'decided')).counts, null);
    // Filters and the keyset cursor apply on the broad path as on the other one.
    const walk = async (nameProbe: typeof probe, extra: Record<string, string>) => {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const res = await listQueue(db3, { prefectureId: p3, userId: me.id, query: queueQuerySchema.parse({ queue: 'new', by: 'name', q: 'dupuis', after, ...extra }), nameProbe, pageSize: 1 });
        seen.push(...res.rows.map((r) => r.number));
        after = res.nextCursor ?? undefined;
      } while (after && seen.length < 10);
      return seen;
    };
    assert.deepEqual(await walk(probe, {}), [made.dupuis2, made.dupuis3, made.dupuis1], 'broad, one row per page');
    assert.deepEqual(await walk(probe, { from: '2026-05-02' }), [made.dupuis3, made.dupuis1], 'broad, filing dates');
    assert.deepEqual(await walk(small, { from: '2026-05-02' }), [made.dupuis3, made.dupuis1]);
    assert.deepEqual(await walk(probe, { kind: 'renewal' }), [], 'broad, request kind');
    // A name in fewer dossiers keeps its counts, and so does any other search.
    assert.deepEqual((await list('martin', 'decided')).counts, { new: 1, review: 0, reviewMine: 0, waiting: 0, decided: 1 });

    // The page says why the counts are missing; the API gives null.
    const broadPage = await page(app3, me, '/agent/dossiers?by=name&q=dupuis');
    assert.equal(broadPage.statusCode, 200);
    assert.match(broadPage.body, /id="recherche-large"/);
    assert.match(broadPage.body, /le nombre de dossiers par file n’est pas calculé/);
    assert.doesNotMatch(broadPage.body, /id="file-new-all"[^>]*>[^<]*\(/, 'no count in the tabs');
    const narrowPage = await page(app3, me, '/agent/dossiers?by=name&q=martin');
    assert.doesNotMatch(narrowPage.body, /id="recherche-large"/);
    assert.match(narrowPage.body, /id="file-new-all"[^>]*>[^<]*\(1\)/);
    const api = await apiGet(app3, me, '/api/v1/instruction/dossiers?by=name&q=dupuis');
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().counts, null);
    assert.equal(api.json().dossiers.length, 3);
  });

  test('keyset pagination walks every row exactly once, ties on the filing instant included', async (t) => {
    const { app: app2, prefectureId: p2 } = await build(t);
    const db2 = app2.deps.db;
    const me = await createStaffUser(db2, p2, 'agent');
    const same = day('2026-04-01');
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      const at = i % 3 === 0 ? same : new Date(same.getTime() + (i % 5) * 1000 + (i % 2) * 0.001);
      made.push((await insertDossier(db2, p2, { surname: `Nom${i}`, submittedAt: at })).id);
    }
    // Sub-millisecond instants, as PostgreSQL keeps them (a JavaScript Date would drop them).
    await db2.updateTable('dossiers').set({ submitted_at: '2026-04-01T10:00:00.000300Z' }).where('id', '=', made[1]!).execute();
    await db2.updateTable('dossiers').set({ submitted_at: '2026-04-01T10:00:00.000700Z' }).where('id', '=', made[2]!).execute();
    for (const size of [1, 4, 7, 23, 50]) {
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const res = await listQueue(db2, { prefectureId: p2, userId: me.id, query: queueQuerySchema.parse({ queue: 'new', after }), pageSize: size, nameProbe: app.deps.config.queues.nameProbe });
        seen.push(...res.rows.map((r) => r.id));
        after = res.nextCursor ?? undefined;
        pages++;
        assert.ok(pages <= 30);
      } while (after);
      assert.equal(seen.length, 23, `size ${size}`);
      assert.equal(new Set(seen).size, 23, `size ${size}: no row twice`);
      assert.deepEqual([...seen].sort(), [...made].sort());
    }
    // The order is the filing instant then the id.
    const rows = await db2.selectFrom('dossiers').select(['id', 'submitted_at']).where('prefecture_id', '=', p2).orderBy('submitted_at').orderBy('id').execute();
    const first = await listQueue(db2, { prefectureId: p2, userId: me.id, query: queueQuerySchema.parse({}), pageSize: 50, nameProbe: app.deps.config.queues.nameProbe });
    assert.deepEqual(
      first.rows.map((r) => r.id),
      rows.map((r) => r.id),
    );
    // The page: 23 rows fit one page of 50, so no next link.
    const html = await page(app2, me, '/agent/dossiers');
    assert.equal(html.statusCode, 200);
    assert.doesNotMatch(html.body, /rel="next"/, '23 rows fit one page of 50');

    // 60 rows: two pages of the page and of the API, each row once, in the filing order.
    for (let i = 23; i < 60; i++) made.push((await insertDossier(db2, p2, { surname: `Nom${i}`, submittedAt: new Date(same.getTime() + i * 60_000) })).id);
    const order = (await db2.selectFrom('dossiers').select('id').where('prefecture_id', '=', p2).orderBy('submitted_at').orderBy('id').execute()).map((r) => r.id);
    const rowIds = (body: string) => [...body.matchAll(/href="\/agent\/dossiers\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const p1 = await page(app2, me, '/agent/dossiers?queue=new');
    const next = /<a [^>]*rel="next" href="([^"]+)"/.exec(p1.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(next, 'a next link on the first page');
    assert.match(next, /[?&]after=[A-Za-z0-9_-]+/);
    assert.match(next, /[?&]queue=new/, 'the next link keeps the queue');
    const p2page = await page(app2, me, next);
    assert.equal(p2page.statusCode, 200);
    assert.doesNotMatch(p2page.body, /rel="next"/);
    assert.deepEqual([...rowIds(p1.body), ...rowIds(p2page.body)], order);
    const a1 = await apiGet(app2, me, '/api/v1/instruction/dossiers?queue=new');
    assert.equal(a1.statusCode, 200);
    assert.equal(a1.json().dossiers.length, 50);
    assert.ok(a1.json().nextCursor);
    const a2 = await apiGet(app2, me, `/api/v1/instruction/dossiers?queue=new&after=${a1.json().nextCursor}`);
    assert.equal(a2.json().nextCursor, null);
    assert.deepEqual([...a1.json().dossiers, ...a2.json().dossiers].map((d: { id: string }) => d.id), order);
    assert.equal((await apiGet(app2, me, '/api/v1/instruction/dossiers?after=not-ours')).statusCode, 400);
  });

  test('waiting for the applicant: a passed deadline for pièces is flagged on the page and in the API', async (t) => {
    const { app: app4, prefectureId: p4 } = await build(t);
    const me = await createStaffUser(app4.deps.db, p4, 'agent');
    const iso = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const overdue = await insertDossier(app4.deps.db, p4, { state: 'pieces_requested', surname: 'Retard' });
    const inTime = await insertDossier(app4.deps.db, p4, { state: 'pieces_requested', surname: 'Atemps' });
    await app4.deps.db.updateTable('dossiers').set({ pieces_deadline: iso(-2), requested_pieces: ['passport'] }).where('id', '=', overdue.id).execute();
    await app4.deps.db.updateTable('dossiers').set({ pieces_deadline: iso(5), requested_pieces: ['passport'] }).where('id', '=', inTime.id).execute();
    const html = (await page(app4, me, '/agent/dossiers?queue=waiting')).body;
    const rowOf = (id: string) => new RegExp(`<tr[^>]*>(?:(?!</tr>).)*/agent/dossiers/${id}"(?:(?!</tr>).)*</tr>`, 's').exec(html)?.[0] ?? '';
    assert.match(rowOf(overdue.id), /data-flag="deadline-passed"[^>]*>\s*Délai dépassé/);
    assert.ok(rowOf(inTime.id), 'the dossier in time is listed');
    assert.doesNotMatch(rowOf(inTime.id), /deadline-passed/);
    const api = (await apiGet(app4, me, '/api/v1/instruction/dossiers?queue=waiting')).json() as { dossiers: { id: string; deadlinePassed: boolean }[] };
    assert.deepEqual(Object.fromEntries(api.dossiers.map((d) => [d.id, d.deadlinePassed])), { [overdue.id]: true, [inTime.id]: false });
  });

  test('the page works without JavaScript: GET form, links to the dossier page, errors re-render with 400', async () => {
    const res = await page(app, agent, '/agent/dossiers?queue=review&scope=mine');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="get" action="\/agent\/dossiers"/);
    assert.match(res.body, new RegExp(`href="/agent/dossiers/${ids.noel!.id}"`));
    assert.doesNotMatch(res.body, new RegExp(ids.li!.id));
    assert.match(res.body, /aria-current="page"[^>]*>|aria-current="page"/);
    const search = await page(app, agent, `/agent/dossiers?queue=new&by=name&q=${encodeURIComponent('ÉLOÏSE')}`);
    assert.match(search.body, new RegExp(ids.eloise!.number));
    const bad = await page(app, agent, '/agent/dossiers?by=agdref&q=12');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /fr-input--error/);
    assert.match(bad.body, /resume-erreurs/);
    const badCursor = await page(app, agent, '/agent/dossiers?after=bm90LWEtY3Vyc29y');
    assert.equal(badCursor.statusCode, 400);
    const home = await page(app, agent, '/agent');
    assert.match(home.body, /href="\/agent\/dossiers"/);
    assert.match(home.body, /href="\/agent\/echeances"/);
    assert.doesNotMatch(home.body, /href="\/agent\/statistiques"/, 'statistics are for supervisors');
  });

  test("another préfecture's dossiers never appear, and its staff see only theirs", async () => {
    for (const q of ['new', 'review', 'waiting', 'decided']) {
      const res = await apiGet(app, agent, `/api/v1/instruction/dossiers?queue=${q}&by=name&q=muller`);
      assert.ok(!res.body.includes(gardDossier.id), q);
    }
    const html = await page(app, agent, '/agent/dossiers?by=name&q=eloise');
    assert.ok(!html.body.includes(gardDossier.id));
    const gardList = await apiGet(app, gardAgent, '/api/v1/instruction/dossiers', 'gard.test');
    assert.deepEqual(
      gardList.json().dossiers.map((d: { id: string }) => d.id),
      [gardDossier.id],
    );
    // A Hérault session does not open the Gard host (sessions belong to one préfecture).
    const cross = await apiGet(app, agent, '/api/v1/instruction/dossiers', 'gard.test');
    assert.equal(cross.statusCode, 401);
  });

  test('applicants get 403 on every queue route, pages and API; anonymous users are sent to log in', async () => {
    for (const url of ['/agent/dossiers', '/agent/echeances', '/agent/statistiques', '/agent/statistiques/export.csv?table=weekly']) {
      const res = await page(app, applicant, url);
      assert.equal(res.statusCode, 403, url);
    }
    for (const url of ['/api/v1/instruction/dossiers', '/api/v1/instruction/deadlines', '/api/v1/instruction/statistics']) {
      assert.equal((await apiGet(app, applicant, url)).statusCode, 403, url);
      assert.equal((await app.inject({ url })).statusCode, 401, url);
    }
    const anon = await app.inject({ url: '/agent/dossiers' });
    assert.equal(anon.statusCode, 303);
  });

  test('the OpenAPI document lists the instruction endpoints with their query parameters', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v1/instruction/dossiers'].get;
    assert.deepEqual(op.tags, ['instruction']);
    const names = op.parameters.map((x: { name: string }) => x.name);
    for (const name of ['queue', 'scope', 'category', 'kind', 'site', 'from', 'to', 'late', 'q', 'by', 'after']) assert.ok(names.includes(name), name);
    assert.ok(doc.paths['/api/v1/instruction/statistics'].get);
    assert.ok(doc.paths['/api/v1/instruction/deadlines'].get);
  });
});
