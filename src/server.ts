// Starts Séjour: validated configuration, database (migrated at start), demo data on an empty
// database outside production, HTTP server, graceful shutdown on SIGINT/SIGTERM.
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DEMO_ACCOUNTS, isEmpty, seed } from './seed';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Séjour cannot start.\n${err.message}\nSee README.md, section "Configuration".`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp(config);
  const demo = config.env !== 'production';
  if (await isEmpty(app.deps)) {
    const result = await seed(app.deps, { demo });
    app.log.info({ prefectureCreated: result.prefectureCreated, demoAccounts: result.demoAccounts.length }, 'seeded an empty database');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  const lines = [
    '',
    `  Séjour is running: ${config.publicUrl}`,
    `  Database: ${app.deps.database.kind === 'pglite' ? `PGlite (embedded) in ${config.dataDir}` : 'PostgreSQL server'}`,
  ];
  if (demo) {
    lines.push(`  Mails (no SMTP_URL set): ${config.publicUrl}/dev/outbox`, '  Demo logins (préfecture de l’Hérault):');
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.role.padEnd(10)} ${a.email}  /  ${a.password}`);
    lines.push('  Staff enrol two-factor authentication at first login;', '  `npm run cli -- totp-code <secret>` prints a code for the secret shown.');
  }
  console.log(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  console.error('Séjour failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
