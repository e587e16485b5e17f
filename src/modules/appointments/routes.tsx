// Appointments core: public draw register (/rendez-vous/tirages), capacity page
// (/rendez-vous/capacite), the draws API, admin pages for counters, hours, closures and reasons,
// and the background jobs. The filing pages, convocations, check-in, walk-ins and the urgent
// channel live in the routes-*.tsx files of the same folder.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../shared/deps';
import { notFound } from '../../shared/errors';
import { requireStaff } from '../../shared/auth/guards';
import { formatDate, formatDateTime } from '../../shared/i18n';
import { Layout } from '../../shared/web/layout';
import { sendHtml } from '../../shared/web/render';
import { Checkbox, emptyForm, ErrorSummary, Form, Input, Select, Submit, type FormState } from '../../shared/web/forms';
import { formValues } from '../../shared/validation';
import { localDate, seatsOver, weeklySeats } from './calendar';
import { loadCalendars } from './generate-slots';
import { registerAppointmentJobs, scheduleAppointmentJobs } from './jobs';
import { COUNTER_TYPES, type CounterType } from './tables';
import { fcfsFormValues, FcfsPolicyForm, parseFcfsForm, saveFcfsPolicy } from './fcfs-admin';
import { loadFcfsPolicies } from './fcfs-schedule';
import { refreshSlots } from './refresh-slots';
import { parseSettingsForm, saveSettings, SETTINGS_FIELDS, SettingsForm, settingsFormValues } from './settings-admin';
import { getSettings } from './settings';
import { decodeDrawInputs, decodeRanking } from './draw-record';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADMIN = '/agent/rendez-vous/parametrage';
// The public draw page lists the first ranks; the whole ranking is a text download.
const PAGE_RANKS = 500;

async function listDraws(deps: AppDeps, prefectureId: string) {
  return deps.db
    .selectFrom('draws')
    .select(['id', 'scope', 'draw_date', 'scheduled_for', 'status', 'commitment', 'seed', 'seats_offered', 'allocations', 'done_at'])
    .select('requests')
    .where('prefecture_id', '=', prefectureId)
    .orderBy('draw_date', 'desc')
    .orderBy('scope')
    .limit(90)
    .execute();
}

async function capacityRows(deps: AppDeps, prefectureId: string) {
  const { counters, closures } = await loadCalendars(deps.db, prefectureId);
  const sites = await deps.db.selectFrom('sites').select(['id', 'name']).where('prefecture_id', '=', prefectureId).execute();
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const today = localDate(new Date());
  return counters.map((c) => ({
    code: c.code,
    name: c.name,
    site: siteName.get(c.siteId) ?? '',
    type: c.type as CounterType,
    week: weeklySeats(c),
    year: seatsOver(c, today, 365, closures),
  }));
}

function num(n: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'ar' ? 'ar-MA' : locale, { numberingSystem: 'latn' }).format(n);
}

