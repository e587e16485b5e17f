// Query of the statistics page, its CSV export and the API. Pure.
import { z } from 'zod';

export const STAT_WEEKS = [4, 12, 26, 52] as const;
export const STAT_TABLES = ['weekly', 'backlog', 'categories'] as const;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const statisticsQuerySchema = z.object({
  weeks: z.preprocess(blank, z.coerce.number().int().min(1).max(104).optional()).default(12).describe('number of weeks, ending with the current one'),
  category: z.preprocess(blank, z.string().trim().max(60).regex(/^[a-z0-9_]+$/).optional()).describe('one category code'),
});

export type StatisticsQuery = z.output<typeof statisticsQuerySchema> & { table?: string };

export function statisticsQuery(q: StatisticsQuery): string {
  const p = new URLSearchParams();
  if (q.table) p.set('table', q.table);
  p.set('weeks', String(q.weeks));
  if (q.category) p.set('category', q.category);
  return p.toString();
}
