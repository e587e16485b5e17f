import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { documentStorage } from '../../src/modules/documents/document-store';
import { exifOrientation } from '../../src/modules/documents/jpeg';
import { hasFilesForPieces, listDossierDocuments, piecesWithFiles } from '../../src/modules/documents/list-dossier-documents';
import { translator } from '../../src/shared/i18n';
import { text } from '../helpers/accounts-fixtures';
import { build } from '../helpers/build';
import { exe, jpeg, pdf, png } from '../helpers/documents-fixtures';
import { Browser, createDossier, createUser, filesUnder, multipart, seedCatalogue, tempDataDir } from '../helpers/documents-setup';

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function setup(t: Parameters<typeof build>[0]) {
  const dataDir = await tempDataDir(t);
  const built = await build(t, { config: { dataDir } });
  const { app, prefectureId } = built;
  const db = app.deps.db;
  await seedCatalogue(db, prefectureId);
  const alice = await createUser(db, prefectureId, 'applicant');
  const dossierId = await createDossier(db, prefectureId, alice);
  const browser = await new Browser(app, alice.token).start();
  const countRows = async () => Number((await db.selectFrom('documents').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return { ...built, db, dataDir, alice, dossierId, browser, countRows };
}

test('an applicant uploads several files to a pièce; they are stored encrypted, JPEG metadata removed', async (t) => {
  const { app, db, dataDir, dossierId, browser, prefectureId, countRows } = await setup(t);
  const url = `/dossiers/${dossierId}/pieces/test_passeport/documents`;
  const photo = jpeg({ exif: true, xmp: true, comment: true });
  const res = await browser.upload(url, {}, [
    { field: 'fichiers', filename: 'passeport.pdf', content: pdf(), type: 'application/pdf' },
    // Declared as a PDF by the browser: the bytes say JPEG, and JPEG it is (stored, served).
    { field: 'fichiers', filename: 'IMG_2041.JPG', content: photo, type: 'application/pdf' },
    { field: 'fichiers', filename: 'scan.png', content: png({ text: true }), type: 'image/png' },
  ]);
  assert.equal(res.statusCode, 303, res.body);
  assert.equal(res.headers.location, `/dossiers/${dossierId}/pieces/test_passeport`);
  assert.equal(await countRows(), 3);
  const docs = await listDossierDocuments(db, prefectureId, dossierId);
  assert.deepEqual(
    docs.map((d) => [d.pieceCode, d.filename, d.mime, d.scanStatus]),
    [
      ['test_passeport', 'passeport.pdf', 'application/pdf', 'not_scanned'],
      ['test_passeport', 'IMG_2041.jpg', 'image/jpeg', 'not_scanned'],
      ['test_passeport', 'scan.png', 'image/png', 'not_scanned'],
    ],
  );
  assert.equal((await filesUnder(dataDir)).length, 3);
  // Nothing readable on disk.
  for (const f of await filesUnder(dataDir)) {
    const { readFile } = await import('node:fs/promises');
    const raw = await readFile(f);
    assert.equal(raw.indexOf('%PDF'), -1);
    assert.equal(raw.indexOf('JFIF'), -1);
  }
  // The stored JPEG: no EXIF GPS, no XMP, no comment, orientation kept.
  const row = await db.selectFrom('documents').select(['storage_key', 'size']).where('mime', '=', 'image/jpeg').executeTakeFirstOrThrow();
  const stored = await collect(await documentStorage(app.deps.config).get(row.storage_key));
  assert.equal(stored.length, row.size);
  const text = stored.toString('latin1');
  for (const secret of ['GPSMARKER', 'XMP-SECRET', 'COMMENT-SECRET', 'xap/1.0']) assert.ok(!text.includes(secret), `${secret} kept`);
  assert.ok(!stored.includes(Buffer.from([0x88, 0x25])), 'GPS IFD pointer kept');
  const exifAt = stored.indexOf('Exif\0\0');
  assert.equal(exifOrientation(stored.subarray(exifAt, exifAt + 32)), 6);
  assert.ok(photo.toString('latin1').includes('GPSMARKER'));
  // The PNG lost its text chunk.
  const pngRow = await db.selectFrom('documents').select('storage_key').where('mime', '=', 'image/png').executeTakeFirstOrThrow();
  assert.deepEqual(await collect(await documentStorage(app.deps.config).get(pngRow.storage_key)), png());

  assert.equal(await hasFilesForPieces(db, dossierId, ['test_passeport']), true);
  assert.equal(await hasFilesForPieces(db, dossierId, ['test_passeport', 'test_photo']), false);
  assert.deepEqual([...(await piecesWithFiles(db, dossierId, ['test_passeport', 'test_photo']))], ['test_passeport']);

  // The owner downloads: attachment, sniffed type, nosniff, bytes identical.
  const pdfRow = docs[0]!;
  const dl = await browser.get(`/documents/${pdfRow.id}`);
  assert.equal(dl.statusCode, 200);
  assert.equal(dl.headers['content-type'], 'application/pdf');
  assert.equal(dl.headers['x-content-type-options'], 'nosniff');
  assert.match(String(dl.headers['content-disposition']), /^attachment; filename="passeport.pdf"/);
  assert.deepEqual(dl.rawPayload, pdf());
  const photoDl = await browser.get(`/documents/${docs[1]!.id}`);
  assert.equal(photoDl.headers['content-type'], 'image/jpeg', 'the sniffed type, not the declared one');
});

test('refused files: a renamed .exe, a corrupted PDF, an encrypted PDF, an 11 MB file, a wrong format for the pièce — no row, no file', async (t) => {
  const { dataDir, dossierId, browser, countRows } = await setup(t);
  const url = `/dossiers/${dossierId}/pieces/test_passeport/documents`;
  const big = Buffer.concat([pdf().subarray(0, 20), Buffer.alloc(11 * 1024 * 1024, 0x20), Buffer.from('\nstartxref\n9\n%%EOF\n')]);
  const cut = pdf({ filler: 2000 });
  const cases: [string, Buffer, string, string?][] = [
    ['passport.pdf', exe(), 'unsupported_type'],
    ['releve.pdf', cut.subarray(0, cut.length - 300), 'broken_pdf'],
    ['protege.pdf', pdf({ encrypted: true }), 'encrypted_pdf'],
    ['enorme.pdf', big, 'too_large'],
    ['photo.jpg', jpeg({ noEoi: true }), 'broken_image'],
    ['vide.pdf', Buffer.alloc(0), 'empty'],
  ];
  for (const [filename, content, reason] of cases) {
    // A good file first in the same request: it must not survive the refusal either.
    const res = await browser.upload(url, {}, [
      { field: 'fichiers', filename: 'ok.pdf', content: pdf() },
      { field: 'fichiers', filename, content },
    ]);
    assert.equal(res.statusCode, 303, `${filename}: ${res.body}`);
    assert.equal(res.headers.location, `/dossiers/${dossierId}/pieces/test_passeport?erreur=${reason}#fichiers-test_passeport`, filename);
    assert.equal(await countRows(), 0, filename);
    assert.deepEqual(await filesUnder(dataDir), [], filename);
    // The page it leads to says why, in the person's language, on the file field.
    // (?lang= is remembered, so each visit names its language.)
    const back = await browser.get(`${String(res.headers.location).split('#')[0]}&lang=fr`);
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /fr-upload-group--error/);
    const why = translator('fr')(`documents.refused.${reason}`, { max: 10 });
    assert.ok(text(back.body).includes(why), `${reason}: « ${why} » on the page`);
    for (const lang of ['en', 'ar'] as const) {
      const other = await browser.get(`${String(res.headers.location).split('#')[0]}&lang=${lang}`);
      assert.ok(text(other.body).includes(translator(lang)(`documents.refused.${reason}`, { max: 10 })), `${reason} in ${lang}`);
    }
  }
  // A PNG for a JPEG-only pièce.
  const res = await browser.upload(`/dossiers/${dossierId}/pieces/test_photo/documents`, {}, [{ field: 'fichiers', filename: 'p.png', content: png() }]);
  assert.match(String(res.headers.location), /erreur=unsupported_type/);
  // No file chosen: the browser sends an empty part.
  const none = await browser.upload(url, {}, [{ field: 'fichiers', filename: '', content: Buffer.alloc(0) }]);
  assert.match(String(none.headers.location), /erreur=no_file/);
  assert.equal(await countRows(), 0);
  assert.deepEqual(await filesUnder(dataDir), []);
});

test('the API explains a refusal in problem+json, in the asked language', async (t) => {
  const { app, db, prefectureId, dossierId, alice, countRows, dataDir } = await setup(t);
  const api = await createUser(db, prefectureId, 'applicant', 'api');
  await db.updateTable('dossiers').set({ applicant_id: api.id }).where('id', '=', dossierId).execute();
  const body = multipart({}, [{ field: 'fichiers', filename: 'passport.pdf', content: exe() }]);
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/${dossierId}/pieces/test_passeport/documents?lang=en`,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': body.contentType },
    payload: body.payload,
  });
  assert.equal(res.statusCode, 415);
  assert.match(res.json().detail, /not a PDF, JPEG image or PNG image/);
  const enc = multipart({}, [{ field: 'fichiers', filename: 'x.pdf', content: pdf({ encrypted: true }) }]);
  const ar = await app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/${dossierId}/pieces/test_passeport/documents?lang=ar`,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': enc.contentType },
    payload: enc.payload,
  });
  assert.equal(ar.statusCode, 400);
  assert.match(ar.json().detail, /محمي بكلمة مرور/);
  const ok = multipart({}, [{ field: 'fichiers', filename: 'p.pdf', content: pdf() }]);
  const created = await app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/${dossierId}/pieces/test_passeport/documents`,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': ok.contentType },
    payload: ok.payload,
  });
  assert.equal(created.statusCode, 201, created.body);
  const [doc] = created.json().documents;
  assert.equal(doc.mime, 'application/pdf');
  const list = await app.inject({ url: `/api/v1/dossiers/${dossierId}/documents`, headers: { authorization: `Bearer ${api.token}` } });
  assert.equal(list.json().documents.length, 1);
  const content = await app.inject({ url: `/api/v1/documents/${doc.id}/content`, headers: { authorization: `Bearer ${api.token}` } });
  assert.deepEqual(content.rawPayload, pdf());
  const del = await app.inject({ method: 'DELETE', url: `/api/v1/documents/${doc.id}`, headers: { authorization: `Bearer ${api.token}` } });
  assert.equal(del.statusCode, 204);
  assert.equal(await countRows(), 0);
  assert.deepEqual(await filesUnder(dataDir), []);
  assert.ok(alice);
});

test('an upload cut off midway leaves no row and no file', async (t) => {
  const { app, dataDir, dossierId, browser, countRows } = await setup(t);
  const url = `/dossiers/${dossierId}/pieces/test_passeport/documents?_csrf=${encodeURIComponent(browser.csrf)}`;
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const whole = multipart({}, [
    { field: 'fichiers', filename: 'a.pdf', content: pdf() },
    { field: 'fichiers', filename: 'b.pdf', content: pdf({ filler: 300_000 }) },
  ]);
  // 1. The body stops in the middle of the second file (no closing boundary).
  const truncated = await app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': whole.contentType },
    payload: whole.payload.subarray(0, whole.payload.length - 100_000),
  });
  assert.equal(truncated.statusCode, 303);
  assert.match(String(truncated.headers.location), /erreur=interrupted/);
  assert.equal(await countRows(), 0);
  assert.deepEqual(await filesUnder(dataDir), []);
  // 2. The connection fails while the body streams.
  async function* failing() {
    yield whole.payload.subarray(0, 200_000);
    await new Promise((r) => setTimeout(r, 10));
    throw new Error('connection reset by peer');
  }
  const aborted = await app
    .inject({ method: 'POST', url, headers: { cookie, 'content-type': whole.contentType }, payload: Readable.from(failing()) })
    .catch((err: unknown) => err as Error);
  if (aborted instanceof Error) assert.match(aborted.message, /connection reset/);
  else assert.match(String(aborted.headers.location), /erreur=interrupted/);
  // Let the server side finish unwinding, then nothing may remain.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await countRows(), 0);
  assert.deepEqual(await filesUnder(dataDir), []);
});

test('uploads are refused once the dossier is filed, and past the dossier total', async (t) => {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir, uploads: { maxFileBytes: 10 * 1024 * 1024, maxDossierBytes: 2000, clamdUrl: null } } });
  const db = app.deps.db;
  await seedCatalogue(db, prefectureId);
  const alice = await createUser(db, prefectureId, 'applicant');
  const filed = await createDossier(db, prefectureId, alice, 'submitted');
  const draft = await createDossier(db, prefectureId, alice);
  const browser = await new Browser(app, alice.token).start();
  const locked = await browser.upload(`/dossiers/${filed}/pieces/test_passeport/documents`, {}, [{ field: 'fichiers', filename: 'a.pdf', content: pdf() }]);
  assert.match(String(locked.headers.location), /erreur=locked/);
  const first = await browser.upload(`/dossiers/${draft}/pieces/test_passeport/documents`, {}, [{ field: 'fichiers', filename: 'a.pdf', content: pdf() }]);
  assert.equal(first.headers.location, `/dossiers/${draft}/pieces/test_passeport`);
  const full = await browser.upload(`/dossiers/${draft}/pieces/test_passeport/documents`, {}, [{ field: 'fichiers', filename: 'b.pdf', content: pdf({ filler: 1500 }) }]);
  assert.match(String(full.headers.location), /erreur=dossier_full/);
  assert.equal((await filesUnder(dataDir)).length, 1);
});
