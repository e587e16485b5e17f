import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
