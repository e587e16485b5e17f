// A streaming checker/cleaner for one format: bytes in, the bytes to store out. It throws
// UploadRefusal as soon as the bytes show the file is broken or not acceptable.
export interface FormatFilter {
  write(chunk: Buffer): Buffer[];
  /** Called once after the last byte; checks the file ended properly. */
  end(): Buffer[];
}
