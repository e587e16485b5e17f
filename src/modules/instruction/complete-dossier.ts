// The agent finds the dossier complete: every pièce that must be there is accepted. A dossier
// back from the applicant resumes its review (resubmitted → under_review). A renewal filed
// before the current permit expired gets its attestation de prolongation d'instruction.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { queueMail } from '../../shared/mail/mail';
import { isLocale } from '../../shared/i18n';
import { transition } from '../dossiers/lifecycle';
import { parisDay } from '../dossiers/renewal-window';
import { auditCasework } from './audit-casework';
import { earnsProlongation, mayWorkOn, REVIEW_STATES, type StaffActor } from './casework-rules';
import { allAccepted, loadDossierPieces } from './dossier-pieces';
import { issueProlongation } from './prolongation';
import { findStaffDossier } from './staff-dossier';

export async function completeDossier(
  deps: { db: Kysely<DB>; publicUrl: string },
  input: { prefectureId: string; dossierId: string; actor: StaffActor; now?: Date },
): Promise<{ prolongationId: string | null }> {
  const now = input.now ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    let d = await findStaffDossier(trx, input.prefectureId, input.dossierId, { forUpdate: true });
    if (!mayWorkOn(d, input.actor)) throw new AppError('forbidden', 'instruction.err_not_holder');
    if (!REVIEW_STATES.includes(d.state)) throw new AppError('conflict', 'instruction.err_review_state');
    const done = await trx.selectFrom('dossier_completions').select('dossier_id').where('dossier_id', '=', d.id).executeTakeFirst();
    if (done) throw new AppError('conflict', 'instruction.err_already_complete');
    const { pieces } = await loadDossierPieces(trx, d);
    if (!allAccepted(pieces)) throw new AppError('conflict', 'instruction.err_not_all_accepted');
    if (d.state !== 'under_review') {
      await transition(trx, d, 'start_review', input.actor, { publicUrl: deps.publicUrl, now });
      d = await findStaffDossier(trx, input.prefectureId, input.dossierId);
    }
    await trx.insertInto('dossier_completions').values({ dossier_id: d.id, prefecture_id: d.prefecture_id, completed_by: input.actor.id, completed_at: now }).execute();
    let prolongationId: string | null = null;
    if (earnsProlongation(d, parisDay)) {
      const issued = await issueProlongation(trx, d, { publicUrl: deps.publicUrl, validFrom: now, actor: input.actor, sequence: 1 });
      prolongationId = issued.id;
      const user = d.applicant_id ? await trx.selectFrom('users').select(['email', 'locale']).where('id', '=', d.applicant_id).executeTakeFirst() : undefined;
      await queueMail(trx, {
        prefectureId: d.prefecture_id,
        to: user?.email ?? d.applicant_email,
        locale: user && isLocale(user.locale) ? user.locale : 'fr',
        template: 'instruction.mail_prolongation',
        link: `${deps.publicUrl.replace(/\/$/, '')}/dossiers/${d.id}/attestations/${issued.id}`,
      });
    }
    await auditCasework(trx, {
      prefectureId: d.prefecture_id,
      dossierId: d.id,
      actor: input.actor,
      action: 'complete',
      stateBefore: d.state,
      stateAfter: d.state,
      details: prolongationId ? { prolongationId } : {},
      at: now,
    });
    return { prolongationId };
  });
}
