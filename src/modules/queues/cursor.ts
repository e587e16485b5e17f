// Keyset pagination cursor: the last row's filing instant (microseconds, as PostgreSQL keeps
// it: a JavaScript Date would drop them and skip or repeat rows) and its id. Pure.
export interface Cursor {
  /** ISO 8601 UTC with microseconds, as produced by the listing query. */
  at: string;
  id: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at}|${c.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when it is not one of ours (the caller answers 400). */
export function decodeCursor(s: string): Cursor | null {
  const [at, id, ...rest] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  if (rest.length || !at || !id || !AT.test(at) || !UUID.test(id)) return null;
  return { at, id };
}
