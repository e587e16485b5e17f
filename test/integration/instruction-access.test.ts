// Who reaches the casework routes: an agent of another préfecture gets 404 on every dossier,
// pièce and attestation route of this one (like a missing dossier); an applicant gets 403 or
// 404 on every staff route; without a session the API answers 401. Nothing changes meanwhile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../helpers/build';
import { tempDataDir } from '../helpers/documents-setup';
import { createApplicant, createStaff, dossierRow, fileDossier, seedInstructionCatalogue } from '../helpers/instruction-fixtures';

const PAGE_POSTS = ['prendre', 'liberer', 'reaffecter', 'pieces/test_photo/revue', 'demande-de-pieces', 'complet', 'decision-favorable', 'decision-defavorable', 'classer', 'titre-pret', 'remise', 'notes'];
const API_POSTS: [string, unknown][] = [
  ['take', undefined],
  ['release', undefined],
  ['reassign', { agentId: '00000000-0000-0000-0000-000000000000' }],
  ['pieces/test_photo/review', { decision: 'accepted' }],
  ['request-pieces', { pieces: ['test_photo'] }],
  ['complete', undefined],
  ['decision/favourable', undefined],
  ['decision/unfavourable', { motive: 'x' }],
  ['close', { reason: 'withdrawal' }],
  ['card-ready', undefined],
  ['hand-over', undefined],
  ['notes', { body: 'x' }],
];

test('another préfecture’s agent: 404 on every dossier, pièce and attestation route; an applicant: 403/404; no session: 401', async (t) => {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir } });
  const db = app.deps.db;
  await seedInstructionCatalogue(db, prefectureId);
  // A renewal filed in time, taken and completed: it has a prolongation attestation.
  const { dossierId, applicant } = await fileDossier(app, prefectureId, { kind: 'renewal', permitExpiresInDays: 90 });
  const owner = await createStaff(app, prefectureId, 'supervisor');
  for (const [path, body] of [
    ['take', undefined],
    ['pieces/test_photo/review', { decision: 'accepted' }],
    ['pieces/test_passeport/review', { decision: 'accepted' }],
    ['complete', undefined],
  ] as const) {
    const r = await app.inject({ method: 'POST', url: `/api/v1/instruction/dossiers/${dossierId}/${path}`, headers: owner.bearer, ...(body ? { payload: body } : {}) });
    assert.equal(r.statusCode, 200, `${path}: ${r.body}`);
  }
  const attestation = await db.selectFrom('attestations').select('id').where('dossier_id', '=', dossierId).where('kind', '=', 'prolongation').executeTakeFirstOrThrow();
  const doc = await db.selectFrom('documents').select('id').where('dossier_id', '=', dossierId).executeTakeFirstOrThrow();
  const before = await dossierRow(db, dossierId);
  const auditBefore = (await db.selectFrom('audit_log').select('id').execute()).length;

  const gard = await db
    .insertInto('prefectures')
    .values({ code: '30', name: 'Préfecture du Gard', department_name: 'Gard', contact_email: 'etrangers@gard.test', hosts: ['gard.test'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const host = { host: 'gard.test' };
  for (const role of ['agent', 'supervisor', 'admin'] as const) {
    const foreign = await createStaff(app, gard.id, role, host);
    const gets = [
      `/agent/dossiers/${dossierId}`,
      `/agent/dossiers/${dossierId}/documents/${doc.id}`,
      `/agent/dossiers/${dossierId}/attestations/${attestation.id}`,
    ];
    for (const url of gets) assert.equal((await foreign.web.get(url)).statusCode, 404, `${role} GET ${url}`);
    for (const p of PAGE_POSTS) assert.equal((await foreign.web.postForm(`/agent/dossiers/${dossierId}/${p}`, { decision: 'accepted', pieces: 'test_photo', deadline: '2099-01-01', motive: 'x', close_reason: 'withdrawal', note: 'x', agent: foreign.id })).statusCode, 404, `${role} POST ${p}`);
    for (const url of [`/api/v1/instruction/dossiers/${dossierId}`, `/api/v1/instruction/dossiers/${dossierId}/documents/${doc.id}`, `/api/v1/instruction/dossiers/${dossierId}/attestations/${attestation.id}`]) {
      const r = await app.inject({ url, headers: foreign.bearer });
      assert.equal(r.statusCode, 404, `${role} API GET ${url}`);
      assert.match(String(r.headers['content-type']), /application\/problem\+json/);
    }
    for (const [p, body] of API_POSTS) {
      const r = await app.inject({ method: 'POST', url: `/api/v1/instruction/dossiers/${dossierId}/${p}`, headers: foreign.bearer, ...(body ? { payload: body } : {}) });
      assert.equal(r.statusCode, 404, `${role} API POST ${p}: ${r.body}`);
    }
  }

  // The applicant (even the dossier's owner): 403 or 404 on every staff route, page or API.
  const allowed = new Set([403, 404]);
  for (const url of [`/agent/dossiers/${dossierId}`, `/agent/dossiers/${dossierId}/documents/${doc.id}`, `/agent/dossiers/${dossierId}/attestations/${attestation.id}`]) {
    const r = await applicant.web.get(url);
    assert.ok(allowed.has(r.statusCode), `applicant GET ${url}: ${r.statusCode}`);
  }
  for (const p of PAGE_POSTS) {
    const r = await applicant.web.postForm(`/agent/dossiers/${dossierId}/${p}`, { decision: 'accepted', pieces: 'test_photo', motive: 'x', note: 'x' });
    assert.ok(allowed.has(r.statusCode), `applicant POST ${p}: ${r.statusCode}`);
  }
  for (const [p, body] of API_POSTS) {
    const r = await app.inject({ method: 'POST', url: `/api/v1/instruction/dossiers/${dossierId}/${p}`, headers: applicant.bearer, ...(body ? { payload: body } : {}) });
    assert.ok(allowed.has(r.statusCode), `applicant API POST ${p}: ${r.statusCode}`);
  }
  assert.ok(allowed.has((await app.inject({ url: `/api/v1/instruction/dossiers/${dossierId}`, headers: applicant.bearer })).statusCode));
  // Without a session: 401 problem (API), redirect to the login page (pages).
  assert.equal((await app.inject({ url: `/api/v1/instruction/dossiers/${dossierId}` })).statusCode, 401);
  assert.equal((await app.inject({ url: `/agent/dossiers/${dossierId}` })).statusCode, 303);
  // The applicant reaches their own attestation, another applicant does not.
  assert.equal((await applicant.web.get(`/dossiers/${dossierId}/attestations/${attestation.id}`)).statusCode, 200);
  const stranger = await createApplicant(app, prefectureId);
  const theirs = await stranger.web.get(`/dossiers/${dossierId}/attestations/${attestation.id}`);
  assert.equal(theirs.statusCode, 404);
  assert.ok(!theirs.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));

  // Nothing changed.
  const after = await dossierRow(db, dossierId);
  assert.deepEqual({ ...after, updated_at: null }, { ...before, updated_at: null });
  assert.equal(after.updated_at.getTime(), before.updated_at.getTime());
  assert.equal((await db.selectFrom('audit_log').select('id').execute()).length, auditBefore);
  assert.equal((await db.selectFrom('dossier_notes').select('id').execute()).length, 0);
});
