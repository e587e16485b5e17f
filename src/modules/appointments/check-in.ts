// Counter check-in: the agent types or scans the convocation code; its Ed25519 signature, the
// appointment (this préfecture's) and the booked person's digest are checked; the agent sees
// the booked name and birth date and compares them with the identity document. A match checks
// the person in, once only (the update is guarded by status = 'confirmed'); a mismatch is
// refused and recorded as a resale signal. After the slot, confirmed appointments nobody
// attended become no-shows (job), which the core's allocator counts.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { recordSignals } from './abuse-signals';
import { loadAppointment, type AppointmentView } from './convocation';
import { personDigest, verifyConvocation } from './token';

export const NO_SHOW_JOB = 'appointments.no-show';
/** Minutes after the end of the slot before a confirmed appointment counts as a no-show. */
export const NO_SHOW_GRACE_MINUTES = 30;

/** The appointment a genuine token designates, or AppError (invalid code / not found). */
export async function lookupConvocation(db: Kysely<DB>, secretKey: string, prefectureId: string, code: string): Promise<AppointmentView> {
  const claims = verifyConvocation(secretKey, code);
  if (!claims) throw new AppError('validation', 'appointments.front.checkin_invalid', { code: 'appointments.front.checkin_invalid' });
  const a = await loadAppointment(db, prefectureId, claims.appointmentId);
  if (!a) throw new AppError('not_found', 'appointments.front.checkin_unknown');
  if (personDigest(a.identity_key) !== claims.personDigest || Math.abs(a.starts_at.getTime() - claims.slotStartsAt.getTime()) >= 60_000) {
    throw new AppError('validation', 'appointments.front.checkin_invalid', { code: 'appointments.front.checkin_invalid' });
  }
  return a;
}

/** Identity matches: checked in once only. Throws conflict when already checked in (reused code) or not confirmed. */
export async function checkIn(db: Kysely<DB>, secretKey: string, prefectureId: string, code: string): Promise<AppointmentView> {
  const a = await lookupConvocation(db, secretKey, prefectureId, code);
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('appointments')
      .set({ status: 'checked_in', checked_in_at: sql`now()`, updated_at: sql`now()` })
      .where('prefecture_id', '=', prefectureId)
      .where('id', '=', a.id)
      .where('status', '=', 'confirmed')
      .returning('request_id')
      .executeTakeFirst();
    if (!row) return false;
    await trx.updateTable('appointment_requests').set({ status: 'done', updated_at: sql`now()` }).where('id', '=', row.request_id).execute();
    return true;
  });
  if (!done) {
    throw new AppError('conflict', a.status === 'checked_in' ? 'appointments.front.checkin_already' : 'appointments.front.checkin_not_confirmed');
  }
  return a;
}

/** Identity does not match the booked person: refused, recorded as a resale signal. */
export async function refuseCheckIn(db: Kysely<DB>, secretKey: string, prefectureId: string, code: string, agentId: string): Promise<AppointmentView> {
  const a = await lookupConvocation(db, secretKey, prefectureId, code);
  await recordSignals(db, { prefectureId, requestId: a.request_id, appointmentId: a.id, userId: a.applicant_id, identityKey: a.identity_key }, [
    { kind: 'checkin_mismatch', detail: { agent: agentId } },
  ]);
  return a;
}

/** Confirmed appointments whose slot ended more than the grace period ago become no-shows. */
export async function markNoShows(db: Kysely<DB>, now: Date = new Date()): Promise<number> {
  const res = await sql<{ id: string }>`
    with gone as (
      update appointments a set status = 'no_show', updated_at = now()
      from slots s
      where s.id = a.slot_id and a.status = 'confirmed'
        and s.ends_at < ${now}::timestamptz - make_interval(mins => ${NO_SHOW_GRACE_MINUTES})
      returning a.request_id)
    update appointment_requests set status = 'no_show', updated_at = now()
    where id in (select request_id from gone) and status = 'confirmed'
    returning id`.execute(db);
  return res.rows.length;
}
