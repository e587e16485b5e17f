// The attestation de dépôt, issued at once on filing (CESEDA R.431-15-1). Issuing (a code a
// third party can verify) belongs to the verification module; this file is the one place the
// dossiers module calls it.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { issueAttestation, listDossierAttestations, type Attestation } from '../verification';

export interface DepotAttestationInput {
  prefectureId: string;
  dossierId: string;
  holderName: string;
  details: Record<string, unknown>;
  validFrom: Date;
  validUntil: Date | null;
  /** Base address of the service: the QR code leads to <publicUrl>/verifier/<code>. */
  publicUrl: string;
  actor: { id: string | null; role: string };
}

export interface IssuedAttestation {
  id: string;
  code: string;
  verifyUrl: string;
}

export async function issueDepotAttestation(trx: Transaction<DB>, input: DepotAttestationInput): Promise<IssuedAttestation> {
  return issueAttestation(trx, { ...input, kind: 'depot' });
}

/** The dossier's latest attestation de dépôt, if any. */
export async function findDepotAttestation(db: Kysely<DB>, prefectureId: string, dossierId: string): Promise<Attestation | null> {
  return (await listDossierAttestations(db, prefectureId, dossierId)).find((a) => a.kind === 'depot') ?? null;
}
