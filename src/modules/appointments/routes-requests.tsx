// Appointments front, applicant side: filing a request (/rendez-vous/demande), my requests and
// appointments (/rendez-vous), a request (/rendez-vous/demandes/:id: cancel, edit), an
// appointment (/rendez-vous/:id: confirm, cancel), the convocation with its signed QR code,
// the cancellation link of the reminder mail, the walk-in rules (public) and the urgent
// channel. Every page works without JavaScript; the proof of work is an enhancement.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import QRCode from 'qrcode';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { requireApplicant } from '../../shared/auth/guards';
import { formatDate, formatDateTime, translator, type Locale } from '../../shared/i18n';
import { renderOfficialPdf } from '../../shared/pdf';
import { Layout } from '../../shared/web/layout';
import { sendHtml } from '../../shared/web/render';
import type { RequestContext } from '../../shared/web/context';
import { Checkbox, emptyForm, ErrorSummary, Form, Input, RadioGroup, Select, Submit, type FormState } from '../../shared/web/forms';
import { formValues } from '../../shared/validation';
import { randomToken } from '../../shared/security/tokens';
import { ipPrefix } from './abuse';
import { AltchaWidget } from '../../shared/web/altcha-widget';
import { altchaAssets, altchaDifficulty, createAltchaChallenge, verifyAltcha } from '../../shared/security/altcha';
import { cancelAppointment, checkCancelLinkToken, confirmAppointment, convocationToken, getMyAppointment, loadAppointment, reasonLabel, whatToBring, type AppointmentView } from './convocation';
import { DuplicateRequestError } from './file-appointment-request';
import { FcfsSlotChoice } from './fcfs-widgets';
import { listFcfsSlots } from './fcfs-slots';
import { fileFrontRequest } from './front-file-request';
import { cancelRequest, editRequest, getMyRequest, isUuid, listMyRequests, type MyRequest } from './front-requests';
import type { PermitKind, UrgentMotiveKind } from './front-tables';
import type { RequestStatus } from './tables';
import { checkUrgentEligibility, fileUrgentRequest } from './urgent';
import { describeRules, loadWalkInRules } from './walk-in';

export const DEVICE_COOKIE = 'sejour_dev';
/** Filing attempts (pages and API) allowed per hour. */
export const FILING_LIMITS = { perIpPerHour: 600, perAccountPerHour: 12 } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const ACTIVE: RequestStatus[] = ['pending', 'review', 'allocated', 'confirmed', 'urgent'];

const K = (k: string) => `appointments.front.${k}`;

// ---------------------------------------------------------------------------------------------
// Filing input (pages and API)

const filingSchema = z.object({
  surname: z.string('errors.required').trim().min(1, 'errors.required').max(200, 'errors.invalid'),
  given_names: z.string().trim().max(200, 'errors.invalid').default(''),
  birth_date: z.string('errors.required').regex(DATE, 'appointments.error_date'),
  agdref_number: z
    .string()
    .trim()
    .transform((v) => v.replace(/\s/g, ''))
    .refine((v) => v === '' || /^[0-9]{10}$/.test(v), 'appointments.error_agdref')
    .default(''),
  permit_expires_on: z.string().trim().refine((v) => v === '' || DATE.test(v), 'appointments.error_date').default(''),
  permit_kind: z.enum(['none', 'student', 'other'], 'errors.required'),
  reason_code: z.string('errors.required').min(1, 'errors.required').max(40),
  site_id: z.string('errors.required').regex(/^[0-9a-f-]{36}$/i, 'errors.required'),
  dossier_id: z.string().regex(/^[0-9a-f-]{36}$/i).or(z.literal('')).default(''),
  email: z.string('errors.required').trim().min(3, 'errors.required').max(254, 'errors.email_invalid'),
  phone: z.string('errors.required').trim().min(6, 'appointments.error_phone').max(40, 'appointments.error_phone'),
  unavailable_weekdays: z.array(z.number().int().min(1).max(7)).max(4, 'appointments.error_weekdays').default([]),
  altcha: z.string().max(4000).optional(),
  // First-come-first-served: a published slot to book at once (fcfs-slots.ts).
  slot_id: z.string().regex(/^[0-9a-f-]{36}$/i, 'appointments.fcfs.err_slot_gone').or(z.literal('')).default(''),
});
type FilingBody = z.input<typeof filingSchema>;

function birthDateError(v: string, today: string): string | null {
  if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) return 'appointments.error_date';
  if (v >= today || v < '1900-01-01') return K('err_birth_date');
  return null;
}

function hashDevice(v: string | undefined): string | null {
  return v && /^[A-Za-z0-9_-]{20,64}$/.test(v) ? createHash('sha256').update(`device|${v}`).digest('hex') : null;
}

function weekdaysFromForm(values: Record<string, string>): number[] {
  return WEEKDAYS.filter((d) => values[`no_${d}`] === 'on');
}

// ---------------------------------------------------------------------------------------------

