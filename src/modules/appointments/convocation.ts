// Use cases around an appointment offered to a person: confirm it within the deadline, cancel
// it (from the page or from a signed link in the reminder mail), the nominative convocation
// (its signed token, what to bring) and the reminders 3 days and 1 day before.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { formatDateTime, type Locale } from '../../shared/i18n';
import { enqueueJob } from '../../shared/jobs/queue';
import { queueMail } from '../../shared/mail/mail';
import { hmac, safeEqual } from '../../shared/security/tokens';
import { isUuid } from './front-requests';
import type { AppointmentStatus, CounterType, RequestStatus } from './tables';
import { personDigest, signConvocation } from './token';

export const REMINDER_JOB = 'appointments.reminder';
export const REMINDER_DAYS = [3, 1] as const;

export interface AppointmentView {
  id: string;
  status: AppointmentStatus;
  confirm_by: Date | null;
  request_id: string;
  request_status: RequestStatus;
  applicant_id: string | null;
  reason_code: string;
  surname: string;
  given_names: string;
  birth_date: string;
  email: string;
  locale: Locale;
  identity_key: string;
  starts_at: Date;
  ends_at: Date;
  counter_name: string;
  counter_type: CounterType;
  site_name: string;
  site_address: string;
  site_postal_code: string;
  site_city: string;
  reason_fr: string;
  reason_en: string;
  reason_ar: string;
}

export async function loadAppointment(db: Kysely<DB>, prefectureId: string, id: string): Promise<AppointmentView | null> {
  if (!isUuid(id)) return null;
  const row = await db
    .selectFrom('appointments as a')
    .innerJoin('appointment_requests as r', 'r.id', 'a.request_id')
    .innerJoin('slots as sl', 'sl.id', 'a.slot_id')
    .innerJoin('counters as c', 'c.id', 'sl.counter_id')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .innerJoin('appointment_reasons as m', (j) => j.onRef('m.prefecture_id', '=', 'r.prefecture_id').onRef('m.code', '=', 'r.reason_code'))
    .select([
      'a.id',
      'a.status',
      'a.confirm_by',
      'a.request_id',
      'r.status as request_status',
      'r.applicant_id',
      'r.reason_code',
      'r.surname',
      'r.given_names',
      'r.birth_date',
      'r.email',
      'r.locale',
      'r.identity_key',
      'sl.starts_at',
      'sl.ends_at',
      'c.name as counter_name',
      'c.type as counter_type',
      's.name as site_name',
      's.address as site_address',
      's.postal_code as site_postal_code',
      's.city as site_city',
      'm.label_fr as reason_fr',
      'm.label_en as reason_en',
      'm.label_ar as reason_ar',
    ])
    .where('a.prefecture_id', '=', prefectureId)
    .where('a.id', '=', id)
    .executeTakeFirst();
  return (row as AppointmentView | undefined) ?? null;
}

/** The applicant's own appointment, or 404 (missing, another person's or another préfecture's). */
export async function getMyAppointment(db: Kysely<DB>, prefectureId: string, userId: string, id: string): Promise<AppointmentView> {
  const a = await loadAppointment(db, prefectureId, id);
  if (!a || a.applicant_id !== userId) throw new AppError('not_found');
  return a;
}

export function reasonLabel(a: Pick<AppointmentView, 'reason_fr' | 'reason_en' | 'reason_ar'>, locale: Locale): string {
  return locale === 'en' ? a.reason_en : locale === 'ar' ? a.reason_ar : a.reason_fr;
}

export function convocationToken(secretKey: string, a: Pick<AppointmentView, 'id' | 'identity_key' | 'starts_at'>): string {
  return signConvocation(secretKey, { appointmentId: a.id, personDigest: personDigest(a.identity_key), slotStartsAt: a.starts_at });
}

/** Signed cancellation link parameter (single use by state: a cancelled appointment stays cancelled). */
export function cancelLinkToken(secretKey: string, appointmentId: string): string {
  return hmac(secretKey, `appointment-cancel|${appointmentId}`);
}

export function checkCancelLinkToken(secretKey: string, appointmentId: string, token: string): boolean {
  return typeof token === 'string' && safeEqual(token, cancelLinkToken(secretKey, appointmentId));
}

