// Home, accessibility statement, health, metrics and the development mail outbox.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../shared/deps';
import { ping } from '../../db/database';
import { safeEqual } from '../../shared/security/tokens';
import { Layout } from '../../shared/web/layout';
import { sendHtml } from '../../shared/web/render';
import { formatDateTime } from '../../shared/i18n';
import { setupMetrics } from './metrics';

interface HomeAction {
  href: string;
  label: string;
  secondary?: boolean;
}

/** One DSFR card of the home page: a title, a sentence, and the links that act on it. */
function HomeCard({ title, desc, actions }: { title: string; desc: string; actions: HomeAction[] }) {
  return (
    <div class="fr-col-12 fr-col-md-6">
      <div class="fr-card">
        <div class="fr-card__body">
          <div class="fr-card__content">
            <h2 class="fr-card__title">{title}</h2>
            <p class="fr-card__desc">{desc}</p>
          </div>
          {actions.length > 0 ? (
            <div class="fr-card__footer">
              <ul class="fr-btns-group fr-btns-group--inline-md">
                {actions.map((a) => (
                  <li>
                    <a class={a.secondary ? 'fr-btn fr-btn--secondary' : 'fr-btn'} href={a.href}>
                      {a.label}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}

export async function systemRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const registry = setupMetrics(app);

  api.get(
    '/healthz',
    {
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']), version: z.string() }),
          503: z.object({ status: z.literal('unavailable'), database: z.enum(['pglite', 'postgresql']), version: z.string() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await ping(deps.db);
        return { status: 'ok' as const, database: deps.database.kind, version: deps.config.version };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: deps.database.kind, version: deps.config.version });
      }
    },
  );

  // Closed to the public: only with METRICS_TOKEN as a bearer token; absent otherwise.
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const token = deps.config.metricsToken;
    const auth = req.headers.authorization ?? '';
    if (!token || !auth.startsWith('Bearer ') || !safeEqual(auth.slice(7), token)) {
      return reply.status(404).type('text/plain').send('Not Found');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/', async (req, reply) => {
    const { t } = req.ctx;
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t('system.home_title')}>
        <h1>{t('system.home_heading')}</h1>
        <p class="fr-text--lead">{t('system.home_lead', { prefecture: req.ctx.prefecture.name })}</p>
        <div class="fr-grid-row fr-grid-row--gutters">
          <HomeCard
            title={t('system.home_dossier_title')}
            desc={t('system.home_dossier_desc')}
            actions={[{ href: req.ctx.user ? '/compte' : '/compte/inscription', label: req.ctx.user ? t('common.my_account') : t('common.register') }]}
          />
          <HomeCard
            title={t('system.home_appointment_title')}
            desc={t('system.home_appointment_desc')}
            actions={[
              { href: '/rendez-vous', label: t('system.home_appointment_action') },
              { href: '/rendez-vous/sans-rendez-vous', label: t('system.home_walk_in_action'), secondary: true },
            ]}
          />
          <HomeCard
            title={t('system.home_verify_title')}
            desc={t('system.home_verify_desc')}
            actions={[{ href: '/verifier', label: t('system.home_verify_action'), secondary: true }]}
          />
          <HomeCard title={t('system.home_help_title')} desc={t('system.home_help_desc', { email: req.ctx.prefecture.contact_email })} actions={[]} />
        </div>
      </Layout>,
    );
  });

  app.get('/accessibilite', async (req, reply) => {
    const { t } = req.ctx;
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t('system.a11y_title')}>
        <h1>{t('system.a11y_title')}</h1>
        <p>{t('system.a11y_body')}</p>
        <p>{t('system.a11y_contact', { email: req.ctx.prefecture.contact_email })}</p>
      </Layout>,
    );
  });

  // Development only: the mails that would have been sent, so a newcomer can click links.
  if (deps.config.env !== 'production') {
    app.get('/dev/outbox', async (req, reply) => {
      const { t } = req.ctx;
      const mails = await deps.db
        .selectFrom('mails')
        .select(['id', 'to_address', 'subject', 'text_body', 'status', 'created_at'])
        .where((eb) => eb.or([eb('prefecture_id', '=', req.ctx.prefecture.id), eb('prefecture_id', 'is', null)]))
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      return sendHtml(
        reply,
        <Layout ctx={req.ctx} title={t('system.outbox_title')}>
          <h1>{t('system.outbox_title')}</h1>
          <p>{t('system.outbox_intro')}</p>
          {mails.length === 0 ? <p>{t('system.outbox_empty')}</p> : null}
          {mails.map((m) => (
            <article class="fr-mb-4w" data-mail-id={m.id}>
              <h2 class="fr-h5">{m.subject}</h2>
              <p class="fr-text--sm">
                {t('system.outbox_to')} <span class="outbox-to">{m.to_address}</span> · {formatDateTime(req.ctx.locale, m.created_at)} · {m.status}
              </p>
              <pre class="outbox-body">
                {m.text_body.split(/(https?:\/\/\S+)/).map((part) =>
                  /^https?:\/\//.test(part) ? <a href={part}>{part}</a> : part,
                )}
              </pre>
            </article>
          ))}
        </Layout>,
      );
    });
  }
}
