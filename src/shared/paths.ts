// Where the project's files are at run time: the folder holding package.json, found upward
// from this module. The same answer whether the code runs from src/ (tsx, tests) or from the
// bundle in dist/ (npm start, scripts/build.mjs), so locale files, migrations and static assets
// are read from one place whatever runs them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Séjour's project folder (package.json, migrations/) not found above ${from}`);
    dir = parent;
  }
}

export const ROOT_DIR = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path under the project folder. */
export const projectPath = (...parts: string[]): string => join(ROOT_DIR, ...parts);
