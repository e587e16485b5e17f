import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { build } from '../helpers/build';
import { pdf } from '../helpers/documents-fixtures';
import { Browser, createDossier, createUser, filesUnder, seedCatalogue, tempDataDir } from '../helpers/documents-setup';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

test('only the owner and the préfecture staff reach a document; others get 404; deletion only while editable', async (t) => {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir } });
  const db = app.deps.db;
  await seedCatalogue(db, prefectureId);
  const alice = await createUser(db, prefectureId, 'applicant');
  const bob = await createUser(db, prefectureId, 'applicant');
  const dossierId = await createDossier(db, prefectureId, alice);
  const a = await new Browser(app, alice.token).start();
  await a.upload(`/dossiers/${dossierId}/pieces/test_passeport/documents`, {}, [
    { field: 'fichiers', filename: 'un.pdf', content: pdf() },
    { field: 'fichiers', filename: 'deux.pdf', content: pdf() },
  ]);
  const [doc, doc2] = await db.selectFrom('documents').select(['id', 'storage_key']).orderBy('filename', 'desc').execute();
  assert.ok(doc && doc2);

  // Another applicant: 404 on download and delete, and on upload to the dossier.
  const b = await new Browser(app, bob.token).start();
  assert.equal((await b.get(`/documents/${doc.id}`)).statusCode, 404);
  assert.equal((await b.postForm(`/dossiers/${dossierId}/documents/${doc.id}/supprimer`)).statusCode, 404);
  assert.equal((await b.upload(`/dossiers/${dossierId}/pieces/test_passeport/documents`, {}, [{ field: 'fichiers', filename: 'x.pdf', content: pdf() }])).statusCode, 404);
  assert.equal((await b.get(`/documents/not-a-uuid`)).statusCode, 404);
  // Bob's own dossier id with Alice's document: still 404.
  const bobDossier = await createDossier(db, prefectureId, bob);
  assert.equal((await b.postForm(`/dossiers/${bobDossier}/documents/${doc.id}/supprimer`)).statusCode, 404);

  // Another préfecture's staff and applicants: 404 (the session belongs to the other préfecture).
  const gard = await db
    .insertInto('prefectures')
    .values({ code: '30', name: 'Préfecture du Gard', department_name: 'Gard', contact_email: 'etrangers@gard.test', hosts: ['gard.test'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const gardAgent = await createUser(db, gard.id, 'agent', 'api');
  const viaGard = await app.inject({ url: `/api/v1/documents/${doc.id}/content`, headers: { host: 'gard.test', authorization: `Bearer ${gardAgent.token}` } });
  assert.equal(viaGard.statusCode, 404);
  const gardApplicant = await createUser(db, gard.id, 'applicant', 'api');
  const delGard = await app.inject({ method: 'DELETE', url: `/api/v1/documents/${doc.id}`, headers: { host: 'gard.test', authorization: `Bearer ${gardApplicant.token}` } });
  assert.equal(delGard.statusCode, 404);

  // Staff of the préfecture (TOTP-verified) can download; without TOTP they are sent to verify.
  const agent = await createUser(db, prefectureId, 'agent');
  const s = await new Browser(app, agent.token).start();
  const dl = await s.get(`/documents/${doc.id}`);
  assert.equal(dl.statusCode, 200);
  assert.deepEqual(dl.rawPayload, pdf());
  assert.equal(dl.headers['x-content-type-options'], 'nosniff');
  assert.match(String(dl.headers['content-disposition']), /^attachment;/);
  const unverified = await createUser(db, prefectureId, 'agent', 'web', false);
  const u = await new Browser(app, unverified.token).start();
  assert.equal((await u.get(`/documents/${doc.id}`)).statusCode, 303);
  // Staff cannot delete an applicant's file.
  assert.equal((await s.postForm(`/dossiers/${dossierId}/documents/${doc.id}/supprimer`)).statusCode, 404);

  // The owner deletes while the dossier is a draft; the file goes too.
  const del = await a.postForm(`/dossiers/${dossierId}/documents/${doc.id}/supprimer`);
  assert.equal(del.statusCode, 303);
  assert.equal(del.headers.location, `/dossiers/${dossierId}/pieces/test_passeport`);
  assert.equal((await filesUnder(dataDir)).length, 1);
  assert.equal((await a.get(`/documents/${doc.id}`)).statusCode, 404);
  // Once filed, deletion is refused.
  await db.updateTable('dossiers').set({ state: 'submitted', number: '34-2026-000001', submitted_at: new Date() }).where('id', '=', dossierId).execute();
  assert.equal((await a.postForm(`/dossiers/${dossierId}/documents/${doc2.id}/supprimer`)).statusCode, 409);
  assert.equal((await filesUnder(dataDir)).length, 1);
  // Without the CSRF token nothing is uploaded.
  await db.updateTable('dossiers').set({ state: 'pieces_requested' }).where('id', '=', dossierId).execute();
  const noCsrf = await a.upload(`/dossiers/${dossierId}/pieces/test_passeport/documents`, {}, [{ field: 'fichiers', filename: 'x.pdf', content: pdf() }], { csrf: false });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal((await filesUnder(dataDir)).length, 1);
});

test('with clamd: files wait for the scan, an infected file is never served and its bytes are deleted', async (t) => {
  const scanned: number[] = [];
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.subarray(buf.length - 4).equals(Buffer.alloc(4))) {
        scanned.push(buf.length);
        socket.end(buf.includes(Buffer.from('EICAR-STANDARD')) ? 'stream: Eicar-Signature FOUND\0' : 'stream: OK\0');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, {
    config: { dataDir, uploads: { maxFileBytes: 10 * 1024 * 1024, maxDossierBytes: 100 * 1024 * 1024, clamdUrl: `tcp://127.0.0.1:${port}` } },
  });
  const db = app.deps.db;
  await seedCatalogue(db, prefectureId);
  const alice = await createUser(db, prefectureId, 'applicant');
  const dossierId = await createDossier(db, prefectureId, alice);
  const a = await new Browser(app, alice.token).start();
  const infected = Buffer.from(pdf().toString('latin1').replace('(Passeport)', `(${EICAR})`), 'latin1');
  const res = await a.upload(`/dossiers/${dossierId}/pieces/test_passeport/documents`, {}, [
    { field: 'fichiers', filename: 'sain.pdf', content: pdf() },
    { field: 'fichiers', filename: 'virus.pdf', content: infected },
  ]);
  assert.equal(res.statusCode, 303);
  const rows = () => db.selectFrom('documents').select(['id', 'filename', 'scan_status', 'scan_signature']).orderBy('filename').execute();
  const before = await rows();
  assert.deepEqual(before.map((r) => r.scan_status), ['pending', 'pending']);
  assert.equal((await a.get(`/documents/${before[0]!.id}`)).statusCode, 409);
  await app.deps.jobs.drain();
  assert.equal(scanned.length, 2);
  const after = await rows();
  assert.deepEqual(after.map((r) => [r.filename, r.scan_status, r.scan_signature]), [
    ['sain.pdf', 'clean', null],
    ['virus.pdf', 'infected', 'Eicar-Signature'],
  ]);
  assert.equal((await a.get(`/documents/${after[0]!.id}`)).statusCode, 200);
  const blocked = await a.get(`/documents/${after[1]!.id}`);
  assert.equal(blocked.statusCode, 410);
  assert.ok(!blocked.body.includes('EICAR'));
  assert.match(blocked.body, /contenait un virus/);
  assert.equal((await filesUnder(dataDir)).length, 1);
});
