// Loading dossiers, always scoped to the request's préfecture and, for applicants, to the
// owner: another préfecture's or another applicant's dossier answers 404 like a missing one.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { DossierEventsTable, DossiersTable } from './tables';

type Db = Kysely<DB> | Transaction<DB>;
export type DossierRow = Selectable<DossiersTable>;
export type DossierEventRow = Selectable<DossierEventsTable>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findOwnDossier(
  db: Db,
  prefectureId: string,
  applicantId: string,
  dossierId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<DossierRow> {
  if (!UUID.test(dossierId)) throw new AppError('not_found');
  let q = db
    .selectFrom('dossiers')
    .selectAll()
    .where('id', '=', dossierId)
    .where('prefecture_id', '=', prefectureId)
    .where('applicant_id', '=', applicantId);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

export async function listOwnDossiers(db: Db, prefectureId: string, applicantId: string): Promise<DossierRow[]> {
  return db
    .selectFrom('dossiers')
    .selectAll()
    .where('prefecture_id', '=', prefectureId)
    .where('applicant_id', '=', applicantId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function listDossierEvents(db: Db, prefectureId: string, dossierId: string): Promise<DossierEventRow[]> {
  return db
    .selectFrom('dossier_events')
    .selectAll()
    .where('prefecture_id', '=', prefectureId)
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
}
