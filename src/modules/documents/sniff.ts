// Recognises the three accepted formats from their first bytes (never from the name or the
// Content-Type the browser sends).
export type DocumentMime = 'application/pdf' | 'image/jpeg' | 'image/png';
export const ACCEPTED_MIMES: readonly DocumentMime[] = ['application/pdf', 'image/jpeg', 'image/png'];

/** Bytes needed to decide. */
export const SNIFF_BYTES = 8;

const PDF = Buffer.from('%PDF-', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffMime(head: Buffer): DocumentMime | null {
  if (head.length >= PDF.length && head.subarray(0, PDF.length).equals(PDF)) return 'application/pdf';
  if (head.length >= PNG.length && head.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (head.length >= JPEG.length && head.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  return null;
}

export function extensionFor(mime: DocumentMime): string {
  switch (mime) {
    case 'application/pdf':
      return 'pdf';
    case 'image/jpeg':
      return 'jpg';
    case 'image/png':
      return 'png';
  }
}
