// Files built byte by byte for the documents tests: PDFs (plain, encrypted, cut), JPEGs with
// EXIF GPS / XMP / comments, PNGs with text chunks, and a Windows executable.
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/modules/documents/png';

export function pdf(opts: { encrypted?: boolean; filler?: number } = {}): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ];
  const content = `BT /F1 12 Tf 72 720 Td (Passeport) Tj ET\n${'%'.repeat(opts.filler ?? 0)}`;
  objects.push(`<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`);
  if (opts.encrypted) objects.push('<< /Filter /Standard /V 2 /R 3 /Length 128 /P -1028 /O <00> /U <00> >>');
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${opts.encrypted ? ' /Encrypt 5 0 R /ID [<01><01>]' : ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** EXIF (big-endian TIFF) with Orientation and a GPS IFD holding a latitude reference and latitude. */
export function exifWithGps(orientation = 6): Buffer {
  const t = Buffer.alloc(200);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(8, 4);
  // IFD0 at 8: 2 entries
  t.writeUInt16BE(2, 8);
  t.writeUInt16BE(0x0112, 10);
  t.writeUInt16BE(3, 12);
  t.writeUInt32BE(1, 14);
  t.writeUInt16BE(orientation, 18);
  t.writeUInt16BE(0x8825, 22); // GPSInfo IFD pointer
  t.writeUInt16BE(4, 24);
  t.writeUInt32BE(1, 26);
  t.writeUInt32BE(38, 30);
  t.writeUInt32BE(0, 34);
  // GPS IFD at 38: 2 entries
  t.writeUInt16BE(2, 38);
  t.writeUInt16BE(0x0001, 40); // GPSLatitudeRef
  t.writeUInt16BE(2, 42);
  t.writeUInt32BE(2, 44);
  t.write('N\0', 48, 'latin1');
  t.writeUInt16BE(0x0002, 52); // GPSLatitude, 3 rationals at 70
  t.writeUInt16BE(5, 54);
  t.writeUInt32BE(3, 56);
  t.writeUInt32BE(70, 60);
  t.writeUInt32BE(0, 64);
  [43, 1, 36, 1, 1234, 100].forEach((v, i) => t.writeUInt32BE(v, 70 + i * 4));
  t.write('GPSMARKER-43.6108N', 100, 'latin1');
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
}

export function jpeg(opts: { exif?: boolean; xmp?: boolean; comment?: boolean; trailer?: boolean; noEoi?: boolean; noFrame?: boolean } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  if (opts.exif) parts.push(segment(0xe1, exifWithGps()));
  parts.push(segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')));
  if (opts.xmp) parts.push(segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>XMP-SECRET-LOCATION</x:xmpmeta>', 'latin1')));
  if (opts.comment) parts.push(segment(0xfe, Buffer.from('COMMENT-SECRET', 'latin1')));
  parts.push(segment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0\x01\x01', 'latin1'), Buffer.alloc(16, 7)])));
  parts.push(segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])));
  if (!opts.noFrame) parts.push(segment(0xc0, Buffer.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0])));
  parts.push(segment(0xc4, Buffer.concat([Buffer.from([0]), Buffer.alloc(16, 0), Buffer.from([0])])));
  parts.push(segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0])));
  // Entropy-coded data with a stuffed 0xFF00 and a restart marker.
  parts.push(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a]));
  if (!opts.noEoi) parts.push(Buffer.from([0xff, 0xd9]));
  if (opts.trailer) parts.push(Buffer.from('TRAILER-AFTER-EOI', 'latin1'));
  return Buffer.concat(parts);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function png(opts: { text?: boolean; badCrc?: boolean; noEnd?: boolean } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const idat = pngChunk('IDAT', deflateSync(raw));
  if (opts.badCrc) idat[idat.length - 1] = (idat[idat.length - 1] as number) ^ 0xff;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(opts.text ? [pngChunk('tEXt', Buffer.from('Comment\0PNG-TEXT-SECRET', 'latin1')), pngChunk('eXIf', exifWithGps().subarray(6))] : []),
    idat,
    ...(opts.noEnd ? [] : [pngChunk('IEND', Buffer.alloc(0))]),
  ]);
}

/** The start of a Windows executable (MZ header), as a file renamed passport.pdf would carry. */
export function exe(): Buffer {
  const b = Buffer.alloc(4096, 0x90);
  b.write('MZ', 0, 'latin1');
  b.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return b;
}