export async function appointmentsRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  registerAppointmentJobs(deps);
  app.addHook('onReady', async () => {
    if (deps.config.jobs.enabled) await scheduleAppointmentJobs(deps);
  });

  // Public register of draws -------------------------------------------------------------
  app.get('/rendez-vous/tirages', async (req, reply) => {
    const { t, locale } = req.ctx;
    const draws = await listDraws(deps, req.ctx.prefecture.id);
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t('appointments.draws_title')}>
        <h1>{t('appointments.draws_title')}</h1>
        <p class="fr-text--lead">{t('appointments.draws_intro')}</p>
        <p>{t('appointments.draws_order')}</p>
        {draws.length === 0 ? (
          <p>{t('appointments.draws_empty')}</p>
        ) : (
          <div class="fr-table fr-table--no-caption">
            <table>
              <caption>{t('appointments.draws_title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('appointments.draw_date')}</th>
                  <th scope="col">{t('appointments.draw_status')}</th>
                  <th scope="col">{t('appointments.draw_commitment')}</th>
                  <th scope="col">{t('appointments.draw_requests')}</th>
                  <th scope="col">{t('appointments.draw_allocations')}</th>
                  <th scope="col">{t('appointments.draw_details')}</th>
                </tr>
              </thead>
              <tbody>
                {draws.map((d) => (
                  <tr data-draw-id={d.id}>
                    <td>
                      {formatDate(locale, d.draw_date)}
                      <br />
                      <span class="fr-text--xs">{formatDateTime(locale, d.scheduled_for)}</span>
                    </td>
                    <td>{t(`appointments.draw_status_${d.status}`)}</td>
                    <td>
                      <code class="draw-commitment">{d.commitment}</code>
                    </td>
                    <td>{d.requests ?? '—'}</td>
                    <td>{d.allocations ?? '—'}</td>
                    <td>
                      <a href={`/rendez-vous/tirages/${d.id}`}>{t('appointments.draw_details')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  async function findDraw(req: FastifyRequest, id: string) {
    if (!UUID.test(id)) throw notFound();
    const draw = await deps.db
      .selectFrom('draws')
      .select(['id', 'scope', 'draw_date', 'scheduled_for', 'status', 'commitment', 'seed', 'ranked', 'inputs', 'seats_offered', 'allocations', 'done_at'])
      .where('prefecture_id', '=', req.ctx.prefecture.id)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!draw) throw notFound();
    return draw;
  }

  app.get<{ Params: { id: string } }>('/rendez-vous/tirages/:id', async (req, reply) => {
    const { t, locale } = req.ctx;
    const d = await findDraw(req, req.params.id);
    const ranked = d.ranked === null ? null : decodeRanking(d.ranked);
    const title = t('appointments.draw_detail_title', { date: formatDate(locale, d.draw_date) });
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={title}>
        <h1>{title}</h1>
        <dl>
          <dt>{t('appointments.draw_scheduled')}</dt>
          <dd>{formatDateTime(locale, d.scheduled_for)}</dd>
          <dt>{t('appointments.draw_status')}</dt>
          <dd>{t(`appointments.draw_status_${d.status}`)}</dd>
          <dt>{t('appointments.draw_commitment')}</dt>
          <dd>
            <code id="commitment">{d.commitment}</code>
          </dd>
          {d.seed ? (
            <>
              <dt>{t('appointments.draw_seed')}</dt>
              <dd>
                <code id="seed">{d.seed}</code>
              </dd>
              <dt>{t('appointments.draw_seats')}</dt>
              <dd>{d.seats_offered}</dd>
              <dt>{t('appointments.draw_allocations')}</dt>
              <dd>{d.allocations}</dd>
            </>
          ) : null}
        </dl>
        {ranked ? (
          <>
            <h2>{t('appointments.draw_ranked')}</h2>
            <p>{t('appointments.draw_verify_hint', { id: d.id })}</p>
            <ul>
              <li>
                <a href={`/rendez-vous/tirages/${d.id}/classement.txt`}>{t('appointments.draw_download_ranking')}</a>
              </li>
              <li>
                <a href={`/rendez-vous/tirages/${d.id}/entrees.txt`}>{t('appointments.draw_download_inputs')}</a>
              </li>
            </ul>
            {ranked.length > PAGE_RANKS ? <p>{t('appointments.draw_ranked_first', { shown: PAGE_RANKS, total: ranked.length })}</p> : null}
            <ol class="draw-ranked">
              {ranked.slice(0, PAGE_RANKS).map((pid) => (
                <li>
                  <code>{pid}</code>
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p>{t('appointments.draw_not_revealed')}</p>
        )}
      </Layout>,
    );
  });

  const drawSchema = z.object({
    id: z.string(),
    scope: z.string(),
    drawDate: z.string(),
    scheduledFor: z.string(),
    status: z.enum(['committed', 'done', 'failed']),
    commitment: z.string(),
    seed: z.string().nullable(),
    seatsOffered: z.number().nullable(),
    allocations: z.number().nullable(),
  });
  api.get(
    '/api/v1/draws',
    { schema: { tags: ['appointments'], summary: 'Public register of appointment draws', response: { 200: z.object({ draws: z.array(drawSchema) }) } } },
    async (req) => ({
      draws: (await listDraws(deps, req.ctx.prefecture.id)).map((d) => ({
        id: d.id,
        scope: d.scope,
        drawDate: d.draw_date,
        scheduledFor: d.scheduled_for.toISOString(),
        status: d.status,
        commitment: d.commitment,
        seed: d.seed,
        seatsOffered: d.seats_offered,
        allocations: d.allocations,
      })),
    }),
  );
  api.get(
    '/api/v1/draws/:id',
    {
      schema: {
        tags: ['appointments'],
        summary: 'One draw with, once revealed, its seed, inputs and ranking',
        params: z.object({ id: z.string() }),
        response: {
          200: drawSchema.extend({
            ranked: z.array(z.string()).nullable(),
            inputs: z.array(z.object({ pid: z.string(), cls: z.number(), exp: z.string().nullable(), pen: z.number() })).nullable(),
          }),
        },
      },
    },
    async (req) => {
      const d = await findDraw(req, req.params.id);
      return {
        id: d.id,
        scope: d.scope,
        drawDate: d.draw_date,
        scheduledFor: d.scheduled_for.toISOString(),
        status: d.status,
        commitment: d.commitment,
        seed: d.seed,
        seatsOffered: d.seats_offered,
        allocations: d.allocations,
        ranked: d.ranked === null ? null : decodeRanking(d.ranked),
        inputs: d.inputs === null ? null : decodeDrawInputs(d.inputs),
      };
    },
  );
  // The whole published record as plain text, for anyone replaying the draw.
  for (const [file, column] of [['classement.txt', 'ranked'], ['entrees.txt', 'inputs']] as const) {
    app.get<{ Params: { id: string } }>(`/rendez-vous/tirages/:id/${file}`, async (req, reply) => {
      const d = await findDraw(req, req.params.id);
      const text = d[column];
      if (text === null) throw notFound();
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="tirage-${d.draw_date}-${d.scope.replace(/[^a-z0-9-]/g, '-')}-${file}"`)
        .send(text === '' ? '' : `${text}\n`);
    });
  }

  // Capacity ----------------------------------------------------------------------------
  app.get('/rendez-vous/capacite', async (req, reply) => {
    const { t, locale } = req.ctx;
    const rows = await capacityRows(deps, req.ctx.prefecture.id);
    const byType = COUNTER_TYPES.map((type) => ({
      type,
      week: rows.filter((r) => r.type === type).reduce((n, r) => n + r.week, 0),
      year: rows.filter((r) => r.type === type).reduce((n, r) => n + r.year, 0),
    }));
    const outside = rows.filter((r) => r.type !== 'students');
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t('appointments.capacity_title')}>
        <h1>{t('appointments.capacity_title')}</h1>
        <p>{t('appointments.capacity_intro')}</p>
        <div class="fr-table">
          <table id="capacite-types">
            <caption>{t('appointments.capacity_by_type')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('appointments.capacity_type')}</th>
                <th scope="col">{t('appointments.capacity_week')}</th>
                <th scope="col">{t('appointments.capacity_year')}</th>
              </tr>
            </thead>
            <tbody>
              {byType.map((r) => (
                <tr data-type={r.type}>
                  <th scope="row">{t(`appointments.type_${r.type}`)}</th>
                  <td>{num(r.week, locale)}</td>
                  <td>{num(r.year, locale)}</td>
                </tr>
              ))}
              <tr data-type="outside-students">
                <th scope="row">{t('appointments.capacity_outside_students')}</th>
                <td>{num(outside.reduce((n, r) => n + r.week, 0), locale)}</td>
                <td class="capacity-outside-year">{num(outside.reduce((n, r) => n + r.year, 0), locale)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <div class="fr-table">
          <table>
            <caption>{t('appointments.capacity_by_counter')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('appointments.capacity_site')}</th>
                <th scope="col">{t('appointments.capacity_counter')}</th>
                <th scope="col">{t('appointments.capacity_type')}</th>
                <th scope="col">{t('appointments.capacity_week')}</th>
                <th scope="col">{t('appointments.capacity_year')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.site}</td>
                  <td>{r.name}</td>
                  <td>{t(`appointments.type_${r.type}`)}</td>
                  <td>{num(r.week, locale)}</td>
                  <td>{num(r.year, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    );
  });

  // Admin: counters, hours, closures, reasons ----------------------------------------------
  type AdminForm = { form: string; state: FormState };

  async function renderAdmin(req: FastifyRequest, reply: FastifyReply, failed: AdminForm | null = null) {
    requireStaff(req, ['admin']);
    const ctx = req.ctx;
    const { t } = ctx;
    const pref = ctx.prefecture.id;
    const sites = await deps.db.selectFrom('sites').select(['id', 'name']).where('prefecture_id', '=', pref).orderBy('code').execute();
    const counters = await deps.db.selectFrom('counters').selectAll().where('prefecture_id', '=', pref).orderBy('code').execute();
    const hours = await deps.db.selectFrom('counter_hours').selectAll().where('prefecture_id', '=', pref).orderBy('weekday').orderBy('start_time').execute();
    const closures = await deps.db.selectFrom('closures').selectAll().where('prefecture_id', '=', pref).orderBy('starts_on', 'desc').limit(100).execute();
    const reasons = await deps.db.selectFrom('appointment_reasons').selectAll().where('prefecture_id', '=', pref).orderBy('position').execute();
    const policies = await loadFcfsPolicies(deps.db, pref);
    const settings = await getSettings(deps.db, pref);
    const stateFor = (form: string, values: Record<string, string>): FormState => (failed?.form === form ? failed.state : emptyForm(values));
    const typeOptions = COUNTER_TYPES.map((v) => ({ value: v, label: t(`appointments.type_${v}`) }));
    const weekdayOptions = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: t(`appointments.weekday_${d}`) }));
    const siteName = new Map(sites.map((s) => [s.id, s.name]));
    const labels: Record<string, string> = {
      site_id: t('appointments.field_site'),
      code: t('appointments.field_code'),
      name: t('appointments.field_name'),
      type: t('appointments.field_type'),
      slot_minutes: t('appointments.field_slot_minutes'),
      agents: t('appointments.field_agents'),
      weekday: t('appointments.field_weekday'),
      start_time: t('appointments.field_start'),
      end_time: t('appointments.field_end'),
      starts_on: t('appointments.field_starts_on'),
      ends_on: t('appointments.field_ends_on'),
      reason: t('appointments.field_closure_reason'),
      label_fr: t('appointments.field_label_fr'),
      label_en: t('appointments.field_label_en'),
      label_ar: t('appointments.field_label_ar'),
      fcfs_window_start: t('appointments.fcfs.admin_window_start'),
      fcfs_window_end: t('appointments.fcfs.admin_window_end'),
      fcfs_days_ahead: t('appointments.fcfs.admin_days_ahead'),
      ...Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, t(`appointments.settings.${f}`)])),
    };
    return sendHtml(
      reply,
      <Layout ctx={ctx} title={t('appointments.admin_title')} hasErrors={!!failed}>
        <h1>{t('appointments.admin_title')}</h1>
        {failed ? <ErrorSummary ctx={ctx} state={failed.state} labels={labels} /> : null}
        <h2>{t('appointments.settings.title')}</h2>
        <SettingsForm ctx={ctx} action={`${ADMIN}/reglages`} state={stateFor('settings', settingsFormValues(settings))} />
        <h2 class="fr-mt-6w">{t('appointments.admin_counters')}</h2>
        {counters.map((c) => {
          const form = `counter-${c.id}`;
          const st = stateFor(form, { name: c.name, slot_minutes: String(c.slot_minutes), agents: String(c.agents), active: c.active ? 'on' : '' });
          const hst = stateFor(`hours-${c.id}`, { weekday: '1', start_time: '09:00', end_time: '12:00' });
          return (
            <section class="fr-mb-6w" data-counter={c.code}>
              <h3>
                {c.name} — {siteName.get(c.site_id)} ({t(`appointments.type_${c.type}`)}, <code>{c.code}</code>)
              </h3>
              <Form ctx={ctx} action={`${ADMIN}/guichets/${c.id}`}>
                <fieldset class="fr-fieldset">
                  <legend class="fr-fieldset__legend">{t('appointments.admin_edit_counter')}</legend>
                  <Input ctx={ctx} state={st} name="name" label={labels.name as string} required />
                  <Input ctx={ctx} state={st} name="slot_minutes" label={labels.slot_minutes as string} inputMode="numeric" required />
                  <Input ctx={ctx} state={st} name="agents" label={labels.agents as string} inputMode="numeric" required />
                  <Checkbox ctx={ctx} state={st} name="active" label={t('appointments.field_active')} />
                  <Submit label={t('common.save')} />
                </fieldset>
              </Form>
              <ul>
                {hours.filter((h) => h.counter_id === c.id).length === 0 ? <li>{t('appointments.admin_no_hours')}</li> : null}
                {hours
                  .filter((h) => h.counter_id === c.id)
                  .map((h) => (
                    <li>
                      {t(`appointments.weekday_${h.weekday}`)} {h.start_time.slice(0, 5)}–{h.end_time.slice(0, 5)}{' '}
                      <Form ctx={ctx} action={`${ADMIN}/horaires/${h.id}/supprimer`}>
                        <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                          {t('appointments.admin_delete')}
                        </button>
                      </Form>
                    </li>
                  ))}
              </ul>
              <Form ctx={ctx} action={`${ADMIN}/guichets/${c.id}/horaires`}>
                <fieldset class="fr-fieldset">
                  <legend class="fr-fieldset__legend">{t('appointments.admin_add_hours')}</legend>
                  <Select ctx={ctx} state={hst} name="weekday" label={labels.weekday as string} options={weekdayOptions} />
                  <Input ctx={ctx} state={hst} name="start_time" label={labels.start_time as string} required />
                  <Input ctx={ctx} state={hst} name="end_time" label={labels.end_time as string} required />
                  <Submit label={t('appointments.admin_add_hours')} secondary />
                </fieldset>
              </Form>
              <FcfsPolicyForm ctx={ctx} action={`${ADMIN}/guichets/${c.id}/fcfs`} state={stateFor(`fcfs-${c.id}`, fcfsFormValues(policies.find((p) => p.counterId === c.id)))} />
            </section>
          );
        })}
        <Form ctx={ctx} action={`${ADMIN}/guichets`}>
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">{t('appointments.admin_add_counter')}</legend>
            <Select ctx={ctx} state={stateFor('counter-new', {})} name="site_id" label={labels.site_id as string} options={sites.map((s) => ({ value: s.id, label: s.name }))} />
            <Input ctx={ctx} state={stateFor('counter-new', {})} name="code" label={labels.code as string} hint={t('appointments.error_code_format')} required />
            <Input ctx={ctx} state={stateFor('counter-new', {})} name="name" label={labels.name as string} required />
            <Select ctx={ctx} state={stateFor('counter-new', {})} name="type" label={labels.type as string} options={typeOptions} />
            <Input ctx={ctx} state={stateFor('counter-new', { slot_minutes: '20' })} name="slot_minutes" label={labels.slot_minutes as string} inputMode="numeric" required />
            <Input ctx={ctx} state={stateFor('counter-new', { agents: '1' })} name="agents" label={labels.agents as string} inputMode="numeric" required />
            <Submit label={t('appointments.admin_add_counter')} />
          </fieldset>
        </Form>

        <h2 class="fr-mt-6w">{t('appointments.admin_closures')}</h2>
        <p>{t('appointments.admin_closures_hint')}</p>
        <ul>
          {closures.length === 0 ? <li>{t('appointments.admin_none')}</li> : null}
          {closures.map((c) => (
            <li>
              {formatDate(ctx.locale, c.starts_on)} – {formatDate(ctx.locale, c.ends_on)} · {c.site_id ? siteName.get(c.site_id) : t('appointments.closure_all_sites')} · {c.reason}{' '}
              <Form ctx={ctx} action={`${ADMIN}/fermetures/${c.id}/supprimer`}>
                <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                  {t('appointments.admin_delete')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form ctx={ctx} action={`${ADMIN}/fermetures`}>
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">{t('appointments.admin_add_closure')}</legend>
            <Select
              ctx={ctx}
              state={stateFor('closure', {})}
              name="site_id"
              label={t('appointments.field_closure_site')}
              options={[{ value: '', label: t('appointments.closure_all_sites') }, ...sites.map((s) => ({ value: s.id, label: s.name }))]}
            />
            <Input ctx={ctx} state={stateFor('closure', {})} name="starts_on" type="date" label={labels.starts_on as string} required />
            <Input ctx={ctx} state={stateFor('closure', {})} name="ends_on" type="date" label={labels.ends_on as string} required />
            <Input ctx={ctx} state={stateFor('closure', {})} name="reason" label={labels.reason as string} required />
            <Submit label={t('appointments.admin_add_closure')} />
          </fieldset>
        </Form>

        <h2 class="fr-mt-6w">{t('appointments.admin_reasons')}</h2>
        {reasons.map((r) => {
          const st = stateFor(`reason-${r.code}`, {
            label_fr: r.label_fr,
            label_en: r.label_en,
            label_ar: r.label_ar,
            counter_type: r.counter_type,
            eligibility: r.eligibility,
            channel: r.channel,
            active: r.active ? 'on' : '',
          });
          return (
            <Form ctx={ctx} action={`${ADMIN}/motifs/${r.code}`}>
              <fieldset class="fr-fieldset" data-reason={r.code}>
                <legend class="fr-fieldset__legend">
                  <code>{r.code}</code>
                </legend>
                <Input ctx={ctx} state={st} name="label_fr" label={labels.label_fr as string} required />
                <Input ctx={ctx} state={st} name="label_en" label={labels.label_en as string} required />
                <Input ctx={ctx} state={st} name="label_ar" label={labels.label_ar as string} required dir="rtl" />
                <Select ctx={ctx} state={st} name="counter_type" label={labels.type as string} options={typeOptions} />
                <Select
                  ctx={ctx}
                  state={st}
                  name="eligibility"
                  label={t('appointments.field_eligibility')}
                  options={['any', 'card_ready', 'student_permit'].map((v) => ({ value: v, label: t(`appointments.elig_${v}`) }))}
                />
                <Select ctx={ctx} state={st} name="channel" label={t('appointments.field_channel')} options={['draw', 'walk_in'].map((v) => ({ value: v, label: t(`appointments.channel_${v}`) }))} />
                <Checkbox ctx={ctx} state={st} name="active" label={t('appointments.field_active')} />
                <Submit label={t('common.save')} secondary />
              </fieldset>
            </Form>
          );
        })}
      </Layout>,
      failed ? 400 : 200,
    );
  }

  // Every calendar change takes effect on the upcoming slots at once (a new closure is never offered).
  const done = async (req: FastifyRequest, reply: FastifyReply) => {
    await refreshSlots(deps.db, req.ctx.prefecture.id);
    return reply.flash('appointments.admin_saved').redirect(ADMIN, 303);
  };
  const fail = (req: FastifyRequest, reply: FastifyReply, form: string, values: Record<string, string>, errors: Record<string, string>) =>
    renderAdmin(req, reply, { form, state: { values, errors } });
  const intIn = (v: string | undefined, min: number, max: number): number | null => {
    if (!v || !/^\d{1,4}$/.test(v.trim())) return null;
    const n = Number(v.trim());
    return n >= min && n <= max ? n : null;
  };
  const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  const isUnique = (err: unknown) => !!err && typeof err === 'object' && (err as { code?: unknown }).code === '23505';
  const isFkOrCheck = (err: unknown) => !!err && typeof err === 'object' && ['23503', '23514'].includes(String((err as { code?: unknown }).code));

  app.get(ADMIN, async (req, reply) => renderAdmin(req, reply));

  async function ownCounter(req: FastifyRequest, id: string) {
    if (!UUID.test(id)) throw notFound();
    const c = await deps.db.selectFrom('counters').selectAll().where('prefecture_id', '=', req.ctx.prefecture.id).where('id', '=', id).executeTakeFirst();
    if (!c) throw notFound();
    return c;
  }

  app.post(`${ADMIN}/guichets`, async (req, reply) => {
    requireStaff(req, ['admin']);
    const v = formValues(req.body);
    const errors: Record<string, string> = {};
    const site = v.site_id && UUID.test(v.site_id)
      ? await deps.db.selectFrom('sites').select('id').where('prefecture_id', '=', req.ctx.prefecture.id).where('id', '=', v.site_id).executeTakeFirst()
      : undefined;
    if (!site) errors.site_id = 'errors.required';
    if (!/^[a-z0-9-]{2,40}$/.test(v.code ?? '')) errors.code = 'appointments.error_code_format';
    if (!v.name?.trim() || v.name.length > 200) errors.name = 'errors.required';
    if (!COUNTER_TYPES.includes(v.type as CounterType)) errors.type = 'errors.required';
    const slot = intIn(v.slot_minutes, 5, 240);
    const agents = intIn(v.agents, 1, 50);
    if (slot === null) errors.slot_minutes = 'appointments.error_number';
    if (agents === null) errors.agents = 'appointments.error_number';
    if (Object.keys(errors).length || !site || slot === null || agents === null) return fail(req, reply, 'counter-new', v, errors);
    try {
      await deps.db
        .insertInto('counters')
        .values({ prefecture_id: req.ctx.prefecture.id, site_id: site.id, code: v.code as string, name: (v.name as string).trim(), type: v.type as CounterType, slot_minutes: slot, agents })
        .execute();
    } catch (err) {
      if (isUnique(err)) return fail(req, reply, 'counter-new', v, { code: 'appointments.error_code_taken' });
      throw err;
    }
    return done(req, reply);
  });

  app.post<{ Params: { id: string } }>(`${ADMIN}/guichets/:id`, async (req, reply) => {
    requireStaff(req, ['admin']);
    const c = await ownCounter(req, req.params.id);
    const v = formValues(req.body);
    const form = `counter-${c.id}`;
    const errors: Record<string, string> = {};
    const slot = intIn(v.slot_minutes, 5, 240);
    const agents = intIn(v.agents, 1, 50);
    if (!v.name?.trim() || v.name.length > 200) errors.name = 'errors.required';
    if (slot === null) errors.slot_minutes = 'appointments.error_number';
    if (agents === null) errors.agents = 'appointments.error_number';
    if (Object.keys(errors).length || slot === null || agents === null) return fail(req, reply, form, v, errors);
    try {
      await deps.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('counters')
          .set({ name: (v.name as string).trim(), slot_minutes: slot, agents, active: v.active === 'on', updated_at: new Date() })
          .where('id', '=', c.id)
          .execute();
        // Upcoming slots take the new number of agents. The database refuses it (the capacity
        // copied in appointments cascades and seat ≤ capacity fails) if seats beyond it are held.
        if (agents !== c.agents) {
          await trx.updateTable('slots').set({ capacity: agents }).where('counter_id', '=', c.id).where('starts_at', '>', new Date()).execute();
        }
      });
    } catch (err) {
      if (isFkOrCheck(err)) return fail(req, reply, form, v, { agents: 'appointments.error_capacity_in_use' });
      throw err;
    }
    return done(req, reply);
  });

  app.post<{ Params: { id: string } }>(`${ADMIN}/guichets/:id/horaires`, async (req, reply) => {
    requireStaff(req, ['admin']);
    const c = await ownCounter(req, req.params.id);
    const v = formValues(req.body);
    const form = `hours-${c.id}`;
    const errors: Record<string, string> = {};
    const weekday = intIn(v.weekday, 1, 7);
    if (weekday === null) errors.weekday = 'errors.required';
    if (!TIME.test(v.start_time ?? '')) errors.start_time = 'errors.invalid';
    if (!TIME.test(v.end_time ?? '')) errors.end_time = 'errors.invalid';
    else if (TIME.test(v.start_time ?? '') && (v.end_time as string) <= (v.start_time as string)) errors.end_time = 'appointments.error_time_order';
    if (Object.keys(errors).length || weekday === null) return fail(req, reply, form, v, errors);
    await deps.db
      .insertInto('counter_hours')
      .values({ prefecture_id: req.ctx.prefecture.id, counter_id: c.id, weekday, start_time: v.start_time as string, end_time: v.end_time as string })
      .onConflict((oc) => oc.columns(['counter_id', 'weekday', 'start_time']).doUpdateSet({ end_time: v.end_time as string }))
      .execute();
    return done(req, reply);
  });

  app.post(`${ADMIN}/reglages`, async (req, reply) => {
    requireStaff(req, ['admin']);
    const v = formValues(req.body);
    const { errors, settings } = parseSettingsForm(v);
    if (!settings) return fail(req, reply, 'settings', v, errors);
    await saveSettings(deps.db, req.ctx.prefecture.id, settings);
    return done(req, reply);
  });

  app.post<{ Params: { id: string } }>(`${ADMIN}/guichets/:id/fcfs`, async (req, reply) => {
    requireStaff(req, ['admin']);
    const c = await ownCounter(req, req.params.id);
    const v = formValues(req.body);
    const { errors, policy } = parseFcfsForm(v);
    if (!policy) return fail(req, reply, `fcfs-${c.id}`, v, errors);
    await saveFcfsPolicy(deps.db, req.ctx.prefecture.id, c.id, policy);
    return done(req, reply);
  });

  app.post<{ Params: { id: string } }>(`${ADMIN}/horaires/:id/supprimer`, async (req, reply) => {
    requireStaff(req, ['admin']);
    if (!UUID.test(req.params.id)) throw notFound();
    const res = await deps.db.deleteFrom('counter_hours').where('prefecture_id', '=', req.ctx.prefecture.id).where('id', '=', req.params.id).executeTakeFirst();
    if (!res.numDeletedRows) throw notFound();
    return done(req, reply);
  });

  app.post(`${ADMIN}/fermetures`, async (req, reply) => {
    requireStaff(req, ['admin']);
    const v = formValues(req.body);
    const errors: Record<string, string> = {};
    let siteId: string | null = null;
    if (v.site_id) {
      const site = UUID.test(v.site_id)
        ? await deps.db.selectFrom('sites').select('id').where('prefecture_id', '=', req.ctx.prefecture.id).where('id', '=', v.site_id).executeTakeFirst()
        : undefined;
      if (!site) errors.site_id = 'errors.invalid';
      else siteId = site.id;
    }
    if (!DATE.test(v.starts_on ?? '') || Number.isNaN(Date.parse(v.starts_on as string))) errors.starts_on = 'appointments.error_date';
    if (!DATE.test(v.ends_on ?? '') || Number.isNaN(Date.parse(v.ends_on as string))) errors.ends_on = 'appointments.error_date';
    else if (!errors.starts_on && (v.ends_on as string) < (v.starts_on as string)) errors.ends_on = 'appointments.error_date';
    if (!v.reason?.trim() || v.reason.length > 500) errors.reason = 'errors.required';
    if (Object.keys(errors).length) return fail(req, reply, 'closure', v, errors);
    await deps.db
      .insertInto('closures')
      .values({ prefecture_id: req.ctx.prefecture.id, site_id: siteId, counter_id: null, starts_on: v.starts_on as string, ends_on: v.ends_on as string, reason: (v.reason as string).trim() })
      .execute();
    return done(req, reply);
  });

  app.post<{ Params: { id: string } }>(`${ADMIN}/fermetures/:id/supprimer`, async (req, reply) => {
    requireStaff(req, ['admin']);
    if (!UUID.test(req.params.id)) throw notFound();
    const res = await deps.db.deleteFrom('closures').where('prefecture_id', '=', req.ctx.prefecture.id).where('id', '=', req.params.id).executeTakeFirst();
    if (!res.numDeletedRows) throw notFound();
    return done(req, reply);
  });

  app.post<{ Params: { code: string } }>(`${ADMIN}/motifs/:code`, async (req, reply) => {
    requireStaff(req, ['admin']);
    const reason = await deps.db
      .selectFrom('appointment_reasons')
      .select('code')
      .where('prefecture_id', '=', req.ctx.prefecture.id)
      .where('code', '=', req.params.code)
      .executeTakeFirst();
    if (!reason) throw notFound();
    const v = formValues(req.body);
    const errors: Record<string, string> = {};
    for (const f of ['label_fr', 'label_en', 'label_ar'] as const) if (!v[f]?.trim() || (v[f] as string).length > 200) errors[f] = 'errors.required';
    if (!COUNTER_TYPES.includes(v.counter_type as CounterType)) errors.counter_type = 'errors.required';
    if (!['any', 'card_ready', 'student_permit'].includes(v.eligibility ?? '')) errors.eligibility = 'errors.required';
    if (!['draw', 'walk_in'].includes(v.channel ?? '')) errors.channel = 'errors.required';
    if (Object.keys(errors).length) return fail(req, reply, `reason-${reason.code}`, v, errors);
    await deps.db
      .updateTable('appointment_reasons')
      .set({
        label_fr: (v.label_fr as string).trim(),
        label_en: (v.label_en as string).trim(),
        label_ar: (v.label_ar as string).trim(),
        counter_type: v.counter_type as CounterType,
        eligibility: v.eligibility as 'any' | 'card_ready' | 'student_permit',
        channel: v.channel as 'draw' | 'walk_in',
        active: v.active === 'on',
        updated_at: new Date(),
      })
      .where('prefecture_id', '=', req.ctx.prefecture.id)
      .where('code', '=', reason.code)
      .execute();
    return done(req, reply);
  });
}

