// Loads the reviewed catalogue into a préfecture's tables. Idempotent: only missing rows are
// added, so an administrator's later edits are never overwritten. Run by the seed and, at
// start and on first use, for every préfecture whose catalogue is missing.
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { CATALOGUE, type CatalogueData } from './catalogue-data';

const loaded = new Set<string>();

export async function ensureCatalogue(db: Kysely<DB>, prefectureId: string, data: CatalogueData = CATALOGUE): Promise<{ inserted: number }> {
  let inserted = 0;
  await db.transaction().execute(async (trx) => {
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
    // Kinds and their pièces are added only with a newly added category: once a category
    // exists, its kinds and lists belong to the préfecture's administrators.
    for (const c of data.categories.filter((x) => newCats.has(x.code))) {
      for (const [kind, def] of Object.entries(c.kinds)) {
        if (!def) continue;
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
  });
  loaded.add(prefectureId);
  return { inserted };
}

/** Cheap check used on each request: loads the catalogue once per préfecture and process if missing. */
export async function ensureCatalogueOnce(db: Kysely<DB>, prefectureId: string): Promise<void> {
  if (loaded.has(prefectureId)) return;
  const any = await db.selectFrom('permit_categories').select('id').where('prefecture_id', '=', prefectureId).limit(1).executeTakeFirst();
  if (any) {
    loaded.add(prefectureId);
    return;
  }
  await ensureCatalogue(db, prefectureId);
}

/** At start: every préfecture without a catalogue gets the reference one. */
export async function ensureCatalogueForAll(db: Kysely<DB>): Promise<void> {
  const prefectures = await db.selectFrom('prefectures').select('id').execute();
  for (const p of prefectures) await ensureCatalogueOnce(db, p.id);
}
