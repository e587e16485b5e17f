// Issues a verifiable document inside the caller's transaction (it exists only if the change
// that issues it commits) and records it in the audit log. Returns the code to print and the
// URL the QR code points to.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { appendAudit } from '../audit/append-audit';
import type { AttestationKind } from '../audit/tables';
import { formatCode, newVerificationCode, verifyUrl } from './code';

export interface IssueAttestationInput {
  prefectureId: string;
  kind: AttestationKind;
  dossierId: string | null;
  holderName: string;
  /** Shown on the PDF, never on the public verification page (dossier number, category label, allowsWork…). */
  details: Record<string, unknown>;
  validFrom: Date;
  validUntil: Date | null;
  /** Base address of the service (config.publicUrl): the QR code leads to <publicUrl>/verifier/<code>. */
  publicUrl: string;
  /** Who issued it, for the audit log (null: the system). */
  actor?: { id: string | null; role: string };
}

export interface IssuedAttestation {
  id: string;
  /** Formatted for print: XXXX-XXXX-XXXX-XXXX-XXXX. */
  code: string;
  verifyUrl: string;
}

export async function issueAttestation(trx: Transaction<DB>, input: IssueAttestationInput): Promise<IssuedAttestation> {
  const code = newVerificationCode();
  const row = await trx
    .insertInto('attestations')
    .values({
      prefecture_id: input.prefectureId,
      kind: input.kind,
      dossier_id: input.dossierId,
      holder_name: input.holderName.trim(),
      details: JSON.stringify(input.details),
      verification_code: code,
      valid_from: input.validFrom,
      valid_until: input.validUntil,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, {
    prefectureId: input.prefectureId,
    entityType: 'attestation',
    entityId: row.id,
    actorId: input.actor?.id ?? null,
    actorRole: input.actor?.role ?? 'system',
    action: 'attestation.issue',
    stateAfter: 'issued',
    details: { kind: input.kind, dossierId: input.dossierId, validFrom: input.validFrom, validUntil: input.validUntil },
  });
  return { id: row.id, code: formatCode(code), verifyUrl: verifyUrl(input.publicUrl, code) };
}
