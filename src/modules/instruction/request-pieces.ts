// A request for pièces: lists the missing or rejected pièces with a deadline (default one
// month, editable), moves the dossier to 'pieces_requested' through the lifecycle (which
// e-mails the applicant that their dossier changed, with no personal data) and clears any
// earlier completion. The applicant can then upload again the pièces listed.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { transition } from '../dossiers/lifecycle';
import { parisDay } from '../dossiers/renewal-window';
import { addMonthsToDay, mayWorkOn, PIECES_DEADLINE_MONTHS, type StaffActor } from './casework-rules';
import { loadDossierPieces } from './dossier-pieces';
import { findStaffDossier } from './staff-dossier';

/** Pure: the deadline shown by default on the request form. */
export function defaultDeadline(now: Date): string {
  return addMonthsToDay(parisDay(now), PIECES_DEADLINE_MONTHS);
}

/** Pure validation of the deadline: a real day after today and within six months. */
export function deadlineError(deadline: string | undefined, today: string): string | null {
  if (!deadline || !/^\d{4}-\d{2}-\d{2}$/.test(deadline) || Number.isNaN(Date.parse(`${deadline}T00:00:00Z`))) return 'instruction.err_deadline_invalid';
  if (new Date(`${deadline}T00:00:00Z`).toISOString().slice(0, 10) !== deadline) return 'instruction.err_deadline_invalid';
  if (deadline <= today) return 'instruction.err_deadline_past';
  if (deadline > addMonthsToDay(today, 6)) return 'instruction.err_deadline_far';
  return null;
}

export async function requestPieces(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefectureId: string; dossierId: string; actor: StaffActor; pieces: string[]; deadline: string | undefined; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const errors: Record<string, string> = {};
  const codes = [...new Set(input.pieces)];
  if (!codes.length) errors.pieces = 'instruction.err_pieces_choose';
  const dl = deadlineError(input.deadline, parisDay(now));
  if (dl) errors.deadline = dl;
  await deps.db.transaction().execute(async (trx) => {
    const d = await findStaffDossier(trx, input.prefectureId, input.dossierId, { forUpdate: true });
    if (!mayWorkOn(d, input.actor)) throw new AppError('forbidden', 'instruction.err_not_holder');
    const { pieces } = await loadDossierPieces(trx, d);
    if (codes.some((c) => !pieces.some((p) => p.code === c))) errors.pieces = 'instruction.err_pieces_unknown';
    if (Object.keys(errors).length) throw new AppError('validation', 'errors.validation', errors);
    const deadline = input.deadline as string;
    await transition(trx, d, 'request_pieces', input.actor, {
      publicUrl: deps.publicUrl,
      now,
      set: { requested_pieces: codes, pieces_deadline: deadline },
      details: { pieces: codes, deadline },
    });
    await trx.deleteFrom('dossier_completions').where('dossier_id', '=', d.id).where('prefecture_id', '=', input.prefectureId).execute();
  });
}
