// Integrity of a catalogue (the reviewed file, or an administrator's edit): every text in
// FR/EN/AR, every pièce referenced exists, codes unique, amounts positive. Pure.
import { REQUEST_KINDS, type LocalizedText } from '../tables';
import type { CatalogueData } from './catalogue-data';

const CODE = /^[a-z0-9_]{2,60}$/;

function textProblems(where: string, text: LocalizedText | undefined): string[] {
  if (!text) return [`${where}: missing`];
  return (['fr', 'en', 'ar'] as const).filter((l) => typeof text[l] !== 'string' || !text[l].trim()).map((l) => `${where}.${l}: empty`);
}

/** Returns the list of problems; empty when the catalogue is sound. */
export function validateCatalogue(data: CatalogueData): string[] {
  const problems: string[] = [];
  const pieceCodes = new Set<string>();
  for (const p of data.pieces) {
    if (!CODE.test(p.code)) problems.push(`piece ${p.code}: bad code`);
    if (pieceCodes.has(p.code)) problems.push(`piece ${p.code}: duplicate`);
    pieceCodes.add(p.code);
    problems.push(...textProblems(`piece ${p.code}.name`, p.name), ...textProblems(`piece ${p.code}.description`, p.description));
    if (!p.formats.length || p.formats.some((f) => !['pdf', 'jpeg', 'png'].includes(f))) problems.push(`piece ${p.code}: bad formats`);
    if (p.maxAgeMonths !== undefined && !(Number.isInteger(p.maxAgeMonths) && p.maxAgeMonths > 0)) problems.push(`piece ${p.code}: bad maxAgeMonths`);
  }
  const used = new Set<string>();
  const categoryCodes = new Set<string>();
  for (const c of data.categories) {
    if (!CODE.test(c.code)) problems.push(`category ${c.code}: bad code`);
    if (categoryCodes.has(c.code)) problems.push(`category ${c.code}: duplicate`);
    categoryCodes.add(c.code);
    problems.push(...textProblems(`category ${c.code}.name`, c.name), ...textProblems(`category ${c.code}.whoFor`, c.whoFor));
    const kinds = Object.entries(c.kinds);
    if (!kinds.length) problems.push(`category ${c.code}: no request kind`);
    for (const [kind, def] of kinds) {
      const where = `category ${c.code}.${kind}`;
      if (!(REQUEST_KINDS as readonly string[]).includes(kind)) problems.push(`${where}: unknown request kind`);
      if (!def) continue;
      problems.push(...textProblems(`${where}.whoFor`, def.whoFor));
      if (!Number.isInteger(def.stampCents) || def.stampCents <= 0) problems.push(`${where}: stamp amount must be a positive number of cents`);
      if (!def.pieces.some((p) => p.mandatory)) problems.push(`${where}: no mandatory pièce`);
      const seen = new Set<string>();
      for (const p of def.pieces) {
        if (!pieceCodes.has(p.code)) problems.push(`${where}: unknown pièce ${p.code}`);
        if (seen.has(p.code)) problems.push(`${where}: pièce ${p.code} listed twice`);
        seen.add(p.code);
        used.add(p.code);
      }
      if ((kind === 'renewal' || kind === 'change_of_status') && !seen.has('current_permit')) problems.push(`${where}: current_permit missing`);
      if (!seen.has('passport')) problems.push(`${where}: passport missing`);
    }
  }
  for (const code of pieceCodes) if (!used.has(code)) problems.push(`piece ${code}: never used`);
  return problems;
}
