// Use case: give one request a seat of a given slot outside the draw (urgent channel, walk-ins,
// agents). Takes the lowest free seat number; the database guarantees that no seat is given
// twice and that no seat exceeds the slot's capacity, so two agents booking the last seat at
// once cannot both succeed: the loser retries on the next free seat or gets 'full'.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';

export interface BookSeatInput {
  prefectureId: string;
  requestId: string;
  slotId: string;
  status?: 'offered' | 'confirmed';
  /** Required when status is 'offered'. */
  confirmBy?: Date | null;
}

const SEAT_CONFLICT = 'appointments_seat';

/** Returns the appointment id and seat. Throws AppError('conflict', 'appointments.error_slot_full') when the slot is full. */
export async function bookSeat(db: Kysely<DB>, input: BookSeatInput, attempts = 5): Promise<{ id: string; seat: number }> {
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await sql<{ id: string; seat: number }>`
        insert into appointments (prefecture_id, request_id, reason_code, identity_key, slot_id, slot_capacity, seat, status, confirm_by, confirmed_at)
        select r.prefecture_id, r.id, r.reason_code, r.identity_key, s.id, s.capacity, g.seat, ${input.status ?? 'confirmed'},
               ${input.confirmBy ?? null}::timestamptz, ${input.status === 'offered' ? null : sql`now()`}
        from appointment_requests r
        join slots s on s.id = ${input.slotId}::uuid and s.prefecture_id = r.prefecture_id
        cross join lateral (
          select gs as seat from generate_series(1, s.capacity) gs
          where not exists (select 1 from appointments a where a.slot_id = s.id and a.seat = gs
                            and a.status in ('offered', 'confirmed', 'checked_in', 'no_show'))
          order by gs limit 1) g
        where r.id = ${input.requestId}::uuid and r.prefecture_id = ${input.prefectureId}::uuid
        returning id, seat`.execute(db);
      const row = res.rows[0];
      if (!row) throw new AppError('conflict', 'appointments.error_slot_full');
      return row;
    } catch (err) {
      const e = err as { code?: string; constraint?: string; message?: string };
      const seatRace = e.code === '23505' && (e.constraint === SEAT_CONFLICT || (e.message ?? '').includes(SEAT_CONFLICT));
      if (!seatRace) throw err;
    }
  }
  throw new AppError('conflict', 'appointments.error_slot_full');
}
