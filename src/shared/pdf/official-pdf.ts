// Official-looking A4 documents (attestations, receipts): "RÉPUBLIQUE FRANÇAISE" and the
// préfecture as header, a title, a key/value table, paragraphs, and a QR code leading to the
// verification page with the code printed under it. Text is set in DejaVu Sans (Debian
// package fonts-dejavu-core), embedded and subset, so accented names and non-Latin scripts
// (Arabic, Cyrillic, Greek…) print; without that file the standard Helvetica is used (Latin-1
// only) and a warning is given once.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

export const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';
const REGULAR = `${DEJAVU_DIR}/DejaVuSans.ttf`;
const BOLD = `${DEJAVU_DIR}/DejaVuSans-Bold.ttf`;

export interface OfficialPdf {
  prefectureName: string;
  title: string;
  subtitle?: string;
  /** Key/value table: [label, value]. */
  fields: [string, string][];
  paragraphs: string[];
  qr?: { url: string; caption: string; /** Printed under the QR code, e.g. the verification code. */ code?: string };
  footer?: string;
  /** Document metadata. */
  author?: string;
  /** For tests: fonts to use instead of DejaVu Sans (a missing file means Helvetica). */
  fonts?: { regular: string; bold: string };
}

/** QR code as a PNG buffer (error correction M, a quiet zone of 2 modules). */
export async function qrPng(url: string, width = 300): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width });
}

/** QR code as a data: URL for an <img> on a page (CSP allows img-src data: if set so; else link the PNG). */
export async function qrPngDataUrl(url: string, width = 240): Promise<string> {
  return QRCode.toDataURL(url, { type: 'image/png', errorCorrectionLevel: 'M', margin: 2, width });
}

let warned = false;

/** pdfkit shapes right-to-left words (Arabic, Hebrew…) but lays words out left to right. For a
 *  short text made only of right-to-left words (a name, a label), put the words in visual order,
 *  joined by no-break spaces so they stay one run. Mixed or long texts are left as they are. */
export function visualOrder(text: string): string {
  const rtl = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
  const ltr = /[A-Za-z\u00c0-\u024f\u0370-\u052f]/;
  if (text.length > 80 || !rtl.test(text) || ltr.test(text)) return text;
  return text.trim().split(/\s+/).reverse().join('\u00a0');
}

export async function renderOfficialPdf(spec: OfficialPdf): Promise<Buffer> {
  const fonts = spec.fonts ?? { regular: REGULAR, bold: BOLD };
  const unicode = existsSync(fonts.regular) && existsSync(fonts.bold);
  if (!unicode && !warned) {
    warned = true;
    process.emitWarning(`PDF font ${fonts.regular} not found: falling back to Helvetica (install fonts-dejavu-core for non-Latin names)`);
  }
  const qr = spec.qr ? await qrPng(spec.qr.url) : null;

  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    info: { Title: spec.title, Author: spec.author ?? spec.prefectureName, Creator: 'Séjour', Producer: 'Séjour' },
    lang: 'fr-FR',
    displayTitle: true,
    autoFirstPage: true,
    bufferPages: true,
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  if (unicode) {
    doc.registerFont('body', fonts.regular);
    doc.registerFont('bold', fonts.bold);
  } else {
    doc.registerFont('body', 'Helvetica');
    doc.registerFont('bold', 'Helvetica-Bold');
  }
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const text = (s: string) => (unicode ? visualOrder(s) : s);

  // Header: the République block and the issuing préfecture.
  doc.font('bold').fontSize(13).fillColor('#000091').text('RÉPUBLIQUE', left, doc.page.margins.top);
  doc.text('FRANÇAISE');
  doc.font('body').fontSize(8).fillColor('#000000').text('Liberté · Égalité · Fraternité');
  doc.moveDown(0.6);
  doc.font('bold').fontSize(11).text(text(spec.prefectureName));
  const ruleY = doc.y + 8;
  doc.moveTo(left, ruleY).lineTo(left + width, ruleY).lineWidth(1).strokeColor('#000091').stroke();
  doc.y = ruleY + 18;

  // Title
  doc.font('bold').fontSize(18).fillColor('#000000').text(text(spec.title), left, doc.y, { width, align: 'left' });
  if (spec.subtitle) doc.font('body').fontSize(11).fillColor('#3a3a3a').text(text(spec.subtitle), { width });
  doc.moveDown(1);

  // Key/value table
  const labelW = Math.round(width * 0.38);
  const valueW = width - labelW;
  const pad = 6;
  doc.fontSize(10).fillColor('#000000').strokeColor('#929292').lineWidth(0.5);
  for (const [label, value] of spec.fields) {
    const h =
      Math.max(
        doc.font('bold').heightOfString(text(label), { width: labelW - 2 * pad }),
        doc.font('body').heightOfString(text(value || '—'), { width: valueW - 2 * pad }),
      ) +
      2 * pad;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    doc.rect(left, y, labelW, h).fillAndStroke('#f6f6f6', '#929292');
    doc.rect(left + labelW, y, valueW, h).stroke();
    doc.fillColor('#000000').font('bold').text(text(label), left + pad, y + pad, { width: labelW - 2 * pad });
    doc.font('body').text(text(value || '—'), left + labelW + pad, y + pad, { width: valueW - 2 * pad });
    doc.x = left;
    doc.y = y + h;
  }
  doc.moveDown(1.2);

  // Paragraphs
  doc.font('body').fontSize(10.5).fillColor('#000000');
  for (const p of spec.paragraphs) {
    doc.text(text(p), left, doc.y, { width, align: 'justify', paragraphGap: 6 });
  }

  // QR code with its caption and code.
  if (qr && spec.qr) {
    const size = 110;
    const needed = size + 60;
    if (doc.y + 24 + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y + 24;
    doc.image(qr, left, y, { width: size, height: size });
    const tx = left + size + 16;
    const tw = width - size - 16;
    doc.font('body').fontSize(10).text(text(spec.qr.caption), tx, y + 8, { width: tw });
    if (spec.qr.code) doc.moveDown(0.4).font('bold').fontSize(13).text(spec.qr.code, tx, doc.y, { width: tw, characterSpacing: 0.5 });
    doc.moveDown(0.3).font('body').fontSize(8).fillColor('#3a3a3a').text(spec.qr.url, tx, doc.y, { width: tw, link: spec.qr.url });
    doc.x = left;
    doc.y = Math.max(doc.y, y + size) + 8;
  }

  // Footer on every page.
  if (spec.footer) {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font('body').fontSize(8).fillColor('#666666').text(text(spec.footer), left, doc.page.height - bottom + 16, { width, align: 'center', lineBreak: true });
      doc.page.margins.bottom = bottom;
    }
  }

  doc.end();
  return done;
}
