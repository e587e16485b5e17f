// PNG on a stream: checks the chunk structure and every chunk's CRC, refuses files that do
// not start with a valid IHDR or do not end with IEND, and drops the chunks that carry
// metadata (text, EXIF, modification time). Bytes after IEND are dropped too.
import type { FormatFilter } from './format-filter';
import { UploadRefusal } from './refusal';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const PNG_DROPPED_CHUNKS = new Set(['tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME']);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32Update(crc: number, buf: Buffer): number {
  let c = crc;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return c >>> 0;
}

export function crc32(buf: Buffer): number {
  return (crc32Update(0xffffffff, buf) ^ 0xffffffff) >>> 0;
}

type State = 'signature' | 'header' | 'data' | 'crc' | 'done';

export class PngSanitizer implements FormatFilter {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = 'signature';
  private type = '';
  private keep = true;
  private remaining = 0;
  private crc = 0;
  private chunks = 0;
  private sawData = false;

  private broken(): never {
    throw new UploadRefusal('broken_image');
  }

  write(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const avail = this.buf.length - pos;
      if (this.state === 'signature') {
        if (avail < 8) break;
        if (!this.buf.subarray(pos, pos + 8).equals(SIGNATURE)) this.broken();
        out.push(SIGNATURE);
        pos += 8;
        this.state = 'header';
      } else if (this.state === 'header') {
        if (avail < 8) break;
        const len = this.buf.readUInt32BE(pos);
        const typeBytes = this.buf.subarray(pos + 4, pos + 8);
        const type = typeBytes.toString('latin1');
        if (len > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) this.broken();
        if (this.chunks === 0) {
          // IHDR first: 13 bytes, width and height > 0, a valid bit depth / colour type pair.
          if (type !== 'IHDR' || len !== 13) this.broken();
          if (avail < 8 + 13) break;
          const width = this.buf.readUInt32BE(pos + 8);
          const height = this.buf.readUInt32BE(pos + 12);
          const depth = this.buf[pos + 16] as number;
          const colour = this.buf[pos + 17] as number;
          const allowed: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
          if (!width || !height || width > 0x7fffffff || height > 0x7fffffff || !allowed[colour]?.includes(depth)) this.broken();
        }
        if (type === 'IEND' && len !== 0) this.broken();
        if (type === 'IDAT') this.sawData = true;
        this.type = type;
        this.keep = !PNG_DROPPED_CHUNKS.has(type);
        this.remaining = len;
        this.crc = crc32Update(0xffffffff, typeBytes);
        if (this.keep) out.push(Buffer.from(this.buf.subarray(pos, pos + 8)));
        pos += 8;
        this.chunks++;
        this.state = 'data';
      } else if (this.state === 'data') {
        if (this.remaining === 0) {
          this.state = 'crc';
          continue;
        }
        if (avail === 0) break;
        const n = Math.min(avail, this.remaining);
        const part = this.buf.subarray(pos, pos + n);
        this.crc = crc32Update(this.crc, part);
        if (this.keep) out.push(Buffer.from(part));
        this.remaining -= n;
        pos += n;
      } else if (this.state === 'crc') {
        if (avail < 4) break;
        const expected = (this.crc ^ 0xffffffff) >>> 0;
        if (this.buf.readUInt32BE(pos) !== expected) this.broken();
        if (this.keep) out.push(Buffer.from(this.buf.subarray(pos, pos + 4)));
        pos += 4;
        this.state = this.type === 'IEND' ? 'done' : 'header';
      } else {
        pos = this.buf.length;
        break;
      }
    }
    this.buf = Buffer.from(this.buf.subarray(pos));
    return out;
  }

  end(): Buffer[] {
    if (this.state !== 'done' || !this.sawData) this.broken();
    return [];
  }
}
