// Use case: a person files an appointment request, bound to their identity. One active request
// per person and reason (identity, e-mail or phone): a duplicate is refused, showing the
// existing request. The database's partial unique indexes are the real guard; the lookup
// before the insert only gives the friendly answer, and a race that slips past it is caught
// on the unique violation and answered the same way.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { Locale } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';
import { addDays, localDate } from './calendar';
import { personKeys, type PersonKeys } from './identity';
import { getSettings } from './settings';
import { ACTIVE_REQUEST_STATUSES, type RequestStatus, type UrgencyClass } from './tables';

export interface ActiveDuplicate {
  id: string;
  status: RequestStatus;
  reasonCode: string;
  siteId: string;
  createdAt: Date;
  /** Which key matched: the person's identity, e-mail or phone. */
  matchedOn: 'identity' | 'email' | 'phone';
}

export class DuplicateRequestError extends AppError {
  constructor(public readonly existing: ActiveDuplicate) {
    super('conflict', 'appointments.error_duplicate', {}, { created: existing.createdAt.toISOString().slice(0, 10), status: existing.status, matched: existing.matchedOn });
  }
}

/** The active request of this person (by any of the three keys) for this reason, if any. */
export async function findActiveDuplicate(
  db: Kysely<DB> | Transaction<DB>,
  prefectureId: string,
  reasonCode: string,
  keys: PersonKeys,
): Promise<ActiveDuplicate | null> {
  const row = await db
    .selectFrom('appointment_requests')
    .select(['id', 'status', 'reason_code', 'site_id', 'created_at', 'identity_key', 'email_key', 'phone_key'])
    .where('prefecture_id', '=', prefectureId)
    .where('reason_code', '=', reasonCode)
    .where('status', 'in', ACTIVE_REQUEST_STATUSES)
    .where((eb) => eb.or([eb('identity_key', '=', keys.identityKey), eb('email_key', '=', keys.emailKey), eb('phone_key', '=', keys.phoneKey)]))
    .orderBy('created_at')
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    reasonCode: row.reason_code,
    siteId: row.site_id,
    createdAt: row.created_at,
    matchedOn: row.identity_key === keys.identityKey ? 'identity' : row.email_key === keys.emailKey ? 'email' : 'phone',
  };
}

export interface FileRequestInput {
  prefectureId: string;
  applicantId: string | null;
  reasonCode: string;
  siteId: string;
  surname: string;
  givenNames: string;
  /** 'YYYY-MM-DD' */
  birthDate: string;
  agdrefNumber?: string | null;
  permitExpiresOn?: string | null;
  email: string;
  phone: string;
  locale: Locale;
  /** ISO weekdays (1 = Monday) the person cannot come. */
  unavailableWeekdays?: number[];
  /** Required by reasons whose eligibility is card_ready (the dossier's card must be ready). */
  dossierId?: string | null;
  /** 'review' when risk signals flag the request (it then waits for an agent), 'urgent' for the urgent channel. */
  status?: 'pending' | 'review' | 'urgent';
  riskFlags?: string[];
  /** Base URL for the link in the acknowledgement mail (config.publicUrl). */
  publicUrl: string;
  /** Runs inside the filing transaction (e.g. the front's risk records). */
  onFiled?: (trx: Transaction<DB>, requestId: string) => Promise<void>;
}

function isUniqueViolation(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: unknown }).code === '23505';
}

/** Files a request. Throws AppError('validation') with field errors, DuplicateRequestError (409), AppError('not_found'). */
export async function fileAppointmentRequest(
  db: Kysely<DB>,
  input: FileRequestInput,
  now: Date = new Date(),
): Promise<{ id: string; status: RequestStatus; urgency: UrgencyClass }> {
  const parsed = personKeys({ surname: input.surname, givenNames: input.givenNames, birthDate: input.birthDate, email: input.email, phone: input.phone });
  if (!parsed.ok) throw new AppError('validation', 'errors.validation', parsed.errors);
  const keys = parsed.keys;
  const weekdays = [...new Set(input.unavailableWeekdays ?? [])].sort();
  if (weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7) || weekdays.length >= 5) {
    throw new AppError('validation', 'errors.validation', { unavailable_weekdays: 'appointments.error_weekdays' });
  }
  if (input.agdrefNumber && !/^[0-9]{10}$/.test(input.agdrefNumber)) {
    throw new AppError('validation', 'errors.validation', { agdref_number: 'appointments.error_agdref' });
  }

  const reason = await db
    .selectFrom('appointment_reasons')
    .selectAll()
    .where('prefecture_id', '=', input.prefectureId)
    .where('code', '=', input.reasonCode)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!reason) throw new AppError('validation', 'errors.validation', { reason_code: 'appointments.error_reason' });
  if (reason.channel === 'walk_in') throw new AppError('validation', 'errors.validation', { reason_code: 'appointments.error_walk_in_only' });
  const counter = await db
    .selectFrom('counters')
    .select('id')
    .where('prefecture_id', '=', input.prefectureId)
    .where('site_id', '=', input.siteId)
    .where('type', '=', reason.counter_type)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!counter) throw new AppError('validation', 'errors.validation', { site_id: 'appointments.error_no_counter' });

  let urgency: UrgencyClass = 'standard';
  if (reason.eligibility === 'card_ready') {
    const dossier = input.dossierId
      ? await db
          .selectFrom('dossiers')
          .select(['state', 'applicant_id'])
          .where('prefecture_id', '=', input.prefectureId)
          .where('id', '=', input.dossierId)
          .executeTakeFirst()
      : undefined;
    if (!dossier || dossier.applicant_id !== input.applicantId || dossier.state !== 'card_ready') {
      throw new AppError('validation', 'errors.validation', { dossier_id: 'appointments.error_card_not_ready' });
    }
    urgency = 'card_ready';
  }
  const settings = await getSettings(db, input.prefectureId);
  const today = localDate(now);
  if (input.permitExpiresOn && input.permitExpiresOn <= addDays(today, settings.urgentWithinDays)) urgency = 'expiring';

  const dup = await findActiveDuplicate(db, input.prefectureId, input.reasonCode, keys);
  if (dup) throw new DuplicateRequestError(dup);

  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('appointment_requests')
        .values({
          prefecture_id: input.prefectureId,
          reason_code: input.reasonCode,
          site_id: input.siteId,
          applicant_id: input.applicantId,
          dossier_id: input.dossierId ?? null,
          surname: input.surname.trim(),
          given_names: input.givenNames.trim(),
          birth_date: input.birthDate,
          agdref_number: input.agdrefNumber || null,
          permit_expires_on: input.permitExpiresOn || null,
          email: input.email.trim(),
          phone: keys.phoneKey,
          locale: input.locale,
          unavailable_weekdays: weekdays,
          identity_key: keys.identityKey,
          email_key: keys.emailKey,
          phone_key: keys.phoneKey,
          status: input.status ?? 'pending',
          urgency,
          risk_flags: JSON.stringify(input.riskFlags ?? []),
        })
        .returning(['id', 'status', 'urgency'])
        .executeTakeFirstOrThrow();
      if (input.onFiled) await input.onFiled(trx, row.id);
      await queueMail(trx, {
        prefectureId: input.prefectureId,
        to: input.email.trim(),
        locale: input.locale,
        template: 'appointments.mail_filed',
        params: { reason: reason[`label_${input.locale}`] },
        link: `${input.publicUrl}/rendez-vous/demandes/${row.id}`,
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const existing = await findActiveDuplicate(db, input.prefectureId, input.reasonCode, keys);
      if (existing) throw new DuplicateRequestError(existing);
    }
    throw err;
  }
}
