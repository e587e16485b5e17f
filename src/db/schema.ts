// Row types of the tables, as Kysely sees them. Keep in step with /migrations.
// Each module declares its tables in src/modules/<module>/tables.ts; DB joins them all.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { AuditTables } from '../modules/audit/tables';
import type { DossiersTables } from '../modules/dossiers/tables';
import type { DocumentsTables } from '../modules/documents/tables';
import type { AppointmentsTables } from '../modules/appointments/tables';
import type { AppointmentsFrontTables } from '../modules/appointments/front-tables';
import type { InstructionTables } from '../modules/instruction/tables';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Locale = 'fr' | 'en' | 'ar';
export type Role = 'applicant' | 'agent' | 'supervisor' | 'admin';

export interface PrefecturesTable {
  id: Generated<string>;
  code: string;
  name: string;
  department_name: string;
  contact_email: string;
  hosts: ColumnType<string[], string[] | undefined, string[]>;
  timezone: Generated<string>;
  created_at: Generated<Date>;
  /** The version of the reviewed catalogue its tables were last brought up to (migration 0014). */
  catalogue_version: Generated<number>;
}

export interface SitesTable {
  id: Generated<string>;
  prefecture_id: string;
  code: string;
  name: string;
  kind: 'prefecture' | 'sous-prefecture';
  address: string;
  postal_code: string;
  city: string;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  prefecture_id: string;
  role: Role;
  email: string;
  display_name: Generated<string>;
  password_hash: string;
  locale: Generated<Locale>;
  email_confirmed_at: Timestamp | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: number | null;
  /** Applicants: whether registration carried a solved proof of work (null: staff, older accounts). */
  registered_with_pow: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  prefecture_id: string;
  kind: Generated<'web' | 'api'>;
  mfa_verified_at: Timestamp | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface AccountTokensTable {
  id: Generated<string>;
  prefecture_id: string;
  user_id: string;
  purpose: 'confirm-email' | 'reset-password' | 'change-email';
  token_hash: string;
  new_email: string | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  prefecture_id: string;
  email_key: string;
  ip: string;
  succeeded: boolean;
  created_at: Generated<Date>;
}

export interface MailsTable {
  id: Generated<string>;
  prefecture_id: string | null;
  to_address: string;
  locale: Locale;
  subject: string;
  text_body: string;
  html_body: string;
  status: Generated<'pending' | 'sent' | 'outbox'>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Timestamp | null;
}

export interface JobsTable {
  id: Generated<number>;
  prefecture_id: string | null;
  kind: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  unique_key: string | null;
  run_at: Generated<Date>;
  attempts: Generated<number>;
  locked_until: Timestamp | null;
  last_error: string | null;
  done_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface CoreTables {
  prefectures: PrefecturesTable;
  sites: SitesTable;
  users: UsersTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  login_attempts: LoginAttemptsTable;
  mails: MailsTable;
  jobs: JobsTable;
}

export interface DB extends CoreTables, AuditTables, DossiersTables, DocumentsTables, AppointmentsTables, AppointmentsFrontTables, InstructionTables {}
