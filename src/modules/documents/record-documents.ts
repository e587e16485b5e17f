// Writing document rows, inside the caller's transaction, once their files are stored: the
// dossier row is locked so two uploads at once cannot both pass the per-dossier total, and a
// scan job is queued per file when clamd is configured. Files added to a filed dossier are audited.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { DossierState } from '../dossiers/tables';
import { enqueueJob } from '../../shared/jobs/queue';
import { auditDocuments } from './audit-documents';
import type { Actor } from './dossier-access';
import type { ReceivedFile } from './receive-files';
import { UploadRefusal } from './refusal';

export const SCAN_JOB = 'documents.scan';

/** Bytes a dossier holds (files found infected are removed and do not count). */
export async function dossierUsedBytes(db: Kysely<DB> | Transaction<DB>, dossierId: string): Promise<number> {
  const row = await db
    .selectFrom('documents')
    .select(sql<string>`coalesce(sum(size), 0)`.as('total'))
    .where('dossier_id', '=', dossierId)
    .where('scan_status', '<>', 'infected')
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function recordDocuments(
  trx: Transaction<DB>,
  opts: {
    prefectureId: string;
    dossierId: string;
    /** As read by the caller, who holds the dossier row locked. */
    dossierState: DossierState;
    actor: Actor;
    files: ReceivedFile[];
    maxDossierBytes: number;
    scanning: boolean;
    pieceCode?: string;
    messageId?: string;
  },
): Promise<string[]> {
  // The caller holds the dossier row lock (select … for update).
  const used = await dossierUsedBytes(trx, opts.dossierId);
  const adding = opts.files.reduce((n, f) => n + f.size, 0);
  if (used + adding > opts.maxDossierBytes) throw new UploadRefusal('dossier_full');
  const ids: string[] = [];
  for (const f of opts.files) {
    const row = await trx
      .insertInto('documents')
      .values({
        prefecture_id: opts.prefectureId,
        dossier_id: opts.dossierId,
        piece_code: opts.pieceCode ?? null,
        message_id: opts.messageId ?? null,
        uploaded_by: opts.actor.user.id,
        uploader_role: opts.actor.side,
        filename: f.filename,
        mime: f.mime,
        size: f.size,
        sha256: f.sha256,
        storage_key: f.key,
        scan_status: opts.scanning ? 'pending' : 'not_scanned',
        // Files of one upload keep the order they were sent in (now() is the same for the whole transaction).
        created_at: sql<Date>`clock_timestamp()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
    if (opts.scanning) await enqueueJob(trx, { kind: SCAN_JOB, payload: { documentId: row.id }, prefectureId: opts.prefectureId });
  }
  // Files of a pièce; a message's attachments are in the message's own audit entry.
  if (!opts.messageId && ids.length) {
    await auditDocuments(trx, { prefectureId: opts.prefectureId, dossierId: opts.dossierId, dossierState: opts.dossierState, actor: opts.actor, action: 'files_added', details: { pieceCode: opts.pieceCode ?? null, documentIds: ids } });
  }
  return ids;
}

/** Marks the dossier as changed now (a draft's purge warning no longer applies). */
export async function touchDossier(trx: Transaction<DB>, dossierId: string): Promise<void> {
  await trx.updateTable('dossiers').set({ updated_at: sql<Date>`now()`, purge_warned_at: null }).where('id', '=', dossierId).execute();
}
