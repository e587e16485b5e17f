// Boots the whole Séjour app on a real database for a test: PGlite in memory by default, or a
// fresh schema on the PostgreSQL server when SEJOUR_TEST_DB=postgresql (TEST_DATABASE_URL).
// Background jobs are off: tests run them with app.deps.jobs.drain() at the point they choose.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { HERAULT } from '../../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../../src/modules/prefectures/seed-prefecture';

export type Backend = 'pglite' | 'postgresql';

export function testBackend(): Backend {
  return process.env.SEJOUR_TEST_DB === 'postgresql' ? 'postgresql' : 'pglite';
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('SEJOUR_TEST_DB=postgresql needs TEST_DATABASE_URL');
  return url;
}

type Closer = { after(fn: () => Promise<void> | void): void };

// PGlite's initdb costs seconds per instance: each test process migrates one instance with the
// production migration runner, dumps it, and starts every test's database from that image.
let image: Promise<Blob> | null = null;
function migratedImage(): Promise<Blob> {
  image ??= (async () => {
    const database = await openDatabase({ database: { kind: 'pglite', dataDir: null } });
    try {
      await migrate(database);
      const dump = database.dumpImage;
      if (!dump) throw new Error('PGlite database without dumpImage');
      return await dump.call(database);
    } finally {
      await database.close();
    }
  })();
  return image;
}

/** Opens an empty, migrated-by-the-app database of the backend under test; dropped after the test. */
export async function openTestDatabase(t: Closer, backend: Backend = testBackend()): Promise<Database> {
  if (backend === 'pglite') {
    const database = await openDatabase({ database: { kind: 'pglite', dataDir: null } }, { pgliteImage: await migratedImage() });
    t.after(() => database.close());
    return database;
  }
  const url = testDatabaseUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = await openDatabase({ database: { kind: 'postgresql', url, schema } });
  t.after(async () => {
    await database.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });
  return database;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    { NODE_ENV: 'test', PORT: '0', PUBLIC_URL: 'http://localhost:3000', SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789', JOBS: 'false' },
    overrides,
  );
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  prefectureId: string;
}

/** The whole app on a fresh database with the Hérault préfecture seeded (no demo accounts). */
export async function build(t: Closer, opts: { config?: Partial<Config>; database?: Database } = {}): Promise<TestApp> {
  const database = opts.database ?? (await openTestDatabase(t));
  const app = await buildApp(testConfig(opts.config), { database, logger: false });
  t.after(() => app.close());
  await app.ready();
  const { id } = await seedPrefecture(app.deps.db, HERAULT);
  return { app, database, prefectureId: id };
}
