// The files attached to a dossier's pièces, as the documents module lists them.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { listDossierDocuments, type DossierDocument } from '../documents/list-dossier-documents';

export type DossierFile = DossierDocument;

export async function dossierFiles(db: Kysely<DB>, prefectureId: string, dossierId: string): Promise<DossierFile[]> {
  return listDossierDocuments(db, prefectureId, dossierId);
}

/** Mandatory pièces without a usable file (an infected file does not count). Pure. */
export function missingPieces(pieces: { code: string; mandatory: boolean }[], files: Pick<DossierFile, 'pieceCode' | 'scanStatus'>[]): string[] {
  const have = new Set(files.filter((f) => f.scanStatus !== 'infected').map((f) => f.pieceCode));
  return pieces.filter((p) => p.mandatory && !have.has(p.code)).map((p) => p.code);
}
