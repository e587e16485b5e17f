// Pure rules of the casework: who may act on a dossier, which states allow which step, the
// default deadline of a request for pièces, and whether a renewal earns an attestation de
// prolongation d'instruction.
import type { DossierState } from '../dossiers/tables';

export type StaffRole = 'agent' | 'supervisor' | 'admin';
export interface StaffActor {
  id: string;
  role: StaffRole;
}

/** States in which a dossier is being examined (it can be held, reviewed, completed). */
export const REVIEW_STATES: readonly DossierState[] = ['submitted', 'under_review', 'resubmitted'];
/** States in which a dossier waits for a decision (held by an agent, prolongation renewed). */
export const OPEN_STATES: readonly DossierState[] = ['submitted', 'under_review', 'pieces_requested', 'resubmitted'];

export const PROLONGATION_MONTHS = 3;
export const PIECES_DEADLINE_MONTHS = 1;
/** A renewal job runs this long before the current attestation ends, so the next one is ready. */
export const RENEWAL_LEAD_DAYS = 14;

/** Supervisors and admins act on any dossier of their préfecture; an agent on the ones they hold. */
export function mayWorkOn(d: { assigned_to: string | null }, actor: StaffActor): boolean {
  return actor.role !== 'agent' || d.assigned_to === actor.id;
}

export function mayReassign(actor: StaffActor): boolean {
  return actor.role === 'supervisor' || actor.role === 'admin';
}

/** 'YYYY-MM-DD' plus n calendar months (clamped to the month's last day). */
export function addMonthsToDay(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

export function addMonths(at: Date, months: number): Date {
  const day = addMonthsToDay(at.toISOString().slice(0, 10), months);
  return new Date(`${day}T${at.toISOString().slice(11)}`);
}

/** The request for pièces' deadline has passed (query-time flag, judged on the Paris day). */
export function deadlinePassed(d: { state: DossierState; pieces_deadline: string | null }, today: string): boolean {
  return d.state === 'pieces_requested' && !!d.pieces_deadline && d.pieces_deadline < today;
}

/**
 * A renewal filed while the current permit was still valid (filed on or before its expiry day)
 * earns the attestation de prolongation d'instruction once complete. A renewal filed after the
 * permit expired, a first request or a change of status does not.
 */
export function earnsProlongation(d: { request_kind: string; current_permit_expires_on: string | null; submitted_at: Date | null }, filedDay: (at: Date) => string): boolean {
  if (d.request_kind !== 'renewal' || !d.current_permit_expires_on || !d.submitted_at) return false;
  return filedDay(d.submitted_at) <= d.current_permit_expires_on;
}
