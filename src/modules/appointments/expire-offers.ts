// Use case: an offer not confirmed by its confirm_by returns its seat to the pool (status
// expired frees the seat) and the request goes back to pending for the next draw.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

export async function expireOffers(db: Kysely<DB>, now: Date = new Date(), prefectureId?: string): Promise<number> {
  const res = await sql<{ id: string }>`
    with expired as (
      update appointments set status = 'expired', updated_at = now()
      where status = 'offered' and confirm_by < ${now}::timestamptz
        ${prefectureId ? sql`and prefecture_id = ${prefectureId}::uuid` : sql``}
      returning request_id)
    update appointment_requests set status = 'pending', updated_at = now()
    where id in (select request_id from expired) and status = 'allocated'
    returning id`.execute(db);
  return res.rows.length;
}
