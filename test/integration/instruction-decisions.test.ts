// Attestations and decisions: the prolongation d'instruction for a renewal filed in time (valid
// three months, saying whether it allows work, renewed by its durable job, revoked on decision,
// shown as revoked on /verifier); none for a renewal filed after expiry; unfavourable decision
// with motive and appeal routes; closing; illegal transitions refused with nothing changed;
// reassignment; the passed-deadline flag; the instructing site; the API in OpenAPI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { build } from '../helpers/build';
import { tempDataDir } from '../helpers/documents-setup';
import { text } from '../helpers/accounts-fixtures';
import { jpeg } from '../helpers/documents-fixtures';
import { pdfToText } from '../helpers/pdf-text';
import { formatDateTime, translator } from '../../src/shared/i18n';
import { formatCode } from '../../src/modules/verification';
import { createStaff, dossierRow, fileDossier, seedInstructionCatalogue, type StaffUser } from '../helpers/instruction-fixtures';
import type { FastifyInstance } from 'fastify';

async function setup(t: { after(fn: () => unknown): void }) {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir } });
  await seedInstructionCatalogue(app.deps.db, prefectureId);
  return { app, prefectureId, db: app.deps.db };
}

async function api(app: FastifyInstance, who: StaffUser, dossierId: string, path: string, payload?: unknown) {
  return app.inject({ method: 'POST', url: `/api/v1/instruction/dossiers/${dossierId}/${path}`, headers: who.bearer, ...(payload ? { payload: payload as object } : {}) });
}

async function takeAndAccept(app: FastifyInstance, who: StaffUser, dossierId: string) {
  for (const [path, body] of [
    ['take', undefined],
    ['pieces/test_photo/review', { decision: 'accepted' }],
    ['pieces/test_passeport/review', { decision: 'accepted' }],
  ] as const) {
    const r = await api(app, who, dossierId, path, body);
    assert.equal(r.statusCode, 200, `${path}: ${r.body}`);
  }
}

