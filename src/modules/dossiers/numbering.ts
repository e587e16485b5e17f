// Dossier numbers: `<préfecture code>-<year>-<6 digits>`, e.g. 34-2026-000123, gap-free per
// préfecture and year. The counter row is created or incremented by one statement that locks
// it until the submitting transaction ends: concurrent submissions queue, and a rolled-back
// submission gives its number back.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export function formatDossierNumber(prefectureCode: string, year: number, value: number): string {
  return `${prefectureCode}-${year}-${String(value).padStart(6, '0')}`;
}

export const DOSSIER_NUMBER = /^[0-9][0-9AB]{1,2}-[0-9]{4}-[0-9]{6}$/;

export function parisYear(now: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric' }).format(now));
}

export async function allocateDossierNumber(trx: Transaction<DB>, prefecture: { id: string; code: string }, now: Date): Promise<string> {
  const year = parisYear(now);
  const row = await trx
    .insertInto('dossier_counters')
    .values({ prefecture_id: prefecture.id, year, last_value: 1 })
    .onConflict((oc) => oc.columns(['prefecture_id', 'year']).doUpdateSet({ last_value: sql<number>`dossier_counters.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return formatDossierNumber(prefecture.code, year, row.last_value);
}
