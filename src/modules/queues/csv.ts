// CSV for spreadsheets (RFC 4180): comma-separated, CRLF line ends, fields quoted when they hold
// a comma, a quote, a line break or leading/trailing spaces (quotes doubled), a UTF-8 byte
// order mark first so that Excel reads accents right. Cells starting with = + - @ (formula
// injection) are prefixed with an apostrophe. Pure.
export type Cell = string | number | null;

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = FORMULA.test(v) ? `'${v}` : v;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