export async function appointmentsRequestRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;
  const difficulty = altchaDifficulty(config.env);

  // Rate limits per IP and per account on filing routes: Redis when configured (shared by every
  // instance), memory otherwise. A store error is not skipped (no silent fail-open): the
  // request fails with 503 and is logged. The per-account limit is the working one; the per-IP
  // limit only stops floods, far above what a shared network (cybercafé, NAT) ever files, so a
  // shared IP alone never refuses anyone (clusters of identities per network are a weak risk
  // signal instead, abuse-signals.ts).
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  if (redis) {
    redis.on('error', (err: Error) => app.log.warn({ err }, 'rate limit store (Redis) error'));
    app.addHook('onClose', async () => void redis.disconnect());
  }
  await app.register(rateLimit, { global: false, skipOnError: false, ...(redis ? { redis } : {}) });
  const perIp = app.createRateLimit({ max: FILING_LIMITS.perIpPerHour, timeWindow: 3_600_000, keyGenerator: (req) => `front-ip:${req.ip}` });
  const perAccount = app.createRateLimit({ max: FILING_LIMITS.perAccountPerHour, timeWindow: 3_600_000, keyGenerator: (req) => `front-acct:${req.ctx.user?.id ?? req.ip}` });
  async function limit(req: FastifyRequest): Promise<void> {
    let results;
    try {
      results = [await perIp(req), await perAccount(req)];
    } catch (err) {
      req.log.error({ err }, 'rate limit store unavailable');
      throw new AppError('unavailable', 'errors.unavailable');
    }
    if (results.some((r) => !r.isAllowed && r.isExceeded)) throw new AppError('rate_limited', 'errors.rate_limited');
  }

  async function reasons(prefectureId: string) {
    return db
      .selectFrom('appointment_reasons')
      .select(['code', 'label_fr', 'label_en', 'label_ar', 'eligibility', 'channel', 'counter_type'])
      .where('prefecture_id', '=', prefectureId)
      .where('active', '=', true)
      .orderBy('position')
      .execute();
  }
  async function sites(prefectureId: string) {
    return db.selectFrom('sites').select(['id', 'name', 'code']).where('prefecture_id', '=', prefectureId).orderBy('code').execute();
  }
  const label = (r: { label_fr: string; label_en: string; label_ar: string }, l: Locale) => (l === 'en' ? r.label_en : l === 'ar' ? r.label_ar : r.label_fr);

  // Widget assets and challenges ----------------------------------------------------------------
  app.get<{ Params: { file: string } }>('/static/altcha/:file', async (req, reply) => {
    const asset = altchaAssets()[req.params.file];
    if (!asset) return reply.status(404).type('text/plain').send('Not Found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });
  app.get('/rendez-vous/altcha-challenge', async (_req, reply) => {
    return reply.header('cache-control', 'no-store').send(await createAltchaChallenge(config.secretKey, difficulty));
  });

  // Filing -------------------------------------------------------------------------------------
  async function renderFiling(req: FastifyRequest, reply: FastifyReply, state: FormState, status = 200, duplicate?: { id: string; own: boolean; created: string; status: string }) {
    const { t, locale } = req.ctx;
    const user = requireApplicant(req);
    const [rs, ss] = await Promise.all([reasons(req.ctx.prefecture.id), sites(req.ctx.prefecture.id)]);
    const wanted = state.values.slot_id;
    const fcfsSlot = wanted && isUuid(wanted) ? ((await listFcfsSlots(db, req.ctx.prefecture.id, { slotId: wanted, limit: 1 }))[0] ?? null) : null;
    const dossiers = await db
      .selectFrom('dossiers')
      .select(['id', 'number'])
      .where('prefecture_id', '=', req.ctx.prefecture.id)
      .where('applicant_id', '=', user.id)
      .where('state', '=', 'card_ready')
      .execute();
    const labels: Record<string, string> = {
      surname: t(K('f_surname')),
      given_names: t(K('f_given_names')),
      birth_date: t(K('f_birth_date')),
      agdref_number: t(K('f_agdref')),
      permit_expires_on: t(K('f_permit_expires')),
      permit_kind: t(K('f_permit_kind')),
      reason_code: t(K('f_reason')),
      site_id: t(K('f_site')),
      dossier_id: t(K('f_dossier')),
      email: t(K('f_email')),
      phone: t(K('f_phone')),
      unavailable_weekdays: t(K('f_unavailable')),
      slot_id: t('appointments.fcfs.slot_label'),
    };
    if (!req.cookies[DEVICE_COOKIE]) {
      reply.setCookie(DEVICE_COOKIE, randomToken(24), { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 365 * 86_400 });
    }
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('file_title'))} hasErrors={status >= 400}>
        <h1>{t(K('file_title'))}</h1>
        <p class="fr-text--lead">{t(K('file_lead'))}</p>
        <div class="fr-callout fr-mb-3w">
          <p class="fr-callout__text">{t(K('file_identity_warning'))}</p>
        </div>
        {duplicate ? (
          <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="doublon">
            <h2 class="fr-alert__title">{t(K('dup_title'))}</h2>
            <p>{t(K('dup_body'), { created: duplicate.created, status: t(K(`status_${duplicate.status}`)) })}</p>
            {duplicate.own ? (
              <p>
                <a href={`/rendez-vous/demandes/${duplicate.id}`}>{t(K('dup_see'))}</a>
              </p>
            ) : (
              <p>{t(K('dup_other'))}</p>
            )}
          </div>
        ) : (
          <ErrorSummary ctx={req.ctx} state={state} labels={labels} />
        )}
        <Form ctx={req.ctx} action="/rendez-vous/demande">
          <FcfsSlotChoice ctx={req.ctx} state={state} slot={fcfsSlot} />
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">{t(K('legend_identity'))}</legend>
            <div class="fr-fieldset__element">
              <Input ctx={req.ctx} state={state} name="surname" label={labels.surname as string} hint={t(K('f_surname_hint'))} autocomplete="family-name" required dir="auto" />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={req.ctx} state={state} name="given_names" label={labels.given_names as string} hint={t(K('f_given_names_hint'))} autocomplete="given-name" dir="auto" />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={req.ctx} state={state} name="birth_date" label={labels.birth_date as string} type="date" autocomplete="bday" required />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={req.ctx} state={state} name="agdref_number" label={labels.agdref_number as string} hint={t(K('f_agdref_hint'))} inputMode="numeric" />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={req.ctx} state={state} name="permit_expires_on" label={labels.permit_expires_on as string} hint={t(K('f_permit_expires_hint'))} type="date" />
            </div>
            <div class="fr-fieldset__element">
              <RadioGroup
                ctx={req.ctx}
                state={state}
                name="permit_kind"
                legend={labels.permit_kind as string}
                options={(['none', 'student', 'other'] as const).map((k) => ({ value: k, label: t(K(`permit_${k}`)) }))}
              />
            </div>
          </fieldset>
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">{t(K('legend_appointment'))}</legend>
            <div class="fr-fieldset__element">
              <RadioGroup
                ctx={req.ctx}
                state={state}
                name="reason_code"
                legend={labels.reason_code as string}
                options={rs
                  .filter((r) => r.channel === 'draw')
                  .map((r) => ({
                    value: r.code,
                    label: label(r, locale),
                    ...(r.eligibility === 'card_ready' ? { hint: t(K('reason_hint_card_ready')) } : r.eligibility === 'student_permit' ? { hint: t(K('reason_hint_student')) } : {}),
                  }))}
              />
              <p class="fr-text--sm">
                <a href="/rendez-vous/sans-rendez-vous">{t(K('walkin_link'))}</a>
              </p>
            </div>
            <div class="fr-fieldset__element">
              <Select ctx={req.ctx} state={state} name="site_id" label={labels.site_id as string} placeholder={t(K('choose'))} options={ss.map((s) => ({ value: s.id, label: s.name }))} />
            </div>
            <div class="fr-fieldset__element">
              <Select
                ctx={req.ctx}
                state={state}
                name="dossier_id"
                label={labels.dossier_id as string}
                hint={dossiers.length ? t(K('f_dossier_hint')) : t(K('f_dossier_none'))}
                placeholder={t(K('none'))}
                options={dossiers.map((d) => ({ value: d.id, label: d.number ?? d.id }))}
              />
            </div>
            <fieldset class="fr-fieldset" id="champ-unavailable_weekdays">
              <legend class="fr-fieldset__legend fr-text--regular">
                {labels.unavailable_weekdays}
                <span class="fr-hint-text">{t(K('f_unavailable_hint'))}</span>
              </legend>
              {WEEKDAYS.slice(0, 5).map((d) => (
                <div class="fr-fieldset__element fr-fieldset__element--inline">
                  <Checkbox ctx={req.ctx} state={state} name={`no_${d}`} label={t(`appointments.weekday_${d}`)} />
                </div>
              ))}
              {state.errors.unavailable_weekdays ? <p class="fr-message fr-message--error">{t(state.errors.unavailable_weekdays)}</p> : null}
            </fieldset>
          </fieldset>
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">{t(K('legend_contact'))}</legend>
            <div class="fr-fieldset__element">
              <Input ctx={req.ctx} state={state} name="email" label={labels.email as string} type="email" autocomplete="email" required />
            </div>
            <div class="fr-fieldset__element">
              <Input ctx={req.ctx} state={state} name="phone" label={labels.phone as string} hint={t(K('f_phone_hint'))} type="tel" autocomplete="tel" required />
            </div>
          </fieldset>
          <AltchaWidget ctx={req.ctx} noscriptKey={K('nojs_review')} />
          <Submit label={t(K('file_submit'))} />
        </Form>
      </Layout>,
      status,
    );
  }

  function filingInput(req: FastifyRequest, body: FilingBody, powVerified: boolean, accountCreatedAt: Date | null) {
    const user = requireApplicant(req);
    const parsed = filingSchema.safeParse(body);
    const errors: Record<string, string> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const f = String(issue.path[0] ?? '_form');
        errors[f] ??= issue.message.includes('.') ? issue.message : 'errors.invalid';
      }
    } else {
      const today = new Date().toISOString().slice(0, 10);
      const bd = birthDateError(parsed.data.birth_date, today);
      if (bd) errors.birth_date = bd;
    }
    if (!parsed.success || Object.keys(errors).length) throw new AppError('validation', 'errors.validation', errors);
    const d = parsed.data;
    return {
      prefectureId: req.ctx.prefecture.id,
      applicantId: user.id,
      reasonCode: d.reason_code,
      siteId: d.site_id,
      surname: d.surname,
      givenNames: d.given_names,
      birthDate: d.birth_date,
      agdrefNumber: d.agdref_number || null,
      permitExpiresOn: d.permit_expires_on || null,
      email: d.email,
      phone: d.phone,
      locale: req.ctx.locale,
      unavailableWeekdays: d.unavailable_weekdays,
      dossierId: d.dossier_id || null,
      publicUrl: config.publicUrl,
      fcfsSlotId: d.slot_id || null,
      permitKind: d.permit_kind as PermitKind,
      ipPrefix: ipPrefix(req.ip),
      deviceHash: hashDevice(req.cookies[DEVICE_COOKIE]),
      powVerified,
      accountCreatedAt,
    };
  }

  async function accountCreatedAt(userId: string): Promise<Date | null> {
    const u = await db.selectFrom('users').select('created_at').where('id', '=', userId).executeTakeFirst();
    return u?.created_at ?? null;
  }

  app.get<{ Querystring: { creneau?: string } }>('/rendez-vous/demande', async (req, reply) => {
    const user = requireApplicant(req);
    const slot = typeof req.query.creneau === 'string' && isUuid(req.query.creneau) ? req.query.creneau : '';
    return renderFiling(req, reply, emptyForm({ email: user.email, slot_id: slot }));
  });

  app.post('/rendez-vous/demande', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    await limit(req);
    const body: FilingBody = {
      surname: values.surname ?? '',
      given_names: values.given_names ?? '',
      birth_date: values.birth_date ?? '',
      agdref_number: values.agdref_number ?? '',
      permit_expires_on: values.permit_expires_on ?? '',
      permit_kind: (values.permit_kind ?? '') as PermitKind,
      reason_code: values.reason_code ?? '',
      site_id: values.site_id ?? '',
      dossier_id: values.dossier_id ?? '',
      email: values.email ?? '',
      phone: values.phone ?? '',
      unavailable_weekdays: weekdaysFromForm(values),
      slot_id: values.slot_id ?? '',
    };
    try {
      const pow = await verifyAltcha(db, config.secretKey, values.altcha);
      const filed = await fileFrontRequest(db, filingInput(req, body, pow, await accountCreatedAt(user.id)));
      if (filed.appointmentId) {
        reply.flash('appointments.fcfs.flash_booked');
        return reply.redirect(`/rendez-vous/${filed.appointmentId}`, 303);
      }
      reply.flash(filed.flagged ? K('flash_filed_review') : K('flash_filed'));
      return reply.redirect(`/rendez-vous/demandes/${filed.id}`, 303);
    } catch (err) {
      if (err instanceof DuplicateRequestError) {
        const own = await db
          .selectFrom('appointment_requests')
          .select('id')
          .where('id', '=', err.existing.id)
          .where('applicant_id', '=', user.id)
          .executeTakeFirst();
        return renderFiling(req, reply, { values, errors: {} }, 409, {
          id: err.existing.id,
          own: !!own,
          created: formatDate(req.ctx.locale, err.existing.createdAt),
          status: err.existing.status,
        });
      }
      if (err instanceof AppError && err.code === 'validation') {
        const errors = { ...err.fields };
        if (errors.unavailable_weekdays === undefined && errors['unavailable_weekdays.0']) errors.unavailable_weekdays = 'appointments.error_weekdays';
        return renderFiling(req, reply, { values, errors: Object.keys(errors).length ? errors : { _form: 'errors.invalid' } }, 400);
      }
      throw err;
    }
  });

  // My requests and appointments --------------------------------------------------------------
  function nextStep(r: MyRequest): string {
    if (r.appointment_status === 'offered') return K('next_offered');
    if (r.appointment_status === 'confirmed') return K('next_confirmed');
    return K(`next_${r.status}`);
  }

  app.get('/rendez-vous', async (req, reply) => {
    const user = requireApplicant(req);
    const { t, locale } = req.ctx;
    const rows = await listMyRequests(db, req.ctx.prefecture.id, user.id);
    const rs = await reasons(req.ctx.prefecture.id);
    const reasonName = (code: string) => {
      const r = rs.find((x) => x.code === code);
      return r ? label(r, locale) : code;
    };
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('mine_title'))}>
        <h1>{t(K('mine_title'))}</h1>
        <p>
          <a class="fr-btn" href="/rendez-vous/demande">
            {t(K('file_title'))}
          </a>
        </p>
        {rows.length === 0 ? <p>{t(K('mine_empty'))}</p> : null}
        {rows.map((r) => (
          <div class="fr-card fr-mb-2w" data-request-id={r.id}>
            <div class="fr-card__body">
              <div class="fr-card__content">
                <h2 class="fr-card__title">
                  <a href={`/rendez-vous/demandes/${r.id}`}>{reasonName(r.reason_code)}</a>
                </h2>
                <p class="fr-card__desc">
                  {r.surname} {r.given_names} · {r.site_name} · {t(K('filed_on'), { date: formatDate(locale, r.created_at) })}
                </p>
                <p>
                  <span class="fr-badge fr-badge--sm">{t(K(`status_${r.status}`))}</span>
                </p>
                {r.starts_at && (r.appointment_status === 'offered' || r.appointment_status === 'confirmed') ? (
                  <p>
                    {t(K('appointment_at'), { when: formatDateTime(locale, r.starts_at) })} —{' '}
                    <a href={`/rendez-vous/${r.appointment_id}`}>{t(K('see_appointment'))}</a>
                  </p>
                ) : null}
                <p class="fr-text--sm">{t(nextStep(r))}</p>
              </div>
            </div>
          </div>
        ))}
        <p>
          <a href="/rendez-vous/urgence">{t(K('urgent_link'))}</a>
        </p>
      </Layout>,
    );
  });

  async function renderRequest(req: FastifyRequest, reply: FastifyReply, r: MyRequest, state: FormState, status = 200) {
    const { t, locale } = req.ctx;
    const rs = await reasons(req.ctx.prefecture.id);
    const reason = rs.find((x) => x.code === r.reason_code);
    const active = ACTIVE.includes(r.status);
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('request_title'))} hasErrors={status >= 400}>
        <h1>{t(K('request_title'))}</h1>
        <ErrorSummary ctx={req.ctx} state={state} labels={{ surname: t(K('f_surname')), given_names: t(K('f_given_names')), birth_date: t(K('f_birth_date')) }} />
        <dl class="app-dl">
          <dt>{t(K('f_reason'))}</dt>
          <dd>{reason ? label(reason, locale) : r.reason_code}</dd>
          <dt>{t(K('f_site'))}</dt>
          <dd>{r.site_name}</dd>
          <dt>{t(K('f_surname'))}</dt>
          <dd dir="auto">{r.surname}</dd>
          <dt>{t(K('f_given_names'))}</dt>
          <dd dir="auto">{r.given_names}</dd>
          <dt>{t(K('f_birth_date'))}</dt>
          <dd>{formatDate(locale, r.birth_date)}</dd>
          <dt>{t(K('status'))}</dt>
          <dd>
            <span class="fr-badge fr-badge--sm" id="statut">
              {t(K(`status_${r.status}`))}
            </span>
          </dd>
        </dl>
        <p>{t(nextStep(r))}</p>
        {r.review_message ? <p class="fr-alert fr-alert--info fr-alert--sm">{r.review_message}</p> : null}
        {r.appointment_id && (r.appointment_status === 'offered' || r.appointment_status === 'confirmed') ? (
          <p>
            <a class="fr-btn" href={`/rendez-vous/${r.appointment_id}`}>
              {t(K('see_appointment'))}
            </a>
          </p>
        ) : null}
        {active ? (
          <>
            <h2>{t(K('edit_title'))}</h2>
            <p>{t(K('edit_identity_warning'))}</p>
            <Form ctx={req.ctx} action={`/rendez-vous/demandes/${r.id}/modifier`}>
              <Input ctx={req.ctx} state={state} name="surname" label={t(K('f_surname'))} dir="auto" />
              <Input ctx={req.ctx} state={state} name="given_names" label={t(K('f_given_names'))} dir="auto" />
              <Input ctx={req.ctx} state={state} name="birth_date" label={t(K('f_birth_date'))} type="date" />
              <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend fr-text--regular">{t(K('f_unavailable'))}</legend>
                {WEEKDAYS.slice(0, 5).map((d) => (
                  <div class="fr-fieldset__element fr-fieldset__element--inline">
                    <Checkbox ctx={req.ctx} state={state} name={`no_${d}`} label={t(`appointments.weekday_${d}`)} />
                  </div>
                ))}
              </fieldset>
              <Submit label={t(K('edit_submit'))} secondary />
            </Form>
            <h2 class="fr-mt-4w">{t(K('cancel_title'))}</h2>
            <Form ctx={req.ctx} action={`/rendez-vous/demandes/${r.id}/annuler`}>
              <p>{t(K('cancel_request_body'))}</p>
              <Submit label={t(K('cancel_request_submit'))} secondary />
            </Form>
          </>
        ) : null}
        <p class="fr-mt-4w">
          <a href="/rendez-vous">{t(K('back_mine'))}</a>
        </p>
      </Layout>,
      status,
    );
  }

  function requestFormValues(r: MyRequest): Record<string, string> {
    const v: Record<string, string> = { surname: r.surname, given_names: r.given_names, birth_date: r.birth_date };
    for (const d of r.unavailable_weekdays) v[`no_${d}`] = 'on';
    return v;
  }

  app.get<{ Params: { id: string } }>('/rendez-vous/demandes/:id', async (req, reply) => {
    const user = requireApplicant(req);
    const r = await getMyRequest(db, req.ctx.prefecture.id, user.id, req.params.id);
    return renderRequest(req, reply, r, emptyForm(requestFormValues(r)));
  });

  app.post<{ Params: { id: string } }>('/rendez-vous/demandes/:id/annuler', async (req, reply) => {
    const user = requireApplicant(req);
    const r = await getMyRequest(db, req.ctx.prefecture.id, user.id, req.params.id);
    await cancelRequest(db, req.ctx.prefecture.id, r.id, 'by_applicant');
    reply.flash(K('flash_cancelled'));
    return reply.redirect(`/rendez-vous/demandes/${r.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/rendez-vous/demandes/:id/modifier', async (req, reply) => {
    const user = requireApplicant(req);
    const r = await getMyRequest(db, req.ctx.prefecture.id, user.id, req.params.id);
    const values = formValues(req.body);
    const errors: Record<string, string> = {};
    if (!(values.surname ?? '').trim()) errors.surname = 'errors.required';
    const bd = birthDateError(values.birth_date ?? '', new Date().toISOString().slice(0, 10));
    if (bd) errors.birth_date = bd;
    if (Object.keys(errors).length) return renderRequest(req, reply, r, { values, errors }, 400);
    try {
      const outcome = await editRequest(db, req.ctx.prefecture.id, r, {
        surname: values.surname ?? '',
        givenNames: values.given_names ?? '',
        birthDate: values.birth_date ?? '',
        unavailableWeekdays: weekdaysFromForm(values),
      });
      if (outcome === 'cancelled') {
        reply.flash(K('flash_identity_changed'));
        return reply.redirect('/rendez-vous/demande', 303);
      }
      reply.flash(K('flash_updated'));
      return reply.redirect(`/rendez-vous/demandes/${r.id}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return renderRequest(req, reply, r, { values, errors: err.fields }, 400);
      throw err;
    }
  });

  // Walk-in rules (public) -------------------------------------------------------------------
  app.get('/rendez-vous/sans-rendez-vous', async (req, reply) => {
    const { t, locale } = req.ctx;
    const [rules, ss, rs] = await Promise.all([loadWalkInRules(db, req.ctx.prefecture.id), sites(req.ctx.prefecture.id), reasons(req.ctx.prefecture.id)]);
    const lines = describeRules(rules);
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('walkin_title'))}>
        <h1>{t(K('walkin_title'))}</h1>
        <p class="fr-text--lead">{t(K('walkin_lead'))}</p>
        {lines.length === 0 ? <p>{t(K('walkin_none'))}</p> : null}
        <ul>
          {lines.map((l) => {
            const r = rs.find((x) => x.code === l.reasonCode);
            return (
              <li class="fr-mb-2w">
                <strong>{r ? label(r, locale) : l.reasonCode}</strong> — {ss.find((s) => s.id === l.siteId)?.name}
                <br />
                {t(K('walkin_when'), { days: l.weekdays.map((d) => t(`appointments.weekday_${d}`)).join(', '), start: l.start, end: l.end })}
              </li>
            );
          })}
        </ul>
        <p>{t(K('walkin_holidays'))}</p>
        <p>{t(K('walkin_bring'))}</p>
      </Layout>,
    );
  });

  // Urgent channel ------------------------------------------------------------------------------
  async function renderUrgent(req: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
    const user = requireApplicant(req);
    const { t, locale } = req.ctx;
    const mine = (await listMyRequests(db, req.ctx.prefecture.id, user.id)).filter((r) => r.status === 'pending' || r.status === 'review');
    const rs = await reasons(req.ctx.prefecture.id);
    const labels = { request_id: t(K('urgent_f_request')), motive_kind: t(K('urgent_f_kind')), motive: t(K('urgent_f_motive')) };
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('urgent_title'))} hasErrors={status >= 400}>
        <h1>{t(K('urgent_title'))}</h1>
        <p class="fr-text--lead">{t(K('urgent_lead'))}</p>
        <div class="fr-callout fr-mb-3w">
          <p class="fr-callout__text">{t(K('urgent_not_penalised'))}</p>
        </div>
        <ErrorSummary ctx={req.ctx} state={state} labels={labels} />
        {mine.length === 0 ? (
          <p>{t(K('urgent_no_request'))}</p>
        ) : (
          <Form ctx={req.ctx} action="/rendez-vous/urgence">
            <RadioGroup
              ctx={req.ctx}
              state={state}
              name="request_id"
              legend={labels.request_id}
              options={mine.map((r) => {
                const reason = rs.find((x) => x.code === r.reason_code);
                return { value: r.id, label: `${reason ? label(reason, locale) : r.reason_code} — ${r.surname} ${r.given_names} (${r.site_name})` };
              })}
            />
            <RadioGroup
              ctx={req.ctx}
              state={state}
              name="motive_kind"
              legend={labels.motive_kind}
              options={(['permit_expiry', 'job_risk'] as const).map((k) => ({ value: k, label: t(K(`urgent_kind_${k}`)), hint: t(K(`urgent_kind_${k}_hint`)) }))}
            />
            <div class={`fr-input-group${state.errors.motive ? ' fr-input-group--error' : ''}`}>
              <label class="fr-label" for="champ-motive">
                {labels.motive}
                <span class="fr-hint-text">{t(K('urgent_f_motive_hint'))}</span>
              </label>
              <textarea class="fr-input" id="champ-motive" name="motive" rows={6} aria-describedby="champ-motive-messages" dir="auto">
                {state.values.motive ?? ''}
              </textarea>
              <div class="fr-messages-group" id="champ-motive-messages" aria-live="polite">
                {state.errors.motive ? <p class="fr-message fr-message--error">{t(state.errors.motive)}</p> : null}
              </div>
            </div>
            <Submit label={t(K('urgent_submit'))} />
          </Form>
        )}
      </Layout>,
      status,
    );
  }

  app.get('/rendez-vous/urgence', async (req, reply) => renderUrgent(req, reply, emptyForm()));
  app.post('/rendez-vous/urgence', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    await limit(req);
    const kind = values.motive_kind;
    if (kind !== 'permit_expiry' && kind !== 'job_risk') return renderUrgent(req, reply, { values, errors: { motive_kind: 'errors.required' } }, 400);
    if (!values.request_id || !isUuid(values.request_id)) return renderUrgent(req, reply, { values, errors: { request_id: 'errors.required' } }, 400);
    try {
      await fileUrgentRequest(db, { prefectureId: req.ctx.prefecture.id, applicantId: user.id, requestId: values.request_id, motiveKind: kind as UrgentMotiveKind, motive: values.motive ?? '' });
      reply.flash(K('flash_urgent_filed'));
      return reply.redirect(`/rendez-vous/demandes/${values.request_id}`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'conflict')) {
        return renderUrgent(req, reply, { values, errors: err.fields, formError: err.code === 'conflict' ? err.messageKey : undefined }, err.status);
      }
      throw err;
    }
  });

  // Appointment: confirm, cancel, convocation --------------------------------------------------
  function AppointmentFacts({ ctx, a }: { ctx: RequestContext; a: AppointmentView }) {
    const { t, locale } = ctx;
    return (
      <dl class="app-dl">
        <dt>{t(K('conv_name'))}</dt>
        <dd dir="auto">
          {a.surname} {a.given_names}
        </dd>
        <dt>{t(K('f_birth_date'))}</dt>
        <dd>{formatDate(locale, a.birth_date)}</dd>
        <dt>{t(K('f_reason'))}</dt>
        <dd>{reasonLabel(a, locale)}</dd>
        <dt>{t(K('conv_when'))}</dt>
        <dd>{formatDateTime(locale, a.starts_at)}</dd>
        <dt>{t(K('f_site'))}</dt>
        <dd>
          {a.site_name}, {a.site_address}, {a.site_postal_code} {a.site_city}
        </dd>
        <dt>{t(K('conv_counter'))}</dt>
        <dd>{a.counter_name}</dd>
      </dl>
    );
  }

  app.get<{ Params: { id: string } }>('/rendez-vous/:id', async (req, reply) => {
    const user = requireApplicant(req);
    const a = await getMyAppointment(db, req.ctx.prefecture.id, user.id, req.params.id);
    const { t, locale } = req.ctx;
    const confirmable = a.status === 'offered' && !!a.confirm_by && a.confirm_by > new Date();
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('appt_title'))}>
        <h1>{t(K('appt_title'))}</h1>
        <p>
          <span class="fr-badge" id="statut">
            {t(K(`appt_status_${a.status}`))}
          </span>
        </p>
        <AppointmentFacts ctx={req.ctx} a={a} />
        {confirmable ? (
          <Form ctx={req.ctx} action={`/rendez-vous/${a.id}`}>
            <p>{t(K('confirm_before'), { when: formatDateTime(locale, a.confirm_by as Date) })}</p>
            <Submit label={t(K('confirm_submit'))} />
          </Form>
        ) : null}
        {a.status === 'confirmed' ? (
          <p>
            <a class="fr-btn" href={`/rendez-vous/${a.id}/convocation`}>
              {t(K('conv_see'))}
            </a>
          </p>
        ) : null}
        {a.status === 'offered' || a.status === 'confirmed' ? (
          <Form ctx={req.ctx} action={`/rendez-vous/${a.id}/annuler`}>
            <p class="fr-mt-3w">{t(K('cancel_appt_body'))}</p>
            <Submit label={t(K('cancel_appt_submit'))} secondary />
          </Form>
        ) : null}
        <p class="fr-mt-4w">
          <a href="/rendez-vous">{t(K('back_mine'))}</a>
        </p>
      </Layout>,
    );
  });

  app.post<{ Params: { id: string } }>('/rendez-vous/:id', async (req, reply) => {
    const user = requireApplicant(req);
    const a = await getMyAppointment(db, req.ctx.prefecture.id, user.id, req.params.id);
    await confirmAppointment(db, req.ctx.prefecture.id, a.id);
    reply.flash(K('flash_confirmed'));
    return reply.redirect(`/rendez-vous/${a.id}/convocation`, 303);
  });

  app.post<{ Params: { id: string } }>('/rendez-vous/:id/annuler', async (req, reply) => {
    const user = requireApplicant(req);
    const a = await getMyAppointment(db, req.ctx.prefecture.id, user.id, req.params.id);
    if (!(await cancelAppointment(db, req.ctx.prefecture.id, a.id, 'by_applicant'))) throw new AppError('conflict', K('err_not_cancellable'));
    reply.flash(K('flash_appt_cancelled'));
    return reply.redirect('/rendez-vous', 303);
  });

  // Signed cancellation link from the reminder mail: a page with one POST button, no login.
  async function linkAppointment(req: FastifyRequest<{ Params: { id: string } }>, token: string | undefined): Promise<AppointmentView> {
    const a = await loadAppointment(db, req.ctx.prefecture.id, req.params.id);
    if (!a || !token || !checkCancelLinkToken(config.secretKey, a.id, token)) throw new AppError('not_found');
    return a;
  }
  app.get<{ Params: { id: string }; Querystring: { t?: string } }>('/rendez-vous/:id/annulation', async (req, reply) => {
    const a = await linkAppointment(req, req.query.t);
    const { t, locale } = req.ctx;
    const open = a.status === 'offered' || a.status === 'confirmed';
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('link_cancel_title'))}>
        <h1>{t(K('link_cancel_title'))}</h1>
        <p>{t(K('link_cancel_when'), { when: formatDateTime(locale, a.starts_at), site: a.site_name })}</p>
        {open ? (
          <Form ctx={req.ctx} action={`/rendez-vous/${a.id}/annulation`}>
            <input type="hidden" name="t" value={req.query.t} />
            <Submit label={t(K('cancel_appt_submit'))} />
          </Form>
        ) : (
          <p id="deja">{t(K('link_cancel_done'))}</p>
        )}
      </Layout>,
    );
  });
  app.post<{ Params: { id: string } }>('/rendez-vous/:id/annulation', async (req, reply) => {
    const values = formValues(req.body);
    const a = await linkAppointment(req, values.t);
    await cancelAppointment(db, req.ctx.prefecture.id, a.id, 'by_link');
    reply.flash(K('flash_appt_cancelled'));
    return reply.redirect(`/rendez-vous/${a.id}/annulation?t=${encodeURIComponent(values.t ?? '')}`, 303);
  });

  app.get<{ Params: { id: string } }>('/rendez-vous/:id/convocation', async (req, reply) => {
    const user = requireApplicant(req);
    const a = await getMyAppointment(db, req.ctx.prefecture.id, user.id, req.params.id);
    if (a.status !== 'confirmed' && a.status !== 'checked_in') throw new AppError('conflict', K('err_not_confirmed'));
    const { t } = req.ctx;
    const token = convocationToken(config.secretKey, a);
    const qr = await QRCode.toDataURL(token, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('conv_title'))}>
        <h1>{t(K('conv_title'))}</h1>
        <p class="fr-text--lead">{t(K('conv_lead'))}</p>
        <AppointmentFacts ctx={req.ctx} a={a} />
        <h2>{t(K('conv_bring'))}</h2>
        <ul>
          {whatToBring(a.counter_type).map((k) => (
            <li>{t(k)}</li>
          ))}
        </ul>
        <h2>{t(K('conv_code'))}</h2>
        <img src={qr} alt={t(K('conv_qr_alt'))} width={240} height={240} />
        <p class="fr-text--xs app-break" id="code-convocation">
          {token}
        </p>
        <p>{t(K('conv_personal'))}</p>
        <p>
          <a class="fr-btn fr-mb-2w" href={`/rendez-vous/${a.id}/convocation.pdf`}>
            {t(K('conv_pdf'))}
          </a>
        </p>
        <p>
          <a class="fr-btn fr-btn--secondary" href={`/rendez-vous/${a.id}`}>
            {t(K('see_appointment'))}
          </a>
        </p>
      </Layout>,
    );
  });

  // The convocation as an official PDF, in the person's language (the request's), with the QR code.
  app.get<{ Params: { id: string } }>('/rendez-vous/:id/convocation.pdf', async (req, reply) => {
    const user = requireApplicant(req);
    const a = await getMyAppointment(db, req.ctx.prefecture.id, user.id, req.params.id);
    if (a.status !== 'confirmed' && a.status !== 'checked_in') throw new AppError('conflict', K('err_not_confirmed'));
    const t = translator(a.locale);
    const token = convocationToken(config.secretKey, a);
    const pdf = await renderOfficialPdf({
      prefectureName: req.ctx.prefecture.name,
      title: t(K('conv_title')),
      subtitle: reasonLabel(a, a.locale),
      fields: [
        [t(K('conv_name')), `${a.surname} ${a.given_names}`.trim()],
        [t(K('f_birth_date')), formatDate(a.locale, a.birth_date)],
        [t(K('conv_when')), formatDateTime(a.locale, a.starts_at)],
        [t(K('f_site')), `${a.site_name}, ${a.site_address}, ${a.site_postal_code} ${a.site_city}`],
        [t(K('conv_counter')), a.counter_name],
      ],
      paragraphs: [t(K('conv_lead')), `${t(K('conv_bring'))} :`, ...whatToBring(a.counter_type).map((k) => `• ${t(k)}`), t(K('conv_personal'))],
      qr: { url: token, caption: t(K('conv_code')), code: token },
    });
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="convocation-${a.id.slice(0, 8)}.pdf"`)
      .send(pdf);
  });

  // API -----------------------------------------------------------------------------------------
  const requestOut = z.object({
    id: z.string(),
    reason_code: z.string(),
    site_id: z.string(),
    status: z.string(),
    created_at: z.string(),
    appointment: z.object({ id: z.string(), status: z.string(), starts_at: z.string(), confirm_by: z.string().nullable() }).nullable(),
  });
  const toOut = (r: MyRequest) => ({
    id: r.id,
    reason_code: r.reason_code,
    site_id: r.site_id,
    status: r.status,
    created_at: new Date(r.created_at).toISOString(),
    appointment:
      r.appointment_id && r.starts_at
        ? { id: r.appointment_id, status: r.appointment_status ?? '', starts_at: new Date(r.starts_at).toISOString(), confirm_by: r.confirm_by ? new Date(r.confirm_by).toISOString() : null }
        : null,
  });
  const security = [{ bearer: [] }];

  api.post(
    '/api/v1/appointment-requests',
    {
      schema: {
        tags: ['appointments'],
        summary: 'File an appointment request (names exactly as on the passport or permit)',
        security,
        body: z.object({
          surname: z.string(),
          given_names: z.string().optional(),
          birth_date: z.string(),
          agdref_number: z.string().optional(),
          permit_expires_on: z.string().optional(),
          permit_kind: z.enum(['none', 'student', 'other']),
          reason_code: z.string(),
          site_id: z.string(),
          dossier_id: z.string().optional(),
          email: z.string(),
          phone: z.string(),
          unavailable_weekdays: z.array(z.number().int()).optional(),
          altcha: z.string().optional(),
          slot_id: z.string().optional().describe('First-come-first-served counters: a published slot (GET /api/v1/fcfs-slots) to book at once'),
        }),
        response: { 201: z.object({ id: z.string(), status: z.string(), review: z.boolean(), appointment_id: z.string().nullable() }) },
      },
    },
    async (req, reply) => {
      const user = requireApplicant(req);
      await limit(req);
      const pow = await verifyAltcha(db, config.secretKey, req.body.altcha);
      const filed = await fileFrontRequest(db, filingInput(req, req.body as FilingBody, pow, await accountCreatedAt(user.id)));
      return reply.status(201).send({ id: filed.id, status: filed.status, review: filed.flagged, appointment_id: filed.appointmentId });
    },
  );

  api.get('/api/v1/appointment-requests', { schema: { tags: ['appointments'], summary: 'My appointment requests', security, response: { 200: z.array(requestOut) } } }, async (req) => {
    const user = requireApplicant(req);
    return (await listMyRequests(db, req.ctx.prefecture.id, user.id)).map(toOut);
  });

  api.get(
    '/api/v1/appointment-requests/:id',
    { schema: { tags: ['appointments'], summary: 'One of my appointment requests', security, params: z.object({ id: z.string() }), response: { 200: requestOut } } },
    async (req) => toOut(await getMyRequest(db, req.ctx.prefecture.id, requireApplicant(req).id, req.params.id)),
  );

  api.post(
    '/api/v1/appointment-requests/:id/cancel',
    { schema: { tags: ['appointments'], summary: 'Cancel one of my requests (frees any seat it holds)', security, params: z.object({ id: z.string() }), response: { 200: requestOut } } },
    async (req) => {
      const user = requireApplicant(req);
      const r = await getMyRequest(db, req.ctx.prefecture.id, user.id, req.params.id);
      if (!(await cancelRequest(db, req.ctx.prefecture.id, r.id, 'by_applicant'))) throw new AppError('conflict', K('err_not_cancellable'));
      return toOut(await getMyRequest(db, req.ctx.prefecture.id, user.id, r.id));
    },
  );

  api.post(
    '/api/v1/appointments/:id/confirm',
    { schema: { tags: ['appointments'], summary: 'Confirm an offered appointment before its deadline', security, params: z.object({ id: z.string() }), response: { 200: z.object({ id: z.string(), status: z.string(), convocation_code: z.string() }) } } },
    async (req) => {
      const user = requireApplicant(req);
      const a = await getMyAppointment(db, req.ctx.prefecture.id, user.id, req.params.id);
      await confirmAppointment(db, req.ctx.prefecture.id, a.id);
      return { id: a.id, status: 'confirmed', convocation_code: convocationToken(config.secretKey, a) };
    },
  );

  api.post(
    '/api/v1/appointments/:id/cancel',
    { schema: { tags: ['appointments'], summary: 'Cancel an appointment (the seat returns to the pool)', security, params: z.object({ id: z.string() }), response: { 200: z.object({ id: z.string(), status: z.string() }) } } },
    async (req) => {
      const user = requireApplicant(req);
      const a = await getMyAppointment(db, req.ctx.prefecture.id, user.id, req.params.id);
      if (!(await cancelAppointment(db, req.ctx.prefecture.id, a.id, 'by_applicant'))) throw new AppError('conflict', K('err_not_cancellable'));
      return { id: a.id, status: 'cancelled' };
    },
  );

  api.get(
    '/api/v1/appointment-requests/:id/urgent-eligibility',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Whether the urgent channel is open for a request (permit expiring before any free seat)',
        security,
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ eligible: z.boolean(), reason: z.string().nullable(), free_seats_before_expiry: z.number().nullable() }) },
      },
    },
    async (req) => {
      const user = requireApplicant(req);
      const r = await getMyRequest(db, req.ctx.prefecture.id, user.id, req.params.id);
      const { verdict, free } = await checkUrgentEligibility(db, req.ctx.prefecture.id, r.id, 'permit_expiry');
      return { eligible: verdict.ok, reason: verdict.ok ? null : verdict.reason, free_seats_before_expiry: free };
    },
  );
}
