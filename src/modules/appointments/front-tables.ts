// Row types of the appointments front's tables (see migrations/0006_appointments_front.sql).
// Joined into DB in src/db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Timestamp } from '../../db/schema';

type TimeOfDay = ColumnType<string, string, string>;
type DateOnly = ColumnType<string, string, string>;

export type PermitKind = 'none' | 'student' | 'other';
export type CancelReason = 'by_applicant' | 'identity_changed' | 'by_link';

export interface AppointmentRequestMetaTable {
  request_id: string;
  prefecture_id: string;
  ip_prefix: string | null;
  device_hash: string | null;
  pow_verified: Generated<boolean>;
  permit_kind: Generated<PermitKind>;
  review_decision: 'approved' | 'rejected' | null;
  review_message: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  cancel_reason: CancelReason | null;
  created_at: Generated<Date>;
}

export type RiskKind =
  | 'ip_cluster'
  | 'device_cluster'
  | 'account_cluster'
  | 'disposable_email'
  | 'new_account'
  | 'no_pow'
  | 'checkin_mismatch'
  | 'previous_mismatch';

export interface AppointmentRiskSignalsTable {
  id: Generated<string>;
  prefecture_id: string;
  request_id: string | null;
  appointment_id: string | null;
  user_id: string | null;
  identity_key: string | null;
  kind: RiskKind;
  detail: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
}

export interface WalkInRulesTable {
  id: Generated<string>;
  prefecture_id: string;
  site_id: string;
  reason_code: string;
  weekday: number;
  start_time: TimeOfDay;
  end_time: TimeOfDay;
}

export type TicketStatus = 'waiting' | 'called' | 'done' | 'left';

export interface WalkInTicketsTable {
  id: Generated<string>;
  prefecture_id: string;
  site_id: string;
  local_date: DateOnly;
  number: number;
  reason_code: string;
  status: Generated<TicketStatus>;
  issued_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type UrgentMotiveKind = 'permit_expiry' | 'job_risk' | 'other';

export interface UrgentRequestsTable {
  id: Generated<string>;
  prefecture_id: string;
  request_id: string;
  applicant_id: string | null;
  motive_kind: UrgentMotiveKind;
  motive: string;
  document_id: string | null;
  seats_before_expiry: number | null;
  status: Generated<'open' | 'granted' | 'answered'>;
  answer: string | null;
  appointment_id: string | null;
  handled_by: string | null;
  handled_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface FcfsPoliciesTable {
  counter_id: string;
  prefecture_id: string;
  enabled: Generated<boolean>;
  window_start: ColumnType<string, string | undefined, string>;
  window_end: ColumnType<string, string | undefined, string>;
  release_days_ahead: Generated<number>;
}

export interface FcfsReleasesTable {
  id: Generated<string>;
  prefecture_id: string;
  counter_id: string;
  slots_date: DateOnly;
  release_at: Timestamp;
  released_at: Timestamp | null;
}

export interface AltchaSpentTable {
  signature: string;
  expires_at: Timestamp;
}

export interface AppointmentsFrontTables {
  appointment_request_meta: AppointmentRequestMetaTable;
  appointment_risk_signals: AppointmentRiskSignalsTable;
  walk_in_rules: WalkInRulesTable;
  walk_in_tickets: WalkInTicketsTable;
  urgent_requests: UrgentRequestsTable;
  fcfs_policies: FcfsPoliciesTable;
  fcfs_releases: FcfsReleasesTable;
  altcha_spent: AltchaSpentTable;
}
