// Row types of the appointments module's tables (see migrations/0005_appointments.sql).
// Joined into DB in src/db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Timestamp } from '../../db/schema';

/** Counter (guichet) types. */
export type CounterType = 'general' | 'students' | 'handover' | 'urgent';
export const COUNTER_TYPES: readonly CounterType[] = ['general', 'students', 'handover', 'urgent'];

export type ReasonEligibility = 'any' | 'card_ready' | 'student_permit';
export type ReasonChannel = 'draw' | 'walk_in';

export type RequestStatus =
  | 'pending'
  | 'review'
  | 'allocated'
  | 'confirmed'
  | 'urgent'
  | 'cancelled'
  | 'expired'
  | 'done'
  | 'no_show'
  | 'rejected';
/** Statuses under which a request blocks another one for the same person and reason. */
export const ACTIVE_REQUEST_STATUSES: readonly RequestStatus[] = ['pending', 'review', 'allocated', 'confirmed', 'urgent'];

export type UrgencyClass = 'expiring' | 'card_ready' | 'standard';

export type AppointmentStatus = 'offered' | 'confirmed' | 'cancelled' | 'expired' | 'checked_in' | 'no_show';
/** Statuses that hold a seat of their slot. */
export const SEAT_HOLDING_STATUSES: readonly AppointmentStatus[] = ['offered', 'confirmed', 'checked_in', 'no_show'];
/** Statuses that count as the person's one upcoming appointment for a reason. */
export const UPCOMING_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['offered', 'confirmed'];

export type DrawStatus = 'committed' | 'done' | 'failed';

/** A time of day as PostgreSQL returns it: 'HH:MM:SS'. */
type TimeOfDay = ColumnType<string, string, string>;
/** A date as returned by both backends: 'YYYY-MM-DD'. */
type DateOnly = ColumnType<string, string, string>;

export interface AppointmentSettingsTable {
  prefecture_id: string;
  draw_window_start: Generated<string>;
  draw_window_end: Generated<string>;
  horizon_days: Generated<number>;
  min_lead_hours: Generated<number>;
  confirm_hours: Generated<number>;
  urgent_within_days: Generated<number>;
  no_show_threshold: Generated<number>;
  no_show_window_months: Generated<number>;
  updated_at: Generated<Date>;
}

export interface CountersTable {
  id: Generated<string>;
  prefecture_id: string;
  site_id: string;
  code: string;
  name: string;
  type: CounterType;
  slot_minutes: number;
  agents: number;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CounterHoursTable {
  id: Generated<string>;
  prefecture_id: string;
  counter_id: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  start_time: TimeOfDay;
  end_time: TimeOfDay;
}

export interface ClosuresTable {
  id: Generated<string>;
  prefecture_id: string;
  site_id: string | null;
  counter_id: string | null;
  starts_on: DateOnly;
  ends_on: DateOnly;
  reason: string;
  created_at: Generated<Date>;
}

export interface SlotsTable {
  id: Generated<string>;
  prefecture_id: string;
  counter_id: string;
  local_date: DateOnly;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number;
  created_at: Generated<Date>;
}

export interface AppointmentReasonsTable {
  prefecture_id: string;
  code: string;
  label_fr: string;
  label_en: string;
  label_ar: string;
  counter_type: CounterType;
  eligibility: Generated<ReasonEligibility>;
  channel: Generated<ReasonChannel>;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AppointmentRequestsTable {
  id: Generated<string>;
  prefecture_id: string;
  reason_code: string;
  site_id: string;
  applicant_id: string | null;
  dossier_id: string | null;
  surname: string;
  given_names: string;
  birth_date: DateOnly;
  agdref_number: string | null;
  permit_expires_on: DateOnly | null;
  email: string;
  phone: string;
  locale: Generated<'fr' | 'en' | 'ar'>;
  /** ISO weekdays the person cannot come. */
  unavailable_weekdays: ColumnType<number[], number[] | undefined, number[]>;
  identity_key: string;
  email_key: string;
  phone_key: string;
  status: Generated<RequestStatus>;
  urgency: Generated<UrgencyClass>;
  risk_flags: JSONColumnType<string[], string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One input of a draw as published (in draw order; no filing time). */
export interface DrawInput {
  pid: string;
  /** 0 expiring, 1 card ready, 2 standard. */
  cls: number;
  /** Permit expiry 'YYYY-MM-DD' or null. */
  exp: string | null;
  /** 1 when repeated no-shows rank the request after others of its class. */
  pen: number;
}

export interface DrawsTable {
  id: Generated<string>;
  prefecture_id: string;
  scope: Generated<string>;
  draw_date: DateOnly;
  scheduled_for: Timestamp;
  commitment: string;
  sealed_seed: string;
  seed: string | null;
  status: Generated<DrawStatus>;
  /** Published inputs, text form of draw-record.ts. */
  inputs: string | null;
  /** Published ranking, text form of draw-record.ts. */
  ranked: string | null;
  requests: number | null;
  seats_offered: number | null;
  allocations: number | null;
  created_at: Generated<Date>;
  done_at: Timestamp | null;
}

export interface AppointmentsTable {
  id: Generated<string>;
  prefecture_id: string;
  request_id: string;
  /** Copies of the request's reason and identity key (kept equal by a foreign key). */
  reason_code: string;
  identity_key: string;
  slot_id: string;
  /** Copy of the slot's capacity (kept equal by a foreign key); seat ≤ slot_capacity. */
  slot_capacity: number;
  seat: number;
  status: Generated<AppointmentStatus>;
  draw_id: string | null;
  confirm_by: Timestamp | null;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  checked_in_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AppointmentsTables {
  appointment_settings: AppointmentSettingsTable;
  counters: CountersTable;
  counter_hours: CounterHoursTable;
  closures: ClosuresTable;
  slots: SlotsTable;
  appointment_reasons: AppointmentReasonsTable;
  appointment_requests: AppointmentRequestsTable;
  draws: DrawsTable;
  appointments: AppointmentsTable;
}
