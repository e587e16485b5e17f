// Maintenance commands: `npm run cli -- <command> [options]`. Each module adds its commands
// to COMMANDS (one line), implemented in its own folder.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrate } from './db/migrate';
import { seed } from './seed';
import { drawVerifyCommand } from './modules/appointments/cli';
import { createStaffCommand, totpCodeCommand } from './modules/accounts/cli';
import { auditVerifyCommand } from './modules/audit/cli';

export interface CliContext {
  config: Config;
  database: Database;
  args: string[];
  /** Parses --flags of this command. */
  flags<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(options: T): ReturnType<typeof parseArgs<{ options: T; args: string[]; allowPositionals: true; strict: true }>>;
}

export interface Command {
  summary: string;
  usage?: string;
  /** Needs no database: it is not opened (a running server may hold PGlite's files). ctx.database is then unusable. */
  noDatabase?: boolean;
  run(ctx: CliContext): Promise<number | void>;
}

const COMMANDS: Record<string, Command> = {
  'audit:verify': auditVerifyCommand,
  'draw:verify': drawVerifyCommand,
  'create-staff': createStaffCommand,
  'totp-code': totpCodeCommand,
  migrate: {
    summary: 'Apply pending database migrations',
    async run({ database }) {
      const applied = await migrate(database);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    },
  },
  seed: {
    summary: 'Create reference data (Hérault) and, outside production, demo accounts',
    async run({ config, database }) {
      await migrate(database);
      const res = await seed({ db: database.db, config }, { demo: config.env !== 'production' });
      console.log(res.prefectureCreated ? 'Created the Hérault préfecture and its sites.' : 'The Hérault préfecture already exists.');
      for (const a of res.demoAccounts) console.log(`Demo ${a.role}: ${a.email} / ${a.password}`);
    },
  },
};

export function registerCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

function help(): void {
  console.log('Usage: npm run cli -- <command> [options]\n\nCommands:');
  for (const [name, c] of Object.entries(COMMANDS).sort()) console.log(`  ${name.padEnd(16)} ${c.summary}${c.usage ? `\n  ${''.padEnd(16)} ${c.usage}` : ''}`);
}

export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    help();
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command: ${name}`);
    help();
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const database = command.noDatabase ? null : await openDatabase(config);
  try {
    const ctx: CliContext = {
      config,
      database: database as Database,
      args,
      flags: (options) => parseArgs({ args, options, allowPositionals: true, strict: true }) as never,
    };
    const code = await command.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await database?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Let the process end by itself once the database is closed (an abrupt process.exit while
  // loader threads are still winding down has been seen to kill the process by a signal); a
  // handle left open by mistake still cannot keep it alive past a few seconds.
  const finish = (code: number) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 5000).unref();
  };
  runCli(process.argv.slice(2)).then(finish, (err: unknown) => {
    console.error(err);
    finish(1);
  });
}
