// The text of a PDF as a reader sees it, through poppler's pdftotext (.ci/run installs
// poppler-utils). Null when pdftotext is missing: the caller skips its text checks then.
import { spawnSync } from 'node:child_process';

export function pdfToText(pdf: Buffer): string | null {
  const probe = spawnSync('pdftotext', ['-v']);
  if (probe.error) return null;
  const res = spawnSync('pdftotext', ['-enc', 'UTF-8', '-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`pdftotext failed: ${res.stderr}`);
  return res.stdout.replace(/[ \t]+/g, ' ');
}
