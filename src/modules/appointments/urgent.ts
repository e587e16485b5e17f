// Use cases of the urgent channel: file an urgent request for one of my active requests, list
// them for staff, grant a priority slot — through bookSeat, the same constraint-safe seat
// insert as every other booking (seat uniqueness, capacity) — or answer with a message.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { formatDateTime } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';
import { bookSeat } from './book-seat';
import { localDate } from './calendar';
import type { UrgentMotiveKind } from './front-tables';
import { getSettings } from './settings';
import { urgentEligibility, type UrgentVerdict } from './urgent-rules';

/**
 * Free seats of a pool from the earliest offerable time to the end of the expiry day, and the
 * competing requests. Seats of first-come-first-served counters are not counted: the draws
 * never offer them (run-draw.ts), so they are no slot the person can count on.
 */
export async function poolPressure(db: Kysely<DB>, prefectureId: string, requestId: string, now: Date = new Date()) {
  const r = await db
    .selectFrom('appointment_requests as r')
    .innerJoin('appointment_reasons as m', (j) => j.onRef('m.prefecture_id', '=', 'r.prefecture_id').onRef('m.code', '=', 'r.reason_code'))
    .select(['r.id', 'r.site_id', 'r.permit_expires_on', 'm.counter_type'])
    .where('r.prefecture_id', '=', prefectureId)
    .where('r.id', '=', requestId)
    .executeTakeFirstOrThrow();
  if (!r.permit_expires_on) return { permitExpiresOn: null, free: 0, competing: 0 };
  const settings = await getSettings(db, prefectureId);
  const earliest = new Date(now.getTime() + settings.minLeadHours * 3_600_000);
  const free = await sql<{ n: number }>`
    select count(*)::int as n from slots s
    join counters c on c.id = s.counter_id and c.active
    cross join lateral generate_series(1, s.capacity) g(seat)
    where s.prefecture_id = ${prefectureId}::uuid and c.site_id = ${r.site_id}::uuid and c.type = ${r.counter_type}
      and not exists (select 1 from fcfs_policies f where f.counter_id = c.id and f.enabled)
      and s.starts_at >= ${earliest}::timestamptz and s.local_date <= ${r.permit_expires_on}::date
      and not exists (select 1 from appointments a where a.slot_id = s.id and a.seat = g.seat
                      and a.status in ('offered', 'confirmed', 'checked_in', 'no_show'))`.execute(db);
  const competing = await sql<{ n: number }>`
    select count(*)::int as n from appointment_requests o
    join appointment_reasons om on om.prefecture_id = o.prefecture_id and om.code = o.reason_code
    where o.prefecture_id = ${prefectureId}::uuid and o.site_id = ${r.site_id}::uuid and om.counter_type = ${r.counter_type}
      and o.status in ('pending', 'review', 'urgent') and o.id <> ${r.id}::uuid
      and o.permit_expires_on is not null and o.permit_expires_on <= ${r.permit_expires_on}::date`.execute(db);
  return { permitExpiresOn: r.permit_expires_on, free: free.rows[0]?.n ?? 0, competing: competing.rows[0]?.n ?? 0 };
}

export async function checkUrgentEligibility(db: Kysely<DB>, prefectureId: string, requestId: string, motiveKind: UrgentMotiveKind, now = new Date()): Promise<{ verdict: UrgentVerdict; free: number | null }> {
  const p = await poolPressure(db, prefectureId, requestId, now);
  const verdict = urgentEligibility({
    motiveKind,
    permitExpiresOn: p.permitExpiresOn,
    today: localDate(now),
    freeSeatsBeforeExpiry: p.free,
    competingBeforeExpiry: p.competing,
  });
  return { verdict, free: p.permitExpiresOn ? p.free : null };
}

