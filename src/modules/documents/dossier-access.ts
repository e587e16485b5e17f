// Finding the dossier a request is about, with the same answer (404) for a dossier that does
// not exist, belongs to another préfecture, or to another applicant.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { DossierState } from '../dossiers/tables';
import { AppError } from '../../shared/errors';
import type { CurrentUser } from '../../shared/web/context';
import type { ThreadSide } from './tables';

export const EDITABLE_STATES: readonly DossierState[] = ['draft', 'pieces_requested'];

/**
 * Whether the applicant may add files to this pièce now: any pièce of a draft; once filed, only
 * the pièces the préfecture asked for, while it waits for them (the rest is read-only).
 */
export function canAddToPiece(dossier: Pick<DossierRef, 'state' | 'requested_pieces'>, pieceCode: string): boolean {
  if (dossier.state === 'draft') return true;
  return dossier.state === 'pieces_requested' && dossier.requested_pieces.includes(pieceCode);
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

/** Who acts: the applicant who owns the dossier, or a staff member of its préfecture. */
export interface Actor {
  user: CurrentUser;
  side: ThreadSide;
}

export interface DossierRef {
  id: string;
  prefecture_id: string;
  applicant_id: string | null;
  applicant_email: string;
  number: string | null;
  state: DossierState;
  category_code: string;
  request_kind: string;
  requested_pieces: string[];
}

export async function findDossier(
  db: Kysely<DB> | Transaction<DB>,
  prefectureId: string,
  dossierId: string,
  actor: Actor,
  opts: { forUpdate?: boolean } = {},
): Promise<DossierRef> {
  if (!isUuid(dossierId)) throw new AppError('not_found');
  let q = db
    .selectFrom('dossiers')
    .select(['id', 'prefecture_id', 'applicant_id', 'applicant_email', 'number', 'state', 'category_code', 'request_kind', 'requested_pieces'])
    .where('id', '=', dossierId)
    .where('prefecture_id', '=', prefectureId);
  if (actor.side === 'applicant') q = q.where('applicant_id', '=', actor.user.id);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

/** The formats a pièce of this dossier accepts; 404 when the pièce is not one of the dossier's. */
export async function pieceFormats(db: Kysely<DB> | Transaction<DB>, dossier: DossierRef, pieceCode: string): Promise<string[]> {
  if (!/^[a-z0-9_]{2,60}$/.test(pieceCode)) throw new AppError('not_found');
  const piece = await db
    .selectFrom('catalogue_pieces as p')
    .select('p.formats')
    .where('p.prefecture_id', '=', dossier.prefecture_id)
    .where('p.code', '=', pieceCode)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('category_pieces as cp')
            .select('cp.piece_code')
            .where('cp.prefecture_id', '=', dossier.prefecture_id)
            .where('cp.category_code', '=', dossier.category_code)
            .where('cp.request_kind', '=', dossier.request_kind as 'first')
            .where('cp.piece_code', '=', pieceCode),
        ),
        eb.val(dossier.requested_pieces.includes(pieceCode)),
      ]),
    )
    .executeTakeFirst();
  if (!piece) throw new AppError('not_found');
  return piece.formats;
}
