// Loading a dossier for the back-office: the request's préfecture only; another préfecture's
// dossier (or a malformed id) answers 404 exactly like a missing one.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { DossierRow } from '../dossiers/dossier-queries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

export async function findStaffDossier(
  db: Kysely<DB> | Transaction<DB>,
  prefectureId: string,
  dossierId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<DossierRow> {
  if (!isUuid(dossierId)) throw new AppError('not_found');
  let q = db.selectFrom('dossiers').selectAll().where('id', '=', dossierId).where('prefecture_id', '=', prefectureId).where('state', '<>', 'draft');
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}
