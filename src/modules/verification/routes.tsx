// Public verification of attestations: a form (GET /verifier?code=…), the QR target
// (GET /verifier/:code) and the API (GET /api/v1/verifications/:code). A lookup shows only the
// holder's name, the document type and its validity; an unknown code gets a neutral 404. Every
// lookup counts against a per-IP limit (lookup-limiter.ts), checked before the database, so a
// limited client learns nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { formatDateTime } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import { Layout } from '../../shared/web/layout';
import { sendHtml } from '../../shared/web/render';
import type { AttestationStatus } from './attestation-status';
import { CODE_LENGTH } from './code';
import { findAttestationByCode, type Attestation } from './find-attestation';
import { setupLookupLimiter } from './lookup-limiter';

const STATUS_ALERT: Record<AttestationStatus, string> = {
  valid: 'fr-alert--success',
  not_yet_valid: 'fr-alert--warning',
  expired: 'fr-alert--warning',
  revoked: 'fr-alert--error',
};

function CodeForm({ ctx, code, error }: { ctx: RequestContext; code: string; error?: string | undefined }) {
  const { t } = ctx;
  return (
    <form method="get" action="/verifier" class="fr-mt-4w" noValidate>
      <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
        <label class="fr-label" for="champ-code">
          {t('verification.code_label')}
          <span class="fr-hint-text">{t('verification.code_hint', { length: CODE_LENGTH })}</span>
        </label>
        <input
          class={`fr-input${error ? ' fr-input--error' : ''}`}
          id="champ-code"
          name="code"
          type="text"
          value={code}
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          maxLength={64}
          dir="ltr"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby="champ-code-messages"
        />
        <div class="fr-messages-group" id="champ-code-messages" aria-live="polite">
          {error ? <p class="fr-message fr-message--error">{t(error)}</p> : null}
        </div>
      </div>
      <button type="submit" class="fr-btn">
        {t('verification.submit')}
      </button>
    </form>
  );
}

function statusText(ctx: RequestContext, a: Attestation): string {
  const d = (x: Date) => formatDateTime(ctx.locale, x);
  switch (a.status) {
    case 'valid':
      return a.validUntil ? ctx.t('verification.status_valid_until', { from: d(a.validFrom), until: d(a.validUntil) }) : ctx.t('verification.status_valid_open', { from: d(a.validFrom) });
    case 'not_yet_valid':
      return ctx.t('verification.status_not_yet_valid', { from: d(a.validFrom) });
    case 'expired':
      return ctx.t('verification.status_expired', { until: d(a.validUntil ?? a.validFrom) });
    case 'revoked':
      return ctx.t('verification.status_revoked', { at: d(a.revokedAt ?? a.validFrom) });
  }
}

