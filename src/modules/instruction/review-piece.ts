// Per-pièce review: accepted, or rejected with a reason ('other' needs a text). One current
// review per pièce (upsert); every review is appended to the audit log.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { auditCasework } from './audit-casework';
import { mayWorkOn, REVIEW_STATES, type StaffActor } from './casework-rules';
import { loadDossierPieces } from './dossier-pieces';
import { findStaffDossier } from './staff-dossier';
import { REJECTION_REASONS, type RejectionReason } from './tables';

export interface ReviewInput {
  prefectureId: string;
  dossierId: string;
  pieceCode: string;
  actor: StaffActor;
  decision: string | undefined;
  reason?: string | undefined;
  reasonText?: string | undefined;
  now?: Date;
}

/** Pure validation: the review to store, or field errors (i18n keys). */
export function parseReview(input: { decision: string | undefined; reason?: string | undefined; reasonText?: string | undefined }):
  | { ok: true; status: 'accepted' | 'rejected'; reason: RejectionReason | null; reasonText: string | null }
  | { ok: false; errors: Record<string, string> } {
  if (input.decision === 'accepted') return { ok: true, status: 'accepted', reason: null, reasonText: null };
  if (input.decision !== 'rejected') return { ok: false, errors: { decision: 'instruction.err_review_choose' } };
  if (!REJECTION_REASONS.includes(input.reason as RejectionReason)) return { ok: false, errors: { reason: 'instruction.err_reason_choose' } };
  const text = (input.reasonText ?? '').trim();
  if (text.length > 1000) return { ok: false, errors: { reason_text: 'instruction.err_text_too_long' } };
  if (input.reason === 'other' && !text) return { ok: false, errors: { reason_text: 'instruction.err_reason_text_required' } };
  return { ok: true, status: 'rejected', reason: input.reason as RejectionReason, reasonText: text || null };
}

export async function reviewPiece(deps: { db: Kysely<DB> }, input: ReviewInput): Promise<void> {
  const parsed = parseReview(input);
  if (!parsed.ok) throw new AppError('validation', 'errors.validation', parsed.errors);
  const now = input.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const d = await findStaffDossier(trx, input.prefectureId, input.dossierId, { forUpdate: true });
    const { pieces } = await loadDossierPieces(trx, d);
    const piece = pieces.find((p) => p.code === input.pieceCode);
    if (!piece) throw new AppError('not_found');
    if (!mayWorkOn(d, input.actor)) throw new AppError('forbidden', 'instruction.err_not_holder');
    if (!REVIEW_STATES.includes(d.state)) throw new AppError('conflict', 'instruction.err_review_state');
    const row = {
      prefecture_id: input.prefectureId,
      dossier_id: d.id,
      piece_code: piece.code,
      status: parsed.status,
      reason: parsed.reason,
      reason_text: parsed.reasonText,
      reviewed_by: input.actor.id,
      reviewed_at: now,
    };
    await trx
      .insertInto('dossier_piece_reviews')
      .values(row)
      .onConflict((oc) => oc.columns(['dossier_id', 'piece_code']).doUpdateSet({ status: parsed.status, reason: parsed.reason, reason_text: parsed.reasonText, reviewed_by: input.actor.id, reviewed_at: now }))
      .execute();
    await auditCasework(trx, {
      prefectureId: input.prefectureId,
      dossierId: d.id,
      actor: input.actor,
      action: parsed.status === 'accepted' ? 'piece_accepted' : 'piece_rejected',
      stateBefore: d.state,
      stateAfter: d.state,
      details: { piece: piece.code, ...(parsed.reason ? { reason: parsed.reason } : {}) },
      at: now,
    });
  });
}