/** Confirms an offer before its deadline. Queues the reminders. */
export async function confirmAppointment(db: Kysely<DB>, prefectureId: string, appointmentId: string, now: Date = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('appointments')
      .set({ status: 'confirmed', confirmed_at: now, updated_at: sql`now()` })
      .where('prefecture_id', '=', prefectureId)
      .where('id', '=', appointmentId)
      .where('status', '=', 'offered')
      .where('confirm_by', '>', now)
      .returning(['request_id', 'slot_id'])
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'appointments.front.err_not_confirmable');
    await trx
      .updateTable('appointment_requests')
      .set({ status: 'confirmed', updated_at: sql`now()` })
      .where('id', '=', updated.request_id)
      .where('status', 'in', ['allocated', 'urgent'])
      .execute();
    const slot = await trx.selectFrom('slots').select('starts_at').where('id', '=', updated.slot_id).executeTakeFirstOrThrow();
    for (const days of REMINDER_DAYS) {
      const runAt = new Date(slot.starts_at.getTime() - days * 86_400_000);
      if (runAt <= now) continue;
      await enqueueJob(trx, { kind: REMINDER_JOB, prefectureId, runAt, payload: { appointmentId, days }, uniqueKey: `${REMINDER_JOB}:${appointmentId}:${days}` });
    }
  });
}

/** Cancels an offered or confirmed appointment and its request: the seat returns to the pool for the next draw. */
export async function cancelAppointment(db: Kysely<DB>, prefectureId: string, appointmentId: string, reason: 'by_applicant' | 'by_link'): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const a = await trx
      .updateTable('appointments')
      .set({ status: 'cancelled', cancelled_at: sql`now()`, updated_at: sql`now()` })
      .where('prefecture_id', '=', prefectureId)
      .where('id', '=', appointmentId)
      .where('status', 'in', ['offered', 'confirmed'])
      .returning('request_id')
      .executeTakeFirst();
    if (!a) return false;
    await trx
      .updateTable('appointment_requests')
      .set({ status: 'cancelled', updated_at: sql`now()` })
      .where('id', '=', a.request_id)
      .where('status', 'in', ['allocated', 'confirmed', 'urgent'])
      .execute();
    await trx
      .insertInto('appointment_request_meta')
      .values({ request_id: a.request_id, prefecture_id: prefectureId, cancel_reason: reason })
      .onConflict((oc) => oc.column('request_id').doUpdateSet({ cancel_reason: reason }))
      .execute();
    return true;
  });
}

/** Reminder job: still confirmed and still ahead → one mail with the page and the cancellation link. */
export async function sendReminder(db: Kysely<DB>, secretKey: string, publicUrl: string, prefectureId: string, appointmentId: string, days: number): Promise<boolean> {
  const a = await loadAppointment(db, prefectureId, appointmentId);
  if (!a || a.status !== 'confirmed' || a.starts_at.getTime() <= Date.now()) return false;
  await queueMail(db, {
    prefectureId,
    to: a.email,
    locale: a.locale,
    template: 'appointments.front.mail_reminder',
    params: {
      days,
      when: formatDateTime(a.locale, a.starts_at),
      site: a.site_name,
      counter: a.counter_name,
      cancel: `${publicUrl}/rendez-vous/${a.id}/annulation?t=${cancelLinkToken(secretKey, a.id)}`,
    },
    link: `${publicUrl}/rendez-vous/${a.id}/convocation`,
  });
  return true;
}

/** Pieces to bring, by counter type (i18n keys). */
export function whatToBring(type: CounterType): string[] {
  const common = ['appointments.front.bring_convocation', 'appointments.front.bring_passport'];
  switch (type) {
    case 'handover':
      return [...common, 'appointments.front.bring_receipt', 'appointments.front.bring_old_card', 'appointments.front.bring_stamps'];
    case 'students':
      return [...common, 'appointments.front.bring_permit', 'appointments.front.bring_enrolment', 'appointments.front.bring_photos'];
    case 'general':
    case 'urgent':
      return [...common, 'appointments.front.bring_permit', 'appointments.front.bring_photos', 'appointments.front.bring_address'];
  }
}
