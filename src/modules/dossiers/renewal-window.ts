// The renewal filing window (CESEDA R.431-5): from the 120th to the 60th day before the
// current permit expires. Filing later is accepted but flagged as late. Pure; dates are
// calendar days 'YYYY-MM-DD'.
export type RenewalTiming = 'early' | 'in_window' | 'late' | 'expired';

export interface RenewalWindow {
  opensOn: string;
  closesOn: string;
  timing: RenewalTiming;
}

export const WINDOW_OPENS_DAYS = 120;
export const WINDOW_CLOSES_DAYS = 60;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Today's calendar day in Paris. */
export function parisDay(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function renewalWindow(expiresOn: string, today: string): RenewalWindow {
  const opensOn = addDays(expiresOn, -WINDOW_OPENS_DAYS);
  const closesOn = addDays(expiresOn, -WINDOW_CLOSES_DAYS);
  let timing: RenewalTiming;
  if (today < opensOn) timing = 'early';
  else if (today <= closesOn) timing = 'in_window';
  else if (today <= expiresOn) timing = 'late';
  else timing = 'expired';
  return { opensOn, closesOn, timing };
}

export function isLate(timing: RenewalTiming): boolean {
  return timing === 'late' || timing === 'expired';
}
