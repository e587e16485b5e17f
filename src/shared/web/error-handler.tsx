// The one error handler: AppError codes → HTTP status; pages get a DSFR error page, the API
// gets RFC 9457 problem+json. No stack trace ever reaches a user; 5xx are logged.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode } from '../errors';
import { negotiateLocale, RTL_LOCALES, translator } from '../i18n';
import { RedirectTo, RedirectToLogin } from '../auth/guards';
import type { RequestContext } from './context';
import { Layout } from './layout';
import { sendHtml } from './render';
import { isApiRequest } from './request-context';

const STATUS_CODE: Record<number, ErrorCode> = Object.fromEntries(
  Object.entries(ERROR_STATUS).map(([code, status]) => [status, code as ErrorCode]),
);

function fallbackContext(req: FastifyRequest): RequestContext {
  const locale = negotiateLocale(req.headers['accept-language']);
  return {
    prefecture: { id: '', code: '', name: 'Séjour', department_name: '', contact_email: '' },
    user: null,
    session: null,
    locale,
    dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr',
    t: translator(locale, false),
    csrfToken: '',
    path: '/',
    flash: null,
  };
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const t = req.ctx?.t ?? fallbackContext(req).t;
  const body: Record<string, unknown> = {
    type: `urn:sejour:problem:${err.code}`,
    title: t(`errors.${err.code}`),
    status: err.status,
    detail: t(err.messageKey, err.params),
    instance: req.url.split('?')[0],
    requestId: req.id,
  };
  const fields = Object.entries(err.fields);
  if (fields.length) body.errors = fields.map(([field, key]) => ({ field, code: key, message: t(key) }));
  return reply.status(err.status).type('application/problem+json; charset=utf-8').send(body);
}

export function ErrorPage({ ctx, status, messageKey, params }: { ctx: RequestContext; status: number; messageKey: string; params?: Record<string, string | number> }) {
  const { t } = ctx;
  const titleKey = status === 404 ? 'errors.page_not_found_title' : status >= 500 ? 'errors.server_error_title' : 'errors.page_error_title';
  return (
    <Layout ctx={ctx} title={t(titleKey)}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8">
          <h1>{t(titleKey)}</h1>
          <p class="fr-text--sm fr-mb-3w">{t('errors.error_code', { status })}</p>
          <p class="fr-text--lead fr-mb-3w">{t(messageKey, params)}</p>
          {status >= 500 ? <p>{t('errors.server_error_help')}</p> : null}
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/">
                {t('common.home')}
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}

function toAppError(err: FastifyError | Error): AppError | null {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError;
  if (fe.validation) return new AppError('validation', 'errors.validation');
  const status = fe.statusCode;
  if (status && status >= 400 && status < 500) {
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return new AppError('payload_too_large', 'errors.payload_too_large');
    if (status === 415) return new AppError('unsupported_media_type', 'errors.unsupported_media_type');
    if (status === 429) return new AppError('rate_limited', 'errors.rate_limited');
    if (status === 404) return new AppError('not_found');
    return new AppError(STATUS_CODE[status] ?? 'validation', 'errors.bad_request');
  }
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError | Error, req, reply) => {
    if (error instanceof RedirectToLogin) {
      return reply.redirect(`/compte/connexion?next=${encodeURIComponent(error.next)}`, 303);
    }
    if (error instanceof RedirectTo) return reply.redirect(error.location, 303);
    let appError = toAppError(error);
    if (!appError) {
      req.log.error({ err: error }, 'unhandled error');
      appError = new AppError('internal', 'errors.internal');
    } else if (appError.status >= 500) {
      req.log.error({ err: error }, appError.code);
    }
    if (isApiRequest(req)) return sendProblem(req, reply, appError);
    const ctx = req.ctx ?? fallbackContext(req);
    return sendHtml(reply, <ErrorPage ctx={ctx} status={appError.status} messageKey={appError.messageKey} params={appError.params} />, appError.status);
  });

  app.setNotFoundHandler(async (req, reply) => {
    const err = new AppError('not_found', 'errors.page_not_found');
    if (isApiRequest(req)) return sendProblem(req, reply, err);
    const ctx = req.ctx ?? fallbackContext(req);
    return sendHtml(reply, <ErrorPage ctx={ctx} status={404} messageKey="errors.page_not_found" />, 404);
  });
}
