// The published record of a draw, as stored in draws.inputs and draws.ranked (plain text, see
// migration 0011) and as anyone can replay it. Pure functions.
//   inputs: one line per request, in draw order: "<pid> <class> <expiry|-> <penalty>"
//   ranked: the pseudonymous ids in draw order, one per line
import type { DrawInput } from './tables';

const INPUT_LINE = /^([A-Za-z0-9_-]{1,64}) ([0-2]) (\d{4}-\d{2}-\d{2}|-) ([01])$/;
const PID = /^[A-Za-z0-9_-]{1,64}$/;

export function encodeDrawInputs(inputs: readonly DrawInput[]): string {
  return inputs.map((i) => `${i.pid} ${i.cls} ${i.exp ?? '-'} ${i.pen}`).join('\n');
}

/** The inputs of a stored record, or null when a line is malformed. */
export function decodeDrawInputs(text: string): DrawInput[] | null {
  if (text === '') return [];
  const out: DrawInput[] = [];
  for (const line of text.split('\n')) {
    const m = INPUT_LINE.exec(line);
    if (!m) return null;
    out.push({ pid: m[1] as string, cls: Number(m[2]), exp: m[3] === '-' ? null : (m[3] as string), pen: Number(m[4]) });
  }
  return out;
}

export function encodeRanking(pids: readonly string[]): string {
  return pids.join('\n');
}

/** The ranking of a stored record, or null when an id is malformed. */
export function decodeRanking(text: string): string[] | null {
  if (text === '') return [];
  const pids = text.split('\n');
  return pids.every((p) => PID.test(p)) ? pids : null;
}
