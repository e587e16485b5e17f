// Row types of the audit and verification modules' tables (migrations/0002_audit_verification.sql).
// Joined into DB in src/db/schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type AttestationKind = 'depot' | 'prolongation' | 'decision_favorable';

export interface AuditChainHeadsTable {
  prefecture_id: string;
  last_id: number | null;
  last_seq: number;
  last_hash: string;
  updated_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  prefecture_id: string;
  seq: number;
  entity_type: string;
  entity_id: string;
  actor_id: string | null;
  actor_role: string;
  action: string;
  state_before: string | null;
  state_after: string | null;
  details: JSONColumnType<Record<string, unknown>, string, never>;
  created_at: ColumnType<Date, Date | string, never>;
  prev_hash: string;
  hash: string;
}

export interface AttestationsTable {
  id: Generated<string>;
  prefecture_id: string;
  kind: AttestationKind;
  dossier_id: string | null;
  holder_name: string;
  details: JSONColumnType<Record<string, unknown>, string, string>;
  verification_code: string;
  valid_from: Timestamp;
  valid_until: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface AuditTables {
  audit_chain_heads: AuditChainHeadsTable;
  audit_log: AuditLogTable;
  attestations: AttestationsTable;
}
