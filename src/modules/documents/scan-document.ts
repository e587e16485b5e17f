// Job: scans a stored document with clamd (after the upload transaction committed). An
// infected file's bytes are deleted at once; its row stays, marked infected, so the applicant
// sees what happened. When clamd cannot answer, the job fails and is retried later; the file
// stays 'pending' and is not served meanwhile.
import type { AppDeps } from '../../shared/deps';
import type { JobRow } from '../../shared/jobs/queue';
import { clamdScan } from './clamd';
import { documentStorage } from './document-store';

export async function scanDocument(deps: AppDeps, job: JobRow): Promise<void> {
  const documentId = String(job.payload.documentId);
  const doc = await deps.db
    .selectFrom('documents')
    .select(['id', 'storage_key', 'scan_status'])
    .where('id', '=', documentId)
    .executeTakeFirst();
  if (!doc || doc.scan_status !== 'pending') return;
  const url = deps.config.uploads.clamdUrl;
  if (!url) {
    await deps.db.updateTable('documents').set({ scan_status: 'not_scanned' }).where('id', '=', doc.id).where('scan_status', '=', 'pending').execute();
    return;
  }
  const storage = documentStorage(deps.config);
  const verdict = await clamdScan(url, await storage.get(doc.storage_key));
  if (verdict.status === 'infected') {
    await deps.db
      .updateTable('documents')
      .set({ scan_status: 'infected', scan_signature: verdict.signature, scanned_at: new Date() })
      .where('id', '=', doc.id)
      .execute();
    await storage.delete(doc.storage_key);
    deps.log.warn({ documentId: doc.id, signature: verdict.signature }, 'infected document removed');
    return;
  }
  await deps.db.updateTable('documents').set({ scan_status: 'clean', scanned_at: new Date() }).where('id', '=', doc.id).execute();
}