test('prolongation: issued on completion of a renewal filed in time, 3 months, work right, renewed by its job, revoked on decision, /verifier says revoked', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  await db.insertInto('permit_work_rights').values({ category_code: 'test_cat', allows_work: true }).execute();
  const { dossierId, applicant } = await fileDossier(app, prefectureId, { kind: 'renewal', permitExpiresInDays: 90 });
  const sup = await createStaff(app, prefectureId, 'supervisor');
  await takeAndAccept(app, sup, dossierId);
  const done = await api(app, sup, dossierId, 'complete');
  assert.equal(done.statusCode, 200, done.body);
  assert.equal((await api(app, sup, dossierId, 'complete')).statusCode, 409, 'completed once');

  const [first] = await db.selectFrom('attestations').selectAll().where('dossier_id', '=', dossierId).where('kind', '=', 'prolongation').execute();
  assert.ok(first?.valid_until);
  const months = (new Date(first.valid_until).getTime() - new Date(first.valid_from).getTime()) / 86_400_000;
  assert.ok(months >= 89 && months <= 92, `three months, got ${months} days`);
  assert.equal((first.details as { allowsWork: boolean }).allowsWork, true);
  // The applicant is told (no personal data) and downloads the PDF.
  const mail = await db.selectFrom('mails').selectAll().where('to_address', '=', applicant.email).where('subject', 'like', '%prolongation%').executeTakeFirstOrThrow();
  assert.match(mail.text_body, new RegExp(`/dossiers/${dossierId}/attestations/${first.id}`));
  assert.doesNotMatch(mail.text_body, /BENALI|Amina/);
  const pdf = await applicant.web.get(`/dossiers/${dossierId}/attestations/${first.id}`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  // What it says: the holder, three months of validity, that it allows work, the code and its address.
  const printed = pdfToText(pdf.rawPayload);
  if (printed !== null) {
    const fr = translator('fr');
    const flat = printed.replace(/\u00a0|\u202f/g, ' ').replace(/\s+/g, ' ');
    for (const expected of [
      fr('instruction.pdf.title_prolongation'),
      'BENALI Amina',
      `${fr('instruction.pdf.valid_from')} ${formatDateTime('fr', new Date(first.valid_from))}`,
      `${fr('instruction.pdf.valid_until')} ${formatDateTime('fr', new Date(first.valid_until))}`,
      `${fr('instruction.pdf.work')} ${fr('instruction.pdf.work_yes')}`,
      fr('instruction.pdf.prolongation_work_yes'),
      formatCode(first.verification_code),
      `/verifier/${formatCode(first.verification_code)}`,
    ]) {
      assert.ok(flat.includes(expected.replace(/\u00a0|\u202f/g, ' ').replace(/\s+/g, ' ')), `« ${expected} » in the prolongation:\n${printed}`);
    }
  }
  // "Available in your account": the status page lists it, with its validity and a download link.
  const status = await applicant.web.get(`/dossiers/${dossierId}`);
  assert.equal(status.statusCode, 200);
  assert.match(status.body, new RegExp(`href="/dossiers/${dossierId}/attestations/${first.id}"`));
  assert.match(status.body, /Attestation de prolongation d&#x27;instruction|Attestation de prolongation d'instruction/);
  assert.match(status.body, /valide/);
  const code = first.verification_code;
  let v = await app.inject({ url: `/api/v1/verifications/${code}` });
  assert.equal(v.json().status, 'valid');
  assert.equal(v.json().kind, 'prolongation');

  // The renewal job (durable, in the jobs table) is due 14 days before the end: make it due and run it.
  const job = await db.selectFrom('jobs').selectAll().where('kind', '=', 'instruction.renew_prolongation').where('done_at', 'is', null).executeTakeFirstOrThrow();
  assert.ok(new Date(job.run_at).getTime() < new Date(first.valid_until).getTime());
  await db.updateTable('jobs').set({ run_at: sql<Date>`now()` }).where('id', '=', job.id).execute();
  await app.deps.jobs.drain();
  const all = await db.selectFrom('attestations').selectAll().where('dossier_id', '=', dossierId).where('kind', '=', 'prolongation').orderBy('valid_from').execute();
  assert.equal(all.length, 2);
  const second = all[1];
  assert.ok(second?.valid_until && first.valid_until);
  assert.equal(new Date(second.valid_from).getTime(), new Date(first.valid_until).getTime(), 'starts when the previous one ends');
  assert.equal((second.details as { sequence: number }).sequence, 2);
  assert.equal((await db.selectFrom('jobs').select('id').where('kind', '=', 'instruction.renew_prolongation').where('done_at', 'is', null).execute()).length, 1, 'the next renewal is scheduled');

  // An illegal transition is refused and changes nothing: card ready before any decision.
  const before = await dossierRow(db, dossierId);
  const auditCount = (await db.selectFrom('audit_log').select('id').execute()).length;
  assert.equal((await api(app, sup, dossierId, 'card-ready')).statusCode, 409);
  assert.equal((await api(app, sup, dossierId, 'hand-over')).statusCode, 409);
  assert.deepEqual(await dossierRow(db, dossierId), before);
  assert.equal((await db.selectFrom('audit_log').select('id').execute()).length, auditCount);

  // Unfavourable decision: motive required; then revokes both prolongations.
  const noMotive = await api(app, sup, dossierId, 'decision/unfavourable', { motive: '' });
  assert.equal(noMotive.statusCode, 400);
  assert.match(String(noMotive.headers['content-type']), /problem\+json/);
  const decided = await api(app, sup, dossierId, 'decision/unfavourable', { motive: 'Ressources insuffisantes au regard des conditions du titre.' });
  assert.equal(decided.statusCode, 200, decided.body);
  assert.equal(decided.json().state, 'decided_unfavourable');
  for (const a of await db.selectFrom('attestations').selectAll().where('dossier_id', '=', dossierId).where('kind', '=', 'prolongation').execute()) assert.ok(a.revoked_at);
  v = await app.inject({ url: `/api/v1/verifications/${code}` });
  assert.equal(v.json().status, 'revoked');
  const page = await app.inject({ url: `/verifier/${code}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /data-status="revoked"/);
  // The applicant reads the motive and the appeal routes in the thread.
  const thread = await applicant.web.get(`/dossiers/${dossierId}/messages`);
  assert.match(text(thread.body), /Ressources insuffisantes/);
  assert.match(text(thread.body), /recours gracieux/);
  assert.match(text(thread.body), /deux mois/);
  // Deciding again is refused.
  assert.equal((await api(app, sup, dossierId, 'decision/favourable')).statusCode, 409);
});

test('a favourable decision needs the dossier found complete with every pièce accepted; closing revokes the prolongation', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const sup = await createStaff(app, prefectureId, 'supervisor');
  const { dossierId, applicant } = await fileDossier(app, prefectureId, { kind: 'renewal', permitExpiresInDays: 90 });
  const snapshot = async () => ({
    dossier: await dossierRow(db, dossierId),
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
    attestations: (await db.selectFrom('attestations').select('id').where('dossier_id', '=', dossierId).execute()).length,
  });
  const refused = async (why: string) => {
    const before = await snapshot();
    const r = await api(app, sup, dossierId, 'decision/favourable');
    assert.equal(r.statusCode, 409, `${why}: ${r.body}`);
    assert.deepEqual(await snapshot(), before, `${why}: nothing changed`);
    return r;
  };
  // Taken, one pièce rejected: under review, but not complete.
  assert.equal((await api(app, sup, dossierId, 'take')).statusCode, 200);
  assert.equal((await api(app, sup, dossierId, 'pieces/test_passeport/review', { decision: 'accepted' })).statusCode, 200);
  assert.equal((await api(app, sup, dossierId, 'pieces/test_photo/review', { decision: 'rejected', reason: 'illegible' })).statusCode, 200);
  const r = await refused('a rejected pièce');
  assert.match(String(r.headers['content-type']), /problem\+json/);
  // Every pièce accepted but the dossier not yet found complete: the page says so, with no button.
  assert.equal((await api(app, sup, dossierId, 'pieces/test_photo/review', { decision: 'accepted' })).statusCode, 200);
  await refused('not found complete');
  const page = await sup.web.get(`/agent/dossiers/${dossierId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="titre-decision"/);
  assert.doesNotMatch(page.body, /decision-favorable/);
  assert.ok(text(page.body).includes('Une décision favorable sera possible quand le dossier aura été déclaré complet.'));
  assert.equal((await api(app, sup, dossierId, 'complete')).statusCode, 200);
  assert.match((await sup.web.get(`/agent/dossiers/${dossierId}`)).body, /action="[^"]*\/decision-favorable"/);

  // After completion, a new request for pièces: the resubmitted dossier, then its new file under review, are not decidable.
  assert.equal((await api(app, sup, dossierId, 'request-pieces', { pieces: ['test_photo'] })).statusCode, 200);
  const up = await applicant.web.upload(`/dossiers/${dossierId}/pieces/test_photo/documents`, {}, [{ field: 'fichiers', filename: 'photo2.jpg', content: jpeg(), type: 'image/jpeg' }]);
  assert.equal(up.statusCode, 303);
  await applicant.web.get(`/dossiers/${dossierId}`);
  assert.equal((await applicant.web.postForm(`/dossiers/${dossierId}/renvoyer`)).statusCode, 303);
  assert.equal((await dossierRow(db, dossierId)).state, 'resubmitted');
  await refused('resubmitted, new file not reviewed');
  // The pièce accepted before is to be examined again, with its new file.
  const photoPage = await sup.web.get(`/agent/dossiers/${dossierId}`);
  assert.match(photoPage.body, /data-piece="test_photo" data-status="to_review"/);

  // Closed without follow-up instead: the prolongation is revoked at once, and /verifier says so.
  const prolongation = await db.selectFrom('attestations').selectAll().where('dossier_id', '=', dossierId).where('kind', '=', 'prolongation').executeTakeFirstOrThrow();
  assert.equal((await app.inject({ url: `/api/v1/verifications/${prolongation.verification_code}` })).json().status, 'valid');
  const closed = await api(app, sup, dossierId, 'close', { reason: 'other', text: 'Départ du territoire signalé.' });
  assert.equal(closed.statusCode, 200, closed.body);
  assert.ok((await db.selectFrom('attestations').select('revoked_at').where('id', '=', prolongation.id).executeTakeFirstOrThrow()).revoked_at);
  assert.equal((await app.inject({ url: `/api/v1/verifications/${prolongation.verification_code}` })).json().status, 'revoked');
});

test('no prolongation for a renewal filed after the permit expired, nor a first request; withdrawal revokes it and its renewal job stops', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const sup = await createStaff(app, prefectureId, 'supervisor');
  const expired = await fileDossier(app, prefectureId, { kind: 'renewal', permitExpiresInDays: -10 });
  await takeAndAccept(app, sup, expired.dossierId);
  assert.equal((await api(app, sup, expired.dossierId, 'complete')).statusCode, 200);
  assert.equal((await db.selectFrom('attestations').select('id').where('dossier_id', '=', expired.dossierId).where('kind', '=', 'prolongation').execute()).length, 0);

  const inTime = await fileDossier(app, prefectureId, { kind: 'renewal', permitExpiresInDays: 30 });
  await takeAndAccept(app, sup, inTime.dossierId);
  assert.equal((await api(app, sup, inTime.dossierId, 'complete')).statusCode, 200);
  const att = await db.selectFrom('attestations').selectAll().where('dossier_id', '=', inTime.dossierId).where('kind', '=', 'prolongation').executeTakeFirstOrThrow();
  assert.equal((att.details as { allowsWork: boolean }).allowsWork, false, 'test_cat is not in permit_work_rights');
  const noWork = pdfToText((await inTime.applicant.web.get(`/dossiers/${inTime.dossierId}/attestations/${att.id}`)).rawPayload);
  if (noWork !== null) {
    const flat = noWork.replace(/\s+/g, ' ');
    assert.ok(flat.includes(`${translator('fr')('instruction.pdf.work')} ${translator('fr')('instruction.pdf.work_no')}`), noWork);
    assert.ok(flat.includes(translator('fr')('instruction.pdf.prolongation_work_no').replace(/\s+/g, ' ')), noWork);
  }
  // The applicant withdraws (dossiers module); the renewal job then revokes and schedules nothing.
  await inTime.applicant.web.get(`/dossiers/${inTime.dossierId}/retrait`);
  assert.equal((await inTime.applicant.web.postForm(`/dossiers/${inTime.dossierId}/retrait`, { confirm: 'yes' })).statusCode, 303);
  assert.equal((await dossierRow(db, inTime.dossierId)).state, 'withdrawn');
  const revokedNow = await db.selectFrom('attestations').select('revoked_at').where('id', '=', att.id).executeTakeFirstOrThrow();
  assert.ok(revokedNow.revoked_at, 'revoked on withdrawal');
  await db.updateTable('jobs').set({ run_at: sql<Date>`now()` }).where('kind', '=', 'instruction.renew_prolongation').execute();
  await app.deps.jobs.drain();
  const after = await db.selectFrom('attestations').selectAll().where('dossier_id', '=', inTime.dossierId).where('kind', '=', 'prolongation').execute();
  assert.equal(after.length, 1);
  assert.ok(after[0]?.revoked_at);
  assert.equal((await db.selectFrom('jobs').select('id').where('kind', '=', 'instruction.renew_prolongation').where('done_at', 'is', null).execute()).length, 0);
});

test('illegal transitions change nothing: deciding a draft (invisible: 404) or a new dossier (409); agents may not decide', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const sup = await createStaff(app, prefectureId, 'supervisor');
  const agent = await createStaff(app, prefectureId, 'agent');
  const { dossierId } = await fileDossier(app, prefectureId);
  const draft = await db
    .insertInto('dossiers')
    .values({ prefecture_id: prefectureId, applicant_id: (await dossierRow(db, dossierId)).applicant_id, applicant_email: 'x@exemple.test', category_code: 'test_cat', request_kind: 'first' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const snapshot = async () => ({
    draft: await dossierRow(db, draft.id),
    filed: await dossierRow(db, dossierId),
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
    attestations: (await db.selectFrom('attestations').select('id').execute()).length,
    mails: (await db.selectFrom('mails').select('id').execute()).length,
  });
  const before = await snapshot();
  for (const path of ['decision/favourable', 'decision/unfavourable', 'close', 'complete', 'take']) {
    const r = await api(app, sup, draft.id, path, path === 'decision/unfavourable' ? { motive: 'x' } : path === 'close' ? { reason: 'withdrawal' } : undefined);
    assert.equal(r.statusCode, 404, `draft ${path}`);
  }
  // A submitted dossier (not yet under review) cannot be decided; the supervisor holds nothing.
  assert.equal((await api(app, sup, dossierId, 'decision/favourable')).statusCode, 409);
  assert.equal((await api(app, sup, dossierId, 'card-ready')).statusCode, 409);
  assert.deepEqual(await snapshot(), before);
  // An agent holding the dossier may not decide (lifecycle: supervisors and admins decide).
  assert.equal((await api(app, agent, dossierId, 'take')).statusCode, 200);
  const held = await snapshot();
  assert.equal((await api(app, agent, dossierId, 'decision/favourable')).statusCode, 403);
  assert.equal((await api(app, agent, dossierId, 'decision/unfavourable', { motive: 'non' })).statusCode, 403);
  assert.deepEqual(await snapshot(), held);
  // Closing without follow-up: reason required; 'other' needs a text; then closed.
  assert.equal((await api(app, agent, dossierId, 'close', { reason: 'other' })).statusCode, 400);
  const closed = await api(app, agent, dossierId, 'close', { reason: 'unanswered_request' });
  assert.equal(closed.statusCode, 200, closed.body);
  assert.equal(closed.json().state, 'closed');
});

test('reassignment by a supervisor only, release, the passed-deadline flag, the instructing site, the API in OpenAPI', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const a1 = await createStaff(app, prefectureId, 'agent');
  const a2 = await createStaff(app, prefectureId, 'agent');
  const sup = await createStaff(app, prefectureId, 'supervisor');
  const { dossierId } = await fileDossier(app, prefectureId, { postalCode: '34500' });
  assert.equal((await api(app, a1, dossierId, 'take')).statusCode, 200);
  assert.equal((await api(app, a1, dossierId, 'reassign', { agentId: a2.id })).statusCode, 403);
  const gard = await db.insertInto('prefectures').values({ code: '30', name: 'Gard', department_name: 'Gard', contact_email: 'g@gard.test', hosts: ['gard.test'] }).returning('id').executeTakeFirstOrThrow();
  const foreign = await createStaff(app, gard.id, 'agent', { host: 'gard.test' });
  assert.equal((await api(app, sup, dossierId, 'reassign', { agentId: foreign.id })).statusCode, 400, 'only an agent of the same préfecture');
  assert.equal((await api(app, sup, dossierId, 'reassign', { agentId: a2.id })).statusCode, 200);
  assert.equal((await dossierRow(db, dossierId)).assigned_to, a2.id);
  assert.equal((await api(app, a1, dossierId, 'release')).statusCode, 409, 'a1 no longer holds it');
  const reassigned = await db.selectFrom('audit_log').selectAll().where('action', '=', 'instruction.reassign').executeTakeFirstOrThrow();
  assert.equal(reassigned.actor_id, sup.id);
  assert.deepEqual(reassigned.details, { from: a1.id, to: a2.id });
  // The dossier from Béziers is instructed by the sous-préfecture; the API says so.
  let detail = await app.inject({ url: `/api/v1/instruction/dossiers/${dossierId}`, headers: a2.bearer });
  assert.equal(detail.statusCode, 200);
  assert.equal(detail.json().siteCode, 'beziers');
  assert.equal(detail.json().assignedTo, a2.id);
  // Request for pièces through the API with the default deadline; once passed, the dossier is flagged.
  const req = await api(app, a2, dossierId, 'request-pieces', { pieces: ['test_photo'] });
  assert.equal(req.statusCode, 200, req.body);
  assert.equal(req.json().state, 'pieces_requested');
  detail = await app.inject({ url: `/api/v1/instruction/dossiers/${dossierId}`, headers: a2.bearer });
  assert.equal(detail.json().deadlinePassed, false);
  await db.updateTable('dossiers').set({ pieces_deadline: '2020-01-31' }).where('id', '=', dossierId).execute();
  detail = await app.inject({ url: `/api/v1/instruction/dossiers/${dossierId}`, headers: a2.bearer });
  assert.equal(detail.json().deadlinePassed, true);
  assert.match((await a2.web.get(`/agent/dossiers/${dossierId}`)).body, /data-flag="deadline-passed"/);
  assert.equal((await api(app, a2, dossierId, 'release')).statusCode, 200);
  assert.equal((await dossierRow(db, dossierId)).assigned_to, null);

  // Sites: Lodève and Montpellier.
  const lodeve = await fileDossier(app, prefectureId, { postalCode: '34700' });
  const mtp = await fileDossier(app, prefectureId, { postalCode: '34070' });
  const site = async (id: string) => (await db.selectFrom('dossiers').innerJoin('sites', 'sites.id', 'dossiers.site_id').select('sites.code').where('dossiers.id', '=', id).executeTakeFirstOrThrow()).code;
  assert.equal(await site(lodeve.dossierId), 'lodeve');
  assert.equal(await site(mtp.dossierId), 'montpellier');

  // OpenAPI: every operation under /api/v1/instruction, tagged 'instruction'.
  const doc = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
  const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/instruction/'));
  assert.ok(paths.length >= 14, paths.join(', '));
  for (const p of paths) for (const op of Object.values(doc.paths[p] ?? {})) assert.deepEqual(op.tags, ['instruction']);
});
