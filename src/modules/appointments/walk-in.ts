// Walk-in (sans rendez-vous) rules: a reason served at a site without appointment on given
// weekdays and hours (local time, Europe/Paris), never on public holidays or closures.
// Pure functions; the rules themselves live in table walk_in_rules (seeded below for Hérault).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { isClosed, isoWeekday, isPublicHoliday, localDate, type Closure } from './calendar';

export interface WalkInRule {
  siteId: string;
  reasonCode: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** 'HH:MM' local. */
  start: string;
  end: string;
}

export type WalkInRefusal = 'no_rule' | 'holiday' | 'closed' | 'weekday' | 'hours';

/** Local 'HH:MM' of an instant in a time zone. */
export function localTime(at: Date, timeZone = 'Europe/Paris'): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** Whether a walk-in ticket may be issued for this site and reason at this instant. */
export function walkInDecision(
  rules: WalkInRule[],
  siteId: string,
  reasonCode: string,
  at: Date,
  closures: Closure[] = [],
  timeZone = 'Europe/Paris',
): { ok: true } | { ok: false; refusal: WalkInRefusal } {
  const own = rules.filter((r) => r.siteId === siteId && r.reasonCode === reasonCode);
  if (!own.length) return { ok: false, refusal: 'no_rule' };
  const date = localDate(at, timeZone);
  if (isPublicHoliday(date)) return { ok: false, refusal: 'holiday' };
  if (closures.length && isClosed({ id: '', siteId }, date, closures.filter((c) => c.counterId === null))) return { ok: false, refusal: 'closed' };
  const today = own.filter((r) => r.weekday === isoWeekday(date));
  if (!today.length) return { ok: false, refusal: 'weekday' };
  const time = localTime(at, timeZone);
  if (!today.some((r) => r.start <= time && time < r.end)) return { ok: false, refusal: 'hours' };
  return { ok: true };
}

/** Rules grouped for display: one line per site, reason and identical hours, with its weekdays. */
export function describeRules(rules: WalkInRule[]): { siteId: string; reasonCode: string; start: string; end: string; weekdays: number[] }[] {
  const groups = new Map<string, { siteId: string; reasonCode: string; start: string; end: string; weekdays: number[] }>();
  for (const r of rules) {
    const key = `${r.siteId}|${r.reasonCode}|${r.start}|${r.end}`;
    const g = groups.get(key) ?? { siteId: r.siteId, reasonCode: r.reasonCode, start: r.start, end: r.end, weekdays: [] };
    g.weekdays.push(r.weekday);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, weekdays: [...new Set(g.weekdays)].sort() }));
}

export async function loadWalkInRules(db: Kysely<DB>, prefectureId: string): Promise<WalkInRule[]> {
  const rows = await db
    .selectFrom('walk_in_rules')
    .select(['site_id', 'reason_code', 'weekday', 'start_time', 'end_time'])
    .where('prefecture_id', '=', prefectureId)
    .orderBy('weekday')
    .orderBy('start_time')
    .execute();
  return rows.map((r) => ({ siteId: r.site_id, reasonCode: r.reason_code, weekday: r.weekday, start: r.start_time.slice(0, 5), end: r.end_time.slice(0, 5) }));
}

/** Hérault demo: renewal of the 10-year resident card without appointment at Montpellier, Mon, Tue, Thu, Fri 08:30–12:00. */
export const HERAULT_WALK_IN: { site: string; reason: string; weekdays: number[]; start: string; end: string }[] = [
  { site: 'montpellier', reason: 'resident_renewal', weekdays: [1, 2, 4, 5], start: '08:30', end: '12:00' },
];

/** Idempotent seed of the walk-in rules (needs the sites and reasons). */
export async function seedWalkInRules(db: Kysely<DB>, prefectureId: string, rules = HERAULT_WALK_IN): Promise<void> {
  const sites = await db.selectFrom('sites').select(['id', 'code']).where('prefecture_id', '=', prefectureId).execute();
  const reasons = await db.selectFrom('appointment_reasons').select('code').where('prefecture_id', '=', prefectureId).execute();
  const reasonCodes = new Set(reasons.map((r) => r.code));
  const values = rules.flatMap((r) => {
    const site = sites.find((s) => s.code === r.site);
    if (!site || !reasonCodes.has(r.reason)) return [];
    return r.weekdays.map((weekday) => ({ prefecture_id: prefectureId, site_id: site.id, reason_code: r.reason, weekday, start_time: r.start, end_time: r.end }));
  });
  if (!values.length) return;
  await db
    .insertInto('walk_in_rules')
    .values(values)
    .onConflict((oc) => oc.columns(['prefecture_id', 'site_id', 'reason_code', 'weekday', 'start_time']).doNothing())
    .execute();
}
