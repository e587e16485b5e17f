// Accounts: applicant registration, e-mail confirmation, login/logout, password reset, the
// account page (e-mail, password, deletion); staff TOTP enrolment and the staff home; the
// /api/v1 accounts and sessions endpoints. Thin adapters over one use case per file.
//
// Registered with fastify-plugin (not encapsulated) so that its /agent guard hook covers
// every module's /agent/* pages, including pages that do not exist.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { requireApplicant, requireStaff, requireUser } from '../../shared/auth/guards';
import { destroySession, SESSION_COOKIE } from '../../shared/auth/sessions';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { isLocale, LOCALES } from '../../shared/i18n';
import { enqueueJob } from '../../shared/jobs/queue';
import type { FormState } from '../../shared/web/forms';
import { emptyForm } from '../../shared/web/forms';
import { sendHtml } from '../../shared/web/render';
import { formValues } from '../../shared/validation';
import { ACCOUNT_LINKS, uniqueLinks } from './account-links';
import { tokenIsUsable } from './account-tokens';
import { changePassword } from './change-password';
import { confirmEmail } from './confirm-email';
import { confirmEmailChange } from './confirm-email-change';
import { deleteAccount } from './delete-account';
import { groupSecret, startTotpEnrolment } from './enrol-totp';
import { completeStaffLogin, logIn } from './log-in';
import { AccountPage, ForgotPage, LoginPage, MessagePage, RegisterPage, ResetPage, StaffHomePage, TotpPage } from './pages';
import { purgeAccountData } from './purge-account-data';
import { registerApplicant } from './register-applicant';
import { requestEmailChange } from './request-email-change';
import { requestPasswordReset } from './request-password-reset';
import { resendConfirmation } from './resend-confirmation';
import { resetPassword } from './reset-password';
import { safeNext } from './schemas';
import { STAFF_LINKS } from './staff-links';
import { verifyTotp } from './verify-totp';
import { verifyAltcha } from '../../shared/security/altcha';

export const PURGE_JOB = 'accounts.purge';
export const TOTP_PATH = '/agent/double-authentification';

/** AppErrors a form shows next to its fields (any 4xx but CSRF); the rest goes to the error handler. */
function formError(err: unknown): AppError | null {
  return err instanceof AppError && err.status < 500 && err.code !== 'csrf' ? err : null;
}

function stateFrom(values: Record<string, string>, err: AppError): FormState {
  const hasFields = Object.keys(err.fields).length > 0;
  return {
    values,
    errors: err.fields,
    formError: hasFields && err.code === 'validation' ? undefined : err.messageKey,
    formErrorParams: err.params,
  };
}

/** Field values safe to echo back (never passwords). */
function echo(values: Record<string, string>, keep: string[]): Record<string, string> {
  return Object.fromEntries(keep.filter((k) => values[k] !== undefined).map((k) => [k, values[k] as string]));
}

function isAgentPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return (path === '/agent' || path.startsWith('/agent/')) && path !== TOTP_PATH;
}

