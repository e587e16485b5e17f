// Use case: reading a document's bytes. Only the applicant who owns the dossier and the staff
// of its préfecture may; anyone else gets 404. A file found infected is never served, nor one
// still waiting for its scan.
import type { Readable } from 'node:stream';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { documentStorage } from './document-store';
import { isUuid, type Actor } from './dossier-access';
import type { DocumentMime } from './sniff';

export interface OpenedDocument {
  id: string;
  filename: string;
  mime: DocumentMime;
  size: number;
  stream: Readable;
}

export async function openDocument(deps: AppDeps, actor: Actor, input: { prefectureId: string; documentId: string }): Promise<OpenedDocument> {
  if (!isUuid(input.documentId)) throw new AppError('not_found');
  let q = deps.db
    .selectFrom('documents as d')
    .innerJoin('dossiers as o', (j) => j.onRef('o.id', '=', 'd.dossier_id').onRef('o.prefecture_id', '=', 'd.prefecture_id'))
    .select(['d.id', 'd.filename', 'd.mime', 'd.size', 'd.storage_key', 'd.scan_status'])
    .where('d.id', '=', input.documentId)
    .where('d.prefecture_id', '=', input.prefectureId);
  if (actor.side === 'applicant') q = q.where('o.applicant_id', '=', actor.user.id);
  const doc = await q.executeTakeFirst();
  if (!doc) throw new AppError('not_found');
  switch (doc.scan_status) {
    case 'infected':
      throw new AppError('gone', 'documents.infected');
    case 'pending':
      throw new AppError('conflict', 'documents.scan_pending');
    case 'clean':
    case 'not_scanned':
      break;
  }
  const stream = await documentStorage(deps.config).get(doc.storage_key);
  return { id: doc.id, filename: doc.filename, mime: doc.mime, size: doc.size, stream };
}
