// What use cases need from the outside world, built once in app.ts and passed explicitly.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import type { JobRunner } from './jobs/queue';
import type { SecretBox } from './security/secret-box';

export interface AppDeps {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  jobs: JobRunner;
  /** Encrypts small secrets at rest (TOTP seeds). */
  secrets: SecretBox;
  log: FastifyBaseLogger;
}
