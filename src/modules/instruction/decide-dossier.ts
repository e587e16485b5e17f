// Decisions. Favourable, on a dossier found complete (complete-dossier.ts): the attestation de
// décision favorable (verifiable code) is issued and the card's production ordered in the same
// transaction. Unfavourable: a motive is required; the applicant gets it in the dossier's thread
// with the routes of appeal. Closed without follow-up: withdrawal, unanswered request for pièces, or another reason. Each revokes the
// prolongation attestations. Who may decide is lifecycle.ts's rule (supervisors and admins);
// an illegal or forbidden transition throws and nothing changes.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { translator } from '../../shared/i18n';
import type { DossierRow } from '../dossiers/dossier-queries';
import { transition, nextState } from '../dossiers/lifecycle';
import { issueAttestation } from '../verification';
import { auditCasework } from './audit-casework';
import { attestationSubject } from './attestation-subject';
import { mayWorkOn, type StaffActor } from './casework-rules';
import { allAccepted, loadDossierPieces } from './dossier-pieces';
import { revokeProlongations } from './prolongation';
import { findStaffDossier } from './staff-dossier';

interface Deps {
  db: Kysely<DB>;
  publicUrl: string;
}

export const CLOSE_REASONS = ['withdrawal', 'unanswered_request', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const MOTIVE_MAX = 4000;

async function load(trx: Transaction<DB>, input: { prefectureId: string; dossierId: string; actor: StaffActor }): Promise<DossierRow> {
  const d = await findStaffDossier(trx, input.prefectureId, input.dossierId, { forUpdate: true });
  if (!mayWorkOn(d, input.actor)) throw new AppError('forbidden', 'instruction.err_not_holder');
  return d;
}

function refuseUnless(d: DossierRow, event: 'decide_favourable' | 'decide_unfavourable' | 'close' | 'mark_card_ready' | 'hand_over', actor: StaffActor): void {
  const g = nextState(d, event, actor);
  if (!g.ok) throw new AppError(g.reason === 'forbidden' ? 'forbidden' : 'conflict', g.reason === 'forbidden' ? 'dossiers.err_transition_forbidden' : 'dossiers.err_transition_illegal');
}

export async function decideFavourable(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor; now?: Date }): Promise<{ attestationId: string }> {
  const now = input.now ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const d = await load(trx, input);
    refuseUnless(d, 'decide_favourable', input.actor);
    // Only on a dossier found complete whose pièces are all still accepted (a request for pièces
    // after completion leaves some to review again).
    const completed = await trx.selectFrom('dossier_completions').select('dossier_id').where('dossier_id', '=', d.id).executeTakeFirst();
    if (!completed || !allAccepted((await loadDossierPieces(trx, d)).pieces)) throw new AppError('conflict', 'instruction.err_not_complete');
    const decided = await transition(trx, d, 'decide_favourable', input.actor, { publicUrl: deps.publicUrl, now, set: { decided_at: now } });
    await transition(trx, { ...d, state: decided }, 'start_card_production', input.actor, { publicUrl: deps.publicUrl, now });
    await revokeProlongations(trx, d.prefecture_id, d.id, 'decision', input.actor, now);
    const { offer, holderName, details } = await attestationSubject(trx, d);
    const issued = await issueAttestation(trx, {
      prefectureId: d.prefecture_id,
      kind: 'decision_favorable',
      dossierId: d.id,
      holderName,
      details: {
        ...details,
        requestKind: d.request_kind,
        birthDate: d.birth_date,
        nationality: d.nationality,
        stampCents: offer?.kind.stampCents ?? null,
      },
      validFrom: now,
      validUntil: null,
      publicUrl: deps.publicUrl,
      actor: input.actor,
    });
    await auditCasework(trx, {
      prefectureId: d.prefecture_id,
      dossierId: d.id,
      actor: input.actor,
      action: 'decision_attestation_issued',
      stateBefore: 'card_in_production',
      stateAfter: 'card_in_production',
      details: { attestationId: issued.id },
      at: now,
    });
    return { attestationId: issued.id };
  });
}

/** A message from the préfecture in the dossier's thread (the applicant is told by the status e-mail). */
async function postStaffMessage(trx: Transaction<DB>, d: DossierRow, actor: StaffActor, body: string, now: Date) {
  await trx
    .insertInto('dossier_messages')
    .values({ prefecture_id: d.prefecture_id, dossier_id: d.id, author_id: actor.id, author_role: 'staff', body, read_by_applicant_at: null, read_by_staff_at: now })
    .execute();
}

export async function decideUnfavourable(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor; motive: string | undefined; now?: Date }): Promise<void> {
  const motive = (input.motive ?? '').replace(/\r\n/g, '\n').trim();
  if (!motive) throw new AppError('validation', 'errors.validation', { motive: 'instruction.err_motive_required' });
  if (motive.length > MOTIVE_MAX) throw new AppError('validation', 'errors.validation', { motive: 'instruction.err_text_too_long' });
  const now = input.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const d = await load(trx, input);
    refuseUnless(d, 'decide_unfavourable', input.actor);
    await transition(trx, d, 'decide_unfavourable', input.actor, { publicUrl: deps.publicUrl, now, set: { decided_at: now } });
    await revokeProlongations(trx, d.prefecture_id, d.id, 'decision', input.actor, now);
    const user = d.applicant_id ? await trx.selectFrom('users').select('locale').where('id', '=', d.applicant_id).executeTakeFirst() : undefined;
    const t = translator(user?.locale ?? 'fr');
    await postStaffMessage(trx, d, input.actor, `${t('instruction.unfavourable_message', { motive })}\n\n${t('instruction.appeal_routes')}`, now);
  });
}

export async function closeDossier(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor; reason: string | undefined; text?: string | undefined; now?: Date }): Promise<void> {
  if (!CLOSE_REASONS.includes(input.reason as CloseReason)) throw new AppError('validation', 'errors.validation', { close_reason: 'instruction.err_reason_choose' });
  const text = (input.text ?? '').trim();
  if (input.reason === 'other' && !text) throw new AppError('validation', 'errors.validation', { close_text: 'instruction.err_reason_text_required' });
  if (text.length > 1000) throw new AppError('validation', 'errors.validation', { close_text: 'instruction.err_text_too_long' });
  const now = input.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const d = await load(trx, input);
    refuseUnless(d, 'close', input.actor);
    await transition(trx, d, 'close', input.actor, { publicUrl: deps.publicUrl, now, set: { decided_at: now }, details: { reason: input.reason } });
    await revokeProlongations(trx, d.prefecture_id, d.id, 'closed', input.actor, now);
    const user = d.applicant_id ? await trx.selectFrom('users').select('locale').where('id', '=', d.applicant_id).executeTakeFirst() : undefined;
    const t = translator(user?.locale ?? 'fr');
    await postStaffMessage(trx, d, input.actor, `${t(`instruction.closed_message.${input.reason as CloseReason}`)}${text ? `\n\n${text}` : ''}`, now);
  });
}
