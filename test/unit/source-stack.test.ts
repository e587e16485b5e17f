// src/shared/source-stack.ts: npm start runs the bundle without --enable-source-maps, and a stack
// that reaches the log is mapped back to the sources through the bundle's linked source map.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { ROOT_DIR } from '../../src/shared/paths';
import { serializeError, sourceStack } from '../../src/shared/source-stack';

const run = promisify(execFile);

test('frames of a bundle are rewritten to the source file, line and column; other frames are kept', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sejour-stack-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const source = join(dir, 'thrower.ts');
  // Types and blank lines that the bundle drops, so that bundle and source lines differ.
  await writeFile(
    source,
    ['interface Shape {', '  side: number;', '}', '', 'export function area(s: Shape): number {', '  if (s.side < 0) throw new Error(`negative side ${s.side}`);', '  return s.side * s.side;', '}', ''].join('\n'),
  );
  const bundle = join(dir, 'dist', 'thrower.mjs');
  await build({ entryPoints: [source], outfile: bundle, bundle: true, format: 'esm', platform: 'node', sourcemap: 'linked', logLevel: 'silent' });

  // Plain node, as npm start runs the server: the stack names the bundle.
  const script = `import(${JSON.stringify(pathToFileURL(bundle).href)}).then((m) => { try { m.area({ side: -1 }); } catch (e) { console.log(e.stack); } })`;
  const { stdout: raw } = await run(process.execPath, ['--input-type=module', '-e', script]);
  assert.match(raw, /negative side -1/);
  assert.ok(raw.includes(`${bundle}:`), raw);

  const mapped = sourceStack(raw, bundle);
  assert.ok(mapped.includes(`${relative(ROOT_DIR, source)}:6:25`), mapped);
  assert.ok(!mapped.includes(`${bundle}:`), 'no frame of the bundle is left');
  assert.match(mapped, /node:internal|\[eval/, "Node's own frames are kept");
  assert.equal(mapped.split('\n').length, raw.split('\n').length);

  // A stack from elsewhere, or a bundle without its map, is returned as it is.
  assert.equal(sourceStack(raw, join(dir, 'other.mjs')), raw);
  const bare = join(dir, 'bare', 'thrower.mjs');
  await build({ entryPoints: [source], outfile: bare, bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });
  const fake = raw.split(bundle).join(bare);
  assert.equal(sourceStack(fake, bare), fake);
});

test('the log serializer keeps type, message and stack; from the sources (tsx) the stack is unchanged', () => {
  const err = new Error('failed');
  const out = serializeError(err);
  assert.equal(out.type, 'Error');
  assert.equal(out.message, 'failed');
  assert.equal(out.stack, err.stack);
});
