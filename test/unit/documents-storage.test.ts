import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { EncryptedFileStorage } from '../../src/modules/documents/storage';

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function tempDir(t: { after(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'sejour-storage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('files are stored encrypted and read back identical, whatever their size', async (t) => {
  const dir = await tempDir(t);
  const storage = new EncryptedFileStorage(dir, 'test-secret-key-0123456789abcdef0123456789');
  // Chunked as a socket might: one record then spans several chunks, or a chunk several records.
  const chunked = (plain: Buffer, sizes: number[]) => {
    const out: Buffer[] = [];
    for (let at = 0, i = 0; at < plain.length; i++) {
      const n = sizes[i % sizes.length] as number;
      out.push(plain.subarray(at, at + n));
      at += n;
    }
    return out;
  };
  const cases: [number, number[]][] = [
    [0, [1]],
    [1, [1]],
    [65535, [1000, 70_000]],
    [65536, [1000, 70_000]],
    [65537, [1000, 70_000]],
    [300_000, [1000, 70_000]],
    [300_000, [7, 16_384, 65_536, 1, 40_000]],
    [200_000, [200_000]],
  ];
  for (const [size, sizes] of cases) {
    const plain = randomBytes(size);
    const { key, size: stored } = await storage.put(Readable.from(chunked(plain, sizes)));
    assert.equal(stored, size);
    const [path] = (await filesUnder(dir)).filter((f) => f.endsWith(key));
    const raw = await readFile(path as string);
    if (size >= 64) assert.equal(raw.indexOf(plain.subarray(0, 64)), -1, 'plain bytes visible on disk');
    assert.deepEqual(await collect(await storage.get(key)), plain);
    await storage.delete(key);
    await assert.rejects(storage.get(key));
  }
  assert.deepEqual(await filesUnder(dir), []);
});

test('another secret cannot read a file; an altered or cut file fails', async (t) => {
  const dir = await tempDir(t);
  const storage = new EncryptedFileStorage(dir, 'secret-one-0123456789abcdef0123456789');
  const plain = randomBytes(200_000);
  const { key } = await storage.put(Readable.from([plain]));
  const other = new EncryptedFileStorage(dir, 'secret-two-0123456789abcdef0123456789');
  await assert.rejects(collect(await other.get(key)));
  const [path] = await filesUnder(dir);
  const raw = await readFile(path as string);
  const flipped = Buffer.from(raw);
  flipped[100_000] = (flipped[100_000] as number) ^ 1;
  await writeFile(path as string, flipped);
  await assert.rejects(collect(await storage.get(key)));
  // Cut exactly at a record boundary: the final record is missing.
  await writeFile(path as string, raw.subarray(0, 40 + 5 + 65536 + 16));
  await assert.rejects(collect(await storage.get(key)), /cut short/);
});

test('a stream that fails midway leaves no file behind', async (t) => {
  const dir = await tempDir(t);
  const storage = new EncryptedFileStorage(dir, 'test-secret-key-0123456789abcdef0123456789');
  async function* failing() {
    yield randomBytes(100_000);
    throw new Error('client went away');
  }
  await assert.rejects(storage.put(Readable.from(failing())), /client went away/);
  assert.deepEqual(await filesUnder(dir), []);
  await assert.rejects(storage.get('../../etc/passwd'));
});

test('when the store cannot make its folder, put fails and destroys its input, so the writer is not left waiting', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'tmp'), 'a file where the temporary folder should be');
  const storage = new EncryptedFileStorage(dir, 'test-secret-key-0123456789abcdef0123456789');
  const input = Readable.from([randomBytes(1000)]);
  await assert.rejects(storage.put(input), (err: NodeJS.ErrnoException) => typeof err.code === 'string');
  assert.equal(input.destroyed, true);
});

// The file format of the header of storage.ts, rebuilt here from node:crypto alone: files written
// by an earlier version must stay readable, and what is written now must follow it.
test('the stored bytes follow the documented format (version 1), both ways', async (t) => {
  const dir = await tempDir(t);
  const secret = 'test-secret-key-0123456789abcdef0123456789';
  const storage = new EncryptedFileStorage(dir, secret);
  const master = Buffer.from(hkdfSync('sha256', secret, 'sejour', 'documents-at-rest-v1', 32));
  const keyOf = (salt: Buffer) => Buffer.from(hkdfSync('sha256', master, salt, 'sejour-document-file-v1', 32));
  const nonce = (i: number) => Buffer.concat([Buffer.alloc(4), Buffer.from(BigInt(i).toString(16).padStart(16, '0'), 'hex')]);
  const aad = (final: boolean, i: number) => Buffer.concat([Buffer.from([final ? 1 : 0]), nonce(i).subarray(4)]);
  const plain = randomBytes(150_000); // three records: 65,536 + 65,536 + 18,928 bytes

  // Written by the store, read here.
  const { key } = await storage.put(Readable.from([plain.subarray(0, 100_000), plain.subarray(100_000)]));
  const raw = await readFile(join(dir, key.slice(0, 2), key));
  assert.equal(raw.subarray(0, 8).toString('latin1'), 'SEJDOC01');
  const salt = raw.subarray(8, 40);
  const read: Buffer[] = [];
  let at = 40;
  for (let i = 0; at < raw.length; i++) {
    const final = raw[at] === 1;
    const len = raw.readUInt32BE(at + 1);
    const decipher = createDecipheriv('aes-256-gcm', keyOf(salt), nonce(i));
    decipher.setAAD(aad(final, i));
    decipher.setAuthTag(raw.subarray(at + 5 + len, at + 5 + len + 16));
    read.push(decipher.update(raw.subarray(at + 5, at + 5 + len)), decipher.final());
    at += 5 + len + 16;
    assert.equal(final, at === raw.length, 'the last record, and only it, is final');
    assert.equal(len, final ? 150_000 - 2 * 65_536 : 65_536);
  }
  assert.deepEqual(Buffer.concat(read), plain);

  // Written here, read by the store.
  const mySalt = randomBytes(32);
  const parts = [Buffer.from('SEJDOC01', 'latin1'), mySalt];
  for (let i = 0, from = 0; from < plain.length || i === 0; i++, from += 65_536) {
    const body = plain.subarray(from, from + 65_536);
    const final = from + 65_536 >= plain.length;
    const cipher = createCipheriv('aes-256-gcm', keyOf(mySalt), nonce(i));
    cipher.setAAD(aad(final, i));
    const head = Buffer.alloc(5);
    head[0] = final ? 1 : 0;
    head.writeUInt32BE(body.length, 1);
    parts.push(head, cipher.update(body), cipher.final(), cipher.getAuthTag());
  }
  const mine = 'ab'.padEnd(32, '0');
  await mkdir(join(dir, 'ab'), { recursive: true });
  await writeFile(join(dir, 'ab', mine), Buffer.concat(parts));
  assert.deepEqual(await collect(await storage.get(mine)), plain);
});
