// Silence kept by the préfecture for four months on a titre de séjour request is an implicit
// rejection (décision implicite de rejet). The watch list shows open dossiers whose four months
// end within WATCH_DAYS, or have already ended. Pure.
export const IMPLICIT_REJECTION_MONTHS = 4;
export const WATCH_DAYS = 30;
export const OPEN_STATES = ['submitted', 'under_review', 'pieces_requested', 'resubmitted'] as const;

export type Urgency = 'past' | 'soon' | 'near';

/** past: the four months are over; soon: 7 days or less; near: within the watch window. */
export function urgency(daysLeft: number): Urgency {
  if (daysLeft < 0) return 'past';
  if (daysLeft <= 7) return 'soon';
  return 'near';
}
