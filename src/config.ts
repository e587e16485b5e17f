// Configuration comes only from environment variables, validated once at start.
// Every variable and its default is listed in README.md ("Configuration").
import { z } from 'zod';

const DEV_SECRET = 'dev-only-secret-change-me-in-production-0000000000';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().default('Séjour <no-reply@sejour.localhost>'),
  SECRET_KEY: z.string().optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  METRICS_TOKEN: z.string().min(16).optional(),
  DEFAULT_PREFECTURE: z.string().default('34'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JOBS: bool.default(true),
  JOB_POLL_MS: z.coerce.number().int().min(10).default(1000),
  TRUST_PROXY: bool.default(false),
  UPLOAD_MAX_FILE_MB: z.coerce.number().positive().max(1024).default(10),
  UPLOAD_MAX_DOSSIER_MB: z.coerce.number().positive().max(100_000).default(100),
  CLAMD_URL: z.string().regex(/^tcp:\/\/[^:/]+:\d+\/?$/, 'must be a tcp://host:port URL').optional(),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  secureCookies: boolean;
  database: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgresql'; url: string; schema?: string };
  dataDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  secretKey: string;
  redisUrl: string | null;
  metricsToken: string | null;
  defaultPrefecture: string;
  logLevel: string;
  jobs: { enabled: boolean; pollMs: number };
  trustProxy: boolean;
  /** Documents: per-file and per-dossier limits in bytes; clamd address (null: files are not scanned). */
  uploads: { maxFileBytes: number; maxDossierBytes: number; clamdUrl: string | null };
  /**
   * Staff queues: the sample that tells a broad name search from a narrow one
   * (src/modules/queues/search.ts). Not read from the environment; the tests shrink it.
   */
  queues: { nameProbe: { sample: number; broadFrom: number } };
  version: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const VERSION = '0.1.0';

/**
 * In service: 6 matches among the first 2,000 dossiers of the listed queue (one in 330) make a
 * name search broad. Near that density both paths cost about the same at a million dossiers
 * (bench/queues.ts, 10-15 ms): the queue index reads about 17,000 entries for a first page, the
 * trigram index about 3,000 matches from the table, page and counts in one pass. A sample of
 * 2,000 rather than 5,000 costs 2.7 ms instead of 5 ms, on every name search.
 */
export const QUEUE_NAME_PROBE = { sample: 2000, broadFrom: 6 };

/** Reads and validates the configuration. Throws ConfigError with every problem at once. */
export function loadConfig(source: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production') {
    if (!e.SECRET_KEY) problems.push('SECRET_KEY: required in production (at least 32 random characters)');
    else if (e.SECRET_KEY === DEV_SECRET) problems.push('SECRET_KEY: the development default cannot be used in production');
    else if (e.SECRET_KEY.length < 32) problems.push('SECRET_KEY: must be at least 32 characters in production');
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL: required in production (the address applicants use, e.g. https://sejour.example.gouv.fr)');
  }
  if (problems.length) throw new ConfigError(problems);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    database: e.DATABASE_URL ? { kind: 'postgresql', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: `${e.DATA_DIR}/pglite` },
    dataDir: e.DATA_DIR,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    secretKey: e.SECRET_KEY ?? DEV_SECRET,
    redisUrl: e.REDIS_URL ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
    defaultPrefecture: e.DEFAULT_PREFECTURE,
    logLevel: e.LOG_LEVEL,
    jobs: { enabled: e.JOBS, pollMs: e.JOB_POLL_MS },
    trustProxy: e.TRUST_PROXY,
    uploads: {
      maxFileBytes: Math.round(e.UPLOAD_MAX_FILE_MB * 1024 * 1024),
      maxDossierBytes: Math.round(e.UPLOAD_MAX_DOSSIER_MB * 1024 * 1024),
      clamdUrl: e.CLAMD_URL ?? null,
    },
    queues: { nameProbe: QUEUE_NAME_PROBE },
    version: VERSION,
    ...overrides,
  };
}
