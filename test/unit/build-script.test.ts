// scripts/build.mjs, which npm start runs before every start: it writes the bundle only when it
// changed, through a temporary file renamed into place, so that a start that changes nothing
// writes nothing and two starts at once never leave a half-written or mixed bundle.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const build = (outfile: string) => run(process.execPath, ['scripts/build.mjs', '--outfile', outfile]);

test('the bundle is rewritten only when it changed, and never left half-written', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sejour-build-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'server.mjs');

  const first = await build(out);
  assert.match(first.stdout, /built .*server\.mjs in \d+ ms\n$/);
  const bundle = await readFile(out, 'utf8');
  assert.match(bundle, /\/\/# sourceMappingURL=server\.mjs\.map\s*$/);
  assert.ok((await stat(join(dir, 'server.mjs.map'))).size > 0);
  const before = (await stat(out)).mtimeMs;

  const again = await build(out);
  assert.match(again.stdout, /unchanged, not rewritten/);
  assert.equal((await stat(out)).mtimeMs, before, 'an unchanged bundle is not written');

  // A bundle that differs (an older one, or damaged) is replaced by the full new one.
  await writeFile(out, 'export {};\n');
  const repaired = await build(out);
  assert.doesNotMatch(repaired.stdout, /unchanged/);
  assert.equal(await readFile(out, 'utf8'), bundle);

  // Two starts at once into an empty folder: both succeed, one complete bundle, no temporary file.
  const fresh = join(dir, 'fresh');
  await Promise.all([build(join(fresh, 'server.mjs')), build(join(fresh, 'server.mjs'))]);
  assert.equal(await readFile(join(fresh, 'server.mjs'), 'utf8'), bundle);
  assert.deepEqual((await readdir(fresh)).sort(), ['server.mjs', 'server.mjs.map']);
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
});
