// First-come-first-served slots: those published (release moment past), still ahead and with a
// free seat, of counters whose FCFS policy is enabled; and booking one of them for a request
// inside the filing transaction, so that a filing either holds its seat or is not saved.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';

export interface FcfsSlot {
  slot_id: string;
  starts_at: Date;
  counter_name: string;
  counter_type: string;
  site_id: string;
  site_name: string;
  free: number;
}

const HELD = sql`('offered', 'confirmed', 'checked_in', 'no_show')`;

export async function listFcfsSlots(db: Kysely<DB>, prefectureId: string, opts: { slotId?: string; limit?: number; now?: Date } = {}): Promise<FcfsSlot[]> {
  const now = opts.now ?? new Date();
  const res = await sql<FcfsSlot>`
    select s.id as slot_id, s.starts_at, c.name as counter_name, c.type as counter_type, c.site_id, st.name as site_name,
           (s.capacity - (select count(*) from appointments a where a.slot_id = s.id and a.status in ${HELD}))::int as free
    from slots s
    join counters c on c.id = s.counter_id and c.active
    join sites st on st.id = c.site_id
    join fcfs_policies f on f.counter_id = c.id and f.enabled
    join fcfs_releases rl on rl.counter_id = c.id and rl.slots_date = s.local_date and rl.release_at <= ${now}::timestamptz
    where s.prefecture_id = ${prefectureId}::uuid and s.starts_at > ${now}::timestamptz
      ${opts.slotId ? sql`and s.id = ${opts.slotId}::uuid` : sql``}
      and s.capacity > (select count(*) from appointments a where a.slot_id = s.id and a.status in ${HELD})
    order by s.starts_at, c.name
    limit ${opts.limit ?? 200}`.execute(db);
  return res.rows;
}

/**
 * Books the lowest free seat of a published FCFS slot for a request, inside the caller's
 * transaction. Seat races are settled by the unique (slot, seat) index: ON CONFLICT DO NOTHING
 * keeps the transaction usable, and the next statement (a fresh snapshot) looks again.
 * The slot must serve the request's reason (counter type) at the request's site.
 * Throws a validation error on `slot_id` when the slot is not bookable or full.
 */
export async function bookFcfsSeat(
  trx: Transaction<DB>,
  input: { prefectureId: string; requestId: string; slotId: string; confirmBy: Date; now?: Date },
): Promise<{ id: string; seat: number }> {
  const now = input.now ?? new Date();
  const gone = () => new AppError('validation', 'errors.validation', { slot_id: 'appointments.fcfs.err_slot_gone' });
  for (let attempt = 0; attempt < 60; attempt++) {
    const res = await sql<{ id: string; seat: number }>`
      insert into appointments (prefecture_id, request_id, reason_code, identity_key, slot_id, slot_capacity, seat, status, confirm_by)
      select r.prefecture_id, r.id, r.reason_code, r.identity_key, s.id, s.capacity, g.seat, 'offered', ${input.confirmBy}::timestamptz
      from appointment_requests r
      join appointment_reasons m on m.prefecture_id = r.prefecture_id and m.code = r.reason_code
      join slots s on s.id = ${input.slotId}::uuid and s.prefecture_id = r.prefecture_id and s.starts_at > ${now}::timestamptz
      join counters c on c.id = s.counter_id and c.active and c.site_id = r.site_id and c.type = m.counter_type
      join fcfs_policies f on f.counter_id = c.id and f.enabled
      join fcfs_releases rl on rl.counter_id = c.id and rl.slots_date = s.local_date and rl.release_at <= ${now}::timestamptz
      cross join lateral (
        select gs as seat from generate_series(1, s.capacity) gs
        where not exists (select 1 from appointments a where a.slot_id = s.id and a.seat = gs and a.status in ${HELD})
        order by gs limit 1) g
      where r.id = ${input.requestId}::uuid and r.prefecture_id = ${input.prefectureId}::uuid
      on conflict (slot_id, seat) where status in ${HELD} do nothing
      returning id, seat`.execute(trx);
    const row = res.rows[0];
    if (row) return row;
    // Nothing inserted: a racing filing took the seat we saw (look again), nothing is free, or the
    // slot does not serve this reason at this site.
    const still = await listFcfsSlots(trx, input.prefectureId, { slotId: input.slotId, now, limit: 1 });
    if (!still.length) throw gone();
    const r = await trx
      .selectFrom('appointment_requests as r')
      .innerJoin('appointment_reasons as m', (j) => j.onRef('m.prefecture_id', '=', 'r.prefecture_id').onRef('m.code', '=', 'r.reason_code'))
      .select(['r.site_id', 'm.counter_type'])
      .where('r.id', '=', input.requestId)
      .executeTakeFirst();
    const slot = still[0] as FcfsSlot;
    if (!r || r.site_id !== slot.site_id || r.counter_type !== slot.counter_type) {
      throw new AppError('validation', 'errors.validation', { slot_id: 'appointments.fcfs.err_slot_reason' });
    }
  }
  throw gone();
}
