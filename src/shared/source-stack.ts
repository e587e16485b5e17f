// Stack traces of the bundled server, read as the sources.
//
// `npm start` runs dist/server.mjs (scripts/build.mjs) without Node's --enable-source-maps:
// with it, Node parses and keeps the source map of every module it loads, packages included,
// for the whole life of the process (15-17 MiB of a server of 165-180 MiB, bench/uploads.ts).
// An error that reaches the log is rare; its stack is mapped then. The bundle's map is read
// and parsed on the first such error (node:module's SourceMap) and kept, and each frame in the
// bundle is rewritten as `src/…ts:line:column`. Under tsx (npm run dev, the tests, the CLI)
// the code runs from its sources and stacks are left as they are.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdSerializers } from 'pino';
import { ROOT_DIR } from './paths';

const here = fileURLToPath(import.meta.url);
/** The bundle this code runs in, or null when it runs from its sources. */
const BUNDLE = here.endsWith('.mjs') ? here : null;

const maps = new Map<string, SourceMap | null>();
function mapFor(bundle: string): SourceMap | null {
  if (!maps.has(bundle)) {
    let entry: SourceMap | null = null;
    try {
      if (existsSync(`${bundle}.map`)) {
        entry = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as never);
      }
    } catch {
      entry = null; // an unreadable map: frames stay as they are
    }
    maps.set(bundle, entry);
  }
  return maps.get(bundle) ?? null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `stack` with every frame of `bundle` (a file built with a linked source map) rewritten to the
 * source file (relative to the project folder), line and column it came from; other frames, and frames the map does not cover,
 * unchanged.
 */
export function sourceStack(stack: string, bundle: string | null = BUNDLE): string {
  if (!bundle || !stack.includes(bundle)) return stack;
  const map = mapFor(bundle);
  if (!map) return stack;
  const frame = new RegExp(`(?:file://)?${escape(bundle)}:(\\d+):(\\d+)`, 'g');
  return stack.replace(frame, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return whole;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(bundle), entry.originalSource);
    return `${relative(ROOT_DIR, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

/** Pino's error serializer, with the stack read as the sources (see above). */
export function serializeError(err: Error): ReturnType<typeof stdSerializers.err> {
  const out = stdSerializers.err(err);
  if (typeof out.stack === 'string') out.stack = sourceStack(out.stack);
  return out;
}
