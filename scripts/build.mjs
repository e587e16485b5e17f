// Bundles the server for `npm start` (which then `exec`s node on the bundle, so that the
// signals a service manager sends npm reach the server itself): src/server.ts and everything it imports from src/ into
// dist/server.mjs (one ESM file, readable, with a source map), packages left as imports from
// node_modules. Running that file with plain node spares the TypeScript loader that `tsx` runs in
// a thread of its own beside the server (about 40 MiB of memory, bench/uploads.ts), and the
// compile of every module at each start. Tests and the CLI still run the sources through tsx.
// Files read at run time (locales, migrations, DSFR and public assets) are found from the
// project folder (src/shared/paths.ts), so they are the same for both.
// Writing: the bundle and its map are built in memory and written only when they differ from
// what is on disk, each through a temporary file renamed into place. So a start that changes
// nothing writes nothing (a read-only install with its dist/ already built starts), and two
// instances starting at once never read a half-written bundle.
// `--outfile <path>`: another place than dist/server.mjs (the tests build into a temporary folder).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const at = process.argv.indexOf('--outfile');
const outfile = at > 0 && process.argv[at + 1] ? process.argv[at + 1] : 'dist/server.mjs';
const started = Date.now();
const result = await build({
  entryPoints: ['src/server.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});
const same = (path, bytes) => {
  try {
    return Buffer.from(bytes).equals(readFileSync(path));
  } catch {
    return false;
  }
};
// The map before the bundle that points at it.
const files = [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')));
const changed = files.filter((f) => !same(f.path, f.contents));
for (const f of changed) {
  mkdirSync(dirname(f.path), { recursive: true });
  const tmp = `${f.path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
if (!process.argv.includes('--quiet')) {
  console.log(`built ${outfile} in ${Date.now() - started} ms${changed.length ? '' : ' (unchanged, not rewritten)'}`);
}
