// Back-office lists for staff of the request's préfecture: queues (/agent/dossiers), the
// deadline watch list (/agent/echeances), supervisor statistics (/agent/statistiques, CSV
// export), and the same data under /api/v1/instruction (tag instruction). Thin adapters.
// Each row links to /agent/dossiers/<id> (the instruction module's dossier page).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff, type StaffRole } from '../../shared/auth/guards';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { fieldErrors, formValues } from '../../shared/validation';
import { sendHtml } from '../../shared/web/render';
import { STAFF_LINKS } from '../accounts/staff-links';
import { DOSSIER_STATES, REQUEST_KINDS } from '../dossiers/tables';
import { computeStatistics } from './compute-statistics';
import { DeadlinesPageView } from './deadlines-page';
import { listDeadlines } from './list-deadlines';
import { listQueue } from './list-queue';
import { processingTimes } from './processing-times';
import { queueQuerySchema } from './queue-filters';
import { QueuePageView } from './queue-page';
import { loadReference } from './reference';
import { statisticsCsv, type StatTable } from './statistics-csv';
import { StatisticsPageView } from './statistics-page';
import { STAT_TABLES, statisticsQuerySchema } from './statistics-query';

const SUPERVISORS: StaffRole[] = ['supervisor', 'admin'];
const security = [{ bearer: [] }];
const cursorParam = z.object({ after: z.string().max(120).regex(/^[A-Za-z0-9_-]+$/).optional() });