export async function verificationRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { check } = await setupLookupLimiter(app, { redisUrl: deps.config.redisUrl, log: deps.log });

  function page(req: FastifyRequest, reply: FastifyReply, body: ComponentChildren, status: number, hasErrors = false) {
    const { t } = req.ctx;
    reply.header('x-robots-tag', 'noindex, nofollow');
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t('verification.title')} hasErrors={hasErrors}>
        <div class="fr-grid-row">
          <div class="fr-col-12 fr-col-md-8">
            <h1>{t('verification.title')}</h1>
            {body}
          </div>
        </div>
      </Layout>,
      status,
    );
  }

  async function lookup(req: FastifyRequest, reply: FastifyReply, input: string) {
    const { t } = req.ctx;
    const limit = await check(req);
    if (!limit.allowed) {
      reply.header('retry-after', String(limit.retryAfterSeconds));
      return page(
        req,
        reply,
        <div class="fr-alert fr-alert--error" role="alert">
          <h2 class="fr-alert__title">{t('verification.limited_title')}</h2>
          <p>{t('verification.limited_body', { minutes: Math.max(1, Math.ceil(limit.retryAfterSeconds / 60)) })}</p>
        </div>,
        429,
      );
    }
    const found = await findAttestationByCode(deps.db, req.ctx.prefecture.id, input);
    if (!found) {
      return page(
        req,
        reply,
        <>
          <div class="fr-alert fr-alert--info" role="alert">
            <h2 class="fr-alert__title">{t('verification.not_found_title')}</h2>
            <p>{t('verification.not_found_body')}</p>
          </div>
          <CodeForm ctx={req.ctx} code={input} />
        </>,
        404,
      );
    }
    return page(
      req,
      reply,
      <>
        <div class={`fr-alert ${STATUS_ALERT[found.status]}`} role="status" data-status={found.status}>
          <h2 class="fr-alert__title">{t(`verification.result_${found.status}`)}</h2>
          <p>{statusText(req.ctx, found)}</p>
        </div>
        <dl class="app-verification fr-mt-3w">
          <dt class="fr-text--bold">{t('verification.holder')}</dt>
          <dd class="fr-mb-2w" data-field="holder">
            <bdi>{found.holderName}</bdi>
          </dd>
          <dt class="fr-text--bold">{t('verification.document')}</dt>
          <dd class="fr-mb-2w" data-field="kind">
            {t(`verification.kind_${found.kind}`)}
          </dd>
        </dl>
        <p class="fr-text--sm">{t('verification.privacy_note')}</p>
        <p>
          <a class="fr-link" href="/verifier">
            {t('verification.another')}
          </a>
        </p>
      </>,
      200,
    );
  }

  app.get<{ Querystring: { code?: unknown } }>('/verifier', async (req, reply) => {
    const code = req.query.code;
    if (code === undefined) {
      return page(
        req,
        reply,
        <>
          <p class="fr-text--lead">{req.ctx.t('verification.intro', { prefecture: req.ctx.prefecture.name })}</p>
          <CodeForm ctx={req.ctx} code="" />
        </>,
        200,
      );
    }
    const text = typeof code === 'string' ? code.trim() : '';
    if (!text) return page(req, reply, <CodeForm ctx={req.ctx} code="" error="verification.code_required" />, 400, true);
    return lookup(req, reply, text.slice(0, 64));
  });

  app.get<{ Params: { code: string } }>('/verifier/:code', async (req, reply) => lookup(req, reply, req.params.code.slice(0, 64)));

  api.get(
    '/api/v1/verifications/:code',
    {
      schema: {
        tags: ['verification'],
        summary: 'Check an attestation by its verification code (public, rate-limited per IP)',
        description:
          'The code is case-insensitive; dashes and spaces are ignored. Answers only the holder’s name, the document type and its validity; an unknown code is a 404 problem.',
        params: z.object({ code: z.string().min(1).max(64) }),
        response: {
          200: z.object({
            holderName: z.string(),
            kind: z.enum(['depot', 'prolongation', 'decision_favorable']),
            status: z.enum(['valid', 'not_yet_valid', 'expired', 'revoked']),
            validFrom: z.string().describe('ISO 8601'),
            validUntil: z.string().nullable().describe('ISO 8601; null: no end date'),
            revokedAt: z.string().nullable().describe('ISO 8601; null unless revoked'),
          }),
        },
      },
    },
    async (req, reply) => {
      const limit = await check(req);
      if (!limit.allowed) {
        reply.header('retry-after', String(limit.retryAfterSeconds));
        throw new AppError('rate_limited', 'verification.limited_api');
      }
      const found = await findAttestationByCode(deps.db, req.ctx.prefecture.id, req.params.code);
      if (!found) throw new AppError('not_found', 'verification.not_found_body');
      return {
        holderName: found.holderName,
        kind: found.kind,
        status: found.status,
        validFrom: found.validFrom.toISOString(),
        validUntil: found.validUntil?.toISOString() ?? null,
        revokedAt: found.status === 'revoked' && found.revokedAt ? found.revokedAt.toISOString() : null,
      };
    },
  );
}
