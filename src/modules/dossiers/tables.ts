// Row types of the dossiers module's tables (see migrations/0003_dossiers.sql). Joined into DB in src/db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A SQL date (no time): read and written as 'YYYY-MM-DD' (see the date type parser in src/db/database.ts). */
type DateOnly = string;

export type DossierState =
  | 'draft'
  | 'submitted'
  | 'under_review'
  | 'pieces_requested'
  | 'resubmitted'
  | 'decided_favourable'
  | 'decided_unfavourable'
  | 'closed'
  | 'withdrawn'
  | 'card_in_production'
  | 'card_ready'
  | 'handed_over';

export const DOSSIER_STATES: readonly DossierState[] = [
  'draft',
  'submitted',
  'under_review',
  'pieces_requested',
  'resubmitted',
  'decided_favourable',
  'decided_unfavourable',
  'closed',
  'withdrawn',
  'card_in_production',
  'card_ready',
  'handed_over',
];

/** States in which the applicant may add or remove files (documents module). */
export const UPLOAD_STATES: readonly DossierState[] = ['draft', 'pieces_requested'];

export type RequestKind = 'first' | 'renewal' | 'change_of_status';
export const REQUEST_KINDS: readonly RequestKind[] = ['first', 'renewal', 'change_of_status'];

export type PieceFormat = 'pdf' | 'jpeg' | 'png';

export interface LocalizedText {
  fr: string;
  en: string;
  ar: string;
}

export interface PermitCategoriesTable {
  id: Generated<string>;
  prefecture_id: string;
  code: string;
  family: string;
  position: Generated<number>;
  name: JSONColumnType<LocalizedText, string, string>;
  who_for: JSONColumnType<LocalizedText, string, string>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CategoryRequestKindsTable {
  prefecture_id: string;
  category_code: string;
  request_kind: RequestKind;
  who_for: JSONColumnType<LocalizedText, string, string>;
  stamp_cents: number;
}

export interface CataloguePiecesTable {
  id: Generated<string>;
  prefecture_id: string;
  code: string;
  name: JSONColumnType<LocalizedText, string, string>;
  description: JSONColumnType<LocalizedText, string, string>;
  formats: ColumnType<PieceFormat[], PieceFormat[] | undefined, PieceFormat[]>;
  max_age_months: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CategoryPiecesTable {
  prefecture_id: string;
  category_code: string;
  request_kind: RequestKind;
  piece_code: string;
  mandatory: Generated<boolean>;
  position: Generated<number>;
}

export interface DossiersTable {
  id: Generated<string>;
  prefecture_id: string;
  /** Null once the applicant's account is deleted (filed dossiers only; drafts go with the account). */
  applicant_id: string | null;
  applicant_email: string;
  /** `34-2026-000123`, set at submission. */
  number: string | null;
  state: Generated<DossierState>;
  category_code: string;
  request_kind: RequestKind;
  surname: string | null;
  given_names: string | null;
  birth_date: DateOnly | null;
  birth_place: string | null;
  nationality: string | null;
  agdref_number: string | null;
  current_permit_number: string | null;
  current_permit_expires_on: DateOnly | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  phone: string | null;
  ephoto_code: string | null;
  late_renewal: Generated<boolean>;
  late_reason: string | null;
  sworn_at: Timestamp | null;
  requested_pieces: ColumnType<string[], string[] | undefined, string[]>;
  pieces_deadline: DateOnly | null;
  purge_warned_at: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  /** The agent who holds the dossier in the back-office (null: in the common queue). */
  assigned_to: ColumnType<string | null, string | null | undefined, string | null>;
  assigned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The site (préfecture or sous-préfecture) that instructs the dossier. */
  site_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DossierCountersTable {
  prefecture_id: string;
  year: number;
  last_value: Generated<number>;
}

export interface DossierEventsTable {
  id: Generated<number>;
  prefecture_id: string;
  dossier_id: string;
  event: string;
  from_state: string | null;
  to_state: DossierState;
  actor_id: string | null;
  actor_role: 'applicant' | 'agent' | 'supervisor' | 'admin' | 'system';
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface DossiersTables {
  permit_categories: PermitCategoriesTable;
  category_request_kinds: CategoryRequestKindsTable;
  catalogue_pieces: CataloguePiecesTable;
  category_pieces: CategoryPiecesTable;
  dossiers: DossiersTable;
  dossier_counters: DossierCountersTable;
  dossier_events: DossierEventsTable;
}
