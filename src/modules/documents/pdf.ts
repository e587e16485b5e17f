// PDF checks on a stream: the file must end with a cross-reference pointer and %%EOF (a
// truncated or mangled PDF has neither), must hold the skeleton every PDF has (at least one
// object, "endobj", and a trailer dictionary or a cross-reference stream, "/XRef"), and must
// not be encrypted (an /Encrypt entry in the trailer or cross-reference stream dictionary):
// agents could not open it. The offsets inside are not checked: readers repair wrong ones, and
// refusing those files would refuse documents people can open.
import type { FormatFilter } from './format-filter';
import { UploadRefusal } from './refusal';

const ENCRYPT = Buffer.from('/Encrypt', 'latin1');
const EOF_MARK = Buffer.from('%%EOF', 'latin1');
const STARTXREF = Buffer.from('startxref', 'latin1');
const ENDOBJ = Buffer.from('endobj', 'latin1');
const TRAILER = Buffer.from('trailer', 'latin1');
const XREF_STREAM = Buffer.from('/XRef', 'latin1');
/** Searched until found: an object's end, and a trailer or a cross-reference stream. */
const SKELETON = [ENDOBJ, TRAILER, XREF_STREAM];
const KEEP = Math.max(...[ENCRYPT, ...SKELETON].map((t) => t.length)) - 1;
const TAIL_BYTES = 2048;

export class PdfChecker implements FormatFilter {
  private carry: Buffer = Buffer.alloc(0);
  private tail: Buffer = Buffer.alloc(0);
  private total = 0;
  private readonly seen = new Set<Buffer>();

  /** The token inside the chunk, or across the previous chunk's end. */
  private has(token: Buffer, chunk: Buffer, seam: Buffer): boolean {
    return chunk.indexOf(token) !== -1 || seam.indexOf(token) !== -1;
  }

  write(chunk: Buffer): Buffer[] {
    this.total += chunk.length;
    // Only the few bytes at the seam are copied, never the chunk itself (uploads stream many
    // megabytes through here).
    const seam = Buffer.concat([this.carry, chunk.subarray(0, KEEP)]);
    if (this.has(ENCRYPT, chunk, seam)) throw new UploadRefusal('encrypted_pdf');
    for (const token of SKELETON) if (!this.seen.has(token) && this.has(token, chunk, seam)) this.seen.add(token);
    this.carry = chunk.length >= KEEP ? Buffer.from(chunk.subarray(chunk.length - KEEP)) : Buffer.from(seam.subarray(Math.max(0, seam.length - KEEP)));
    this.tail =
      chunk.length >= TAIL_BYTES
        ? Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES))
        : Buffer.from(Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES));
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
    if (!this.seen.has(ENDOBJ) || !(this.seen.has(TRAILER) || this.seen.has(XREF_STREAM))) throw new UploadRefusal('broken_pdf');
    return [];
  }
}