export async function fileUrgentRequest(
  db: Kysely<DB>,
  input: { prefectureId: string; applicantId: string; requestId: string; motiveKind: UrgentMotiveKind; motive: string },
  now = new Date(),
): Promise<string> {
  const req = await db
    .selectFrom('appointment_requests')
    .select(['id', 'status', 'applicant_id'])
    .where('prefecture_id', '=', input.prefectureId)
    .where('id', '=', input.requestId)
    .executeTakeFirst();
  if (!req || req.applicant_id !== input.applicantId) throw new AppError('validation', 'errors.validation', { request_id: 'appointments.front.urgent_err_request' });
  if (!['pending', 'review'].includes(req.status)) throw new AppError('validation', 'errors.validation', { request_id: 'appointments.front.urgent_err_request' });
  const motive = input.motive.trim();
  if (motive.length < 10 || motive.length > 4000) throw new AppError('validation', 'errors.validation', { motive: 'appointments.front.urgent_err_motive' });
  const { verdict, free } = await checkUrgentEligibility(db, input.prefectureId, input.requestId, input.motiveKind, now);
  if (!verdict.ok) throw new AppError('validation', 'errors.validation', { motive_kind: `appointments.front.urgent_err_${verdict.reason}` });
  try {
    const row = await db
      .insertInto('urgent_requests')
      .values({
        prefecture_id: input.prefectureId,
        request_id: input.requestId,
        applicant_id: input.applicantId,
        motive_kind: input.motiveKind,
        motive,
        seats_before_expiry: free,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('conflict', 'appointments.front.urgent_err_open');
    throw err;
  }
}

export async function listOpenUrgent(db: Kysely<DB>, prefectureId: string) {
  return db
    .selectFrom('urgent_requests as u')
    .innerJoin('appointment_requests as r', 'r.id', 'u.request_id')
    .innerJoin('sites as s', 's.id', 'r.site_id')
    .select(['u.id', 'u.motive_kind', 'u.motive', 'u.seats_before_expiry', 'u.created_at', 'r.id as request_id', 'r.surname', 'r.given_names', 'r.birth_date', 'r.permit_expires_on', 'r.reason_code', 'r.site_id', 's.name as site_name'])
    .where('u.prefecture_id', '=', prefectureId)
    .where('u.status', '=', 'open')
    .orderBy('u.created_at')
    .execute();
}

/** Slots with a free seat, soonest first, of the counters that may serve the request (its counter type or the urgent counter, same site). */
export async function grantableSlots(db: Kysely<DB>, prefectureId: string, requestId: string, now = new Date(), limit = 8) {
  const res = await sql<{ id: string; starts_at: Date; counter_name: string; free: number }>`
    select s.id, s.starts_at, c.name as counter_name,
           (s.capacity - (select count(*) from appointments a where a.slot_id = s.id and a.status in ('offered', 'confirmed', 'checked_in', 'no_show')))::int as free
    from appointment_requests r
    join appointment_reasons m on m.prefecture_id = r.prefecture_id and m.code = r.reason_code
    join counters c on c.prefecture_id = r.prefecture_id and c.site_id = r.site_id and c.active and c.type in (m.counter_type, 'urgent')
    join slots s on s.counter_id = c.id and s.starts_at > ${now}::timestamptz
    where r.id = ${requestId}::uuid and r.prefecture_id = ${prefectureId}::uuid
      and (select count(*) from appointments a where a.slot_id = s.id and a.status in ('offered', 'confirmed', 'checked_in', 'no_show')) < s.capacity
    order by s.starts_at, c.code
    limit ${limit}::int`.execute(db);
  return res.rows;
}

/** Grants a seat of the chosen slot to an urgent request; the seat insert is bookSeat's (DB-guarded capacity). */
export async function grantUrgent(
  db: Kysely<DB>,
  input: { prefectureId: string; urgentId: string; slotId: string; agentId: string; publicUrl: string },
  now = new Date(),
): Promise<string> {
  const u = await db
    .selectFrom('urgent_requests as u')
    .innerJoin('appointment_requests as r', 'r.id', 'u.request_id')
    .select(['u.id', 'u.request_id', 'r.status', 'r.email', 'r.locale', 'r.site_id'])
    .where('u.prefecture_id', '=', input.prefectureId)
    .where('u.id', '=', input.urgentId)
    .where('u.status', '=', 'open')
    .executeTakeFirst();
  if (!u) throw new AppError('not_found');
  const allowed = await grantableSlots(db, input.prefectureId, u.request_id, now, 500);
  const slot = allowed.find((s) => s.id === input.slotId);
  if (!slot) throw new AppError('conflict', 'appointments.error_slot_full');
  // Take the request out of the draw first (a draw running now cannot allocate it twice).
  const claimed = await db
    .updateTable('appointment_requests')
    .set({ status: 'urgent', updated_at: sql`now()` })
    .where('id', '=', u.request_id)
    .where('status', 'in', ['pending', 'review'])
    .returning('status')
    .executeTakeFirst();
  if (!claimed) throw new AppError('conflict', 'appointments.front.urgent_err_changed');
  const settings = await getSettings(db, input.prefectureId);
  const confirmBy = new Date(Math.min(now.getTime() + settings.confirmHours * 3_600_000, slot.starts_at.getTime()));
  let appointmentId: string;
  try {
    appointmentId = (await bookSeat(db, { prefectureId: input.prefectureId, requestId: u.request_id, slotId: input.slotId, status: 'offered', confirmBy })).id;
  } catch (err) {
    await db.updateTable('appointment_requests').set({ status: u.status }).where('id', '=', u.request_id).where('status', '=', 'urgent').execute();
    throw err;
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('appointment_requests').set({ status: 'allocated', updated_at: sql`now()` }).where('id', '=', u.request_id).execute();
    await trx
      .updateTable('urgent_requests')
      .set({ status: 'granted', appointment_id: appointmentId, handled_by: input.agentId, handled_at: sql`now()` })
      .where('id', '=', u.id)
      .execute();
    await queueMail(trx, {
      prefectureId: input.prefectureId,
      to: u.email,
      locale: u.locale,
      template: 'appointments.front.mail_urgent_granted',
      params: { when: formatDateTime(u.locale, slot.starts_at), confirm_by: formatDateTime(u.locale, confirmBy) },
      link: `${input.publicUrl}/rendez-vous/${appointmentId}`,
    });
  });
  return appointmentId;
}

export async function answerUrgent(db: Kysely<DB>, input: { prefectureId: string; urgentId: string; agentId: string; answer: string; publicUrl: string }): Promise<void> {
  const answer = input.answer.trim();
  if (answer.length < 1 || answer.length > 4000) throw new AppError('validation', 'errors.validation', { answer: 'errors.required' });
  await db.transaction().execute(async (trx) => {
    const u = await trx
      .updateTable('urgent_requests')
      .set({ status: 'answered', answer, handled_by: input.agentId, handled_at: sql`now()` })
      .where('prefecture_id', '=', input.prefectureId)
      .where('id', '=', input.urgentId)
      .where('status', '=', 'open')
      .returning('request_id')
      .executeTakeFirst();
    if (!u) throw new AppError('not_found');
    const r = await trx.selectFrom('appointment_requests').select(['email', 'locale']).where('id', '=', u.request_id).executeTakeFirstOrThrow();
    await queueMail(trx, {
      prefectureId: input.prefectureId,
      to: r.email,
      locale: r.locale,
      template: 'appointments.front.mail_urgent_answered',
      params: { answer },
      link: `${input.publicUrl}/rendez-vous/demandes/${u.request_id}`,
    });
  });
}
