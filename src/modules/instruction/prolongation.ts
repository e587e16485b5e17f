// The attestation de prolongation d'instruction: issued when a renewal filed before the
// current permit expired is found complete, valid three months, and renewed by a durable job
// (src/shared/jobs) every three months while the dossier waits for its decision. Each
// renewal is a new attestation (new code) starting when the previous one ends. Whether it
// allows work comes from permit_work_rights. A decision revokes the current ones.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { enqueueJob } from '../../shared/jobs/queue';
import type { DossierRow } from '../dossiers/dossier-queries';
import { issueAttestation, revokeAttestation, type IssuedAttestation } from '../verification';
import { addMonths, OPEN_STATES, PROLONGATION_MONTHS, RENEWAL_LEAD_DAYS } from './casework-rules';
import { auditCasework } from './audit-casework';
import { attestationSubject } from './attestation-subject';

export const RENEW_PROLONGATION_JOB = 'instruction.renew_prolongation';

export async function allowsWork(db: Kysely<DB> | Transaction<DB>, categoryCode: string): Promise<boolean> {
  const row = await db.selectFrom('permit_work_rights').select('allows_work').where('category_code', '=', categoryCode).executeTakeFirst();
  return row?.allows_work ?? false;
}

export async function issueProlongation(
  trx: Transaction<DB>,
  d: DossierRow,
  opts: { publicUrl: string; validFrom: Date; actor: { id: string | null; role: string }; sequence: number },
): Promise<IssuedAttestation> {
  const subject = await attestationSubject(trx, d);
  const validUntil = addMonths(opts.validFrom, PROLONGATION_MONTHS);
  const issued = await issueAttestation(trx, {
    prefectureId: d.prefecture_id,
    kind: 'prolongation',
    dossierId: d.id,
    holderName: subject.holderName,
    details: {
      ...subject.details,
      allowsWork: await allowsWork(trx, d.category_code),
      birthDate: d.birth_date,
      nationality: d.nationality,
      agdrefNumber: d.agdref_number,
      currentPermitNumber: d.current_permit_number,
      currentPermitExpiresOn: d.current_permit_expires_on,
      sequence: opts.sequence,
    },
    validFrom: opts.validFrom,
    validUntil,
    publicUrl: opts.publicUrl,
    actor: opts.actor,
  });
  const runAt = new Date(validUntil.getTime() - RENEWAL_LEAD_DAYS * 86_400_000);
  await enqueueJob(trx, {
    kind: RENEW_PROLONGATION_JOB,
    prefectureId: d.prefecture_id,
    payload: { attestationId: issued.id, dossierId: d.id },
    runAt,
    uniqueKey: `${RENEW_PROLONGATION_JOB}:${issued.id}`,
  });
  return issued;
}

/** Revokes the dossier's prolongation attestations that are not revoked yet (on decision, closure, withdrawal). */
export async function revokeProlongations(trx: Transaction<DB>, prefectureId: string, dossierId: string, reason: string, actor: { id: string | null; role: string }, at = new Date()): Promise<number> {
  const rows = await trx
    .selectFrom('attestations')
    .select('id')
    .where('prefecture_id', '=', prefectureId)
    .where('dossier_id', '=', dossierId)
    .where('kind', '=', 'prolongation')
    .where('revoked_at', 'is', null)
    .execute();
  for (const r of rows) await revokeAttestation(trx, prefectureId, r.id, reason, { actor, at });
  return rows.length;
}

/**
 * The renewal job: while the dossier still waits for its decision, issues the next attestation
 * (starting when the current one ends) and schedules the following renewal; once the dossier is
 * decided, closed or withdrawn, revokes what is left and stops.
 */
export async function renewProlongation(deps: { db: Kysely<DB>; publicUrl: string }, payload: { attestationId?: unknown; dossierId?: unknown }, now = new Date()): Promise<'renewed' | 'stopped' | 'skipped'> {
  if (typeof payload.attestationId !== 'string' || typeof payload.dossierId !== 'string') return 'skipped';
  const { attestationId, dossierId } = payload;
  return deps.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('attestations').selectAll().where('id', '=', attestationId).where('kind', '=', 'prolongation').executeTakeFirst();
    if (!current || current.dossier_id !== dossierId || current.revoked_at || !current.valid_until) return 'skipped';
    const d = await trx.selectFrom('dossiers').selectAll().where('id', '=', dossierId).where('prefecture_id', '=', current.prefecture_id).forUpdate().executeTakeFirst();
    if (!d) return 'skipped';
    const system = { id: null, role: 'system' } as const;
    if (!OPEN_STATES.includes(d.state)) {
      await revokeProlongations(trx, d.prefecture_id, d.id, 'dossier_decided', system, now);
      return 'stopped';
    }
    // Already renewed (a newer one exists): nothing to do.
    const newer = await trx
      .selectFrom('attestations')
      .select('id')
      .where('prefecture_id', '=', d.prefecture_id)
      .where('dossier_id', '=', d.id)
      .where('kind', '=', 'prolongation')
      .where('valid_from', '>=', current.valid_until)
      .executeTakeFirst();
    if (newer) return 'skipped';
    const sequence = Number((current.details as { sequence?: number }).sequence ?? 1) + 1;
    const validFrom = new Date(current.valid_until);
    const issued = await issueProlongation(trx, d, { publicUrl: deps.publicUrl, validFrom, actor: system, sequence });
    await auditCasework(trx, {
      prefectureId: d.prefecture_id,
      dossierId: d.id,
      actor: system,
      action: 'prolongation_renewed',
      stateBefore: d.state,
      stateAfter: d.state,
      details: { attestationId: issued.id, previous: current.id, validFrom },
      at: now,
    });
    return 'renewed';
  });
}