async function accounts(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const env = { db: deps.db, publicUrl: deps.config.publicUrl };
  const sessionCookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: deps.config.secureCookies };

  // ------------------------------------------------------------ housekeeping
  deps.jobs.register(PURGE_JOB, async () => {
    const now = new Date();
    deps.log.info(await purgeAccountData(deps.db, now), 'account data purged');
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 3));
    await enqueueJob(deps.db, { kind: PURGE_JOB, runAt: next, uniqueKey: `${PURGE_JOB}:${next.toISOString().slice(0, 10)}` });
  });
  app.addHook('onReady', async () => {
    const now = new Date();
    await enqueueJob(deps.db, { kind: PURGE_JOB, runAt: now, uniqueKey: `${PURGE_JOB}:${now.toISOString().slice(0, 10)}` });
  });

  // ------------------------------------------------------------ staff guard
  // A staff session not verified with TOTP opens no /agent page but the TOTP page, whatever
  // module serves it (requireStaff does the same check in each handler).
  app.addHook('onRequest', async (req, reply) => {
    const ctx = req.ctx as FastifyRequest['ctx'] | null;
    if (!ctx?.user || ctx.user.role === 'applicant' || ctx.session?.mfaVerified || !isAgentPath(req.url)) return;
    return reply.redirect(TOTP_PATH, 303);
  });

  const linkInvalidPage = (req: FastifyRequest, reply: FastifyReply, err: AppError) =>
    sendHtml(
      reply,
      <MessagePage
        ctx={req.ctx}
        title={req.ctx.t('accounts.link_invalid_title')}
        paragraphs={[req.ctx.t(err.messageKey), req.ctx.t('accounts.link_invalid_help')]}
        links={[
          { href: '/compte/connexion', label: req.ctx.t('accounts.login_title') },
          { href: '/compte/mot-de-passe-oublie', label: req.ctx.t('accounts.forgot_title') },
        ]}
      />,
      err.status,
    );

  // ------------------------------------------------------------ registration
  app.get('/compte/inscription', async (req, reply) => {
    if (req.ctx.user) return reply.redirect(req.ctx.user.role === 'applicant' ? '/compte' : '/agent', 303);
    return sendHtml(reply, <RegisterPage ctx={req.ctx} state={emptyForm()} />);
  });

  app.post('/compte/inscription', async (req, reply) => {
    const values = formValues(req.body);
    try {
      await registerApplicant(env, {
        prefectureId: req.ctx.prefecture.id,
        locale: req.ctx.locale,
        email: values.email,
        password: values.password,
        passwordConfirm: values.password_confirm,
        checkConfirm: true,
        proofOfWork: await verifyAltcha(deps.db, deps.config.secretKey, values.altcha),
      });
      return reply.redirect('/compte/inscription/message-envoye', 303);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return sendHtml(reply, <RegisterPage ctx={req.ctx} state={stateFrom(echo(values, ['email']), e)} />, e.status);
    }
  });

  app.get('/compte/inscription/message-envoye', async (req, reply) => {
    const { t } = req.ctx;
    return sendHtml(reply, <MessagePage ctx={req.ctx} title={t('accounts.check_mail_title')} paragraphs={[t('accounts.check_mail_body'), t('accounts.check_mail_spam')]} />);
  });

  app.get('/compte/confirmer', async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token;
    try {
      await confirmEmail(deps.db, { prefectureId: req.ctx.prefecture.id, token });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return linkInvalidPage(req, reply, e);
    }
    return reply.flash('accounts.flash_email_confirmed').redirect('/compte/connexion', 303);
  });

  app.post('/compte/renvoyer-confirmation', async (req, reply) => {
    const values = formValues(req.body);
    try {
      await resendConfirmation(env, { prefectureId: req.ctx.prefecture.id, email: values.email, locale: req.ctx.locale });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return sendHtml(reply, <LoginPage ctx={req.ctx} state={stateFrom(echo(values, ['email']), e)} next={null} />, e.status);
    }
    return reply.flash('accounts.flash_confirmation_resent').redirect('/compte/connexion', 303);
  });

  // ------------------------------------------------------------ login / logout
  app.get('/compte/connexion', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    const user = req.ctx.user;
    if (user) return reply.redirect(user.role === 'applicant' ? (next ?? '/compte') : '/agent', 303);
    return sendHtml(reply, <LoginPage ctx={req.ctx} state={emptyForm()} next={next} />);
  });

  app.post('/compte/connexion', async (req, reply) => {
    const values = formValues(req.body);
    const next = safeNext(values.next);
    try {
      const res = await logIn(deps, {
        prefectureId: req.ctx.prefecture.id,
        email: values.email,
        password: values.password,
        ip: req.ip,
        kind: 'web',
        previousSessionId: req.ctx.session?.id ?? null,
      });
      reply.setCookie(SESSION_COOKIE, res.token, sessionCookie);
      return reply.redirect(res.user.role === 'applicant' ? (next ?? '/compte') : TOTP_PATH, 303);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      const unconfirmed = e.messageKey === 'accounts.err_email_unconfirmed' ? (values.email ?? null) : null;
      return sendHtml(reply, <LoginPage ctx={req.ctx} state={stateFrom(echo(values, ['email']), e)} next={next} unconfirmedEmail={unconfirmed} />, e.status);
    }
  });

  app.post('/compte/deconnexion', async (req, reply) => {
    if (req.ctx.session) await destroySession(deps.db, req.ctx.session.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.flash('accounts.flash_logged_out').redirect('/', 303);
  });

  // ------------------------------------------------------------ forgotten password
  app.get('/compte/mot-de-passe-oublie', async (req, reply) => sendHtml(reply, <ForgotPage ctx={req.ctx} state={emptyForm()} />));

  app.post('/compte/mot-de-passe-oublie', async (req, reply) => {
    const values = formValues(req.body);
    try {
      await requestPasswordReset(env, { prefectureId: req.ctx.prefecture.id, email: values.email, locale: req.ctx.locale });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return sendHtml(reply, <ForgotPage ctx={req.ctx} state={stateFrom(echo(values, ['email']), e)} />, e.status);
    }
    return reply.flash('accounts.flash_reset_sent').redirect('/compte/mot-de-passe-oublie', 303);
  });

  app.get('/compte/reinitialiser', async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token;
    if (typeof token !== 'string' || !(await tokenIsUsable(deps.db, { prefectureId: req.ctx.prefecture.id, purpose: 'reset-password', token }))) {
      return linkInvalidPage(req, reply, new AppError('gone', 'accounts.err_link_invalid'));
    }
    return sendHtml(reply, <ResetPage ctx={req.ctx} state={emptyForm()} token={token} />);
  });

  app.post('/compte/reinitialiser', async (req, reply) => {
    const values = formValues(req.body);
    try {
      await resetPassword(deps.db, {
        prefectureId: req.ctx.prefecture.id,
        token: values.token,
        password: values.password,
        passwordConfirm: values.password_confirm,
        checkConfirm: true,
      });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      if (e.code === 'gone') return linkInvalidPage(req, reply, e);
      return sendHtml(reply, <ResetPage ctx={req.ctx} state={stateFrom({}, e)} token={values.token ?? ''} />, e.status);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.flash('accounts.flash_password_reset').redirect('/compte/connexion', 303);
  });

  // ------------------------------------------------------------ account page
  const accountPage = (req: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) =>
    sendHtml(reply, <AccountPage ctx={req.ctx} email={req.ctx.user?.email ?? ''} state={state} links={uniqueLinks(ACCOUNT_LINKS)} />, status);

  app.get('/compte', async (req, reply) => {
    const user = requireUser(req);
    if (user.role !== 'applicant') return reply.redirect('/agent', 303);
    return accountPage(req, reply, emptyForm());
  });

  app.post('/compte/email', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    try {
      await requestEmailChange(env, {
        prefectureId: req.ctx.prefecture.id,
        userId: user.id,
        newEmail: values.new_email,
        password: values.email_password,
        ip: req.ip,
        locale: req.ctx.locale,
      });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return accountPage(req, reply, stateFrom(echo(values, ['new_email']), e), e.status);
    }
    return reply.flash('accounts.flash_email_change_sent').redirect('/compte', 303);
  });

  app.get('/compte/email/confirmer', async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token;
    try {
      await confirmEmailChange(deps.db, { prefectureId: req.ctx.prefecture.id, token });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      if (e.code === 'gone') return linkInvalidPage(req, reply, e);
      const { t } = req.ctx;
      return sendHtml(reply, <MessagePage ctx={req.ctx} title={t('accounts.email_change_title')} paragraphs={[t(e.messageKey)]} links={[{ href: '/compte', label: t('accounts.account_title') }]} />, e.status);
    }
    return reply.flash('accounts.flash_email_changed').redirect(req.ctx.user ? '/compte' : '/compte/connexion', 303);
  });

  app.post('/compte/mot-de-passe', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    try {
      await changePassword(deps.db, {
        prefectureId: req.ctx.prefecture.id,
        userId: user.id,
        currentPassword: values.current_password,
        newPassword: values.new_password,
        newPasswordConfirm: values.new_password_confirm,
        keepSessionId: req.ctx.session?.id ?? null,
        ip: req.ip,
      });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return accountPage(req, reply, stateFrom({}, e), e.status);
    }
    return reply.flash('accounts.flash_password_changed').redirect('/compte', 303);
  });

  app.post('/compte/supprimer', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    try {
      await deleteAccount(deps.db, {
        prefectureId: req.ctx.prefecture.id,
        userId: user.id,
        password: values.delete_password,
        confirmed: values.delete_confirm === 'on',
        ip: req.ip,
      });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return accountPage(req, reply, stateFrom(echo(values, ['delete_confirm']), e), e.status);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.flash('accounts.flash_account_deleted').redirect('/', 303);
  });

  // ------------------------------------------------------------ staff
  const totpPage = async (req: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) => {
    const user = requireUser(req);
    const pending = await startTotpEnrolment(deps, { prefectureId: req.ctx.prefecture.id, userId: user.id });
    const enrolment = pending ? { grouped: groupSecret(pending.secret), qrDataUrl: await QRCode.toDataURL(pending.uri, { margin: 1, width: 200 }) } : null;
    return sendHtml(reply, <TotpPage ctx={req.ctx} state={state} enrolment={enrolment} />, status);
  };

  app.get(TOTP_PATH, async (req, reply) => {
    const user = requireUser(req);
    if (user.role === 'applicant') throw new AppError('forbidden');
    if (req.ctx.session?.mfaVerified) return reply.redirect('/agent', 303);
    return totpPage(req, reply, emptyForm());
  });

  app.post(TOTP_PATH, async (req, reply) => {
    const user = requireUser(req);
    if (user.role === 'applicant') throw new AppError('forbidden');
    const values = formValues(req.body);
    try {
      await verifyTotp(deps, { prefectureId: req.ctx.prefecture.id, userId: user.id, code: values.code, ip: req.ip });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      return totpPage(req, reply, stateFrom({}, e), e.status);
    }
    if (req.ctx.session) await completeStaffLogin(deps.db, req.ctx.session.id);
    return reply.redirect('/agent', 303);
  });

  app.get('/agent', async (req, reply) => {
    const user = requireStaff(req);
    const role = user.role === 'applicant' ? 'agent' : user.role;
    const links = uniqueLinks(STAFF_LINKS).filter((l) => !l.roles || l.roles.includes(role));
    return sendHtml(reply, <StaffHomePage ctx={req.ctx} name={user.display_name || user.email} role={role} links={links} />);
  });

  // ------------------------------------------------------------ API
  const problemNote = 'Errors are RFC 9457 problem+json; bad input (400) lists `errors: [{field, code, message}]`.';
  const me = z.object({
    id: z.string(),
    email: z.string(),
    role: z.enum(['applicant', 'agent', 'supervisor', 'admin']),
    displayName: z.string(),
    locale: z.enum(LOCALES),
    emailConfirmed: z.boolean(),
    totpEnabled: z.boolean(),
    prefecture: z.object({ code: z.string(), name: z.string() }),
  });

  api.post(
    '/api/v1/accounts',
    {
      attachValidation: true,
      schema: {
        tags: ['accounts'],
        summary: 'Create an applicant account; a confirmation link is mailed (24 h)',
        description: `Password: at least 12 characters, not a common one. Duplicate e-mail (any case) → 409. ${problemNote}`,
        body: z.object({
          email: z.string().max(254),
          password: z.string(),
          locale: z.enum(LOCALES).optional(),
          altcha: z.string().max(4000).optional().describe('A solved ALTCHA challenge from GET /rendez-vous/altcha-challenge; without it the account is created, and its appointment requests are held for staff review'),
        }),
        response: { 201: z.object({ id: z.string(), email: z.string(), emailConfirmed: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const user = await registerApplicant(env, {
        prefectureId: req.ctx.prefecture.id,
        locale: isLocale(body.locale) ? body.locale : req.ctx.locale,
        email: body.email,
        password: body.password,
        checkConfirm: false,
        proofOfWork: await verifyAltcha(deps.db, deps.config.secretKey, typeof body.altcha === 'string' ? body.altcha : undefined),
      });
      return reply.status(201).send({ id: user.id, email: user.email, emailConfirmed: false });
    },
  );

  api.post(
    '/api/v1/sessions',
    {
      attachValidation: true,
      schema: {
        tags: ['accounts'],
        summary: 'Sign in: returns a bearer token (30 days)',
        description: `Staff send their current TOTP code in \`totp\`; staff who have not enrolled TOTP on the website get 403. Too many failures → 429. ${problemNote}`,
        body: z.object({ email: z.string().max(254), password: z.string(), totp: z.string().optional() }),
        response: { 201: z.object({ token: z.string(), expiresAt: z.string() }) },
      },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const res = await logIn(deps, {
        prefectureId: req.ctx.prefecture.id,
        email: body.email,
        password: body.password,
        totp: body.totp,
        ip: req.ip,
        kind: 'api',
      });
      return reply.status(201).send({ token: res.token, expiresAt: res.expiresAt.toISOString() });
    },
  );

  api.delete(
    '/api/v1/sessions/current',
    { schema: { tags: ['accounts'], summary: 'Sign out: the bearer token stops working', security: [{ bearer: [] }], response: { 204: z.null() } } },
    async (req, reply) => {
      requireUser(req);
      if (req.ctx.session) await destroySession(deps.db, req.ctx.session.id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/me',
    { schema: { tags: ['accounts'], summary: 'The signed-in account', security: [{ bearer: [] }], response: { 200: me } } },
    async (req) => {
      const user = requireUser(req);
      return {
        id: user.id,
        email: user.email,
        role: user.role,
        displayName: user.display_name,
        locale: user.locale,
        emailConfirmed: !!user.email_confirmed_at,
        totpEnabled: !!user.totp_enabled_at,
        prefecture: { code: req.ctx.prefecture.code, name: req.ctx.prefecture.name },
      };
    },
  );
}

export const accountsRoutes = fp(accounts, { name: 'accounts' });