export async function queuesRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const { db } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();
  STAFF_LINKS.push(
    { href: '/agent/dossiers', labelKey: 'queues.staff_link_queues' },
    { href: '/agent/echeances', labelKey: 'queues.staff_link_deadlines' },
    { href: '/agent/statistiques', labelKey: 'queues.staff_link_statistics', roles: SUPERVISORS },
  );

  // Queues ----------------------------------------------------------------------------------
  app.get('/agent/dossiers', async (req: FastifyRequest, reply: FastifyReply) => {
    const user = requireStaff(req);
    const values = formValues(req.query);
    const reference = await loadReference(db, req.ctx.prefecture.id, req.ctx.locale);
    const parsed = queueQuerySchema.safeParse(values);
    if (!parsed.success) {
      const fallback = queueQuerySchema.parse({ queue: values.queue === undefined || !['new', 'review', 'waiting', 'decided'].includes(values.queue) ? undefined : values.queue });
      return sendHtml(reply, <QueuePageView ctx={req.ctx} query={fallback} values={values} errors={fieldErrors(parsed.error)} page={null} reference={reference} />, 400);
    }
    try {
      const page = await listQueue(db, { prefectureId: req.ctx.prefecture.id, userId: user.id, query: parsed.data, nameProbe: deps.config.queues.nameProbe });
      return sendHtml(reply, <QueuePageView ctx={req.ctx} query={parsed.data} values={{ ...values, by: parsed.data.by }} errors={{}} page={page} reference={reference} />);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        return sendHtml(reply, <QueuePageView ctx={req.ctx} query={{ ...parsed.data, after: undefined }} values={values} errors={err.fields} page={null} reference={reference} />, 400);
      }
      throw err;
    }
  });

  const queueRow = z.object({
    id: z.string(),
    number: z.string(),
    surname: z.string().nullable(),
    givenNames: z.string().nullable(),
    category: z.string(),
    requestKind: z.enum(REQUEST_KINDS as [string, ...string[]]),
    state: z.enum(DOSSIER_STATES as [string, ...string[]]),
    submittedAt: z.string().describe('ISO 8601'),
    lateRenewal: z.boolean(),
    deadlinePassed: z.boolean().describe('waiting for the applicant, and the deadline of the request for pièces has passed'),
    siteId: z.string().nullable(),
    assignedTo: z.string().nullable(),
    href: z.string().describe('the staff page of the dossier'),
  });
  const count = z.number().int().describe(`stops at 1000 (meaning "1000 or more")`);

  api.get(
    '/api/v1/instruction/dossiers',
    {
      schema: {
        tags: ['instruction'],
        summary: 'A queue of the préfecture’s dossiers (staff): filters, one search, keyset pagination, queue counts',
        description:
          'Ordered by filing instant then id. Pass `nextCursor` as `after` for the next page. Name search is partial and ignores case and accents; number search matches a prefix; AGDREF and e-mail are exact (e-mail ignores case).',
        security,
        querystring: queueQuerySchema,
        response: {
          200: z.object({
            dossiers: z.array(queueRow),
            nextCursor: z.string().nullable(),
            counts: z
              .object({ new: count, review: count, reviewMine: count, waiting: count, decided: count })
              .nullable()
              .describe('null for a broad name search (a name common among the préfecture’s dossiers): the page is listed, the counts are not computed; narrow the search to get them'),
          }),
        },
      },
    },
    async (req) => {
      const user = requireStaff(req);
      const page = await listQueue(db, { prefectureId: req.ctx.prefecture.id, userId: user.id, query: req.query, nameProbe: deps.config.queues.nameProbe });
      return {
        dossiers: page.rows.map((r) => ({
          id: r.id,
          number: r.number,
          surname: r.surname,
          givenNames: r.givenNames,
          category: r.categoryCode,
          requestKind: r.requestKind,
          state: r.state,
          submittedAt: r.submittedAt.toISOString(),
          lateRenewal: r.lateRenewal,
          deadlinePassed: r.deadlinePassed,
          siteId: r.siteId,
          assignedTo: r.assignedTo,
          href: `/agent/dossiers/${r.id}`,
        })),
        nextCursor: page.nextCursor,
        counts: page.counts,
      };
    },
  );

  // Deadlines -------------------------------------------------------------------------------
  app.get('/agent/echeances', async (req: FastifyRequest, reply: FastifyReply) => {
    const user = requireStaff(req);
    const parsed = cursorParam.safeParse(formValues(req.query));
    if (!parsed.success) throw new AppError('validation');
    const reference = await loadReference(db, req.ctx.prefecture.id, req.ctx.locale);
    const { rows, nextCursor } = await listDeadlines(db, { prefectureId: req.ctx.prefecture.id, after: parsed.data.after });
    const times = SUPERVISORS.includes(user.role as StaffRole) ? await processingTimes(db, { prefectureId: req.ctx.prefecture.id }) : null;
    return sendHtml(reply, <DeadlinesPageView ctx={req.ctx} rows={rows} nextCursor={nextCursor} times={times} reference={reference} first={!parsed.data.after} />);
  });

  const timesOut = z.array(z.object({ category: z.string(), decided: z.number().int(), p50Days: z.number(), p90Days: z.number() }));
  api.get(
    '/api/v1/instruction/deadlines',
    {
      schema: {
        tags: ['instruction'],
        summary: 'Open dossiers within 30 days of, or past, the 4-month implicit rejection (most urgent first)',
        security,
        querystring: cursorParam,
        response: {
          200: z.object({
            dossiers: z.array(
              z.object({
                id: z.string(),
                number: z.string(),
                category: z.string(),
                state: z.enum(DOSSIER_STATES as [string, ...string[]]),
                submittedAt: z.string(),
                deadline: z.string().describe('ISO 8601: filing + 4 months'),
                daysLeft: z.number().int().describe('negative once passed'),
                href: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      requireStaff(req);
      const { rows, nextCursor } = await listDeadlines(db, { prefectureId: req.ctx.prefecture.id, after: req.query.after });
      return {
        dossiers: rows.map((r) => ({
          id: r.id,
          number: r.number,
          category: r.categoryCode,
          state: r.state,
          submittedAt: r.submittedAt.toISOString(),
          deadline: r.deadline.toISOString(),
          daysLeft: r.daysLeft,
          href: `/agent/dossiers/${r.id}`,
        })),
        nextCursor,
      };
    },
  );

  // Statistics ------------------------------------------------------------------------------
  async function statistics(req: FastifyRequest) {
    requireStaff(req, SUPERVISORS);
    // The API's query is already parsed by its schema (numbers); pages get strings.
    const raw = Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string' || typeof v === 'number'));
    const parsed = statisticsQuerySchema.safeParse(raw);
    if (!parsed.success) throw new AppError('validation', 'errors.validation', fieldErrors(parsed.error));
    const stats = await computeStatistics(db, { prefectureId: req.ctx.prefecture.id, weeks: parsed.data.weeks, category: parsed.data.category });
    return { query: parsed.data, stats };
  }

  app.get('/agent/statistiques', async (req: FastifyRequest, reply: FastifyReply) => {
    const { query, stats } = await statistics(req);
    const reference = await loadReference(db, req.ctx.prefecture.id, req.ctx.locale);
    return sendHtml(reply, <StatisticsPageView ctx={req.ctx} stats={stats} reference={reference} query={query} />);
  });

  app.get('/agent/statistiques/export.csv', async (req: FastifyRequest, reply: FastifyReply) => {
    const table = (req.query as Record<string, unknown>).table;
    if (typeof table !== 'string' || !(STAT_TABLES as readonly string[]).includes(table)) throw new AppError('validation');
    const { stats } = await statistics(req);
    const reference = await loadReference(db, req.ctx.prefecture.id, req.ctx.locale);
    const csv = statisticsCsv(stats, table as StatTable, req.ctx.t, reference);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="statistiques-${table}-${stats.since}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  api.get(
    '/api/v1/instruction/statistics',
    {
      schema: {
        tags: ['instruction'],
        summary: 'Supervisor statistics: filed and decided per week, backlog by status, by category processing times (p50/p90, days) and rate of requests for pièces',
        security,
        querystring: statisticsQuerySchema,
        response: {
          200: z.object({
            weeks: z.number().int(),
            since: z.string().describe('Monday of the first week, YYYY-MM-DD (Paris)'),
            category: z.string().nullable(),
            weekly: z.array(z.object({ week: z.string(), filed: z.number().int(), decided: z.number().int() })),
            backlog: z.array(z.object({ state: z.string(), count: z.number().int() })),
            categories: z.array(
              z.object({
                category: z.string(),
                filed: z.number().int(),
                decided: z.number().int(),
                backlog: z.number().int(),
                p50Days: z.number().nullable(),
                p90Days: z.number().nullable(),
                piecesRequestRate: z.number().nullable().describe('0..1'),
              }),
            ),
            processingTimes: timesOut,
          }),
        },
      },
    },
    async (req) => {
      const { stats } = await statistics(req);
      return {
        ...stats,
        categories: stats.categories.map(({ categoryCode, ...c }) => ({ category: categoryCode, ...c })),
        processingTimes: stats.categories.filter((c) => c.p50Days !== null).map((c) => ({ category: c.categoryCode, decided: c.decided, p50Days: c.p50Days ?? 0, p90Days: c.p90Days ?? 0 })),
      };
    },
  );
}
