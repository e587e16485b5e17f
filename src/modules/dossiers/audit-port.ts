// Where the dossiers module hands its state changes to the audit log (src/modules/audit).
// Kept in one place so the lifecycle does not depend on the audit module's internals.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export interface DossierAuditEntry {
  prefectureId: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  subjectId: string;
  details: Record<string, unknown>;
}

export async function recordAudit(_trx: Transaction<DB>, _entry: DossierAuditEntry): Promise<void> {
  // The audit module (appendAudit) is not there yet: the dossier_events timeline is the record.
}
