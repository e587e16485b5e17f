// PDF checks on a stream: the file must end with a cross-reference pointer and %%EOF (a
// truncated or mangled PDF has neither), and must not be encrypted (an /Encrypt entry in the
// trailer or cross-reference stream dictionary): agents could not open it.
import type { FormatFilter } from './format-filter';
import { UploadRefusal } from './refusal';

const ENCRYPT = Buffer.from('/Encrypt', 'latin1');
const EOF_MARK = Buffer.from('%%EOF', 'latin1');
const STARTXREF = Buffer.from('startxref', 'latin1');
const TAIL_BYTES = 2048;

export class PdfChecker implements FormatFilter {
  private carry: Buffer = Buffer.alloc(0);
  private tail: Buffer = Buffer.alloc(0);
  private total = 0;

  write(chunk: Buffer): Buffer[] {
    this.total += chunk.length;
    const window = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (window.indexOf(ENCRYPT) !== -1) throw new UploadRefusal('encrypted_pdf');
    this.carry = Buffer.from(window.subarray(Math.max(0, window.length - (ENCRYPT.length - 1))));
    const t = Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(t.subarray(Math.max(0, t.length - TAIL_BYTES)));
    return [chunk];
  }

  end(): Buffer[] {
    // PDF 32000-1 §7.5.5: %%EOF on the last line, preceded by startxref and a byte offset.
    const last = this.tail.subarray(Math.max(0, this.tail.length - 1024));
    const eof = last.lastIndexOf(EOF_MARK);
    if (eof === -1) throw new UploadRefusal('broken_pdf');
    if (last.subarray(eof + EOF_MARK.length).toString('latin1').trim() !== '') throw new UploadRefusal('broken_pdf');
    const sx = this.tail.lastIndexOf(STARTXREF);
    if (sx === -1) throw new UploadRefusal('broken_pdf');
    const between = this.tail.subarray(sx + STARTXREF.length, this.tail.lastIndexOf(EOF_MARK)).toString('latin1').trim();
    if (!/^\d+$/.test(between) || Number(between) >= this.total) throw new UploadRefusal('broken_pdf');
    return [];
  }
}
