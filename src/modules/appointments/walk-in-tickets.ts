// Use cases: issue a numbered walk-in ticket (the site's rule must allow the reason now; the
// number is the next of the site's day, unique in the database: two agents issuing at once
// cannot get the same number — the loser retries with the next), list the day's queue, and
// move a ticket along (called, done, left).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { localDate } from './calendar';
import type { TicketStatus } from './front-tables';
import { loadWalkInRules, walkInDecision } from './walk-in';

export async function issueWalkInTicket(
  db: Kysely<DB>,
  input: { prefectureId: string; siteId: string; reasonCode: string; agentId: string | null },
  now: Date = new Date(),
): Promise<{ id: string; number: number }> {
  const rules = await loadWalkInRules(db, input.prefectureId);
  const closures = await db
    .selectFrom('closures')
    .select(['site_id', 'counter_id', 'starts_on', 'ends_on'])
    .where('prefecture_id', '=', input.prefectureId)
    .execute();
  const decision = walkInDecision(
    rules,
    input.siteId,
    input.reasonCode,
    now,
    closures.map((c) => ({ siteId: c.site_id, counterId: c.counter_id, startsOn: c.starts_on, endsOn: c.ends_on })),
  );
  if (!decision.ok) throw new AppError('conflict', `appointments.front.walkin_refused_${decision.refusal}`);
  const day = localDate(now);
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const res = await sql<{ id: string; number: number }>`
        insert into walk_in_tickets (prefecture_id, site_id, local_date, number, reason_code, issued_by)
        select ${input.prefectureId}::uuid, ${input.siteId}::uuid, ${day}::date, coalesce(max(number), 0) + 1, ${input.reasonCode}, ${input.agentId}::uuid
        from walk_in_tickets where prefecture_id = ${input.prefectureId}::uuid and site_id = ${input.siteId}::uuid and local_date = ${day}::date
        returning id, number`.execute(db);
      const row = res.rows[0];
      if (row) return row;
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
    }
  }
  throw new AppError('conflict', 'appointments.front.walkin_busy');
}

export async function walkInQueue(db: Kysely<DB>, prefectureId: string, siteId: string, now: Date = new Date()) {
  return db
    .selectFrom('walk_in_tickets as t')
    .innerJoin('appointment_reasons as m', (j) => j.onRef('m.prefecture_id', '=', 't.prefecture_id').onRef('m.code', '=', 't.reason_code'))
    .select(['t.id', 't.number', 't.status', 't.created_at', 'm.label_fr', 'm.label_en', 'm.label_ar'])
    .where('t.prefecture_id', '=', prefectureId)
    .where('t.site_id', '=', siteId)
    .where('t.local_date', '=', localDate(now))
    .orderBy('t.number')
    .execute();
}

const NEXT: Record<TicketStatus, TicketStatus[]> = { waiting: ['called', 'left'], called: ['done', 'left'], done: [], left: [] };

export async function moveTicket(db: Kysely<DB>, prefectureId: string, ticketId: string, to: TicketStatus): Promise<void> {
  const from = (Object.keys(NEXT) as TicketStatus[]).filter((s) => NEXT[s].includes(to));
  const res = await db
    .updateTable('walk_in_tickets')
    .set({ status: to, updated_at: sql`now()` })
    .where('prefecture_id', '=', prefectureId)
    .where('id', '=', ticketId)
    .where('status', 'in', from.length ? from : ['__none__' as TicketStatus])
    .executeTakeFirst();
  if (!Number(res.numUpdatedRows)) throw new AppError('conflict', 'appointments.front.walkin_bad_move');
}
