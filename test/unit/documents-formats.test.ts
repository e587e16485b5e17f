import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { DocumentInspector } from '../../src/modules/documents/inspect';
import { exifOrientation } from '../../src/modules/documents/jpeg';
import { UploadRefusal, type RefusalReason } from '../../src/modules/documents/refusal';
import { sniffMime } from '../../src/modules/documents/sniff';
import { renderOfficialPdf } from '../../src/shared/pdf/official-pdf';
import { exe, jpeg, pdf, png } from '../helpers/documents-fixtures';

const LIMITS = { maxFileBytes: 10 * 1024 * 1024, remainingDossierBytes: 100 * 1024 * 1024 };

/** Runs bytes through the inspector in chunks of `size` bytes (1 = the worst case for a parser). */
async function inspect(bytes: Buffer, size = 7, limits = LIMITS): Promise<{ out: Buffer; inspector: DocumentInspector }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const inspector = new DocumentInspector(limits);
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks).pipe(inspector).on('data', (d: Buffer) => out.push(d)).on('end', resolve).on('error', reject);
  });
  return { out: Buffer.concat(out), inspector };
}

async function refusal(bytes: Buffer, size = 7, limits = LIMITS): Promise<RefusalReason> {
  try {
    await inspect(bytes, size, limits);
  } catch (err) {
    assert.ok(err instanceof UploadRefusal, `expected an UploadRefusal, got ${String(err)}`);
    return err.reason;
  }
  assert.fail('the file was accepted');
}

test('types are recognised from the bytes, not the name', () => {
  assert.equal(sniffMime(pdf()), 'application/pdf');
  assert.equal(sniffMime(jpeg()), 'image/jpeg');
  assert.equal(sniffMime(png()), 'image/png');
  assert.equal(sniffMime(exe()), null);
  assert.equal(sniffMime(Buffer.from('GIF89a..')), null);
});

test('a valid PDF passes unchanged; encrypted, cut and non-PDF files are refused', async () => {
  for (const size of [1, 7, 65536]) {
    const { out, inspector } = await inspect(pdf(), size);
    assert.deepEqual(out, pdf());
    assert.equal(inspector.mime, 'application/pdf');
  }
  assert.equal(await refusal(pdf({ encrypted: true })), 'encrypted_pdf');
  assert.equal(await refusal(pdf({ encrypted: true }), 1), 'encrypted_pdf');
  const whole = pdf({ filler: 3000 });
  assert.equal(await refusal(whole.subarray(0, whole.length - 200)), 'broken_pdf');
  assert.equal(await refusal(Buffer.from('%PDF-1.4\nnothing else')), 'broken_pdf');
  assert.equal(await refusal(exe()), 'unsupported_type');
  assert.equal(await refusal(Buffer.alloc(0)), 'empty');
  assert.equal(await refusal(Buffer.from('%PD')), 'unsupported_type');
});

test('a PDF must hold the skeleton of one: objects, and a trailer or a cross-reference stream', async () => {
  // Random bytes between a PDF header and a well-formed ending: refused as broken.
  const junk = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)), Buffer.from('\nstartxref\n9\n%%EOF\n')]);
  assert.equal(await refusal(junk), 'broken_pdf');
  assert.equal(await refusal(junk, 1), 'broken_pdf');
  // Objects but neither a trailer nor a cross-reference stream.
  assert.equal(await refusal(Buffer.from(pdf().toString('latin1').replace('trailer', 'tr-iler'), 'latin1')), 'broken_pdf');
  // A PDF 1.5 file with a cross-reference stream instead of a trailer passes, whatever the chunking.
  const body = '%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n';
  const xrefAt = Buffer.byteLength(body);
  const xrefStream = Buffer.from(`${body}3 0 obj\n<< /Type /XRef /Size 4 /W [1 2 1] /Root 1 0 R /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1');
  for (const size of [1, 5, 65536]) assert.deepEqual((await inspect(xrefStream, size)).out, xrefStream);
  // What pdfkit writes (our own attestations, as an applicant might upload one) passes.
  const ours = await renderOfficialPdf({ prefectureName: 'Préfecture', title: 'Attestation', fields: [['Nom', 'Test']], paragraphs: [], qr: { url: 'http://localhost/verifier/X', caption: 'QR', code: 'X' } });
  assert.equal((await inspect(ours, 4096)).inspector.mime, 'application/pdf');
});

test('JPEG: EXIF (GPS), XMP, comments and trailing bytes are removed, orientation kept, image data intact', async () => {
  const original = jpeg({ exif: true, xmp: true, comment: true, trailer: true });
  assert.equal(exifOrientation(original.subarray(original.indexOf('Exif') , original.indexOf('Exif') + 220)), 6);
  for (const size of [1, 5, 4096]) {
    const { out } = await inspect(original, size);
    const text = out.toString('latin1');
    for (const secret of ['GPSMARKER', 'XMP-SECRET', 'COMMENT-SECRET', 'TRAILER-AFTER-EOI', 'xap/1.0']) assert.ok(!text.includes(secret), `${secret} left in`);
    assert.ok(!out.includes(Buffer.from([0x88, 0x25])), 'GPS IFD tag left in');
    // Minimal EXIF holding only the orientation.
    const exifAt = out.indexOf('Exif\0\0');
    assert.ok(exifAt > 0);
    assert.equal(exifOrientation(out.subarray(exifAt, exifAt + 32)), 6);
    assert.ok(text.includes('JFIF') && text.includes('ICC_PROFILE'));
    // Entropy-coded data and EOI unchanged.
    assert.ok(out.subarray(out.length - 11).equals(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a, 0xff, 0xd9])));
    assert.equal(out.subarray(0, 2).toString('hex'), 'ffd8');
  }
  const plain = jpeg();
  assert.deepEqual((await inspect(plain)).out, plain);
});

test('JPEG whose headers do not decode is refused', async () => {
  assert.equal(await refusal(jpeg({ noEoi: true })), 'broken_image');
  assert.equal(await refusal(jpeg({ noFrame: true })), 'broken_image');
  const bad = jpeg();
  bad.writeUInt16BE(1, 4); // APP0 length 1
  assert.equal(await refusal(bad), 'broken_image');
  assert.equal(await refusal(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 0x41)])), 'broken_image');
});

test('PNG: text and EXIF chunks are removed; bad CRC or a missing IEND are refused', async () => {
  const { out } = await inspect(png({ text: true }), 3);
  assert.deepEqual(out, png());
  assert.equal(await refusal(png({ badCrc: true })), 'broken_image');
  assert.equal(await refusal(png({ noEnd: true })), 'broken_image');
});

test('the per-file and per-dossier limits stop the stream', async () => {
  const big = pdf({ filler: 5000 });
  assert.equal(await refusal(big, 1024, { maxFileBytes: 4000, remainingDossierBytes: 1e9 }), 'too_large');
  assert.equal(await refusal(big, 1024, { maxFileBytes: 1e9, remainingDossierBytes: 4000 }), 'dossier_full');
});
