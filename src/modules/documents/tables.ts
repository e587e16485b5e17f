// Row types of the documents module's tables (see migrations/0004_documents.sql). Joined into DB in src/db/schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { DocumentMime } from './sniff';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type ScanStatus = 'pending' | 'clean' | 'infected' | 'not_scanned';
export type ThreadSide = 'applicant' | 'staff';

export interface DocumentsTable {
  id: Generated<string>;
  prefecture_id: string;
  dossier_id: string;
  piece_code: string | null;
  message_id: string | null;
  uploaded_by: string | null;
  uploader_role: ThreadSide;
  filename: string;
  mime: DocumentMime;
  size: number;
  sha256: string;
  storage_key: string;
  scan_status: ScanStatus;
  scan_signature: string | null;
  scanned_at: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface DossierMessagesTable {
  id: Generated<string>;
  prefecture_id: string;
  dossier_id: string;
  author_id: string | null;
  author_role: ThreadSide;
  body: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  read_by_applicant_at: Timestamp | null;
  read_by_staff_at: Timestamp | null;
}

export interface DocumentsTables {
  documents: DocumentsTable;
  dossier_messages: DossierMessagesTable;
}
