// The reviewed catalogue loaded into a préfecture's tables (ensure-catalogue.ts): every category,
// kind and pièce of the file; loading again adds only what is missing and never overwrites an
// administrator's edit, nor brings back a kind they removed from a category.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOGUE, type CatalogueData } from '../../src/modules/dossiers/catalogue/catalogue-data';
import { ensureCatalogue, ensureCatalogueOnce } from '../../src/modules/dossiers/catalogue/ensure-catalogue';
import type { RequestKind } from '../../src/modules/dossiers/tables';
import { build } from '../helpers/build';

test('the catalogue is loaded whole, then reloading keeps what administrators changed', async (t) => {
  const { app, prefectureId } = await build(t);
  const db = app.deps.db;
  await ensureCatalogue(db, prefectureId);
  const kinds = await db.selectFrom('category_request_kinds').select(['category_code', 'request_kind', 'stamp_cents']).where('prefecture_id', '=', prefectureId).execute();
  const expected = CATALOGUE.categories.flatMap((c) => Object.keys(c.kinds).map((k) => `${c.code}/${k}`)).sort();
  assert.deepEqual(kinds.map((k) => `${k.category_code}/${k.request_kind}`).sort(), expected);
  const pieces = await db.selectFrom('category_pieces').select(['category_code', 'request_kind', 'piece_code', 'mandatory']).where('prefecture_id', '=', prefectureId).execute();
  assert.equal(pieces.length, CATALOGUE.categories.reduce((n, c) => n + Object.values(c.kinds).reduce((m, k) => m + (k?.pieces.length ?? 0), 0), 0));
  assert.ok(pieces.some((p) => p.category_code === 'salarie' && p.request_kind === 'renewal' && p.piece_code === 'employer_attestation' && p.mandatory));

  // An administrator raises a stamp, renames a category, and removes a kind.
  await db.updateTable('category_request_kinds').set({ stamp_cents: 30_000 }).where('prefecture_id', '=', prefectureId).where('category_code', '=', 'salarie').where('request_kind', '=', 'first').execute();
  await db.updateTable('permit_categories').set({ name: JSON.stringify({ fr: 'Salarié (CDI/CDD)', en: 'Employee', ar: 'أجير' }) }).where('prefecture_id', '=', prefectureId).where('code', '=', 'salarie').execute();
  await db.deleteFrom('category_request_kinds').where('prefecture_id', '=', prefectureId).where('category_code', '=', 'visiteur').where('request_kind', '=', 'change_of_status').execute();

  // A later reference file with one more category: only that category comes in.
  const later = structuredClone(CATALOGUE) as CatalogueData;
  const extra = structuredClone(CATALOGUE.categories.find((c) => c.code === 'visiteur'));
  assert.ok(extra);
  later.categories.push({ ...extra, code: 'visiteur_bis' });
  const { inserted } = await ensureCatalogue(db, prefectureId, later);
  assert.equal(inserted, 1, 'one new category, nothing else');
  const salarie = await db.selectFrom('category_request_kinds').select('stamp_cents').where('prefecture_id', '=', prefectureId).where('category_code', '=', 'salarie').where('request_kind', '=', 'first').executeTakeFirstOrThrow();
  assert.equal(salarie.stamp_cents, 30_000);
  const name = await db.selectFrom('permit_categories').select('name').where('prefecture_id', '=', prefectureId).where('code', '=', 'salarie').executeTakeFirstOrThrow();
  assert.equal((typeof name.name === 'string' ? JSON.parse(name.name) : name.name).fr, 'Salarié (CDI/CDD)');
  const visiteur = await db.selectFrom('category_request_kinds').select('request_kind').where('prefecture_id', '=', prefectureId).where('category_code', '=', 'visiteur').execute();
  assert.deepEqual(visiteur.map((k) => k.request_kind).sort(), ['first', 'renewal'], 'the removed kind stays removed');
  const bis = await db.selectFrom('category_request_kinds').select('request_kind').where('prefecture_id', '=', prefectureId).where('category_code', '=', 'visiteur_bis').execute();
  assert.deepEqual(bis.map((k) => k.request_kind).sort(), ['change_of_status', 'first', 'renewal']);
});

test('a préfecture loaded at an older version gets the kinds added since, once; what its administrators removed stays removed', async (t) => {
  const { app, prefectureId } = await build(t);
  const db = app.deps.db;
  await ensureCatalogue(db, prefectureId);
  const version = async () => (await db.selectFrom('prefectures').select('catalogue_version').where('id', '=', prefectureId).executeTakeFirstOrThrow()).catalogue_version;
  assert.equal(await version(), CATALOGUE.version);
  const kindsOf = async (category: string) =>
    (await db.selectFrom('category_request_kinds').select('request_kind').where('prefecture_id', '=', prefectureId).where('category_code', '=', category).execute()).map((k) => k.request_kind).sort();

  // As a préfecture loaded at version 1 was: without the four kinds of version 2; and its
  // administrators had removed the first request for visiteurs (a version 1 kind).
  const since2 = CATALOGUE.categories.flatMap((c) => Object.entries(c.kinds).filter(([, k]) => k?.since === 2).map(([kind]) => [c.code, kind] as const));
  assert.equal(since2.length, 4);
  for (const [category, kind] of since2) {
    await db.deleteFrom('category_request_kinds').where('prefecture_id', '=', prefectureId).where('category_code', '=', category).where('request_kind', '=', kind as 'change_of_status').execute();
  }
  await db.deleteFrom('category_request_kinds').where('prefecture_id', '=', prefectureId).where('category_code', '=', 'visiteur').where('request_kind', '=', 'first').execute();
  await db.updateTable('prefectures').set({ catalogue_version: 1 }).where('id', '=', prefectureId).execute();

  await ensureCatalogue(db, prefectureId);
  assert.equal(await version(), CATALOGUE.version);
  for (const [category, kind] of since2) assert.ok((await kindsOf(category)).includes(kind as RequestKind), `${category} ${kind} added`);
  const pieces = await db.selectFrom('category_pieces').select('piece_code').where('prefecture_id', '=', prefectureId).where('category_code', '=', 'etudiant').where('request_kind', '=', 'change_of_status').execute();
  assert.ok(pieces.some((p) => p.piece_code === 'enrolment_certificate'), 'with their pièces');
  assert.deepEqual(await kindsOf('visiteur'), ['change_of_status', 'renewal'], 'the removed version 1 kind is not brought back');

  // Once at the version, nothing comes back: removing a version 2 kind sticks.
  await db.deleteFrom('category_request_kinds').where('prefecture_id', '=', prefectureId).where('category_code', '=', 'visiteur').where('request_kind', '=', 'change_of_status').execute();
  await ensureCatalogue(db, prefectureId);
  assert.deepEqual(await kindsOf('visiteur'), ['renewal']);

  // The check run on requests and at start sees a newer reference and applies it.
  const next = structuredClone(CATALOGUE) as CatalogueData;
  next.version = CATALOGUE.version + 1;
  const visitor = next.categories.find((c) => c.code === 'visiteur');
  assert.ok(visitor?.kinds.first);
  visitor.kinds.first.since = next.version;
  await ensureCatalogueOnce(db, prefectureId, next);
  assert.deepEqual(await kindsOf('visiteur'), ['first', 'renewal']);
  assert.equal(await version(), next.version);
});

