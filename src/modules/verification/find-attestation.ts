// Looks attestations up: by verification code (public verifier, préfecture of the request
// only), by id, and the ones of a dossier (to re-render a PDF).
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { AttestationsTable } from '../audit/tables';
import { attestationStatus, type AttestationStatus } from './attestation-status';
import { formatCode, normalizeCode } from './code';

type Db = Kysely<DB> | Transaction<DB>;
export type AttestationRow = Selectable<AttestationsTable>;

export interface Attestation {
  id: string;
  prefectureId: string;
  kind: AttestationRow['kind'];
  dossierId: string | null;
  holderName: string;
  details: Record<string, unknown>;
  /** Formatted: XXXX-XXXX-XXXX-XXXX-XXXX. */
  code: string;
  validFrom: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  createdAt: Date;
  status: AttestationStatus;
}

function toAttestation(r: AttestationRow, now: Date): Attestation {
  const a = {
    valid_from: new Date(r.valid_from),
    valid_until: r.valid_until ? new Date(r.valid_until) : null,
    revoked_at: r.revoked_at ? new Date(r.revoked_at) : null,
  };
  return {
    id: r.id,
    prefectureId: r.prefecture_id,
    kind: r.kind,
    dossierId: r.dossier_id,
    holderName: r.holder_name,
    details: r.details,
    code: formatCode(r.verification_code),
    validFrom: a.valid_from,
    validUntil: a.valid_until,
    revokedAt: a.revoked_at,
    revokedReason: r.revoked_reason,
    createdAt: new Date(r.created_at),
    status: attestationStatus(a, now),
  };
}

/** By what a person typed (any case, dashes/spaces ignored); null when nothing matches in this préfecture. */
export async function findAttestationByCode(db: Db, prefectureId: string, input: string, now = new Date()): Promise<Attestation | null> {
  const code = normalizeCode(input);
  if (!code) return null;
  const row = await db.selectFrom('attestations').selectAll().where('prefecture_id', '=', prefectureId).where('verification_code', '=', code).executeTakeFirst();
  return row ? toAttestation(row, now) : null;
}

export async function findAttestation(db: Db, prefectureId: string, id: string, now = new Date()): Promise<Attestation | null> {
  const row = await db.selectFrom('attestations').selectAll().where('prefecture_id', '=', prefectureId).where('id', '=', id).executeTakeFirst();
  return row ? toAttestation(row, now) : null;
}

/** A dossier's attestations, newest first. */
export async function listDossierAttestations(db: Db, prefectureId: string, dossierId: string, now = new Date()): Promise<Attestation[]> {
  const rows = await db
    .selectFrom('attestations')
    .selectAll()
    .where('prefecture_id', '=', prefectureId)
    .where('dossier_id', '=', dossierId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => toAttestation(r, now));
}
