// Use case: first-come-first-served (FCFS) as a counter policy. A counter with an enabled
// policy in fcfs_policies is left out of the draws; its slots of day D are published at a
// random minute inside the policy's daily window, `release_days_ahead` days before D. The
// release moments are rows of fcfs_releases (one per counter and day, unique), drawn with a
// CSPRNG and never shown before they pass. A slot is bookable once its release moment is past.
// When a policy is switched on, days whose release moment would already be past are
// published at once.
import { randomInt } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { addDays, localDate } from './calendar';

function minutes(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

/** A random 'HH:MM' in [start, end) (pure but for the CSPRNG). */
export function randomMinuteIn(start: string, end: string): string {
  const s = minutes(start);
  const m = s + randomInt(Math.max(1, minutes(end) - s));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export interface FcfsPolicy {
  counterId: string;
  enabled: boolean;
  windowStart: string;
  windowEnd: string;
  releaseDaysAhead: number;
}

export async function loadFcfsPolicies(db: Kysely<DB> | Transaction<DB>, prefectureId: string): Promise<FcfsPolicy[]> {
  const rows = await db.selectFrom('fcfs_policies').selectAll().where('prefecture_id', '=', prefectureId).execute();
  return rows.map((r) => ({
    counterId: r.counter_id,
    enabled: r.enabled,
    windowStart: r.window_start.slice(0, 5),
    windowEnd: r.window_end.slice(0, 5),
    releaseDaysAhead: r.release_days_ahead,
  }));
}

/** Largest `release_days_ahead` of the enabled policies (0 when none): slots must exist that far. */
export async function fcfsReach(db: Kysely<DB>, prefectureId: string): Promise<number> {
  return Math.max(0, ...(await loadFcfsPolicies(db, prefectureId)).filter((p) => p.enabled).map((p) => p.releaseDaysAhead));
}

/**
 * Creates the missing release rows of every enabled policy for the days from today to
 * today + release_days_ahead + 1. Idempotent (unique counter and day). Returns how many were created.
 */
export async function scheduleFcfsReleases(db: Kysely<DB>, prefectureId: string, now: Date = new Date()): Promise<number> {
  const today = localDate(now);
  const policies = (await loadFcfsPolicies(db, prefectureId)).filter((p) => p.enabled);
  const rows: { c: string; d: string; r: string; t: string }[] = [];
  for (const p of policies) {
    for (let i = 0; i <= p.releaseDaysAhead + 1; i++) {
      const slotsDate = addDays(today, i);
      const releaseDay = addDays(slotsDate, -p.releaseDaysAhead);
      rows.push({ c: p.counterId, d: slotsDate, r: releaseDay, t: randomMinuteIn(p.windowStart, p.windowEnd) });
    }
  }
  if (!rows.length) return 0;
  const res = await sql<{ id: string }>`
    insert into fcfs_releases (prefecture_id, counter_id, slots_date, release_at)
    select ${prefectureId}::uuid, x.c, x.d,
           -- A release day already past (policy just enabled): published now.
           greatest((x.r + x.t) at time zone p.timezone, case when x.r < ${today}::date then ${now}::timestamptz else '-infinity'::timestamptz end)
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(c uuid, d date, r date, t time)
    cross join prefectures p where p.id = ${prefectureId}::uuid
    on conflict (counter_id, slots_date) do nothing
    returning id`.execute(db);
  return res.rows.length;
}
