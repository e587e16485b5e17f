// Issuing and revoking attestations: inside the caller's transaction, recorded in the audit
// chain, codes unique, revocation idempotent and confined to its préfecture.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { migrate } from '../../src/db/migrate';
import { listAudit } from '../../src/modules/audit/list-audit';
import { verifyAuditChain } from '../../src/modules/audit/verify-audit-chain';
import { HERAULT } from '../../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../../src/modules/prefectures/seed-prefecture';
import { findAttestation, findAttestationByCode, issueAttestation, listDossierAttestations, revokeAttestation } from '../../src/modules/verification';
import { AppError } from '../../src/shared/errors';
import { openTestDatabase } from '../helpers/build';

test('issue, find, revoke: audited, idempotent, confined to the préfecture, rolled back with the caller', async (t) => {
  const database = await openTestDatabase(t);
  await migrate(database);
  const { db } = database;
  const herault = (await seedPrefecture(db, HERAULT)).id;
  const gard = (await seedPrefecture(db, { ...HERAULT, code: '30', name: 'Préfecture du Gard', sites: HERAULT.sites.slice(0, 1) })).id;
  const dossierId = randomUUID();
  const validFrom = new Date('2026-03-01T10:00:00.000Z');
  const input = {
    prefectureId: herault,
    kind: 'depot' as const,
    dossierId,
    holderName: '  DUPONT Zoë  ',
    details: { number: '34-2026-000001', allowsWork: false },
    validFrom,
    validUntil: null,
    publicUrl: 'https://sejour.example',
    actor: { id: null, role: 'applicant' },
  };

  const issued = await db.transaction().execute((trx) => issueAttestation(trx, input));
  assert.match(issued.verifyUrl, /^https:\/\/sejour\.example\/verifier\/[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  const again = await db.transaction().execute((trx) => issueAttestation(trx, input));
  assert.notEqual(again.code, issued.code);

  const found = await findAttestationByCode(db, herault, issued.code.toLowerCase(), new Date('2026-03-02T00:00:00Z'));
  assert.equal(found?.id, issued.id);
  assert.equal(found?.holderName, 'DUPONT Zoë');
  assert.equal(found?.status, 'valid');
  assert.deepEqual(found?.details, { number: '34-2026-000001', allowsWork: false });
  assert.equal(await findAttestationByCode(db, gard, issued.code), null);
  assert.equal(await findAttestation(db, gard, issued.id), null);
  assert.deepEqual((await listDossierAttestations(db, herault, dossierId)).map((a) => a.id).sort(), [issued.id, again.id].sort());

  // Revocation: another préfecture's id is not found; the first revocation stays.
  await assert.rejects(
    db.transaction().execute((trx) => revokeAttestation(trx, gard, issued.id, 'x')),
    (err: unknown) => err instanceof AppError && err.code === 'not_found',
  );
  const first = await db.transaction().execute((trx) => revokeAttestation(trx, herault, issued.id, 'Remplacée', { actor: { id: null, role: 'agent' } }));
  const second = await db.transaction().execute((trx) => revokeAttestation(trx, herault, issued.id, 'Encore'));
  assert.equal(first.alreadyRevoked, false);
  assert.equal(second.alreadyRevoked, true);
  assert.equal(second.revokedAt.getTime(), first.revokedAt.getTime());
  const revoked = await findAttestation(db, herault, issued.id);
  assert.equal(revoked?.status, 'revoked');
  assert.equal(revoked?.revokedReason, 'Remplacée');

  // A caller's failure after issuing leaves neither the attestation nor its audit row.
  let lost = '';
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      lost = (await issueAttestation(trx, input)).id;
      throw new Error('filing failed');
    }),
  );
  assert.equal(await findAttestation(db, herault, lost), null);
  assert.deepEqual(await listAudit(db, herault, 'attestation', lost), []);

  const history = await listAudit(db, herault, 'attestation', issued.id);
  assert.deepEqual(history.map((h) => [h.action, h.actorRole, h.stateAfter]), [
    ['attestation.issue', 'applicant', 'issued'],
    ['attestation.revoke', 'agent', 'revoked'],
  ]);
  assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: 3 });
});

test('the database refuses a malformed code, an unknown kind, and a revocation without reason', async (t) => {
  const database = await openTestDatabase(t);
  await migrate(database);
  const herault = (await seedPrefecture(database.db, HERAULT)).id;
  const row = { prefecture_id: herault, kind: 'depot' as const, dossier_id: null, holder_name: 'X', details: '{}', valid_from: new Date(), valid_until: null };
  await assert.rejects(database.db.insertInto('attestations').values({ ...row, verification_code: 'abc' }).execute());
  await assert.rejects(database.db.insertInto('attestations').values({ ...row, kind: 'carte' as never, verification_code: '0'.repeat(20) }).execute());
  await assert.rejects(database.db.insertInto('attestations').values({ ...row, verification_code: '1'.repeat(20), revoked_at: new Date() }).execute());
});
