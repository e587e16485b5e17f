// The official PDF renderer: a real PDF (A4, DejaVu Sans embedded, a QR image). With poppler's
// pdftotext on the machine (.ci/run installs poppler-utils), the text is extracted and must
// hold the holder's accented and Arabic names and the code; without it that part is skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { DEJAVU_DIR, qrPngDataUrl, renderOfficialPdf, visualOrder, type OfficialPdf } from '../../src/shared/pdf/official-pdf';

const spec: OfficialPdf = {
  prefectureName: "Préfecture de l'Hérault",
  title: 'Attestation de dépôt',
  subtitle: 'Demande de titre de séjour',
  fields: [
    ['Nom', 'NGUYỄN Zoë-Élodie'],
    ['Nom (écriture d’origine)', 'محمد علي'],
    ['Numéro de dossier', '34-2026-000123'],
  ],
  paragraphs: ["Cette attestation ne justifie pas de la régularité du séjour et n'autorise pas à travailler."],
  qr: { url: 'http://localhost:3000/verifier/7MY0-CXVD-HDG2-AH94-PCJ5', caption: 'Vérifiez ce document :', code: '7MY0-CXVD-HDG2-AH94-PCJ5' },
  footer: 'Séjour — Préfecture de l’Hérault',
};

/** The PDF's streams, inflated, joined: enough to find objects and image dictionaries. */
function pdfText(buf: Buffer): string {
  const raw = buf.toString('latin1');
  let out = raw;
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      out += inflateSync(buf.subarray(start, end)).toString('latin1');
    } catch {
      /* not deflated */
    }
  }
  return out;
}

test('renders an A4 PDF with DejaVu Sans embedded and the QR code as an image', async () => {
  const pdf = await renderOfficialPdf(spec);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdf.subarray(-6).toString(), /%%EOF/);
  const text = pdfText(pdf);
  assert.match(text, /\/MediaBox \[0 0 595\.28 841\.89\]/);
  if (existsSync(`${DEJAVU_DIR}/DejaVuSans.ttf`)) assert.match(text, /\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
  assert.match(text, /\/Subtype \/Image/);
});

test('the text holds the names (accents, Arabic) and the verification code (pdftotext)', async (t) => {
  const probe = spawnSync('pdftotext', ['-v']);
  if (probe.error) return t.skip('pdftotext (poppler-utils) not installed');
  const dir = mkdtempSync(join(tmpdir(), 'sejour-pdf-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.pdf'), await renderOfficialPdf(spec));
  const res = spawnSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const out = res.stdout.normalize('NFC');
  assert.match(out, /RÉPUBLIQUE/);
  assert.match(out, /Préfecture de l'Hérault/);
  assert.match(out, /NGUYỄN Zoë-Élodie/);
  assert.match(out, /7MY0-CXVD-HDG2-AH94-PCJ5/);
  assert.match(out, /34-2026-000123/);
  // The Arabic letters are there (pdftotext gives them in its own order).
  for (const word of ['محمد', 'علي']) assert.ok(out.includes(word) || out.includes([...word].reverse().join('')), `${word} in ${out}`);
});

test('without the DejaVu file, Helvetica is used and a PDF is still produced', async () => {
  const pdf = await renderOfficialPdf({ ...spec, fields: [['Nom', 'Zoë Dupont']], fonts: { regular: '/nonexistent/a.ttf', bold: '/nonexistent/b.ttf' } });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdfText(pdf), /\/BaseFont \/Helvetica/);
});

test('right-to-left names are put in visual order; Latin and mixed text untouched', () => {
  assert.equal(visualOrder('محمد علي'), 'علي\u00a0محمد');
  assert.equal(visualOrder('Zoë Dupont'), 'Zoë Dupont');
  assert.equal(visualOrder('Ali محمد'), 'Ali محمد');
});

test('qrPngDataUrl gives a PNG data URL for pages', async () => {
  const url = await qrPngDataUrl('http://localhost/verifier/X');
  assert.match(url, /^data:image\/png;base64,/);
  assert.equal(Buffer.from(url.split(',')[1] ?? '', 'base64').subarray(1, 4).toString(), 'PNG');
});
