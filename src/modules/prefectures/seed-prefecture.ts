// Creates a préfecture and its sites if missing (idempotent).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { PrefectureSeed } from './seed-data';

export async function seedPrefecture(db: Kysely<DB>, seed: PrefectureSeed): Promise<{ id: string; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('prefectures').select('id').where('code', '=', seed.code).executeTakeFirst();
    if (existing) return { id: existing.id, created: false };
    const { id } = await trx
      .insertInto('prefectures')
      .values({ code: seed.code, name: seed.name, department_name: seed.department_name, contact_email: seed.contact_email, hosts: seed.hosts })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('sites')
      .values(seed.sites.map((s) => ({ ...s, prefecture_id: id })))
      .execute();
    return { id, created: true };
  });
}
