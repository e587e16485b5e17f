// The checks every uploaded file goes through, as one Transform on the upload stream:
// a byte counter (per-file and per-dossier limits), the format sniffed from the first bytes,
// then the format's own checker/cleaner. Its output is what gets encrypted and stored; its
// SHA-256 and size are those of the stored (cleaned) bytes.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { FormatFilter } from './format-filter';
import { JpegSanitizer } from './jpeg';
import { PdfChecker } from './pdf';
import { PngSanitizer } from './png';
import { UploadRefusal } from './refusal';
import { SNIFF_BYTES, sniffMime, type DocumentMime } from './sniff';

export interface InspectLimits {
  /** Largest accepted file, in bytes. */
  maxFileBytes: number;
  /** Room left in the dossier, in bytes. */
  remainingDossierBytes: number;
}

const MB = 1024 * 1024;

export function filterFor(mime: DocumentMime): FormatFilter {
  switch (mime) {
    case 'application/pdf':
      return new PdfChecker();
    case 'image/jpeg':
      return new JpegSanitizer();
    case 'image/png':
      return new PngSanitizer();
  }
}

export class DocumentInspector extends Transform {
  mime: DocumentMime | null = null;
  bytesIn = 0;
  bytesOut = 0;
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headBytes = 0;
  private format: FormatFilter | null = null;

  constructor(private readonly limits: InspectLimits) {
    super();
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  private output(parts: Buffer[]): void {
    for (const p of parts) {
      if (!p.length) continue;
      this.bytesOut += p.length;
      this.hash.update(p);
      this.push(p);
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.bytesIn += chunk.length;
      if (this.bytesIn > this.limits.maxFileBytes) {
        throw new UploadRefusal('too_large', { max: Math.round(this.limits.maxFileBytes / MB) });
      }
      if (this.bytesIn > this.limits.remainingDossierBytes) throw new UploadRefusal('dossier_full');
      if (!this.format) {
        this.head.push(chunk);
        this.headBytes += chunk.length;
        if (this.headBytes < SNIFF_BYTES) return cb();
        const head = Buffer.concat(this.head);
        this.head = [];
        this.start(head);
        chunk = head;
      }
      this.output((this.format as FormatFilter).write(chunk));
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  private start(head: Buffer): void {
    this.mime = sniffMime(head);
    if (!this.mime) throw new UploadRefusal('unsupported_type');
    this.format = filterFor(this.mime);
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (!this.format) {
        if (this.headBytes === 0) throw new UploadRefusal('empty');
        const head = Buffer.concat(this.head);
        this.start(head);
        this.output((this.format as unknown as FormatFilter).write(head));
      }
      this.output((this.format as unknown as FormatFilter).end());
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}
