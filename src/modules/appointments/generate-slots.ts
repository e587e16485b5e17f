// Use case: generate the slots of every active counter over the coming days from their weekly
// opening hours, skipping public holidays and closures. Idempotent: (counter, start) is
// unique and existing slots are left as they are.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { counterSlots, type Closure, type CounterCalendar } from './calendar';

export async function loadCalendars(db: Kysely<DB>, prefectureId: string): Promise<{ counters: (CounterCalendar & { type: string; code: string; name: string })[]; closures: Closure[] }> {
  const counters = await db
    .selectFrom('counters')
    .select(['id', 'site_id', 'slot_minutes', 'agents', 'type', 'code', 'name'])
    .where('prefecture_id', '=', prefectureId)
    .where('active', '=', true)
    .orderBy('code')
    .execute();
  const hours = await db.selectFrom('counter_hours').select(['counter_id', 'weekday', 'start_time', 'end_time']).where('prefecture_id', '=', prefectureId).execute();
  const closures = await db.selectFrom('closures').select(['site_id', 'counter_id', 'starts_on', 'ends_on']).where('prefecture_id', '=', prefectureId).execute();
  return {
    counters: counters.map((c) => ({
      id: c.id,
      siteId: c.site_id,
      slotMinutes: c.slot_minutes,
      agents: c.agents,
      type: c.type,
      code: c.code,
      name: c.name,
      hours: hours.filter((h) => h.counter_id === c.id).map((h) => ({ weekday: h.weekday, start: h.start_time.slice(0, 5), end: h.end_time.slice(0, 5) })),
    })),
    closures: closures.map((c) => ({ siteId: c.site_id, counterId: c.counter_id, startsOn: c.starts_on, endsOn: c.ends_on })),
  };
}

/** Creates the missing slots from `from` (local date) for `days` days. Returns how many were created. */
export async function generateSlots(db: Kysely<DB>, prefectureId: string, from: string, days: number): Promise<number> {
  const { counters, closures } = await loadCalendars(db, prefectureId);
  const slots = counters.flatMap((c) => counterSlots(c, from, days, closures));
  let created = 0;
  for (let i = 0; i < slots.length; i += 5000) {
    const chunk = slots.slice(i, i + 5000).map((s) => ({ c: s.counterId, d: s.date, a: s.start, b: s.end, n: s.capacity }));
    const res = await sql<{ id: string }>`
      insert into slots (prefecture_id, counter_id, local_date, starts_at, ends_at, capacity)
      select ${prefectureId}::uuid, x.c, x.d, (x.d + x.a) at time zone p.timezone, (x.d + x.b) at time zone p.timezone, x.n
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(c uuid, d date, a time, b time, n int)
      cross join prefectures p where p.id = ${prefectureId}::uuid
      on conflict (counter_id, starts_at) do nothing
      returning id`.execute(db);
    created += res.rows.length;
  }
  return created;
}

/**
 * Removes the upcoming slots (from `from`, a local date, on) that the calendar computed for
 * `days` days does not have (a closure or opening hours added or removed, another slot length, a counter
 * switched off), as long as no appointment ever referred to them. A slot holding a seat stays:
 * staff move those people. Returns how many were removed.
 */
export async function removeStaleSlots(db: Kysely<DB>, prefectureId: string, from: string, days: number, now: Date = new Date()): Promise<number> {
  const { counters, closures } = await loadCalendars(db, prefectureId);
  const expected = counters.flatMap((c) => counterSlots(c, from, days, closures)).map((s) => ({ c: s.counterId, d: s.date, a: s.start }));
  const res = await sql<{ id: string }>`
    with expected as (
      select x.c as counter_id, (x.d + x.a) at time zone p.timezone as starts_at
      from jsonb_to_recordset(${JSON.stringify(expected)}::jsonb) as x(c uuid, d date, a time)
      cross join prefectures p where p.id = ${prefectureId}::uuid)
    delete from slots s
    where s.prefecture_id = ${prefectureId}::uuid and s.starts_at > ${now}::timestamptz
      and s.local_date >= ${from}::date
      and not exists (select 1 from expected e where e.counter_id = s.counter_id and e.starts_at = s.starts_at)
      and not exists (select 1 from appointments a where a.slot_id = s.id)
    returning s.id`.execute(db);
  return res.rows.length;
}
