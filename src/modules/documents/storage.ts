// Where document bytes live. The interface is what the rest of the module uses; the file
// implementation below keeps every file encrypted at rest under DATA_DIR/documents, and an
// S3-compatible store could implement the same three methods later.
//
// File format (version 1), so that encryption and decryption both stream:
//   header  "SEJDOC01" (8 bytes) | salt (32 random bytes)
//   records flag (1 byte: 0 more, 1 final) | length (uint32 BE) | ciphertext | GCM tag (16 bytes)
// The file key is HKDF(master key, salt); the master key is HKDF(SECRET_KEY). Record i is
// sealed with AES-256-GCM, nonce = 4 zero bytes | i (uint64 BE), additional data = flag | i,
// so records cannot be reordered, and a file cut after any record is detected (no final record).
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../shared/errors';

export interface StoredObject {
  key: string;
  /** Plain (decrypted) size in bytes. */
  size: number;
}

export interface DocumentStorage {
  /** Consumes the stream and stores it; nothing is left behind when the stream fails. */
  put(stream: Readable): Promise<StoredObject>;
  /** A stream of the plain bytes; it errors if the stored bytes were altered or cut. */
  get(key: string): Promise<Readable>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
}

const MAGIC = Buffer.from('SEJDOC01', 'latin1');
const SALT_BYTES = 32;
const HEADER_BYTES = MAGIC.length + SALT_BYTES;
const RECORD_HEAD = 5;
const TAG_BYTES = 16;
export const CHUNK_BYTES = 64 * 1024;
const KEY_PATTERN = /^[a-f0-9]{32}$/;

// Per record, the cipher reads its nonce and additional data when it is set up, and keeps no
// reference to them: each stream writes them into two small buffers of its own, reused for every
// record. The file key is a KeyObject made once per file: given as bytes, Node would import the
// key again for every 64 KiB record (with 50 uploads at once, a fifth of the upload path's
// short-lived JavaScript objects; bench/uploads.ts).
class RecordParams {
  private readonly n = Buffer.alloc(12);
  private readonly a = Buffer.alloc(9);
  nonce(index: number): Buffer {
    this.n.writeBigUInt64BE(BigInt(index), 4);
    return this.n;
  }
  aad(final: boolean, index: number): Buffer {
    this.a[0] = final ? 1 : 0;
    this.a.writeBigUInt64BE(BigInt(index), 1);
    return this.a;
  }
}

function fileKey(master: Buffer, salt: Buffer): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', master, salt, 'sejour-document-file-v1', 32)));
}

export function deriveMasterKey(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'sejour', 'documents-at-rest-v1', 32));
}

/** Plain bytes in, encrypted file format out. */
export class EncryptStream extends Transform {
  private readonly key: KeyObject;
  private readonly params = new RecordParams();
  private readonly salt = randomBytes(SALT_BYTES);
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  plainBytes = 0;

  constructor(master: Buffer) {
    super();
    this.key = fileKey(master, this.salt);
    this.push(Buffer.concat([MAGIC, this.salt]));
  }

  /**
   * Seals one record from its pieces. They go through the cipher one by one (GCM encrypts a
   * stream: the same bytes as for their concatenation), so a record that spans incoming chunks
   * is never copied into one buffer: with 50 uploads at once that copy was a third of the
   * short-lived memory of an upload (bench/uploads.ts).
   */
  private seal(pieces: Buffer[], final: boolean): void {
    const cipher = createCipheriv('aes-256-gcm', this.key, this.params.nonce(this.index));
    cipher.setAAD(this.params.aad(final, this.index));
    const head = Buffer.allocUnsafe(RECORD_HEAD); // every byte written below
    head[0] = final ? 1 : 0;
    head.writeUInt32BE(pieces.reduce((n, p) => n + p.length, 0), 1);
    this.push(head);
    for (const piece of pieces) {
      const body = cipher.update(piece);
      if (body.length) this.push(body);
    }
    const last = cipher.final();
    if (last.length) this.push(last);
    this.push(cipher.getAuthTag());
    this.index++;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.plainBytes += chunk.length;
    // Records are sealed straight from the incoming chunks (see seal). At least one byte is kept
    // back: the last record is sealed as final in _flush.
    let rest = chunk;
    while (this.pendingBytes + rest.length > CHUNK_BYTES) {
      const take = CHUNK_BYTES - this.pendingBytes;
      this.seal([...this.pending, rest.subarray(0, take)], false);
      this.pending = [];
      this.pendingBytes = 0;
      rest = rest.subarray(take);
    }
    if (rest.length) {
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.seal(this.pending, true);
    this.pending = [];
    cb();
  }
}

export class CorruptDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptDocumentError';
  }
}

