// The attestation de dépôt, issued at once on filing (CESEDA R.431-15-1). Issuing (a code a
// third party can verify) and rendering (the official PDF) belong to the verification module
// and src/shared/pdf; this file is the one place the dossiers module calls them.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export interface DepotAttestationInput {
  prefectureId: string;
  dossierId: string;
  holderName: string;
  details: Record<string, unknown>;
  validFrom: Date;
  validUntil: Date | null;
}

export interface IssuedAttestation {
  id: string;
  code: string;
  verifyUrl: string;
}

/** Null while the verification module is not available. */
export async function issueDepotAttestation(_trx: Transaction<DB>, _input: DepotAttestationInput): Promise<IssuedAttestation | null> {
  return null;
}
