// Loads the reviewed catalogue into a préfecture's tables. Idempotent: only missing rows are
// added, so an administrator's later edits are never overwritten. Run by the seed and, at
// start and on first use, for every préfecture whose catalogue is missing or older than the
// reference (prefectures.catalogue_version, migration 0014).
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { CATALOGUE, type CatalogueData } from './catalogue-data';

/** `<préfecture id>@<catalogue version>` already brought up to date by this process. */
const loaded = new Set<string>();

export async function ensureCatalogue(db: Kysely<DB>, prefectureId: string, data: CatalogueData = CATALOGUE): Promise<{ inserted: number }> {
  let inserted = 0;
  await db.transaction().execute(async (trx) => {
    // Locked: two instances starting together bring the préfecture up once.
    const { catalogue_version: loadedVersion } = await trx
      .selectFrom('prefectures')
      .select('catalogue_version')
      .where('id', '=', prefectureId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const pieces = await trx
      .insertInto('catalogue_pieces')
      .values(
        data.pieces.map((p) => ({
          prefecture_id: prefectureId,
          code: p.code,
          name: JSON.stringify(p.name),
          description: JSON.stringify(p.description),
          formats: p.formats,
          max_age_months: p.maxAgeMonths ?? null,
        })),
      )
      .onConflict((oc) => oc.columns(['prefecture_id', 'code']).doNothing())
      .returning('code')
      .execute();
    inserted += pieces.length;
    const cats = await trx
      .insertInto('permit_categories')
      .values(
        data.categories.map((c, i) => ({
          prefecture_id: prefectureId,
          code: c.code,
          family: c.family,
          position: i,
          name: JSON.stringify(c.name),
          who_for: JSON.stringify(c.whoFor),
        })),
      )
      .onConflict((oc) => oc.columns(['prefecture_id', 'code']).doNothing())
      .returning('code')
      .execute();
    inserted += cats.length;
    const newCats = new Set(cats.map((c) => c.code));
    // Kinds and their pièces come with a newly added category; once a category exists, its kinds
    // and lists belong to the préfecture's administrators, and only a kind added by a version
    // of the reference newer than the préfecture's is added to it (once: the version moves on).
    for (const c of data.categories) {
      for (const [kind, def] of Object.entries(c.kinds)) {
        if (!def) continue;
        if (!newCats.has(c.code) && (def.since ?? 1) <= loadedVersion) continue;
        await trx
          .insertInto('category_request_kinds')
          .values({
            prefecture_id: prefectureId,
            category_code: c.code,
            request_kind: kind as 'first' | 'renewal' | 'change_of_status',
            who_for: JSON.stringify(def.whoFor),
            stamp_cents: def.stampCents,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
        await trx
          .insertInto('category_pieces')
          .values(
            def.pieces.map((p, i) => ({
              prefecture_id: prefectureId,
              category_code: c.code,
              request_kind: kind as 'first' | 'renewal' | 'change_of_status',
              piece_code: p.code,
              mandatory: p.mandatory,
              position: i,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
    if (data.version > loadedVersion) await trx.updateTable('prefectures').set({ catalogue_version: data.version }).where('id', '=', prefectureId).execute();
  });
  loaded.add(`${prefectureId}@${data.version}`);
  return { inserted };
}

/** Cheap check used on each request: once per préfecture and process, loads the catalogue if missing or older than the reference. */
export async function ensureCatalogueOnce(db: Kysely<DB>, prefectureId: string, data: CatalogueData = CATALOGUE): Promise<void> {
  if (loaded.has(`${prefectureId}@${data.version}`)) return;
  const state = await db
    .selectFrom('prefectures as p')
    .select((eb) => ['p.catalogue_version', eb.exists(eb.selectFrom('permit_categories as c').select('c.id').whereRef('c.prefecture_id', '=', 'p.id')).as('has_categories')])
    .where('p.id', '=', prefectureId)
    .executeTakeFirst();
  if (state && state.has_categories && state.catalogue_version >= data.version) {
    loaded.add(`${prefectureId}@${data.version}`);
    return;
  }
  await ensureCatalogue(db, prefectureId, data);
}

/** At start: every préfecture without a catalogue, or with an older one, is brought up to the reference. */
export async function ensureCatalogueForAll(db: Kysely<DB>): Promise<void> {
  const prefectures = await db.selectFrom('prefectures').select('id').execute();
  for (const p of prefectures) await ensureCatalogueOnce(db, p.id);
}
