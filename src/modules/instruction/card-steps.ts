// After a favourable decision: the card arrives and the agent marks it ready (the applicant is
// invited to book a hand-over appointment, the appointments module's 'handover' reason); the
// card handed over at the counter closes the dossier and the attestation de décision
// favorable it replaces is revoked.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { isLocale } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';
import { nextState, transition } from '../dossiers/lifecycle';
import { revokeAttestation } from '../verification';
import { mayWorkOn, type StaffActor } from './casework-rules';
import { findStaffDossier } from './staff-dossier';

interface Deps {
  db: Kysely<DB>;
  publicUrl: string;
}

/** Where the applicant books the hand-over (appointments module, reason 'handover'). */
export const HANDOVER_BOOKING_PATH = '/rendez-vous/demande';

export async function markCardReady(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const d = await findStaffDossier(trx, input.prefectureId, input.dossierId, { forUpdate: true });
    if (!mayWorkOn(d, input.actor)) throw new AppError('forbidden', 'instruction.err_not_holder');
    if (!nextState(d, 'mark_card_ready', input.actor).ok) throw new AppError('conflict', 'dossiers.err_transition_illegal');
    await transition(trx, d, 'mark_card_ready', input.actor, { publicUrl: deps.publicUrl, now });
    const user = d.applicant_id ? await trx.selectFrom('users').select(['email', 'locale']).where('id', '=', d.applicant_id).executeTakeFirst() : undefined;
    await queueMail(trx, {
      prefectureId: d.prefecture_id,
      to: user?.email ?? d.applicant_email,
      locale: user && isLocale(user.locale) ? user.locale : 'fr',
      template: 'instruction.mail_card_ready',
      link: `${deps.publicUrl.replace(/\/$/, '')}${HANDOVER_BOOKING_PATH}`,
    });
  });
}

export async function handOverCard(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const d = await findStaffDossier(trx, input.prefectureId, input.dossierId, { forUpdate: true });
    if (!nextState(d, 'hand_over', input.actor).ok) throw new AppError('conflict', 'dossiers.err_transition_illegal');
    await transition(trx, d, 'hand_over', input.actor, { publicUrl: deps.publicUrl, now });
    const decisions = await trx
      .selectFrom('attestations')
      .select('id')
      .where('prefecture_id', '=', d.prefecture_id)
      .where('dossier_id', '=', d.id)
      .where('kind', '=', 'decision_favorable')
      .where('revoked_at', 'is', null)
      .execute();
    for (const a of decisions) await revokeAttestation(trx, d.prefecture_id, a.id, 'card_handed_over', { actor: input.actor, at: now });
  });
}
