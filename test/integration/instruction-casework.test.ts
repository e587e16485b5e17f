// The casework on one dossier, through the real pages: the staff page shows identity, pièces
// with inline previews, history from the audit log, messages and private notes; take, review,
// request for pièces (with the applicant's resubmission returning the dossier to its agent),
// completion, decisions and the card; every action audited with the states before and after.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../helpers/build';
import { jpeg, pdf } from '../helpers/documents-fixtures';
import { tempDataDir } from '../helpers/documents-setup';
import { text } from '../helpers/accounts-fixtures';
import { createStaff, dossierRow, fileDossier, seedInstructionCatalogue } from '../helpers/instruction-fixtures';
import { verifyAuditChain } from '../../src/modules/audit/verify-audit-chain';

async function setup(t: { after(fn: () => unknown): void }) {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir } });
  await seedInstructionCatalogue(app.deps.db, prefectureId);
  return { app, prefectureId, db: app.deps.db };
}

test('staff page: identity, pièces with previews, history from the audit log, messages, private notes hidden from the applicant', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const { dossierId, applicant, number } = await fileDossier(app, prefectureId);
  const agent = await createStaff(app, prefectureId, 'agent');

  const page = await agent.web.get(`/agent/dossiers/${dossierId}`);
  assert.equal(page.statusCode, 200, page.body.slice(0, 400));
  const body = text(page.body);
  assert.match(body, new RegExp(number));
  assert.match(body, /BENALI/);
  assert.match(body, /Oujda, Maroc/);
  assert.match(body, /3412345678|Numéro étranger/);
  // Each pièce with its file and an inline preview from the staff route.
  const docs = await db.selectFrom('documents').select(['id', 'mime']).where('dossier_id', '=', dossierId).execute();
  assert.equal(docs.length, 2);
  for (const d of docs) {
    const url = `/agent/dossiers/${dossierId}/documents/${d.id}`;
    if (d.mime === 'image/jpeg') assert.match(page.body, new RegExp(`<img class="app-preview" src="${url}"`));
    else assert.match(page.body, new RegExp(`<object class="app-preview app-preview--pdf" data="${url}" type="application/pdf"`));
    const file = await agent.web.get(url);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], d.mime);
    assert.match(String(file.headers['content-disposition']), /^inline;/);
    assert.match(String(file.headers['content-security-policy']), /frame-ancestors 'self'/);
    assert.deepEqual(file.rawPayload, d.mime === 'image/jpeg' ? jpeg() : pdf());
  }
  // The page's own CSP still forbids inline script and lets <object>/<img> load our origin.
  assert.match(String(page.headers['content-security-policy']), /object-src 'self'/);
  // History from the audit log: the filing is there with its states.
  assert.match(page.body, /data-action="dossier.submit"/);
  assert.match(body, /dépôt du dossier/);

  // Messages: the staff side writes in the thread (documents module) and sees it on the page.
  const sent = await agent.web.upload(`/dossiers/${dossierId}/messages`, { message: 'Merci de vérifier votre adresse.' }, []);
  assert.equal(sent.statusCode, 303);
  assert.equal(sent.headers.location, `/agent/dossiers/${dossierId}#messages`);
  // Private note: on the staff page, never on the applicant's pages or API.
  assert.equal((await agent.web.postForm(`/agent/dossiers/${dossierId}/notes`, { note: 'Note interne confidentielle 42' })).statusCode, 303);
  const after = await agent.web.get(`/agent/dossiers/${dossierId}`);
  assert.match(after.body, /Merci de vérifier votre adresse\./);
  assert.match(after.body, /Note interne confidentielle 42/);
  const empty = await agent.web.postForm(`/agent/dossiers/${dossierId}/notes`, { note: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Saisissez le texte de la note/);
  for (const url of [`/dossiers/${dossierId}`, `/dossiers/${dossierId}/messages`]) {
    const res = await applicant.web.get(url);
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /confidentielle 42/);
  }
  const api = await app.inject({ url: `/api/v1/dossiers/${dossierId}`, headers: applicant.bearer });
  assert.equal(api.statusCode, 200);
  assert.doesNotMatch(api.body, /confidentielle 42/);
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('journey: take → reject a pièce → request → applicant resubmits (back to its agent) → complete → favourable → card ready → handed over', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const { dossierId, applicant } = await fileDossier(app, prefectureId);
  const agent = await createStaff(app, prefectureId, 'agent');
  const other = await createStaff(app, prefectureId, 'agent');
  const supervisor = await createStaff(app, prefectureId, 'supervisor');
  const url = `/agent/dossiers/${dossierId}`;
  await agent.web.get(url);

  // Take: assigned, review started; the other agent cannot take it nor act on it.
  assert.equal((await agent.web.postForm(`${url}/prendre`)).statusCode, 303);
  let d = await dossierRow(db, dossierId);
  assert.equal(d.assigned_to, agent.id);
  assert.equal(d.state, 'under_review');
  await other.web.get(url);
  assert.equal((await other.web.postForm(`${url}/prendre`)).statusCode, 409);
  assert.equal((await other.web.postForm(`${url}/pieces/test_photo/revue`, { decision: 'accepted' })).statusCode, 403);

  // Review: 'other' needs a text (400, re-rendered, nothing saved); then reject the photo, accept the passport.
  const bad = await agent.web.postForm(`${url}/pieces/test_photo/revue`, { decision: 'rejected', reason: 'other', reason_text: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Précisez le motif/);
  assert.equal((await db.selectFrom('dossier_piece_reviews').selectAll().execute()).length, 0);
  assert.equal((await agent.web.postForm(`${url}/pieces/test_photo/revue`, { decision: 'rejected', reason: 'illegible' })).statusCode, 303);
  assert.equal((await agent.web.postForm(`${url}/pieces/test_passeport/revue`, { decision: 'accepted' })).statusCode, 303);
  // Not complete while a pièce is rejected.
  assert.equal((await agent.web.postForm(`${url}/complet`)).statusCode, 409);

  // Request for pièces: the rejected photo is preselected, the deadline defaults to one month.
  const page = await agent.web.get(url);
  assert.match(page.body, /id="demande-test_photo" name="pieces" value="test_photo" checked/);
  assert.doesNotMatch(page.body, /id="demande-test_passeport" name="pieces" value="test_passeport" checked/);
  const deadline = /name="deadline" type="date" value="(\d{4}-\d{2}-\d{2})"/.exec(page.body)?.[1];
  assert.ok(deadline);
  const inAMonth = new Date();
  inAMonth.setMonth(inAMonth.getMonth() + 1);
  assert.ok(Math.abs(Date.parse(deadline) - inAMonth.getTime()) < 2 * 86_400_000, deadline);
  const past = await agent.web.postForm(`${url}/demande-de-pieces`, { pieces: 'test_photo', deadline: '2020-01-01' });
  assert.equal(past.statusCode, 400);
  assert.equal((await dossierRow(db, dossierId)).state, 'under_review');
  const mailsBefore = (await db.selectFrom('mails').select('id').where('to_address', '=', applicant.email).execute()).length;
  assert.equal((await agent.web.postForm(`${url}/demande-de-pieces`, { pieces: 'test_photo', deadline })).statusCode, 303);
  d = await dossierRow(db, dossierId);
  assert.equal(d.state, 'pieces_requested');
  assert.deepEqual(d.requested_pieces, ['test_photo']);
  assert.equal(d.pieces_deadline, deadline);
  const mails = await db.selectFrom('mails').selectAll().where('to_address', '=', applicant.email).orderBy('created_at').execute();
  assert.equal(mails.length, mailsBefore + 1);
  const mail = mails.at(-1);
  assert.ok(mail);
  assert.match(mail.text_body, new RegExp(`/dossiers/${dossierId}`));
  assert.doesNotMatch(mail.text_body, /BENALI|Amina|test_photo/);

  // The applicant re-uploads the rejected pièce and resubmits: back to the same agent.
  const up = await applicant.web.upload(`/dossiers/${dossierId}/pieces/test_photo/documents`, {}, [{ field: 'fichiers', filename: 'photo2.jpg', content: jpeg(), type: 'image/jpeg' }]);
  assert.equal(up.statusCode, 303);
  assert.doesNotMatch(String(up.headers.location), /erreur/);
  await applicant.web.get(`/dossiers/${dossierId}`);
  assert.equal((await applicant.web.postForm(`/dossiers/${dossierId}/renvoyer`)).statusCode, 303);
  d = await dossierRow(db, dossierId);
  assert.equal(d.state, 'resubmitted');
  assert.equal(d.assigned_to, agent.id);
  // The new file shows as "to review".
  const back = await agent.web.get(url);
  assert.match(back.body, /data-piece="test_photo" data-status="to_review"/);
  assert.equal((await agent.web.postForm(`${url}/pieces/test_photo/revue`, { decision: 'accepted' })).statusCode, 303);
  assert.equal((await agent.web.postForm(`${url}/complet`)).statusCode, 303);
  d = await dossierRow(db, dossierId);
  assert.equal(d.state, 'under_review');
  // A first request earns no prolongation attestation.
  assert.equal((await db.selectFrom('attestations').select('id').where('dossier_id', '=', dossierId).where('kind', '=', 'prolongation').execute()).length, 0);

  // An agent may not decide (lifecycle rule): refused, nothing changes.
  assert.equal((await agent.web.postForm(`${url}/decision-favorable`)).statusCode, 403);
  assert.equal((await dossierRow(db, dossierId)).state, 'under_review');
  // The supervisor decides: attestation de décision favorable, card production ordered.
  await supervisor.web.get(url);
  assert.equal((await supervisor.web.postForm(`${url}/decision-favorable`)).statusCode, 303);
  d = await dossierRow(db, dossierId);
  assert.equal(d.state, 'card_in_production');
  assert.ok(d.decided_at);
  const decision = await db.selectFrom('attestations').selectAll().where('dossier_id', '=', dossierId).where('kind', '=', 'decision_favorable').executeTakeFirstOrThrow();
  const pdfRes = await supervisor.web.get(`${url}/attestations/${decision.id}`);
  assert.equal(pdfRes.statusCode, 200);
  assert.equal(pdfRes.headers['content-type'], 'application/pdf');
  assert.equal(pdfRes.rawPayload.subarray(0, 5).toString(), '%PDF-');
  // The applicant downloads it too, and sees the fiscal stamp to buy (amount from the catalogue).
  assert.equal((await applicant.web.get(`/dossiers/${dossierId}/attestations/${decision.id}`)).statusCode, 200);
  const status = await applicant.web.get(`/dossiers/${dossierId}`);
  assert.match(text(status.body), /225,00\s€/);

  // Card ready → the applicant is invited to book the hand-over; hand-over closes the dossier.
  assert.equal((await agent.web.postForm(`${url}/titre-pret`)).statusCode, 303);
  assert.equal((await dossierRow(db, dossierId)).state, 'card_ready');
  const invite = await db.selectFrom('mails').selectAll().where('to_address', '=', applicant.email).where('subject', 'like', '%prêt%').executeTakeFirstOrThrow();
  assert.match(invite.text_body, /\/rendez-vous\/demande/);
  assert.equal((await agent.web.postForm(`${url}/remise`)).statusCode, 303);
  assert.equal((await dossierRow(db, dossierId)).state, 'handed_over');
  const revoked = await db.selectFrom('attestations').select('revoked_at').where('id', '=', decision.id).executeTakeFirstOrThrow();
  assert.ok(revoked.revoked_at, 'the card replaces the attestation de décision favorable');

  // Every action audited with who and the states before and after.
  const audit = await db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'dossier').where('entity_id', '=', dossierId).orderBy('seq').execute();
  const actions = audit.map((a) => `${a.action}:${a.state_before}>${a.state_after}`);
  for (const expected of [
    'dossier.submit:draft>submitted',
    'instruction.take:submitted>submitted',
    'dossier.start_review:submitted>under_review',
    'instruction.piece_rejected:under_review>under_review',
    'instruction.piece_accepted:under_review>under_review',
    'dossier.request_pieces:under_review>pieces_requested',
    'documents.files_added:pieces_requested>pieces_requested',
    'dossier.resubmit:pieces_requested>resubmitted',
    'dossier.start_review:resubmitted>under_review',
    'instruction.complete:under_review>under_review',
    'dossier.decide_favourable:under_review>decided_favourable',
    'dossier.start_card_production:decided_favourable>card_in_production',
    'dossier.mark_card_ready:card_in_production>card_ready',
    'dossier.hand_over:card_ready>handed_over',
  ]) {
    assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
  }
  assert.ok(audit.filter((a) => a.action.startsWith('instruction.')).every((a) => a.actor_id && ['agent', 'supervisor'].includes(a.actor_role)));
  // The applicant's answer is audited as theirs, naming the pièce; the files of the draft are not (the applicant's preparation).
  const added = audit.filter((a) => a.action === 'documents.files_added');
  assert.equal(added.length, 1);
  assert.equal(added[0]?.actor_id, applicant.id);
  assert.equal((added[0]?.details as { pieceCode: string }).pieceCode, 'test_photo');
  assert.match((await agent.web.get(url)).body, /<tr data-action="documents.files_added">/);
  assert.equal((await verifyAuditChain(db)).ok, true);
});