/** Encrypted file format in, plain bytes out; fails on any alteration or truncation. */
export class DecryptStream extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private key: KeyObject | null = null;
  private readonly params = new RecordParams();
  private index = 0;
  private finished = false;

  constructor(private readonly master: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      if (!this.key) {
        if (this.buf.length < HEADER_BYTES) return cb();
        if (!this.buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new CorruptDocumentError('not a Séjour document file');
        this.key = fileKey(this.master, this.buf.subarray(MAGIC.length, HEADER_BYTES));
        this.buf = this.buf.subarray(HEADER_BYTES);
      }
      while (this.buf.length >= RECORD_HEAD) {
        if (this.finished) throw new CorruptDocumentError('data after the final record');
        const final = this.buf[0] === 1;
        if (this.buf[0] !== 0 && !final) throw new CorruptDocumentError('bad record flag');
        const len = this.buf.readUInt32BE(1);
        if (len > CHUNK_BYTES) throw new CorruptDocumentError('record too long');
        const total = RECORD_HEAD + len + TAG_BYTES;
        if (this.buf.length < total) break;
        const decipher = createDecipheriv('aes-256-gcm', this.key, this.params.nonce(this.index));
        decipher.setAAD(this.params.aad(final, this.index));
        decipher.setAuthTag(this.buf.subarray(RECORD_HEAD + len, total));
        const plain = Buffer.concat([decipher.update(this.buf.subarray(RECORD_HEAD, RECORD_HEAD + len)), decipher.final()]);
        if (plain.length) this.push(plain);
        this.index++;
        this.finished = final;
        this.buf = this.buf.subarray(total);
      }
      cb();
    } catch (err) {
      cb(err instanceof CorruptDocumentError ? err : new CorruptDocumentError('authentication failed'));
    }
  }

  override _flush(cb: TransformCallback): void {
    if (!this.finished || this.buf.length) return cb(new CorruptDocumentError('document file is cut short'));
    cb();
  }
}

/** Encrypted files on the local disk (DATA_DIR/documents/ab/abcdef…). */
export class EncryptedFileStorage implements DocumentStorage {
  private readonly master: Buffer;

  constructor(
    private readonly root: string,
    secretKey: string,
  ) {
    this.master = deriveMasterKey(secretKey);
  }

  private pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new AppError('not_found');
    return join(this.root, key.slice(0, 2), key);
  }

  async put(stream: Readable): Promise<StoredObject> {
    const key = randomBytes(16).toString('hex');
    const tmpDir = join(this.root, 'tmp');
    const tmp = join(tmpDir, `${key}.part`);
    const final = this.pathOf(key);
    const encrypt = new EncryptStream(this.master);
    let out: WriteStream | undefined;
    try {
      // Inside the try: when the folder cannot be made, the input is destroyed as on any other
      // failure, so that whoever writes into it is not left waiting.
      await mkdir(tmpDir, { recursive: true });
      out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      await pipeline(stream, encrypt, out);
      await mkdir(dirname(final), { recursive: true });
      await rename(tmp, final);
    } catch (err) {
      stream.destroy();
      // The file may still be opening when the stream fails: wait until it is closed, or the
      // unlink below could run first and the file appear afterwards.
      const file = out;
      if (file && !file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    return { key, size: encrypt.plainBytes };
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      await stat(path);
    } catch {
      throw new AppError('not_found');
    }
    const decrypt = new DecryptStream(this.master);
    const file = createReadStream(path);
    file.on('error', (err) => decrypt.destroy(err));
    return file.pipe(decrypt);
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}
