// The attestation de dépôt, issued at once on filing (CESEDA R.431-15-1). Issuing (a code a
// third party can verify) and rendering (the official PDF) belong to the verification module
// and src/shared/pdf; this file is the one place the dossiers module calls them.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { issueAttestation } from '../verification';

export interface DepotAttestationInput {
  prefectureId: string;
  dossierId: string;
  holderName: string;
  details: Record<string, unknown>;
  validFrom: Date;
  validUntil: Date | null;
  /** Base address of the service: the QR code leads to <publicUrl>/verifier/<code>. */
  publicUrl: string;
}

export interface IssuedAttestation {
  id: string;
  code: string;
  verifyUrl: string;
}

/** Issued by the verification module, in the submitting transaction. */
export async function issueDepotAttestation(trx: Transaction<DB>, input: DepotAttestationInput): Promise<IssuedAttestation | null> {
  return issueAttestation(trx, { ...input, kind: 'depot', actor: { id: null, role: 'applicant' } });
}
