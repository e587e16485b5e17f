// PostgreSQL server only: agents taking the same dossier at the same moment — the conditional
// update (… where assigned_to is null) lets exactly one through; the others get a 409 and
// nothing of theirs is written (no assignment, no audit row, one start of the review).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, openTestDatabase } from '../helpers/build';
import { createStaff, seedInstructionCatalogue } from '../helpers/instruction-fixtures';
import { verifyAuditChain } from '../../src/modules/audit/verify-audit-chain';

test('agents racing to take one dossier: one wins, the others get 409, nothing half-written', { skip: process.env.SEJOUR_TEST_DB !== 'postgresql' && 'PostgreSQL server only' }, async (t) => {
  const database = await openTestDatabase(t, 'postgresql');
  const { app, prefectureId } = await build(t, { database });
  const db = app.deps.db;
  await seedInstructionCatalogue(db, prefectureId);
  const agents = await Promise.all([0, 1, 2, 3].map(() => createStaff(app, prefectureId, 'agent')));
  const applicant = await db
    .insertInto('users')
    .values({ prefecture_id: prefectureId, role: 'applicant', email: 'course@exemple.test', password_hash: 'unused', email_confirmed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let round = 0; round < 8; round++) {
    const dossier = await db
      .insertInto('dossiers')
      .values({
        prefecture_id: prefectureId,
        applicant_id: applicant.id,
        applicant_email: 'course@exemple.test',
        category_code: 'test_cat',
        request_kind: 'first',
        state: 'submitted',
        number: `34-2026-${String(round + 1).padStart(6, '0')}`,
        submitted_at: new Date(),
        surname: 'COURSE',
        given_names: 'Test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const results = await Promise.all(agents.map((a) => app.inject({ method: 'POST', url: `/api/v1/instruction/dossiers/${dossier.id}/take`, headers: a.bearer })));
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [200, 409, 409, 409], `round ${round}: ${results.map((r) => r.body).join(' | ')}`);
    const winner = agents[results.findIndex((r) => r.statusCode === 200)];
    const row = await db.selectFrom('dossiers').select(['assigned_to', 'state']).where('id', '=', dossier.id).executeTakeFirstOrThrow();
    assert.equal(row.assigned_to, winner?.id);
    assert.equal(row.state, 'under_review');
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_id', '=', dossier.id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['dossier.start_review', 'instruction.take']);
    assert.ok(audit.every((a) => a.actor_id === winner?.id));
    const events = await db.selectFrom('dossier_events').select('event').where('dossier_id', '=', dossier.id).execute();
    assert.deepEqual(events.map((e) => e.event), ['start_review']);
  }
  assert.equal((await verifyAuditChain(db)).ok, true);
});
