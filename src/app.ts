// Builds the Séjour application: external plugins, then app plugins, then each domain
// module's routes. No network listening here (server.ts does it), so tests boot the real
// app on a real database and use inject().
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrate } from './db/migrate';
import type { AppDeps } from './shared/deps';
import { JobRunner } from './shared/jobs/queue';
import { registerMailJob } from './shared/mail/mail';
import { SecretBox } from './shared/security/secret-box';
import { registerErrorHandling } from './shared/web/error-handler';
import { requestContextPlugin } from './shared/web/request-context';
import { securityHeaders } from './shared/web/security-headers';
import { MODULES } from './modules';
import { projectPath } from './shared/paths';
import { serializeError } from './shared/source-stack';

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export interface BuildOptions {
  /** An already opened database (tests); otherwise opened from the config. */
  database?: Database;
  /** Pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
}

const DSFR_DIR = projectPath('node_modules', '@gouvfr', 'dsfr', 'dist');
const PUBLIC_DIR = projectPath('public');

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const database = options.database ?? (await openDatabase(config));
  await migrate(database);

  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            serializers: { err: serializeError },
            redact: {
              paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.token', '*.secret'],
              censor: '[redacted]',
            },
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const jobs = new JobRunner(database.db, app.log);
  const deps: AppDeps = {
    config,
    database,
    db: database.db,
    jobs,
    secrets: new SecretBox(config.secretKey, 'at-rest-v1'),
    log: app.log,
  };
  app.decorate('deps', deps);
  const mailer = registerMailJob(jobs, database.db, config.smtpUrl, config.mailFrom);

  // External plugins
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(fastifyStatic, { root: DSFR_DIR, prefix: '/static/dsfr/', maxAge: '1d', index: false });
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/app/', maxAge: '1h', index: false, decorateReply: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Séjour API', version: config.version, description: 'Titres de séjour and appointments for French préfectures.' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Token from POST /api/v1/sessions' } },
      },
    },
    transform: (args) => {
      if (!args.url.startsWith('/api/v1/')) return { schema: { ...args.schema, hide: true }, url: args.url };
      return jsonSchemaTransform(args);
    },
  });

  // App plugins
  app.addHook('onRequest', async (req) => {
    req.log.debug({ url: req.url }, 'request');
  });
  await app.register(securityHeaders, { config });
  await app.register(requestContextPlugin, { deps });
  registerErrorHandling(app);

  // Domain modules
  for (const mod of MODULES) {
    await app.register(mod, { deps });
  }

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onReady', async () => {
    if (config.jobs.enabled) jobs.start(config.jobs.pollMs);
  });
  app.addHook('onClose', async () => {
    await jobs.stop();
    mailer.close();
    if (!options.database) await database.close();
  });
  return app;
}
