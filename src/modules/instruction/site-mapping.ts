// Which site of the Hérault préfecture instructs a dossier, from the applicant's postal code:
// the communes of the arrondissements of Béziers and Lodève go to their sous-préfecture, every
// other one (and any other préfecture's dossier) to the préfecture's own site. Data, not rules:
// a postal code → site code table per préfecture code.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export const SITE_BY_POSTAL_CODE: Record<string, Record<string, string>> = {
  '34': {
    // Arrondissement de Béziers
    ...Object.fromEntries(
      [
        '34500', '34300', '34310', '34320', '34330', '34340', '34350', '34360', '34370', '34390', '34410', '34420', '34440',
        '34450', '34460', '34480', '34490', '34600', '34610', '34620', '34630', '34120', '34290', '34240', '34260', '34210',
        '34220', '34530', '34540', '34550', '34560', '34590',
      ].map((cp) => [cp, 'beziers']),
    ),
    // Arrondissement de Lodève
    ...Object.fromEntries(
      ['34700', '34800', '34150', '34230', '34520', '34650', '34725', '34190', '34380', '34520', '34570', '34660'].map((cp) => [cp, 'lodeve']),
    ),
  },
};

/** The code of the main site of each préfecture (dossiers whose postal code is not listed go there). */
export const DEFAULT_SITE: Record<string, string> = { '34': 'montpellier' };

/** Pure: the site code for a postal code in a préfecture, or null when the préfecture has no mapping. */
export function siteCodeFor(prefectureCode: string, postalCode: string | null): string | null {
  const table = SITE_BY_POSTAL_CODE[prefectureCode];
  const fallback = DEFAULT_SITE[prefectureCode] ?? null;
  if (!table) return fallback;
  return (postalCode && table[postalCode]) || fallback;
}

/** Sets dossiers.site_id from the postal code, in the submitting transaction (no mapping or no such site: left null). */
export async function assignInstructingSite(trx: Transaction<DB>, prefecture: { id: string; code: string }, dossierId: string): Promise<string | null> {
  const d = await trx.selectFrom('dossiers').select('postal_code').where('id', '=', dossierId).where('prefecture_id', '=', prefecture.id).executeTakeFirst();
  if (!d) return null;
  const code = siteCodeFor(prefecture.code, d.postal_code);
  if (!code) return null;
  const site = await trx.selectFrom('sites').select('id').where('prefecture_id', '=', prefecture.id).where('code', '=', code).executeTakeFirst();
  if (!site) return null;
  await trx.updateTable('dossiers').set({ site_id: site.id }).where('id', '=', dossierId).where('prefecture_id', '=', prefecture.id).execute();
  return site.id;
}
