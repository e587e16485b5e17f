// The pièces of a dossier as the back-office sees them: the category's list plus any pièce
// requested outside it, each with its files and its current review. A reviewed pièce (rejected,
// or accepted then asked for again) with a file added after the review shows as "to review".
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { LocalizedText } from '../dossiers/tables';
import { getCategoryKind, getPieces } from '../dossiers/catalogue/catalogue-queries';
import type { DossierRow } from '../dossiers/dossier-queries';
import type { RejectionReason, ReviewStatus } from './tables';

type Db = Kysely<DB> | Transaction<DB>;

export interface PieceFile {
  id: string;
  filename: string;
  size: number;
  mime: string;
  scanStatus: string;
  createdAt: Date;
}

export interface CaseworkPiece {
  code: string;
  name: LocalizedText;
  mandatory: boolean;
  requested: boolean;
  files: PieceFile[];
  review: { status: ReviewStatus; reason: RejectionReason | null; reasonText: string | null; reviewedAt: Date; reviewedBy: string | null } | null;
  /** 'accepted' | 'rejected' | 'to_review' (never reviewed, or new files since the review) | 'missing'. */
  status: 'accepted' | 'rejected' | 'to_review' | 'missing';
}

export async function loadDossierPieces(db: Db, d: Pick<DossierRow, 'id' | 'prefecture_id' | 'category_code' | 'request_kind' | 'requested_pieces'>): Promise<{ pieces: CaseworkPiece[]; stampCents: number | null; categoryName: LocalizedText | null }> {
  const offer = await getCategoryKind(db, d.prefecture_id, d.category_code, d.request_kind);
  const base = offer?.pieces ?? [];
  const extraCodes = d.requested_pieces.filter((c) => !base.some((p) => p.code === c));
  const extra = await getPieces(db, d.prefecture_id, extraCodes);
  const [files, reviews] = await Promise.all([
    db
      .selectFrom('documents')
      .select(['id', 'piece_code', 'filename', 'size', 'mime', 'scan_status', 'created_at'])
      .where('prefecture_id', '=', d.prefecture_id)
      .where('dossier_id', '=', d.id)
      .where('piece_code', 'is not', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('dossier_piece_reviews').selectAll().where('prefecture_id', '=', d.prefecture_id).where('dossier_id', '=', d.id).execute(),
  ]);
  const all = [...base.map((p) => ({ code: p.code, name: p.name, mandatory: p.mandatory })), ...extra.map((p) => ({ code: p.code, name: p.name, mandatory: true }))];
  const pieces = all.map((p): CaseworkPiece => {
    const own = files
      .filter((f) => f.piece_code === p.code)
      .map((f) => ({ id: f.id, filename: f.filename, size: f.size, mime: f.mime, scanStatus: f.scan_status, createdAt: new Date(f.created_at) }));
    const r = reviews.find((x) => x.piece_code === p.code);
    const review = r
      ? { status: r.status, reason: r.reason, reasonText: r.reason_text, reviewedAt: new Date(r.reviewed_at), reviewedBy: r.reviewed_by }
      : null;
    const usable = own.filter((f) => f.scanStatus !== 'infected');
    let status: CaseworkPiece['status'];
    // A file added after the review (the pièce was asked for again, accepted or not) is examined anew.
    const newSince = review ? usable.some((f) => f.createdAt > review.reviewedAt) : false;
    if (review && newSince) status = 'to_review';
    else if (review?.status === 'accepted') status = 'accepted';
    else if (review?.status === 'rejected') status = 'rejected';
    else status = usable.length ? 'to_review' : 'missing';
    return { ...p, requested: d.requested_pieces.includes(p.code), files: own, review, status };
  });
  return { pieces, stampCents: offer?.kind.stampCents ?? null, categoryName: offer?.category.name ?? null };
}

/** Pure: the pièces a request should list by default (rejected ones, and mandatory ones without a file). */
export function defaultRequested(pieces: Pick<CaseworkPiece, 'code' | 'status' | 'mandatory'>[]): string[] {
  return pieces.filter((p) => p.status === 'rejected' || (p.status === 'missing' && p.mandatory)).map((p) => p.code);
}

/** Pure: every pièce that must be there is accepted (optional pièces without a file are fine). */
export function allAccepted(pieces: Pick<CaseworkPiece, 'status' | 'mandatory' | 'files' | 'requested'>[]): boolean {
  return pieces.every((p) => p.status === 'accepted' || (p.status === 'missing' && !p.mandatory && !p.requested));
}
