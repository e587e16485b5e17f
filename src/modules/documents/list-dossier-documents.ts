// Queries for the dossiers module and the back-office: a dossier's files per pièce.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { DocumentMime } from './sniff';
import type { ScanStatus } from './tables';

export interface DossierDocument {
  id: string;
  pieceCode: string;
  filename: string;
  size: number;
  mime: DocumentMime;
  scanStatus: ScanStatus;
  createdAt: Date;
}

/** The files of a dossier's pièces (message attachments excluded), oldest first. */
export async function listDossierDocuments(db: Kysely<DB>, prefectureId: string, dossierId: string): Promise<DossierDocument[]> {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'piece_code', 'filename', 'size', 'mime', 'scan_status', 'created_at'])
    .where('prefecture_id', '=', prefectureId)
    .where('dossier_id', '=', dossierId)
    .where('piece_code', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pieceCode: r.piece_code as string,
    filename: r.filename,
    size: r.size,
    mime: r.mime,
    scanStatus: r.scan_status,
    createdAt: r.created_at,
  }));
}

/** The pièces, among those given, that have at least one file not found infected. */
export async function piecesWithFiles(db: Kysely<DB>, dossierId: string, pieceCodes: readonly string[]): Promise<Set<string>> {
  if (!pieceCodes.length) return new Set();
  const rows = await db
    .selectFrom('documents')
    .select('piece_code')
    .distinct()
    .where('dossier_id', '=', dossierId)
    .where('piece_code', 'in', [...pieceCodes])
    .where('scan_status', '<>', 'infected')
    .execute();
  return new Set(rows.map((r) => r.piece_code as string));
}

/** True when every given pièce has at least one file not found infected. */
export async function hasFilesForPieces(db: Kysely<DB>, dossierId: string, pieceCodes: readonly string[]): Promise<boolean> {
  const found = await piecesWithFiles(db, dossierId, pieceCodes);
  return pieceCodes.every((c) => found.has(c));
}
