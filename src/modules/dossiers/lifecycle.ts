// The dossier lifecycle as an explicit state machine. TRANSITIONS is the whole table: which
// event leads from which states to which state, and who may trigger it. transition() is the
// only code that changes a dossier's state: it checks the guard, updates with an optimistic
// check (where state = <expected>), appends the timeline row, the audit entry, and queues the
// status-change e-mail, all in the caller's transaction.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { queueMail } from '../../shared/mail/mail';
import { isLocale, type Locale } from '../../shared/i18n';
import { recordAudit } from './audit-port';
import type { DossiersTable, DossierState } from './tables';

export type DossierEvent =
  | 'submit'
  | 'withdraw'
  | 'start_review'
  | 'request_pieces'
  | 'resubmit'
  | 'decide_favourable'
  | 'decide_unfavourable'
  | 'close'
  | 'start_card_production'
  | 'mark_card_ready'
  | 'hand_over';

export type ActorRole = 'applicant' | 'agent' | 'supervisor' | 'admin' | 'system';

export interface Actor {
  role: ActorRole;
  /** The user's id; null for the system (scheduled jobs). */
  id: string | null;
}

export interface TransitionRule {
  from: readonly DossierState[];
  to: DossierState;
  /** Who may trigger it. An applicant may act only on a dossier of their own. */
  by: readonly ActorRole[];
}

const STAFF: ActorRole[] = ['agent', 'supervisor', 'admin'];
const DECIDERS: ActorRole[] = ['supervisor', 'admin'];
const OPEN: DossierState[] = ['submitted', 'under_review', 'pieces_requested', 'resubmitted'];

export const TRANSITIONS: Record<DossierEvent, TransitionRule> = {
  submit: { from: ['draft'], to: 'submitted', by: ['applicant'] },
  withdraw: { from: OPEN, to: 'withdrawn', by: ['applicant'] },
  start_review: { from: ['submitted', 'resubmitted'], to: 'under_review', by: STAFF },
  request_pieces: { from: ['submitted', 'under_review', 'resubmitted'], to: 'pieces_requested', by: STAFF },
  resubmit: { from: ['pieces_requested'], to: 'resubmitted', by: ['applicant'] },
  // From under review only: a resubmitted dossier's new pièces are reviewed first; the complete
  // dossier this needs is checked by decideFavourable (instruction/decide-dossier.ts).
  decide_favourable: { from: ['under_review'], to: 'decided_favourable', by: DECIDERS },
  decide_unfavourable: { from: ['under_review', 'resubmitted', 'pieces_requested'], to: 'decided_unfavourable', by: DECIDERS },
  close: { from: OPEN, to: 'closed', by: [...STAFF, 'system'] },
  start_card_production: { from: ['decided_favourable'], to: 'card_in_production', by: STAFF },
  mark_card_ready: { from: ['card_in_production'], to: 'card_ready', by: STAFF },
  hand_over: { from: ['card_ready'], to: 'handed_over', by: STAFF },
};

export const DOSSIER_EVENTS = Object.keys(TRANSITIONS) as DossierEvent[];

/** Pure guard: the target state, or the reason it is refused. */
export function nextState(
  dossier: Pick<DossiersTable, 'applicant_id'> & { state: DossierState },
  event: DossierEvent,
  actor: Actor,
): { ok: true; to: DossierState } | { ok: false; reason: 'forbidden' | 'illegal' } {
  const rule = TRANSITIONS[event];
  if (!rule.by.includes(actor.role)) return { ok: false, reason: 'forbidden' };
  if (actor.role === 'applicant' && (!actor.id || dossier.applicant_id !== actor.id)) return { ok: false, reason: 'forbidden' };
  if (!rule.from.includes(dossier.state)) return { ok: false, reason: 'illegal' };
  return { ok: true, to: rule.to };
}

/** Events the actor could trigger now (the status page shows the applicant's). */
export function availableEvents(dossier: Pick<DossiersTable, 'applicant_id'> & { state: DossierState }, actor: Actor): DossierEvent[] {
  return DOSSIER_EVENTS.filter((e) => nextState(dossier, e, actor).ok);
}

export interface TransitionOptions {
  /** Base URL for the link in the status e-mail (config.publicUrl). */
  publicUrl: string;
  /** Extra columns set with the state change (number, deadline, …). */
  set?: Partial<{
    number: string;
    submitted_at: Date;
    sworn_at: Date;
    decided_at: Date;
    requested_pieces: string[];
    pieces_deadline: string | null;
  }>;
  /** Stored on the timeline row (no personal data: pièce codes, deadline). */
  details?: Record<string, unknown>;
  now?: Date;
}

export interface DossierForTransition {
  id: string;
  prefecture_id: string;
  applicant_id: string | null;
  applicant_email: string;
  state: DossierState;
}

export async function transition(
  trx: Transaction<DB>,
  dossier: DossierForTransition,
  event: DossierEvent,
  actor: Actor,
  opts: TransitionOptions,
): Promise<DossierState> {
  const guard = nextState(dossier, event, actor);
  if (!guard.ok) {
    throw new AppError('conflict', guard.reason === 'forbidden' ? 'dossiers.err_transition_forbidden' : 'dossiers.err_transition_illegal');
  }
  const now = opts.now ?? new Date();
  const updated = await trx
    .updateTable('dossiers')
    .set({ ...(opts.set ?? {}), state: guard.to, updated_at: now })
    .where('id', '=', dossier.id)
    .where('prefecture_id', '=', dossier.prefecture_id)
    .where('state', '=', dossier.state)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw new AppError('conflict', 'dossiers.err_transition_stale');
  await trx
    .insertInto('dossier_events')
    .values({
      prefecture_id: dossier.prefecture_id,
      dossier_id: dossier.id,
      event,
      from_state: dossier.state,
      to_state: guard.to,
      actor_id: actor.id,
      actor_role: actor.role,
      details: JSON.stringify(opts.details ?? {}),
      created_at: now,
    })
    .execute();
  await recordAudit(trx, {
    prefectureId: dossier.prefecture_id,
    actorId: actor.id,
    actorRole: actor.role,
    action: `dossier.${event}`,
    subjectId: dossier.id,
    details: { ...(opts.details ?? {}), from: dossier.state, to: guard.to },
  });
  // The e-mail says only that something changed and where to look: no personal data.
  let locale: Locale = 'fr';
  let to = dossier.applicant_email;
  if (dossier.applicant_id) {
    const user = await trx.selectFrom('users').select(['email', 'locale']).where('id', '=', dossier.applicant_id).executeTakeFirst();
    if (user) {
      to = user.email;
      if (isLocale(user.locale)) locale = user.locale;
    }
  }
  await queueMail(trx, {
    prefectureId: dossier.prefecture_id,
    to,
    locale,
    template: 'dossiers.mail_status_changed',
    link: `${opts.publicUrl.replace(/\/$/, '')}/dossiers/${dossier.id}`,
  });
  return guard.to;
}
