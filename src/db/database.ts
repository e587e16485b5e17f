// Opens the database: PGlite (embedded, default) or a PostgreSQL server (DATABASE_URL).
// Both speak the same SQL; the migrations and every query run unchanged on each.
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { PGliteDialect } from './pglite-dialect';
import type { DB } from './schema';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Runs a script of several statements (migrations). */
  execScript(script: string): Promise<void>;
  /** PGlite only: a dump of the data directory, to start other instances from (see openDatabase). */
  dumpImage?(): Promise<Blob>;
  close(): Promise<void>;
}

// Same value types on both backends: bigint as number, date as 'YYYY-MM-DD' text.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/**
 * PGlite runs inside the Séjour process, so its buffer pool is the process's memory: 128 MB by
 * default, which alone made an idle server on PGlite weigh 437 MiB (bench/uploads.ts). Its data
 * files are read through the operating system's page cache anyway, so a 16 MB pool (2,048
 * pages, more than a préfecture's hot tables) costs little: idle RSS 309 MiB then (181 MiB with
 * the settings of scripts/start.sh).
 */
export const PGLITE_SETTINGS = ['shared_buffers=16MB', 'wal_buffers=512kB'];

/**
 * Opens the configured database. `options.pgliteImage`: an in-memory PGlite starts from this
 * dump of another instance's data directory (PGlite's dumpDataDir) instead of running initdb;
 * the test suite uses it to start each test from one migrated image.
 */
export async function openDatabase(config: Pick<Config, 'database'>, options: { pgliteImage?: Blob } = {}): Promise<Database> {
  const target = config.database;
  if (target.kind === 'postgresql') {
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return (v: string) => Number(v);
        if (oid === DATE) return (v: string) => v;
        if (oid === NUMERIC) return (v: string) => Number(v);
        return pg.types.getTypeParser(oid, format);
      },
    } as pg.CustomTypesConfig;
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      types,
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    });
    pool.on('error', () => {
      /* idle client errors are reported by the next query */
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgresql',
      async execScript(script) {
        const client = await pool.connect();
        try {
          await client.query(script);
        } catch (err) {
          await client.query('rollback').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      },
      async close() {
        await db.destroy();
      },
    };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])],
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    ...(options.pgliteImage && !target.dataDir ? { loadDataDir: options.pgliteImage } : {}),
    parsers: {
      [INT8]: (v: string) => Number(v),
      [DATE]: (v: string) => v,
      [NUMERIC]: (v: string) => Number(v),
    },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    async execScript(script) {
      // Goes through Kysely's connection queue so it never interleaves with a transaction.
      await db.connection().execute(async () => {
        try {
          await pglite.exec(script);
        } catch (err) {
          await pglite.exec('rollback').catch(() => undefined);
          throw err;
        }
      });
    },
    async dumpImage() {
      return db.connection().execute(() => pglite.dumpDataDir('none'));
    },
    async close() {
      await db.destroy();
    },
  };
}

export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
