import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countUnread } from '../../src/modules/documents/messages';
import { build } from '../helpers/build';
import { exe, pdf } from '../helpers/documents-fixtures';
import { Browser, createDossier, createUser, filesUnder, multipart, seedCatalogue, tempDataDir } from '../helpers/documents-setup';

test('a thread between applicant and préfecture: unread counts, an e-mail without the content, attachments', async (t) => {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir } });
  const db = app.deps.db;
  await seedCatalogue(db, prefectureId);
  const alice = await createUser(db, prefectureId, 'applicant');
  const bob = await createUser(db, prefectureId, 'applicant');
  const dossierId = await createDossier(db, prefectureId, alice, 'submitted');
  const other = await createDossier(db, prefectureId, bob);
  const a = await new Browser(app, alice.token).start();

  const page = await a.get(`/dossiers/${dossierId}/messages`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Aucun message/);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  assert.doesNotMatch(page.body, /capture/);

  // The applicant writes, with an attachment (allowed in any state).
  const sent = await a.upload(`/dossiers/${dossierId}/messages`, { message: 'Bonjour,\nvoici mon justificatif.' }, [
    { field: 'pieces_jointes', filename: 'justificatif.pdf', content: pdf() },
  ]);
  assert.equal(sent.statusCode, 303, sent.body);
  assert.equal(sent.headers.location, `/dossiers/${dossierId}/messages`);
  assert.equal(await countUnread(db, prefectureId, { dossierId }, 'staff'), 1);
  assert.equal(await countUnread(db, prefectureId, {}, 'staff'), 1);
  assert.equal(await countUnread(db, prefectureId, { dossierId }, 'applicant'), 0);
  assert.equal((await filesUnder(dataDir)).length, 1);
  assert.equal(await db.selectFrom('mails').select('id').executeTakeFirst(), undefined, 'no mail for a message to staff');

  // Staff reply through the API; reading the thread marks the applicant's message read.
  const agent = await createUser(db, prefectureId, 'agent', 'api');
  const auth = { authorization: `Bearer ${agent.token}` };
  const thread = await app.inject({ url: `/api/v1/dossiers/${dossierId}/messages`, headers: auth });
  assert.equal(thread.statusCode, 200);
  assert.equal(thread.json().messages[0].attachments[0].filename, 'justificatif.pdf');
  assert.equal(await countUnread(db, prefectureId, { dossierId }, 'staff'), 0);
  const secret = 'Votre titre est prêt, code 4821';
  const reply = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/messages`, headers: auth, payload: { message: secret } });
  assert.equal(reply.statusCode, 201, reply.body);
  assert.equal(await countUnread(db, prefectureId, { applicantId: alice.id }, 'applicant'), 1);
  assert.equal(await countUnread(db, prefectureId, { applicantId: bob.id }, 'applicant'), 0);
  const mails = await db.selectFrom('mails').select(['to_address', 'subject', 'text_body', 'html_body']).execute();
  assert.equal(mails.length, 1);
  assert.equal(mails[0]!.to_address, alice.email);
  assert.ok(!mails[0]!.text_body.includes(secret) && !mails[0]!.html_body.includes(secret) && !mails[0]!.subject.includes(secret));
  assert.match(mails[0]!.text_body, new RegExp(`/dossiers/${dossierId}/messages`));

  // The applicant reads: the reply is shown, then counted as read.
  const again = await a.get(`/dossiers/${dossierId}/messages`);
  assert.match(again.body, /Votre titre est prêt/);
  assert.match(again.body, /La préfecture/);
  assert.equal(await countUnread(db, prefectureId, { dossierId }, 'applicant'), 0);

  // Both messages are in the dossier's audit log (and so in the staff history): who, which message,
  // how many attachments; never the text.
  const audited = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', dossierId).where('action', '=', 'documents.message_sent').orderBy('seq').execute();
  assert.deepEqual(
    audited.map((r) => [r.actor_id, r.actor_role, r.state_before, r.state_after, (r.details as { attachmentIds: string[] }).attachmentIds.length]),
    [
      [alice.id, 'applicant', 'submitted', 'submitted', 1],
      [agent.id, 'agent', 'submitted', 'submitted', 0],
    ],
  );
  for (const r of audited) assert.ok(!JSON.stringify(r.details).includes('justificatif') && !JSON.stringify(r.details).includes('4821'));

  // Another applicant's thread: 404 to read and to write.
  assert.equal((await a.get(`/dossiers/${other}/messages`)).statusCode, 404);
  assert.equal((await a.upload(`/dossiers/${other}/messages`, { message: 'x' }, [])).statusCode, 404);
  assert.equal(await db.selectFrom('dossier_messages').select('id').where('dossier_id', '=', other).executeTakeFirst(), undefined);
});

test('an empty or too long message, or a refused attachment, re-renders the form with the reason and keeps nothing', async (t) => {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir } });
  const db = app.deps.db;
  await seedCatalogue(db, prefectureId);
  const alice = await createUser(db, prefectureId, 'applicant');
  const dossierId = await createDossier(db, prefectureId, alice);
  const a = await new Browser(app, alice.token).start();
  const empty = await a.upload(`/dossiers/${dossierId}/messages`, { message: '   ' }, [{ field: 'pieces_jointes', filename: 'a.pdf', content: pdf() }]);
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Écrivez votre message/);
  const long = await a.upload(`/dossiers/${dossierId}/messages`, { message: 'é'.repeat(5001) }, []);
  assert.equal(long.statusCode, 400);
  assert.match(long.body, /dépasse 5 000 caractères/);
  const bad = await a.upload(`/dossiers/${dossierId}/messages`, { message: 'Mon passeport' }, [{ field: 'pieces_jointes', filename: 'passport.pdf', content: exe() }]);
  assert.equal(bad.statusCode, 415);
  assert.match(bad.body, /Mon passeport/);
  assert.match(bad.body, /pas un PDF, une image JPEG ou une image PNG/);
  assert.equal(await db.selectFrom('dossier_messages').select('id').executeTakeFirst(), undefined);
  assert.equal(await db.selectFrom('documents').select('id').executeTakeFirst(), undefined);
  assert.deepEqual(await filesUnder(dataDir), []);
  const ok = multipart({ message: 'ok' }, []);
  assert.ok(ok.payload.length > 0);
});
