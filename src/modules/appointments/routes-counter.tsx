// Appointments front, staff side (requireStaff): counter check-in (/agent/accueil), walk-in
// tickets and queue (/agent/sans-rendez-vous), urgent triage (/agent/rendez-vous/urgences),
// review of flagged requests (/agent/rendez-vous/revue); and the jobs: reminders 3 days and
// 1 day before, no-shows after the slot.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { requireStaff } from '../../shared/auth/guards';
import { enqueueJob } from '../../shared/jobs/queue';
import { formatDate, formatDateTime, type Locale } from '../../shared/i18n';
import { Layout } from '../../shared/web/layout';
import { sendHtml } from '../../shared/web/render';
import { emptyForm, ErrorSummary, Form, Input, RadioGroup, Select, Submit, type FormState } from '../../shared/web/forms';
import { formValues } from '../../shared/validation';
import { decideReview, listReviewQueue } from './abuse-review';
import { checkIn, lookupConvocation, markNoShows, NO_SHOW_JOB, refuseCheckIn } from './check-in';
import { reasonLabel, REMINDER_JOB, sendReminder, type AppointmentView } from './convocation';
import { isUuid } from './front-requests';
import type { TicketStatus } from './front-tables';
import { answerUrgent, grantableSlots, grantUrgent, listOpenUrgent } from './urgent';
import { issueWalkInTicket, moveTicket, walkInQueue } from './walk-in-tickets';
import { loadWalkInRules } from './walk-in';

const K = (k: string) => `appointments.front.${k}`;
const NO_SHOW_EVERY_MS = 15 * 60_000;

async function queueNoShow(deps: Pick<AppDeps, 'db'>, after: Date): Promise<void> {
  const bucket = Math.floor(after.getTime() / NO_SHOW_EVERY_MS) + 1;
  await enqueueJob(deps.db, { kind: NO_SHOW_JOB, runAt: new Date(bucket * NO_SHOW_EVERY_MS), uniqueKey: `${NO_SHOW_JOB}:${bucket}` });
}

