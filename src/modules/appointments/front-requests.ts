// Applicant-side queries and changes of requests: my requests with their latest appointment,
// one request (404 unless mine, in this préfecture), cancellation (frees any seat held), and
// the edit that cancels the request when identity fields change (the person files again).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { CancelReason } from './front-tables';
import { identityKey } from './identity';
import type { AppointmentStatus, RequestStatus } from './tables';

export interface MyRequest {
  id: string;
  reason_code: string;
  site_id: string;
  site_name: string;
  surname: string;
  given_names: string;
  birth_date: string;
  agdref_number: string | null;
  permit_expires_on: string | null;
  email: string;
  phone: string;
  unavailable_weekdays: number[];
  status: RequestStatus;
  urgency: string;
  created_at: Date;
  identity_key: string;
  review_message: string | null;
  appointment_id: string | null;
  appointment_status: AppointmentStatus | null;
  starts_at: Date | null;
  confirm_by: Date | null;
}

function baseQuery(db: Kysely<DB>, prefectureId: string) {
  return db
    .selectFrom('appointment_requests as r')
    .innerJoin('sites as s', 's.id', 'r.site_id')
    .leftJoin('appointment_request_meta as m', 'm.request_id', 'r.id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('appointments as a')
          .innerJoin('slots as sl', 'sl.id', 'a.slot_id')
          .distinctOn('a.request_id')
          .select(['a.request_id', 'a.id as appointment_id', 'a.status as appointment_status', 'sl.starts_at', 'a.confirm_by'])
          .where('a.prefecture_id', '=', prefectureId)
          .orderBy('a.request_id')
          .orderBy('a.created_at', 'desc')
          .as('ap'),
      (j) => j.onRef('ap.request_id', '=', 'r.id'),
    )
    .select([
      'r.id',
      'r.reason_code',
      'r.site_id',
      's.name as site_name',
      'r.surname',
      'r.given_names',
      'r.birth_date',
      'r.agdref_number',
      'r.permit_expires_on',
      'r.email',
      'r.phone',
      'r.unavailable_weekdays',
      'r.status',
      'r.urgency',
      'r.created_at',
      'r.identity_key',
      'm.review_message',
      'ap.appointment_id',
      'ap.appointment_status',
      'ap.starts_at',
      'ap.confirm_by',
    ])
    .where('r.prefecture_id', '=', prefectureId);
}

export async function listMyRequests(db: Kysely<DB>, prefectureId: string, userId: string): Promise<MyRequest[]> {
  return (await baseQuery(db, prefectureId).where('r.applicant_id', '=', userId).orderBy('r.created_at', 'desc').execute()) as MyRequest[];
}

export async function getMyRequest(db: Kysely<DB>, prefectureId: string, userId: string, id: string): Promise<MyRequest> {
  if (!isUuid(id)) throw new AppError('not_found');
  const row = await baseQuery(db, prefectureId).where('r.applicant_id', '=', userId).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row as MyRequest;
}

export function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

const CANCELLABLE: RequestStatus[] = ['pending', 'review', 'allocated', 'confirmed', 'urgent'];

/** Cancels a request and any seat it holds (offered or confirmed): the seat returns to the pool. */
export async function cancelRequest(db: Kysely<DB>, prefectureId: string, requestId: string, reason: CancelReason): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('appointment_requests')
      .set({ status: 'cancelled', updated_at: sql`now()` })
      .where('prefecture_id', '=', prefectureId)
      .where('id', '=', requestId)
      .where('status', 'in', CANCELLABLE)
      .returning('id')
      .executeTakeFirst();
    if (!updated) return false;
    await trx
      .updateTable('appointments')
      .set({ status: 'cancelled', cancelled_at: sql`now()`, updated_at: sql`now()` })
      .where('prefecture_id', '=', prefectureId)
      .where('request_id', '=', requestId)
      .where('status', 'in', ['offered', 'confirmed'])
      .execute();
    await trx
      .updateTable('urgent_requests')
      .set({ status: 'answered', answer: 'cancelled', handled_at: sql`now()` })
      .where('request_id', '=', requestId)
      .where('status', '=', 'open')
      .execute();
    await trx
      .insertInto('appointment_request_meta')
      .values({ request_id: requestId, prefecture_id: prefectureId, cancel_reason: reason })
      .onConflict((oc) => oc.column('request_id').doUpdateSet({ cancel_reason: reason }))
      .execute();
    return true;
  });
}

export interface RequestEdit {
  surname: string;
  givenNames: string;
  birthDate: string;
  unavailableWeekdays: number[];
}

/**
 * Edits a request. Names and birth date are the request's identity: changing them cancels the
 * request (the person must file again, so nobody can resell a request by renaming it).
 */
export async function editRequest(db: Kysely<DB>, prefectureId: string, req: MyRequest, edit: RequestEdit): Promise<'updated' | 'cancelled'> {
  if (!CANCELLABLE.includes(req.status)) throw new AppError('conflict', 'appointments.front.err_not_editable');
  const changed =
    edit.surname.trim() !== req.surname || edit.givenNames.trim() !== req.given_names || edit.birthDate !== req.birth_date ||
    identityKey(edit.surname, edit.givenNames, edit.birthDate) !== req.identity_key;
  if (changed) {
    await cancelRequest(db, prefectureId, req.id, 'identity_changed');
    return 'cancelled';
  }
  const weekdays = [...new Set(edit.unavailableWeekdays)].sort();
  if (weekdays.some((d) => d < 1 || d > 7) || weekdays.length >= 5) {
    throw new AppError('validation', 'errors.validation', { unavailable_weekdays: 'appointments.error_weekdays' });
  }
  await db
    .updateTable('appointment_requests')
    .set({ unavailable_weekdays: weekdays, updated_at: sql`now()` })
    .where('prefecture_id', '=', prefectureId)
    .where('id', '=', req.id)
    .execute();
  return 'updated';
}
