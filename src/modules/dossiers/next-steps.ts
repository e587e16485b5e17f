// What the applicant must do next, and by when, for each state. Pure: returns i18n keys and
// their parameters; the status page and the API show them.
import type { DossierState } from './tables';

export interface NextStep {
  key: string;
  params?: Record<string, string | number>;
}

export function nextSteps(
  d: { state: DossierState; pieces_deadline: string | null; late_renewal: boolean },
  ctx: { stampAmount: string; deadline: string | null },
): NextStep[] {
  switch (d.state) {
    case 'draft':
      return [{ key: 'dossiers.next.draft' }, { key: 'dossiers.next.draft_purge' }];
    case 'submitted':
    case 'under_review':
    case 'resubmitted':
      return [
        { key: 'dossiers.next.wait' },
        ...(d.late_renewal ? [{ key: 'dossiers.next.late_not_penalised' }] : []),
        { key: 'dossiers.next.silence' },
      ];
    case 'pieces_requested':
      return [ctx.deadline ? { key: 'dossiers.next.pieces_deadline', params: { deadline: ctx.deadline } } : { key: 'dossiers.next.pieces' }];
    case 'decided_favourable':
    case 'card_in_production':
      return [{ key: 'dossiers.next.stamp', params: { amount: ctx.stampAmount } }];
    case 'card_ready':
      return [{ key: 'dossiers.next.card_ready', params: { amount: ctx.stampAmount } }];
    case 'decided_unfavourable':
      return [{ key: 'dossiers.next.unfavourable' }];
    case 'handed_over':
      return [{ key: 'dossiers.next.done' }];
    case 'closed':
    case 'withdrawn':
      return [{ key: 'dossiers.next.none' }];
  }
}

/** The usual path of a request, shown after what already happened as the steps to come. */
export const MAIN_PATH: DossierState[] = [
  'draft',
  'submitted',
  'under_review',
  'decided_favourable',
  'card_in_production',
  'card_ready',
  'handed_over',
];

const TERMINAL: readonly DossierState[] = ['decided_unfavourable', 'closed', 'withdrawn', 'handed_over'];

/** The states still ahead on the usual path (none once the request has ended). Pure. */
export function upcomingStates(state: DossierState): DossierState[] {
  if (TERMINAL.includes(state)) return [];
  // A request for pièces and its answer happen during the review.
  const at = MAIN_PATH.indexOf(state === 'pieces_requested' || state === 'resubmitted' ? 'under_review' : state);
  return MAIN_PATH.slice(at + 1);
}
