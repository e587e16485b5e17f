// JPEG on a stream: walks the marker segments, refuses a file whose headers do not decode
// (no SOI, a bad segment length, no frame header before the first scan, no EOI), and drops
// the segments that carry metadata: APP1 (EXIF with GPS, XMP), APP13 (IPTC/Photoshop), COM,
// and every other APPn except APP0 (JFIF), APP2 ICC profiles and APP14 (Adobe colour).
// The EXIF orientation is kept in a minimal EXIF block of its own (one tag, nothing else) so
// phone photos stay upright. Header segments are buffered (at most MAX_HEADER_BYTES); the
// compressed image data streams through. Bytes after EOI are dropped.
import type { FormatFilter } from './format-filter';
import { UploadRefusal } from './refusal';

const MAX_HEADER_BYTES = 2 * 1024 * 1024;
const EXIF_ID = Buffer.from('Exif\0\0', 'latin1');
const ICC_ID = Buffer.from('ICC_PROFILE\0', 'latin1');

type State = 'soi' | 'marker' | 'entropy' | 'done';

function isFrameMarker(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

/** Reads the Orientation tag (0x0112) of IFD0 from an EXIF block; null when absent or unreadable. */
export function exifOrientation(exif: Buffer): number | null {
  if (exif.length < EXIF_ID.length + 8 || !exif.subarray(0, EXIF_ID.length).equals(EXIF_ID)) return null;
  const tiff = exif.subarray(EXIF_ID.length);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > tiff.length) return null;
    if (u16(e) === 0x0112 && u16(e + 2) === 3) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : null;
    }
  }
  return null;
}

/** An APP1 segment holding only the orientation tag. */
export function orientationSegment(orientation: number): Buffer {
  const body = Buffer.alloc(32);
  EXIF_ID.copy(body, 0);
  body.write('MM', 6, 'latin1');
  body.writeUInt16BE(42, 8);
  body.writeUInt32BE(8, 10);
  body.writeUInt16BE(1, 14);
  body.writeUInt16BE(0x0112, 16);
  body.writeUInt16BE(3, 18);
  body.writeUInt32BE(1, 20);
  body.writeUInt16BE(orientation, 24);
  body.writeUInt32BE(0, 28);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

export class JpegSanitizer implements FormatFilter {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = 'soi';
  private sawFrame = false;
  private sawScan = false;
  private header: Buffer[] = [];
  private headerBytes = 0;
  private orientation: number | null = null;

  private broken(): never {
    throw new UploadRefusal('broken_image');
  }

  private emitSegment(segment: Buffer, out: Buffer[]): void {
    if (this.sawScan) {
      out.push(Buffer.from(segment));
      return;
    }
    this.headerBytes += segment.length;
    if (this.headerBytes > MAX_HEADER_BYTES) this.broken();
    this.header.push(Buffer.from(segment));
  }

  /** Decides what happens to one marker segment (marker + length + body). */
  private segment(marker: number, segment: Buffer, out: Buffer[]): void {
    const body = segment.subarray(4);
    if (marker >= 0xe0 && marker <= 0xef) {
      const keep =
        (marker === 0xe0 && !this.sawScan) ||
        (marker === 0xe2 && body.subarray(0, ICC_ID.length).equals(ICC_ID)) ||
        marker === 0xee;
      if (marker === 0xe1 && this.orientation === null && !this.sawScan) this.orientation = exifOrientation(body);
      if (keep) this.emitSegment(segment, out);
      return;
    }
    if (marker === 0xfe) return; // COM
    if (isFrameMarker(marker)) {
      if (body.length < 6) this.broken();
      const width = body.readUInt16BE(3);
      const components = body[5] as number;
      if (!width || !components || body.length !== 6 + 3 * components) this.broken();
      this.sawFrame = true;
      this.emitSegment(segment, out);
      return;
    }
    if (marker === 0xda) {
      if (!this.sawFrame) this.broken();
      const components = body[0] ?? 0;
      if (!components || body.length !== 4 + 2 * components) this.broken();
      if (!this.sawScan) {
        out.push(Buffer.from([0xff, 0xd8]));
        if (this.orientation !== null && this.orientation !== 1) out.push(orientationSegment(this.orientation));
        out.push(...this.header);
        this.header = [];
        this.sawScan = true;
      }
      out.push(Buffer.from(segment));
      this.state = 'entropy';
      return;
    }
    this.emitSegment(segment, out);
  }

  write(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const buf = this.buf;
    let pos = 0;
    for (;;) {
      const avail = buf.length - pos;
      if (this.state === 'soi') {
        if (avail < 2) break;
        if (buf[pos] !== 0xff || buf[pos + 1] !== 0xd8) this.broken();
        pos += 2;
        this.state = 'marker';
      } else if (this.state === 'marker') {
        if (avail < 2) break;
        if (buf[pos] !== 0xff) this.broken();
        const marker = buf[pos + 1] as number;
        if (marker === 0xff) {
          pos += 1; // fill byte
          continue;
        }
        if (marker === 0xd9) {
          if (!this.sawScan) this.broken();
          out.push(Buffer.from([0xff, 0xd9]));
          pos += 2;
          this.state = 'done';
          continue;
        }
        if (marker === 0xd8 || marker === 0x00) this.broken();
        if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
          this.emitSegment(buf.subarray(pos, pos + 2), out);
          pos += 2;
          continue;
        }
        if (avail < 4) break;
        const len = buf.readUInt16BE(pos + 2);
        if (len < 2) this.broken();
        if (avail < 2 + len) break;
        this.segment(marker, buf.subarray(pos, pos + 2 + len), out);
        pos += 2 + len;
      } else if (this.state === 'entropy') {
        const ff = buf.indexOf(0xff, pos);
        if (ff === -1) {
          if (avail) out.push(Buffer.from(buf.subarray(pos)));
          pos = buf.length;
          break;
        }
        if (ff + 1 >= buf.length) {
          if (ff > pos) out.push(Buffer.from(buf.subarray(pos, ff)));
          pos = ff;
          break;
        }
        const next = buf[ff + 1] as number;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          out.push(Buffer.from(buf.subarray(pos, ff + 2)));
          pos = ff + 2;
        } else if (next === 0xff) {
          if (ff > pos) out.push(Buffer.from(buf.subarray(pos, ff)));
          pos = ff + 1;
        } else {
          if (ff > pos) out.push(Buffer.from(buf.subarray(pos, ff)));
          pos = ff;
          this.state = 'marker';
        }
      } else {
        pos = buf.length;
        break;
      }
    }
    this.buf = Buffer.from(buf.subarray(pos));
    return out;
  }

  end(): Buffer[] {
    if (this.state !== 'done') this.broken();
    return [];
  }
}