export async function appointmentsCounterRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const { db, config } = deps;

  deps.jobs.register(REMINDER_JOB, async (job) => {
    if (!job.prefecture_id) return;
    await sendReminder(db, config.secretKey, config.publicUrl, job.prefecture_id, String(job.payload.appointmentId), Number(job.payload.days));
  });
  deps.jobs.register(NO_SHOW_JOB, async () => {
    const n = await markNoShows(db);
    if (n) deps.log.info({ noShows: n }, 'appointments marked as no-shows');
    await queueNoShow(deps, new Date());
  });
  app.addHook('onReady', async () => {
    if (config.jobs.enabled) await queueNoShow(deps, new Date());
  });

  const label = (r: { label_fr: string; label_en: string; label_ar: string }, l: Locale) => (l === 'en' ? r.label_en : l === 'ar' ? r.label_ar : r.label_fr);

  // Check-in ------------------------------------------------------------------------------------
  async function renderCheckIn(req: FastifyRequest, reply: FastifyReply, state: FormState, found: AppointmentView | null, status = 200) {
    const { t, locale } = req.ctx;
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('checkin_title'))} hasErrors={status >= 400}>
        <h1>{t(K('checkin_title'))}</h1>
        <ErrorSummary ctx={req.ctx} state={state} labels={{ code: t(K('checkin_code')) }} />
        {found ? (
          <div class="fr-card fr-mb-3w" id="personne">
            <div class="fr-card__body">
              <div class="fr-card__content">
                <h2 class="fr-card__title" dir="auto">
                  {found.surname} {found.given_names}
                </h2>
                <p class="fr-card__desc">
                  {t(K('f_birth_date'))} : <strong>{formatDate(locale, found.birth_date)}</strong>
                  <br />
                  {reasonLabel(found, locale)} — {formatDateTime(locale, found.starts_at)} — {found.counter_name}
                  <br />
                  {t(K('status'))} : {t(K(`appt_status_${found.status}`))}
                </p>
                <p>{t(K('checkin_compare'))}</p>
                <ul class="fr-btns-group fr-btns-group--inline-md">
                  <li>
                    <Form ctx={req.ctx} action="/agent/accueil/enregistrer">
                      <input type="hidden" name="code" value={state.values.code} />
                      <input type="hidden" name="decision" value="match" />
                      <Submit label={t(K('checkin_match'))} />
                    </Form>
                  </li>
                  <li>
                    <Form ctx={req.ctx} action="/agent/accueil/enregistrer">
                      <input type="hidden" name="code" value={state.values.code} />
                      <input type="hidden" name="decision" value="mismatch" />
                      <Submit label={t(K('checkin_mismatch'))} secondary />
                    </Form>
                  </li>
                </ul>
              </div>
            </div>
          </div>
        ) : null}
        <Form ctx={req.ctx} action="/agent/accueil" id="form-accueil">
          <Input ctx={req.ctx} state={state} name="code" label={t(K('checkin_code'))} hint={t(K('checkin_code_hint'))} autocomplete="off" />
          <Submit label={t(K('checkin_verify'))} />
        </Form>
      </Layout>,
      status,
    );
  }

  app.get('/agent/accueil', async (req, reply) => {
    requireStaff(req);
    return renderCheckIn(req, reply, emptyForm(), null);
  });

  app.post('/agent/accueil', async (req, reply) => {
    requireStaff(req);
    const values = formValues(req.body);
    const code = (values.code ?? '').trim();
    try {
      const a = await lookupConvocation(db, config.secretKey, req.ctx.prefecture.id, code);
      return renderCheckIn(req, reply, emptyForm({ code }), a);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'not_found')) {
        return renderCheckIn(req, reply, { values: { code }, errors: { code: err.messageKey } }, null, 400);
      }
      throw err;
    }
  });

  app.post('/agent/accueil/enregistrer', async (req, reply) => {
    const agent = requireStaff(req);
    const values = formValues(req.body);
    const code = (values.code ?? '').trim();
    try {
      if (values.decision === 'mismatch') {
        await refuseCheckIn(db, config.secretKey, req.ctx.prefecture.id, code, agent.id);
        reply.flash(K('flash_checkin_refused'));
      } else {
        await checkIn(db, config.secretKey, req.ctx.prefecture.id, code);
        reply.flash(K('flash_checked_in'));
      }
      return reply.redirect('/agent/accueil', 303);
    } catch (err) {
      if (err instanceof AppError && ['validation', 'not_found', 'conflict'].includes(err.code)) {
        return renderCheckIn(req, reply, { values: { code }, errors: { code: err.messageKey } }, null, err.code === 'conflict' ? 409 : 400);
      }
      throw err;
    }
  });

  // Walk-in tickets -------------------------------------------------------------------------------
  async function renderWalkIn(req: FastifyRequest, reply: FastifyReply, siteId: string | null, state: FormState, status = 200) {
    const { t, locale } = req.ctx;
    const sites = await db.selectFrom('sites').select(['id', 'name']).where('prefecture_id', '=', req.ctx.prefecture.id).orderBy('code').execute();
    const site = sites.find((s) => s.id === siteId) ?? sites[0];
    const rules = await loadWalkInRules(db, req.ctx.prefecture.id);
    const reasons = await db
      .selectFrom('appointment_reasons')
      .select(['code', 'label_fr', 'label_en', 'label_ar'])
      .where('prefecture_id', '=', req.ctx.prefecture.id)
      .where('code', 'in', rules.length ? [...new Set(rules.map((r) => r.reasonCode))] : ['__none__'])
      .execute();
    const queue = site ? await walkInQueue(db, req.ctx.prefecture.id, site.id) : [];
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('tickets_title'))} hasErrors={status >= 400}>
        <h1>{t(K('tickets_title'))}</h1>
        <ErrorSummary ctx={req.ctx} state={state} labels={{ reason_code: t(K('f_reason')) }} />
        <form method="get" action="/agent/sans-rendez-vous" class="fr-mb-3w">
          <Select ctx={req.ctx} state={emptyForm({ site: site?.id ?? '' })} name="site" label={t(K('f_site'))} options={sites.map((s) => ({ value: s.id, label: s.name }))} />
          <Submit label={t(K('tickets_show'))} secondary />
        </form>
        {site ? (
          <Form ctx={req.ctx} action="/agent/sans-rendez-vous">
            <input type="hidden" name="site_id" value={site.id} />
            <RadioGroup ctx={req.ctx} state={state} name="reason_code" legend={t(K('f_reason'))} options={reasons.map((r) => ({ value: r.code, label: label(r, locale) }))} />
            <Submit label={t(K('tickets_issue'))} />
          </Form>
        ) : null}
        <h2 class="fr-mt-4w">{t(K('tickets_queue'))}</h2>
        {queue.length === 0 ? <p>{t(K('tickets_empty'))}</p> : null}
        <ul class="app-plain-list" id="file-attente">
          {queue.map((q) => (
            <li class="fr-mb-1w" data-ticket={q.number}>
              <strong>
                {t(K('ticket_number'), { n: q.number })}
              </strong>{' '}
              — {label(q, locale)} — {t(K(`ticket_${q.status}`))}
              {q.status === 'waiting' || q.status === 'called' ? (
                <Form ctx={req.ctx} action={`/agent/sans-rendez-vous/${q.id}`}>
                  <input type="hidden" name="site_id" value={site?.id} />
                  <input type="hidden" name="status" value={q.status === 'waiting' ? 'called' : 'done'} />
                  <Submit label={t(K(q.status === 'waiting' ? 'ticket_call' : 'ticket_done'))} secondary />
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </Layout>,
      status,
    );
  }

  app.get<{ Querystring: { site?: string } }>('/agent/sans-rendez-vous', async (req, reply) => {
    requireStaff(req);
    return renderWalkIn(req, reply, req.query.site ?? null, emptyForm());
  });

  app.post('/agent/sans-rendez-vous', async (req, reply) => {
    const agent = requireStaff(req);
    const values = formValues(req.body);
    const siteId = values.site_id ?? '';
    if (!isUuid(siteId)) throw new AppError('not_found');
    if (!values.reason_code) return renderWalkIn(req, reply, siteId, { values, errors: { reason_code: 'errors.required' } }, 400);
    try {
      const ticket = await issueWalkInTicket(db, { prefectureId: req.ctx.prefecture.id, siteId, reasonCode: values.reason_code, agentId: agent.id });
      reply.flash(K('flash_ticket_issued'));
      return reply.redirect(`/agent/sans-rendez-vous?site=${siteId}&ticket=${ticket.number}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return renderWalkIn(req, reply, siteId, { values, errors: {}, formError: err.messageKey }, 409);
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/agent/sans-rendez-vous/:id', async (req, reply) => {
    requireStaff(req);
    const values = formValues(req.body);
    if (!isUuid(req.params.id)) throw new AppError('not_found');
    const to = values.status as TicketStatus;
    if (!['called', 'done', 'left'].includes(to)) throw new AppError('validation');
    await moveTicket(db, req.ctx.prefecture.id, req.params.id, to);
    return reply.redirect(`/agent/sans-rendez-vous?site=${encodeURIComponent(values.site_id ?? '')}`, 303);
  });

  // Urgent triage ---------------------------------------------------------------------------------
  async function renderUrgent(req: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
    const { t, locale } = req.ctx;
    const open = await listOpenUrgent(db, req.ctx.prefecture.id);
    const slots = await Promise.all(open.map((u) => grantableSlots(db, req.ctx.prefecture.id, u.request_id)));
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('triage_title'))} hasErrors={status >= 400}>
        <h1>{t(K('triage_title'))}</h1>
        <ErrorSummary ctx={req.ctx} state={state} labels={{ slot_id: t(K('triage_slot')), answer: t(K('triage_answer')) }} />
        {open.length === 0 ? <p>{t(K('triage_empty'))}</p> : null}
        {open.map((u, i) => (
          <section class="fr-mb-4w" data-urgent={u.id}>
            <h2 class="fr-h5" dir="auto">
              {u.surname} {u.given_names} — {formatDate(locale, u.birth_date)}
            </h2>
            <p>
              {t(K(`urgent_kind_${u.motive_kind}`))} · {u.site_name}
              {u.permit_expires_on ? ` · ${t(K('f_permit_expires'))} ${formatDate(locale, u.permit_expires_on)}` : ''}
              {u.seats_before_expiry !== null ? ` · ${t(K('triage_seats'), { n: u.seats_before_expiry })}` : ''}
            </p>
            <blockquote dir="auto">{u.motive}</blockquote>
            {(slots[i] ?? []).length ? (
              <Form ctx={req.ctx} action={`/agent/rendez-vous/urgences/${u.id}/accorder`}>
                <RadioGroup
                  ctx={req.ctx}
                  state={state}
                  name="slot_id"
                  legend={t(K('triage_slot'))}
                  options={(slots[i] ?? []).map((s) => ({ value: s.id, label: `${formatDateTime(locale, s.starts_at)} — ${s.counter_name} (${t(K('triage_free'), { n: s.free })})` }))}
                />
                <Submit label={t(K('triage_grant'))} />
              </Form>
            ) : (
              <p>{t(K('triage_no_slot'))}</p>
            )}
            <Form ctx={req.ctx} action={`/agent/rendez-vous/urgences/${u.id}/repondre`}>
              <Input ctx={req.ctx} state={state} name="answer" label={t(K('triage_answer'))} />
              <Submit label={t(K('triage_send'))} secondary />
            </Form>
          </section>
        ))}
      </Layout>,
      status,
    );
  }

  app.get('/agent/rendez-vous/urgences', async (req, reply) => {
    requireStaff(req);
    return renderUrgent(req, reply, emptyForm());
  });

  app.post<{ Params: { id: string } }>('/agent/rendez-vous/urgences/:id/accorder', async (req, reply) => {
    const agent = requireStaff(req);
    if (!isUuid(req.params.id)) throw new AppError('not_found');
    const values = formValues(req.body);
    if (!values.slot_id || !isUuid(values.slot_id)) return renderUrgent(req, reply, { values, errors: { slot_id: 'errors.required' } }, 400);
    try {
      await grantUrgent(db, { prefectureId: req.ctx.prefecture.id, urgentId: req.params.id, slotId: values.slot_id, agentId: agent.id, publicUrl: config.publicUrl });
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return renderUrgent(req, reply, { values, errors: {}, formError: err.messageKey }, 409);
      throw err;
    }
    reply.flash(K('flash_urgent_granted'));
    return reply.redirect('/agent/rendez-vous/urgences', 303);
  });

  app.post<{ Params: { id: string } }>('/agent/rendez-vous/urgences/:id/repondre', async (req, reply) => {
    const agent = requireStaff(req);
    if (!isUuid(req.params.id)) throw new AppError('not_found');
    const values = formValues(req.body);
    if (!(values.answer ?? '').trim()) return renderUrgent(req, reply, { values, errors: { answer: 'errors.required' } }, 400);
    await answerUrgent(db, { prefectureId: req.ctx.prefecture.id, urgentId: req.params.id, agentId: agent.id, answer: values.answer ?? '', publicUrl: config.publicUrl });
    reply.flash(K('flash_urgent_answered'));
    return reply.redirect('/agent/rendez-vous/urgences', 303);
  });

  // Review queue ------------------------------------------------------------------------------------
  async function renderReview(req: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
    const { t, locale } = req.ctx;
    const rows = await listReviewQueue(db, req.ctx.prefecture.id);
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('review_title'))} hasErrors={status >= 400}>
        <h1>{t(K('review_title'))}</h1>
        <p>{t(K('review_lead'))}</p>
        <ErrorSummary ctx={req.ctx} state={state} labels={{ message: t(K('review_message')) }} />
        {rows.length === 0 ? <p>{t(K('review_empty'))}</p> : null}
        {rows.map((r) => (
          <section class="fr-mb-4w" data-review={r.id}>
            <h2 class="fr-h5" dir="auto">
              {r.surname} {r.given_names} — {formatDate(locale, r.birth_date)}
            </h2>
            <p>
              {r.site_name} · {r.reason_code} · {formatDateTime(locale, r.created_at)} · {r.email}
            </p>
            <p>
              {t(K('review_signals'))} : {(r.risk_flags ?? []).map((f) => t(K(`signal_${f}`))).join(', ')}
            </p>
            <Form ctx={req.ctx} action={`/agent/rendez-vous/revue/${r.id}`}>
              <input type="hidden" name="decision" value="approved" />
              <Submit label={t(K('review_approve'))} />
            </Form>
            <Form ctx={req.ctx} action={`/agent/rendez-vous/revue/${r.id}`}>
              <input type="hidden" name="decision" value="rejected" />
              <Input ctx={req.ctx} state={state} name="message" label={t(K('review_message'))} />
              <Submit label={t(K('review_reject'))} secondary />
            </Form>
          </section>
        ))}
      </Layout>,
      status,
    );
  }

  app.get('/agent/rendez-vous/revue', async (req, reply) => {
    requireStaff(req);
    return renderReview(req, reply, emptyForm());
  });

  app.post<{ Params: { id: string } }>('/agent/rendez-vous/revue/:id', async (req, reply) => {
    const agent = requireStaff(req);
    if (!isUuid(req.params.id)) throw new AppError('not_found');
    const values = formValues(req.body);
    const decision = values.decision === 'approved' ? 'approved' : values.decision === 'rejected' ? 'rejected' : null;
    if (!decision) throw new AppError('validation');
    try {
      await decideReview(db, { prefectureId: req.ctx.prefecture.id, requestId: req.params.id, agentId: agent.id, decision, message: values.message ?? null, publicUrl: config.publicUrl });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return renderReview(req, reply, { values, errors: err.fields }, 400);
      throw err;
    }
    reply.flash(K(decision === 'approved' ? 'flash_review_approved' : 'flash_review_rejected'));
    return reply.redirect('/agent/rendez-vous/revue', 303);
  });
}
