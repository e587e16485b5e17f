// Row types of the instruction module's tables (migrations/0008_instruction.sql). Joined into DB in src/db/schema.ts.
import type { ColumnType, Generated } from 'kysely';

export type ReviewStatus = 'accepted' | 'rejected';
export type RejectionReason = 'illegible' | 'expired' | 'incomplete' | 'wrong_document' | 'other';
export const REJECTION_REASONS: readonly RejectionReason[] = ['illegible', 'expired', 'incomplete', 'wrong_document', 'other'];

export interface DossierPieceReviewsTable {
  prefecture_id: string;
  dossier_id: string;
  piece_code: string;
  status: ReviewStatus;
  reason: RejectionReason | null;
  reason_text: string | null;
  reviewed_by: string | null;
  reviewed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DossierNotesTable {
  id: Generated<string>;
  prefecture_id: string;
  dossier_id: string;
  author_id: string | null;
  body: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface PermitWorkRightsTable {
  category_code: string;
  allows_work: boolean;
}

export interface DossierCompletionsTable {
  dossier_id: string;
  prefecture_id: string;
  completed_by: string | null;
  completed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface InstructionTables {
  dossier_completions: DossierCompletionsTable;
  dossier_piece_reviews: DossierPieceReviewsTable;
  dossier_notes: DossierNotesTable;
  permit_work_rights: PermitWorkRightsTable;
}
