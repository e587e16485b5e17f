// Bundles the server for `npm start` (which then `exec`s node on the bundle, so that the
// signals a service manager sends npm reach the server itself): src/server.ts and everything it imports from src/ into
// dist/server.mjs (one ESM file, readable, with a source map), packages left as imports from
// node_modules. Running that file with plain node spares the TypeScript loader that `tsx` runs in
// a thread of its own beside the server (about 40 MiB of memory, bench/uploads.ts), and the
// compile of every module at each start. Tests and the CLI still run the sources through tsx.
// Files read at run time (locales, migrations, DSFR and public assets) are found from the
// project folder (src/shared/paths.ts), so they are the same for both.
import { build } from 'esbuild';

const outfile = 'dist/server.mjs';
const started = Date.now();
await build({
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
});
if (!process.argv.includes('--quiet')) console.log(`built ${outfile} in ${Date.now() - started} ms`);
