// Use case (front): an applicant files an appointment request through the pages or the API.
// Adds to the core's fileAppointmentRequest: the students' counter only for student permits,
// the risk assessment (flagged requests wait in the staff review queue, outside the draws),
// and the filing metadata, all written in the core's filing transaction.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { assessFiling, recordSignals } from './abuse-signals';
import { fileAppointmentRequest, type FileRequestInput } from './file-appointment-request';
import type { PermitKind } from './front-tables';
import { bookFcfsSeat, listFcfsSlots } from './fcfs-slots';
import { personKeys } from './identity';
import { getSettings } from './settings';
import type { RequestStatus, UrgencyClass } from './tables';

export interface FrontFilingInput extends Omit<FileRequestInput, 'status' | 'riskFlags' | 'onFiled'> {
  permitKind: PermitKind;
  ipPrefix: string | null;
  deviceHash: string | null;
  powVerified: boolean;
  accountCreatedAt: Date | null;
  /**
   * First-come-first-served: a published slot of an FCFS counter to book at once, in the filing
   * transaction (same identity rules). A flagged filing books nothing and waits for review.
   */
  fcfsSlotId?: string | null;
}

export async function fileFrontRequest(
  db: Kysely<DB>,
  input: FrontFilingInput,
  now: Date = new Date(),
): Promise<{ id: string; status: RequestStatus; urgency: UrgencyClass; flagged: boolean; appointmentId: string | null }> {
  const reason = await db
    .selectFrom('appointment_reasons')
    .select(['eligibility'])
    .where('prefecture_id', '=', input.prefectureId)
    .where('code', '=', input.reasonCode)
    .where('active', '=', true)
    .executeTakeFirst();
  if (reason?.eligibility === 'student_permit' && input.permitKind !== 'student') {
    throw new AppError('validation', 'errors.validation', { permit_kind: 'appointments.front.err_student_only' });
  }
  let fcfsSlot: { id: string; startsAt: Date; confirmHours: number } | null = null;
  if (input.fcfsSlotId) {
    const slot = (await listFcfsSlots(db, input.prefectureId, { slotId: input.fcfsSlotId, now, limit: 1 }))[0];
    if (!slot) throw new AppError('validation', 'errors.validation', { slot_id: 'appointments.fcfs.err_slot_gone' });
    input = { ...input, siteId: slot.site_id };
    fcfsSlot = { id: slot.slot_id, startsAt: slot.starts_at, confirmHours: (await getSettings(db, input.prefectureId)).confirmHours };
  }
  let appointmentId: string | null = null;
  const parsed = personKeys({ surname: input.surname, givenNames: input.givenNames, birthDate: input.birthDate, email: input.email, phone: input.phone });
  const identityKey = parsed.ok ? parsed.keys.identityKey : '';
  const assessment = parsed.ok
    ? await assessFiling(db, {
        prefectureId: input.prefectureId,
        userId: input.applicantId,
        accountCreatedAt: input.accountCreatedAt,
        identityKey,
        email: input.email,
        ipPrefix: input.ipPrefix,
        deviceHash: input.deviceHash,
        powVerified: input.powVerified,
        now,
      })
    : { signals: [], review: false };
  const filed = await fileAppointmentRequest(
    db,
    {
      ...input,
      status: assessment.review ? 'review' : 'pending',
      riskFlags: assessment.signals.map((s) => s.kind),
      onFiled: async (trx, requestId) => {
        await trx
          .insertInto('appointment_request_meta')
          .values({
            request_id: requestId,
            prefecture_id: input.prefectureId,
            ip_prefix: input.ipPrefix,
            device_hash: input.deviceHash,
            pow_verified: input.powVerified,
            permit_kind: input.permitKind,
          })
          .execute();
        await recordSignals(trx, { prefectureId: input.prefectureId, requestId, userId: input.applicantId, identityKey }, assessment.signals);
        if (fcfsSlot && !assessment.review) {
          const confirmBy = new Date(Math.min(now.getTime() + fcfsSlot.confirmHours * 3_600_000, fcfsSlot.startsAt.getTime()));
          appointmentId = (await bookFcfsSeat(trx, { prefectureId: input.prefectureId, requestId, slotId: fcfsSlot.id, confirmBy, now })).id;
          await trx.updateTable('appointment_requests').set({ status: 'allocated' }).where('id', '=', requestId).execute();
        }
      },
    },
    now,
  );
  return { ...filed, status: appointmentId ? 'allocated' : filed.status, flagged: assessment.review, appointmentId };
}
