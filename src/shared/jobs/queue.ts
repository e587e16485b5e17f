// Durable jobs in the database (table jobs), so that they survive restarts and run on PGlite
// as on a PostgreSQL server. Several instances can poll the same table: a job is claimed
// with FOR UPDATE SKIP LOCKED and a lease (locked_until); a crashed worker's lease expires
// and another picks the job up. Failed jobs are retried with exponential backoff.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../../db/schema';

export interface JobRow {
  id: number;
  kind: string;
  prefecture_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
}

export type JobHandler = (job: JobRow) => Promise<void>;

export interface EnqueueOptions {
  kind: string;
  payload?: Record<string, unknown>;
  prefectureId?: string | null;
  runAt?: Date;
  /** At most one job with this key ever exists; a second enqueue is ignored. */
  uniqueKey?: string;
}

export async function enqueueJob(db: Kysely<DB> | Transaction<DB>, opts: EnqueueOptions): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      kind: opts.kind,
      payload: JSON.stringify(opts.payload ?? {}),
      prefecture_id: opts.prefectureId ?? null,
      run_at: opts.runAt ?? new Date(),
      unique_key: opts.uniqueKey ?? null,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .execute();
}

const LEASE_SECONDS = 120;
const MAX_BACKOFF_SECONDS = 3600;

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly log: FastifyBaseLogger,
  ) {}

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`Job handler already registered: ${kind}`);
    this.handlers.set(kind, handler);
  }

  /** Claims up to `limit` due jobs and runs them. Returns how many ran. */
  async runDue(limit = 20): Promise<number> {
    const kinds = [...this.handlers.keys()];
    if (!kinds.length) return 0;
    const claimed = await this.db.transaction().execute(async (trx) => {
      const ids = trx
        .selectFrom('jobs')
        .select('id')
        .where('done_at', 'is', null)
        .where('kind', 'in', kinds)
        .where('run_at', '<=', sql<Date>`now()`)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
        .orderBy('run_at')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      return trx
        .updateTable('jobs')
        .set({
          locked_until: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
          attempts: sql`attempts + 1`,
        })
        .where('id', 'in', ids)
        .returning(['id', 'kind', 'prefecture_id', 'payload', 'attempts'])
        .execute();
    });
    for (const job of claimed) {
      const handler = this.handlers.get(job.kind);
      if (!handler) continue;
      try {
        await handler(job as JobRow);
        await this.db.updateTable('jobs').set({ done_at: new Date(), locked_until: null, last_error: null }).where('id', '=', job.id).execute();
      } catch (err) {
        const delay = Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.min(job.attempts, 12) * 5);
        const message = err instanceof Error ? err.message : String(err);
        this.log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, err: message }, 'job failed, will retry');
        await this.db
          .updateTable('jobs')
          .set({ locked_until: null, last_error: message.slice(0, 2000), run_at: new Date(Date.now() + delay * 1000) })
          .where('id', '=', job.id)
          .execute();
      }
    }
    return claimed.length;
  }

  /** Runs due jobs until none is left (tests and the CLI). */
  async drain(maxRounds = 50): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      if ((await this.runDue()) === 0) return;
    }
  }

  start(pollMs: number): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runDue()
        .catch((err: unknown) => this.log.error({ err }, 'job poll failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, pollMs);
        });
    };
    this.timer = setTimeout(tick, Math.min(pollMs, 200));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
