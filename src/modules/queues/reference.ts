// The préfecture's categories and sites, for filter choices and labels.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Locale } from '../../shared/i18n';
import type { LocalizedText } from '../dossiers/tables';

export interface Choice {
  value: string;
  label: string;
}

export interface Reference {
  categories: Choice[];
  sites: Choice[];
  categoryName(code: string): string;
  siteName(id: string | null): string;
}

export async function loadReference(db: Kysely<DB>, prefectureId: string, locale: Locale): Promise<Reference> {
  const cats = await db
    .selectFrom('permit_categories')
    .select(['code', 'name'])
    .where('prefecture_id', '=', prefectureId)
    .orderBy('position')
    .orderBy('code')
    .execute();
  const sites = await db.selectFrom('sites').select(['id', 'name']).where('prefecture_id', '=', prefectureId).orderBy('code').execute();
  const categories = cats.map((c) => ({ value: c.code, label: (c.name as LocalizedText)[locale] || c.code }));
  const siteChoices = sites.map((s) => ({ value: s.id, label: s.name }));
  const catMap = new Map(categories.map((c) => [c.value, c.label]));
  const siteMap = new Map(siteChoices.map((s) => [s.value, s.label]));
  return {
    categories,
    sites: siteChoices,
    categoryName: (code) => catMap.get(code) ?? code,
    siteName: (id) => (id ? (siteMap.get(id) ?? '') : ''),
  };
}
