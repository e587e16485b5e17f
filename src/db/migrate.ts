// Versioned migrations: plain SQL files in /migrations, applied in name order, each in
// its own transaction, recorded in schema_migrations. The same code runs them at start,
// from `npm run cli -- migrate`, and in tests. An advisory lock makes concurrent starts
// of several instances safe.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from './database';
import { projectPath } from '../shared/paths';

export const MIGRATIONS_DIR = projectPath('migrations');
const LOCK_KEY = 7_340_001; // arbitrary, constant across versions

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = listMigrations(dir);
  const applied: string[] = [];
  await database.execScript(`
    create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    );`);
  for (const file of files) {
    const script = `
      begin;
      select pg_advisory_xact_lock(${LOCK_KEY});
      do $migrate$ begin
        if exists (select 1 from schema_migrations where name = '${file.name}') then
          raise exception 'sejour-migration-already-applied';
        end if;
      end $migrate$;
      ${file.sql}
      ;
      insert into schema_migrations (name, checksum) values ('${file.name}', '${file.checksum}');
      commit;`;
    const done = await sql<{ checksum: string }>`select checksum from schema_migrations where name = ${file.name}`.execute(
      database.db,
    );
    if (done.rows[0]) {
      if (done.rows[0].checksum !== file.checksum) {
        throw new Error(`Migration ${file.name} was changed after it was applied; add a new migration instead.`);
      }
      continue;
    }
    try {
      await database.execScript(script);
      applied.push(file.name);
    } catch (err) {
      if (err instanceof Error && err.message.includes('sejour-migration-already-applied')) continue; // another instance did it
      throw new Error(`Migration ${file.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return applied;
}
