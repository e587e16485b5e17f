// Urgent channel eligibility (pure). A person may use it when no slot can be offered before
// their permit expires — fewer free seats before the expiry than people who need one before
// it (themselves included) — or when their job is at risk (an employer's letter, triaged by
// staff). Lateness caused by a lack of appointments is never held against the person.
import type { UrgentMotiveKind } from './front-tables';

export interface UrgentSituation {
  motiveKind: UrgentMotiveKind;
  /** 'YYYY-MM-DD' or null when unknown. */
  permitExpiresOn: string | null;
  today: string;
  /** Free seats of the person's pool (site × counter type) from the earliest offerable time to the expiry. */
  freeSeatsBeforeExpiry: number;
  /** Other active requests of the pool whose permit expires on or before this one's. */
  competingBeforeExpiry: number;
}

export type UrgentVerdict = { ok: true } | { ok: false; reason: 'no_expiry' | 'slots_available' };

export function urgentEligibility(s: UrgentSituation): UrgentVerdict {
  if (s.motiveKind === 'job_risk' || s.motiveKind === 'other') return { ok: true };
  if (!s.permitExpiresOn) return { ok: false, reason: 'no_expiry' };
  if (s.permitExpiresOn < s.today) return { ok: true };
  return s.freeSeatsBeforeExpiry <= s.competingBeforeExpiry ? { ok: true } : { ok: false, reason: 'slots_available' };
}
