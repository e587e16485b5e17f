// Revokes an attestation (e.g. a prolongation replaced by a newer one, a decision withdrawn).
// Idempotent on an already revoked one (keeps the first revocation); another préfecture's or
// a missing id → not_found.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { appendAudit } from '../audit/append-audit';

export async function revokeAttestation(
  trx: Transaction<DB>,
  prefectureId: string,
  id: string,
  reason: string,
  opts: { actor?: { id: string | null; role: string }; at?: Date } = {},
): Promise<{ revokedAt: Date; alreadyRevoked: boolean }> {
  const current = await trx
    .selectFrom('attestations')
    .select(['id', 'revoked_at'])
    .where('prefecture_id', '=', prefectureId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!current) throw new AppError('not_found');
  if (current.revoked_at) return { revokedAt: new Date(current.revoked_at), alreadyRevoked: true };
  const at = opts.at ?? new Date();
  const text = reason.trim() || 'revoked';
  await trx.updateTable('attestations').set({ revoked_at: at, revoked_reason: text }).where('id', '=', id).execute();
  await appendAudit(trx, {
    prefectureId,
    entityType: 'attestation',
    entityId: id,
    actorId: opts.actor?.id ?? null,
    actorRole: opts.actor?.role ?? 'system',
    action: 'attestation.revoke',
    stateBefore: 'issued',
    stateAfter: 'revoked',
    details: { reason: text },
    at,
  });
  return { revokedAt: at, alreadyRevoked: false };
}
