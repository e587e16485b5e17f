// Per-IP limit on verification lookups (pages and API share one budget): 30 per 10 minutes.
// @fastify/rate-limit counts in Redis when REDIS_URL is set (shared by every instance), in
// memory otherwise. A Redis outage does not open the gate: each count that Redis cannot
// answer (error, or no answer within 250 ms) is made in this instance's memory instead, and
// a warning is logged (at most once a minute). The limit then holds per instance until Redis
// is back.
import rateLimit, { type FastifyRateLimitOptions, type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { createRequire } from 'node:module';

export const LOOKUP_LIMIT = { max: 30, timeWindowMs: 10 * 60 * 1000 };
const REDIS_TIMEOUT_MS = 250;

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;
interface StoreLike {
  incr(key: string, cb: IncrCallback, timeWindow: number, max: number): void;
}

// The plugin's own stores (CommonJS files, not in its typed exports).
const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => StoreLike;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, key?: string) => StoreLike;

export interface LimiterState {
  /** Counts made in memory because Redis did not answer (observable in tests and logs). */
  fallbacks: number;
  lastWarnAt: number;
}

function fallbackStore(redis: Redis | null, log: FastifyBaseLogger, state: LimiterState, namespace: string): FastifyRateLimitStoreCtor {
  return class FallbackStore implements FastifyRateLimitStore {
    private readonly local: StoreLike;
    private readonly remote: StoreLike | null;
    constructor(_options: FastifyRateLimitOptions) {
      this.local = new LocalStore(false, false, 10_000);
      this.remote = redis ? new RedisStore(false, false, redis, namespace) : null;
    }
    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      if (!this.remote) return this.local.incr(key, callback, timeWindow, max);
      let settled = false;
      const fallback = (err: Error) => {
        if (settled) return;
        settled = true;
        state.fallbacks += 1;
        const now = Date.now();
        if (now - state.lastWarnAt > 60_000) {
          state.lastWarnAt = now;
          log.warn({ err: err.message }, 'verification rate limit: Redis unavailable, counting in this instance’s memory');
        }
        this.local.incr(key, callback, timeWindow, max);
      };
      const timer = setTimeout(() => fallback(new Error('Redis timeout')), REDIS_TIMEOUT_MS);
      try {
        this.remote.incr(
          key,
          (err, res) => {
            clearTimeout(timer);
            if (err || !res) return fallback(err ?? new Error('no answer'));
            if (settled) return;
            settled = true;
            callback(null, res);
          },
          timeWindow,
          max,
        );
      } catch (err) {
        clearTimeout(timer);
        fallback(err instanceof Error ? err : new Error(String(err)));
      }
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

export type LookupLimit = (req: FastifyRequest) => Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;

/** Registers @fastify/rate-limit in the calling plugin's scope and returns the lookup check. */
export async function setupLookupLimiter(
  app: FastifyInstance,
  opts: { redisUrl: string | null; log: FastifyBaseLogger; max?: number; timeWindowMs?: number; namespace?: string },
): Promise<{ check: LookupLimit; state: LimiterState }> {
  const state: LimiterState = { fallbacks: 0, lastWarnAt: 0 };
  let redis: Redis | null = null;
  if (opts.redisUrl) {
    redis = new Redis(opts.redisUrl, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    // Connection errors surface as failed counts (and the warning above); keep them off stderr.
    redis.on('error', () => undefined);
    const client = redis;
    app.addHook('onClose', async () => {
      client.disconnect();
    });
    // Wait (briefly) for the connection, so the first lookups are not all counted in memory.
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2000);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ready) opts.log.warn('verification rate limit: Redis not reachable at start, counting in memory until it is');
  }
  await app.register(rateLimit, {
    global: false,
    skipOnError: false,
    store: fallbackStore(redis, opts.log, state, opts.namespace ?? 'sejour:verify:'),
  });
  const limiter = app.createRateLimit({
    max: opts.max ?? LOOKUP_LIMIT.max,
    timeWindow: opts.timeWindowMs ?? LOOKUP_LIMIT.timeWindowMs,
    keyGenerator: (req) => `ip:${req.ip}`,
  });
  const check: LookupLimit = async (req) => {
    const r = await limiter(req);
    if (r.isAllowed || !r.isExceeded) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, r.ttlInSeconds) };
  };
  return { check, state };
}
