// The queue page's query string (GET form, no JavaScript) and the API's query: one zod schema
// for both. Pure. The search box takes one text and a kind: number (exact or prefix), name
// (partial, case- and accent-insensitive), AGDREF number (10 digits) or e-mail (exact, any case).
import { z } from 'zod';
import { REQUEST_KINDS } from '../dossiers/tables';

export const QUEUES = ['new', 'review', 'waiting', 'decided'] as const;
export type Queue = (typeof QUEUES)[number];
export const SEARCH_KINDS = ['number', 'name', 'agdref', 'email'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const PAGE_SIZE = 50;

/** Empty strings from a GET form mean "not set". */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blank, s.optional());
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'queues.err_date')
  .refine((v) => new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'queues.err_date');

export const queueQuerySchema = z
  .object({
    queue: opt(z.enum(QUEUES, 'queues.err_choice')).default('new').describe('new, review (under review), waiting (for the applicant), decided'),
    scope: opt(z.enum(['all', 'mine'], 'queues.err_choice')).default('all').describe('mine: dossiers assigned to me (review queue mostly)'),
    category: opt(z.string().trim().max(60).regex(/^[a-z0-9_]+$/, 'queues.err_choice')),
    kind: opt(z.enum(REQUEST_KINDS as [string, ...string[]], 'queues.err_choice')),
    site: opt(z.uuid('queues.err_choice')),
    from: opt(isoDate).describe('filed on or after (YYYY-MM-DD, Paris time)'),
    to: opt(isoDate).describe('filed on or before (YYYY-MM-DD, Paris time)'),
    late: opt(z.enum(['1', 'true'], 'queues.err_choice')).transform((v) => v !== undefined).describe('1: late renewals only'),
    q: opt(z.string().trim().max(200, 'queues.err_too_long')),
    by: opt(z.enum(SEARCH_KINDS, 'queues.err_choice')).default('name'),
    after: opt(z.string().max(120).regex(/^[A-Za-z0-9_-]+$/, 'queues.err_cursor')).describe('cursor of the next page (nextCursor)'),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'queues.err_date_order' });
    if (!v.q) return;
    if (v.by === 'number' && !/^[0-9][0-9AB]{0,2}(-[0-9]{0,4}(-[0-9]{0,6})?)?$/i.test(v.q)) ctx.addIssue({ code: 'custom', path: ['q'], message: 'queues.err_number' });
    if (v.by === 'agdref' && !/^[0-9]{10}$/.test(v.q)) ctx.addIssue({ code: 'custom', path: ['q'], message: 'queues.err_agdref' });
    if (v.by === 'email' && !/^[^\s@]+@[^\s@]+$/.test(v.q)) ctx.addIssue({ code: 'custom', path: ['q'], message: 'queues.err_email' });
  });

export type QueueQuery = z.output<typeof queueQuerySchema>;

/** The query string of a page of the same list (filters kept), for links and the next page. */
export function queueHref(base: string, q: QueueQuery, change: Partial<Record<keyof QueueQuery, string | undefined>>): string {
  const params = new URLSearchParams();
  const current: Record<string, string | undefined> = {
    queue: q.queue,
    scope: q.scope === 'all' ? undefined : q.scope,
    category: q.category,
    kind: q.kind,
    site: q.site,
    from: q.from,
    to: q.to,
    late: q.late ? '1' : undefined,
    q: q.q,
    by: q.q ? q.by : undefined,
    after: undefined,
  };
  for (const [k, v] of Object.entries({ ...current, ...change })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `${base}?${s}` : base;
}
