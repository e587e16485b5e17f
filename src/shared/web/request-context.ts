// Resolves, for every request: the préfecture (from the Host header, else the default one),
// the session and user, the language, and the CSRF token; checks the CSRF token on every
// state-changing form post. API routes (/api/) authenticate with a bearer token instead of
// cookies, so they carry no CSRF risk and are exempt.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { isLocale, negotiateLocale, RTL_LOCALES, translator, type Locale } from '../i18n';
import { findSession, SESSION_COOKIE } from '../auth/sessions';
import { hmac, randomToken, safeEqual } from '../security/tokens';
import type { Prefecture, RequestContext } from './context';

export const LANG_COOKIE = 'sejour_lang';
export const CSRF_COOKIE = 'sejour_csrf';
export const FLASH_COOKIE = 'sejour_flash';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
  interface FastifyReply {
    /** Sets a one-time message (i18n key) shown on the next page. */
    flash(key: string): FastifyReply;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Requests that arrived without a valid CSRF cookie: their posts can never pass. */
const withoutCsrfCookie = new WeakSet<FastifyRequest>();

export function isApiRequest(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

async function resolvePrefecture(deps: AppDeps, host: string | undefined): Promise<Prefecture> {
  const hostname = (host ?? '').split(':')[0]?.toLowerCase() ?? '';
  const cols = ['id', 'code', 'name', 'department_name', 'contact_email'] as const;
  if (hostname) {
    const byHost = await deps.db.selectFrom('prefectures').select(cols).where(sql<boolean>`${hostname} = any(hosts)`).executeTakeFirst();
    if (byHost) return byHost;
  }
  const fallback = await deps.db.selectFrom('prefectures').select(cols).where('code', '=', deps.config.defaultPrefecture).executeTakeFirst();
  if (!fallback) throw new AppError('unavailable', 'errors.no_prefecture');
  return fallback;
}

function csrfTokenFor(secret: string, csrfCookie: string, sessionId: string | null): string {
  return hmac(secret, `csrf|${csrfCookie}|${sessionId ?? ''}`);
}

export const requestContextPlugin = fp(async (app: FastifyInstance, opts: { deps: AppDeps }) => {
  const { deps } = opts;
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: deps.config.secureCookies };

  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.decorateReply('flash', function (this: FastifyReply, key: string) {
    return this.setCookie(FLASH_COOKIE, key, { ...cookieBase, maxAge: 60 });
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/static/') || req.url === '/healthz' || req.url === '/metrics') return;
    const prefecture = await resolvePrefecture(deps, req.headers.host);
    let session: RequestContext['session'] = null;
    let user: RequestContext['user'] = null;
    if (isApiRequest(req)) {
      const auth = req.headers.authorization;
      if (auth?.startsWith('Bearer ')) {
        const found = await findSession(deps.db, auth.slice(7).trim(), 'api', prefecture.id);
        if (found) ({ session, user } = found);
      }
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        const found = await findSession(deps.db, token, 'web', prefecture.id);
        if (found) ({ session, user } = found);
        else reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }

    const query = req.query as Record<string, unknown> | undefined;
    let locale: Locale;
    const asked = query?.lang;
    if (isLocale(asked)) {
      locale = asked;
      reply.setCookie(LANG_COOKIE, asked, { ...cookieBase, maxAge: 365 * 24 * 3600 });
    } else if (isLocale(req.cookies[LANG_COOKIE])) {
      locale = req.cookies[LANG_COOKIE] as Locale;
    } else if (user) {
      locale = user.locale;
    } else {
      locale = negotiateLocale(req.headers['accept-language']);
    }

    let csrfCookie = req.cookies[CSRF_COOKIE];
    if (!csrfCookie || !/^[A-Za-z0-9_-]{20,64}$/.test(csrfCookie)) {
      csrfCookie = randomToken(24);
      reply.setCookie(CSRF_COOKIE, csrfCookie, cookieBase);
      withoutCsrfCookie.add(req);
    }

    const flash = req.cookies[FLASH_COOKIE] ?? null;
    if (flash) reply.clearCookie(FLASH_COOKIE, { path: '/' });

    const url = new URL(req.url, 'http://x');
    url.searchParams.delete('lang');
    req.ctx = {
      prefecture,
      user,
      session,
      locale,
      dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr',
      t: translator(locale),
      csrfToken: csrfTokenFor(deps.config.secretKey, csrfCookie, session?.id ?? null),
      path: `${url.pathname}${url.search}`,
      flash: flash && /^[a-z_.]+$/.test(flash) ? flash : null,
    };
  });

  // CSRF check after the body is parsed. Multipart forms send the token in the query string
  // (?_csrf=…) because their body is streamed to the handler.
  app.addHook('preHandler', async (req) => {
    if (!UNSAFE.has(req.method) || isApiRequest(req) || !req.ctx) return;
    if (withoutCsrfCookie.has(req)) throw new AppError('csrf', 'errors.csrf');
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
    const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf;
    const fromHeader = req.headers['x-csrf-token'];
    const sent = fromBody ?? (typeof fromQuery === 'string' ? fromQuery : undefined) ?? (typeof fromHeader === 'string' ? fromHeader : undefined);
    if (!sent || !safeEqual(sent, req.ctx.csrfToken)) throw new AppError('csrf', 'errors.csrf');
  });
});
