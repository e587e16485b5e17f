// Reading a préfecture's catalogue from the database, in the reader's language.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema';
import type { Locale } from '../../../shared/i18n';
import type { LocalizedText, PieceFormat, RequestKind } from '../tables';

type Db = Kysely<DB> | Transaction<DB>;

export interface CatalogueKind {
  kind: RequestKind;
  whoFor: LocalizedText;
  stampCents: number;
}

export interface CatalogueCategory {
  code: string;
  family: string;
  name: LocalizedText;
  whoFor: LocalizedText;
  kinds: CatalogueKind[];
}

export interface CataloguePiece {
  code: string;
  name: LocalizedText;
  description: LocalizedText;
  formats: PieceFormat[];
  maxAgeMonths: number | null;
  mandatory: boolean;
}

export const pick = (text: LocalizedText, locale: Locale): string => text[locale] || text.fr;

export async function listCategories(db: Db, prefectureId: string): Promise<CatalogueCategory[]> {
  const cats = await db
    .selectFrom('permit_categories')
    .select(['code', 'family', 'name', 'who_for'])
    .where('prefecture_id', '=', prefectureId)
    .where('active', '=', true)
    .orderBy('position')
    .orderBy('code')
    .execute();
  const kinds = await db
    .selectFrom('category_request_kinds')
    .select(['category_code', 'request_kind', 'who_for', 'stamp_cents'])
    .where('prefecture_id', '=', prefectureId)
    .execute();
  const order: RequestKind[] = ['first', 'renewal', 'change_of_status'];
  return cats.map((c) => ({
    code: c.code,
    family: c.family,
    name: c.name,
    whoFor: c.who_for,
    kinds: kinds
      .filter((k) => k.category_code === c.code)
      .sort((a, b) => order.indexOf(a.request_kind) - order.indexOf(b.request_kind))
      .map((k) => ({ kind: k.request_kind, whoFor: k.who_for, stampCents: k.stamp_cents })),
  }));
}

export interface CategoryKindDetail {
  category: { code: string; name: LocalizedText; whoFor: LocalizedText };
  kind: CatalogueKind;
  pieces: CataloguePiece[];
}

/** A category × kind with its pièces, or null when the préfecture does not offer it. */
export async function getCategoryKind(db: Db, prefectureId: string, categoryCode: string, kind: RequestKind): Promise<CategoryKindDetail | null> {
  const row = await db
    .selectFrom('category_request_kinds as k')
    .innerJoin('permit_categories as c', (j) => j.onRef('c.prefecture_id', '=', 'k.prefecture_id').onRef('c.code', '=', 'k.category_code'))
    .select(['c.code', 'c.name', 'c.who_for as category_who_for', 'k.who_for', 'k.stamp_cents', 'k.request_kind'])
    .where('k.prefecture_id', '=', prefectureId)
    .where('k.category_code', '=', categoryCode)
    .where('k.request_kind', '=', kind)
    .executeTakeFirst();
  if (!row) return null;
  const pieces = await db
    .selectFrom('category_pieces as cp')
    .innerJoin('catalogue_pieces as p', (j) => j.onRef('p.prefecture_id', '=', 'cp.prefecture_id').onRef('p.code', '=', 'cp.piece_code'))
    .select(['p.code', 'p.name', 'p.description', 'p.formats', 'p.max_age_months', 'cp.mandatory'])
    .where('cp.prefecture_id', '=', prefectureId)
    .where('cp.category_code', '=', categoryCode)
    .where('cp.request_kind', '=', kind)
    .orderBy('cp.position')
    .execute();
  return {
    category: { code: row.code, name: row.name, whoFor: row.category_who_for },
    kind: { kind: row.request_kind, whoFor: row.who_for, stampCents: row.stamp_cents },
    pieces: pieces.map((p) => ({
      code: p.code,
      name: p.name,
      description: p.description,
      formats: p.formats,
      maxAgeMonths: p.max_age_months,
      mandatory: p.mandatory,
    })),
  };
}

/** Catalogue pièces by code (for pièces the back-office requested outside the category's list). */
export async function getPieces(db: Db, prefectureId: string, codes: string[]): Promise<Omit<CataloguePiece, 'mandatory'>[]> {
  if (!codes.length) return [];
  const rows = await db
    .selectFrom('catalogue_pieces')
    .select(['code', 'name', 'description', 'formats', 'max_age_months'])
    .where('prefecture_id', '=', prefectureId)
    .where('code', 'in', codes)
    .execute();
  return rows.map((p) => ({ code: p.code, name: p.name, description: p.description, formats: p.formats, maxAgeMonths: p.max_age_months }));
}

/**
 * The pièces of a dossier: its category's list, then any the préfecture asked for outside that
 * list (mandatory, since they were asked for). The applicant's status page and the API show these.
 */
export async function dossierPieceList(
  db: Db,
  d: { prefecture_id: string; requested_pieces: string[] },
  offer: Pick<CategoryKindDetail, 'pieces'>,
): Promise<{ code: string; name: LocalizedText; mandatory: boolean }[]> {
  const extra = await getPieces(db, d.prefecture_id, d.requested_pieces.filter((c) => !offer.pieces.some((p) => p.code === c)));
  return [...offer.pieces.map((p) => ({ code: p.code, name: p.name, mandatory: p.mandatory })), ...extra.map((p) => ({ code: p.code, name: p.name, mandatory: true }))];
}
