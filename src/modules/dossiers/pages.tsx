// The applicant's pages for filing and following a dossier. Server-rendered, no JavaScript.
import { formatDate, formatDateTime, type Locale } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import { Checkbox, ErrorSummary, Form, Input, RadioGroup, Submit, hasErrors, type FormState } from '../../shared/web/forms';
import { Layout } from '../../shared/web/layout';
import { DocumentList, UploadForm } from '../documents/upload-form';
import { pick, type CatalogueCategory, type CategoryKindDetail, type CataloguePiece } from './catalogue/catalogue-queries';
import type { DossierFile } from './dossier-files';
import type { DossierEventRow, DossierRow } from './dossier-queries';
import { upcomingStates, type NextStep } from './next-steps';
import type { RenewalWindow } from './renewal-window';
import type { Attestation } from '../verification';
import { REQUEST_KINDS, type RequestKind } from './tables';

export function formatAmount(locale: Locale, cents: number): string {
  const intl = { fr: 'fr-FR', en: 'en-GB', ar: 'ar-MA' }[locale];
  return new Intl.NumberFormat(intl, { style: 'currency', currency: 'EUR', numberingSystem: 'latn' }).format(cents / 100);
}

function Breadcrumb({ ctx, items }: { ctx: RequestContext; items: { href?: string; label: string }[] }) {
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label={ctx.t('dossiers.breadcrumb_label')}>
      <ol class="fr-breadcrumb__list">
        {items.map((i) => (
          <li>
            {i.href ? (
              <a class="fr-breadcrumb__link" href={i.href}>
                {i.label}
              </a>
            ) : (
              <a class="fr-breadcrumb__link" aria-current="page">
                {i.label}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

const crumbs = (ctx: RequestContext, d?: DossierRow, current?: string) => [
  { href: '/dossiers', label: ctx.t('dossiers.my_dossiers') },
  ...(d ? [{ href: `/dossiers/${d.id}`, label: dossierTitle(ctx, d) }] : []),
  ...(current ? [{ label: current }] : []),
];

export function dossierTitle(ctx: RequestContext, d: Pick<DossierRow, 'number'>): string {
  return d.number ? ctx.t('dossiers.dossier_number', { number: d.number }) : ctx.t('dossiers.draft_title');
}

export function stateBadge(ctx: RequestContext, state: string) {
  const tone =
    state === 'decided_favourable' || state === 'card_ready' || state === 'handed_over'
      ? 'success'
      : state === 'pieces_requested'
        ? 'warning'
        : state === 'decided_unfavourable'
          ? 'error'
          : state === 'draft' || state === 'withdrawn' || state === 'closed'
            ? 'new'
            : 'info';
  return <p class={`fr-badge fr-badge--${tone} fr-badge--no-icon`}>{ctx.t(`dossiers.state.${state}`)}</p>;
}

function unreadBadge(ctx: RequestContext, n: number) {
  if (!n) return null;
  return (
    <li>
      <p class="fr-badge fr-badge--sm fr-badge--new" data-unread={String(n)}>
        {ctx.t('dossiers.list_unread', { n })}
      </p>
    </li>
  );
}

export function ListPage({ ctx, dossiers, names, unread }: { ctx: RequestContext; dossiers: DossierRow[]; names: Map<string, string>; unread: Map<string, number> }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('dossiers.my_dossiers')}>
      <h1>{t('dossiers.my_dossiers')}</h1>
      <p>{t('dossiers.list_intro')}</p>
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/dossiers/nouveau">
          {t('dossiers.new_request')}
        </a>
      </p>
      {dossiers.length === 0 ? (
        <p>{t('dossiers.list_empty')}</p>
      ) : (
        <ul class="fr-grid-row fr-grid-row--gutters app-list-reset">
          {dossiers.map((d) => (
            <li class="fr-col-12 fr-col-md-6">
              <div class="fr-card fr-enlarge-link">
                <div class="fr-card__body">
                  <div class="fr-card__content">
                    <h2 class="fr-card__title">
                      <a href={`/dossiers/${d.id}`}>{names.get(d.category_code) ?? d.category_code}</a>
                    </h2>
                    <p class="fr-card__desc">
                      {t(`dossiers.kind.${d.request_kind}`)} · {dossierTitle(ctx, d)}
                    </p>
                    <div class="fr-card__start">
                      <ul class="fr-badges-group">
                        <li>{stateBadge(ctx, d.state)}</li>
                        {unreadBadge(ctx, unread.get(d.id) ?? 0)}
                      </ul>
                    </div>
                    <div class="fr-card__end">
                      <p class="fr-card__detail">{t('dossiers.updated_on', { date: formatDateTime(ctx.locale, d.updated_at) })}</p>
                    </div>
                  </div>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function KindQuestionPage({ ctx, state }: { ctx: RequestContext; state: FormState }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('dossiers.q_kind_title')} hasErrors={hasErrors(state)}>
      <Breadcrumb ctx={ctx} items={crumbs(ctx, undefined, t('dossiers.new_request'))} />
      <h1>{t('dossiers.q_kind_title')}</h1>
      <ErrorSummary ctx={ctx} state={state} labels={{ kind: t('dossiers.q_kind_legend') }} />
      <Form ctx={ctx} action="/dossiers/nouveau">
        <RadioGroup
          ctx={ctx}
          state={state}
          name="kind"
          legend={t('dossiers.q_kind_legend')}
          options={REQUEST_KINDS.map((k) => ({ value: k, label: t(`dossiers.q_kind.${k}`), hint: t(`dossiers.q_kind_hint.${k}`) }))}
        />
        <Submit label={t('dossiers.continue')} />
      </Form>
    </Layout>
  );
}

export function CategoryQuestionPage({
  ctx,
  state,
  kind,
  categories,
}: {
  ctx: RequestContext;
  state: FormState;
  kind: RequestKind;
  categories: CatalogueCategory[];
}) {
  const { t, locale } = ctx;
  const offered = categories.filter((c) => c.kinds.some((k) => k.kind === kind));
  return (
    <Layout ctx={ctx} title={t('dossiers.q_category_title')} hasErrors={hasErrors(state)}>
      <Breadcrumb ctx={ctx} items={crumbs(ctx, undefined, t('dossiers.new_request'))} />
      <h1>{t('dossiers.q_category_title')}</h1>
      <p>
        {t('dossiers.q_category_kind', { kind: t(`dossiers.q_kind.${kind}`) })} <a href="/dossiers/nouveau">{t('dossiers.change_answer')}</a>
      </p>
      <ErrorSummary ctx={ctx} state={state} labels={{ category: t('dossiers.q_category_legend') }} />
      <Form ctx={ctx} action="/dossiers/nouveau">
        <input type="hidden" name="kind" value={kind} />
        <RadioGroup
          ctx={ctx}
          state={state}
          name="category"
          legend={t('dossiers.q_category_legend')}
          hint={t('dossiers.q_category_hint')}
          options={offered.map((c) => ({
            value: c.code,
            label: pick(c.whoFor, locale),
            hint: `${pick(c.name, locale)} — ${pick(c.kinds.find((k) => k.kind === kind)?.whoFor ?? c.whoFor, locale)}`,
          }))}
        />
        <Submit label={t('dossiers.start_request')} />
      </Form>
      <p class="fr-mt-3w">{t('dossiers.q_category_not_found', { email: ctx.prefecture.contact_email })}</p>
    </Layout>
  );
}

export const IDENTITY_LABEL_KEYS: Record<string, string> = {
  surname: 'dossiers.f_surname',
  given_names: 'dossiers.f_given_names',
  birth_date: 'dossiers.f_birth_date',
  birth_place: 'dossiers.f_birth_place',
  nationality: 'dossiers.f_nationality',
  agdref_number: 'dossiers.f_agdref',
  current_permit_number: 'dossiers.f_permit_number',
  current_permit_expires_on: 'dossiers.f_permit_expires',
  address_line: 'dossiers.f_address',
  postal_code: 'dossiers.f_postal_code',
  city: 'dossiers.f_city',
  phone: 'dossiers.f_phone',
  ephoto_code: 'dossiers.f_ephoto',
  late_reason: 'dossiers.f_late_reason',
};

export function RenewalWindowNotice({ ctx, window }: { ctx: RequestContext; window: RenewalWindow | null }) {
  const { t, locale } = ctx;
  const params: Record<string, string> = window ? { opens: formatDate(locale, window.opensOn), closes: formatDate(locale, window.closesOn) } : {};
  const late = window && (window.timing === 'late' || window.timing === 'expired');
  return (
    <div class={`fr-callout${late ? ' fr-callout--orange-terre-battue' : ''} fr-mb-3w`}>
      <h2 class="fr-callout__title fr-h6">{t('dossiers.window_title')}</h2>
      <p class="fr-callout__text">{t('dossiers.window_rule')}</p>
      {window ? <p class="fr-callout__text">{t(`dossiers.window_${window.timing}`, params)}</p> : null}
      {late || !window ? <p class="fr-callout__text">{t('dossiers.window_late_not_penalised')}</p> : null}
    </div>
  );
}

export function IdentityPage({
  ctx,
  dossier,
  state,
  window,
}: {
  ctx: RequestContext;
  dossier: DossierRow;
  state: FormState;
  window: RenewalWindow | null;
}) {
  const { t } = ctx;
  const holder = dossier.request_kind !== 'first';
  const renewal = dossier.request_kind === 'renewal';
  const labels = Object.fromEntries(Object.entries(IDENTITY_LABEL_KEYS).map(([k, v]) => [k, t(v)]));
  return (
    <Layout ctx={ctx} title={t('dossiers.identity_title')} hasErrors={hasErrors(state)}>
      <Breadcrumb ctx={ctx} items={crumbs(ctx, dossier, t('dossiers.identity_title'))} />
      <h1>{t('dossiers.identity_title')}</h1>
      <p>{t('dossiers.identity_intro')}</p>
      {renewal ? <RenewalWindowNotice ctx={ctx} window={window} /> : null}
      <ErrorSummary ctx={ctx} state={state} labels={labels} />
      <Form ctx={ctx} action={`/dossiers/${dossier.id}/identite`}>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">{t('dossiers.identity_legend_passport')}</legend>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="surname" label={labels.surname ?? ''} hint={t('dossiers.f_surname_hint')} required autocomplete="family-name" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="given_names" label={labels.given_names ?? ''} hint={t('dossiers.f_given_names_hint')} required autocomplete="given-name" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="birth_date" type="date" label={labels.birth_date ?? ''} hint={t('dossiers.f_date_hint')} required autocomplete="bday" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="birth_place" label={labels.birth_place ?? ''} hint={t('dossiers.f_birth_place_hint')} required />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="nationality" label={labels.nationality ?? ''} required />
          </div>
        </fieldset>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">{t('dossiers.identity_legend_permit')}</legend>
          <div class="fr-fieldset__element">
            <Input
              ctx={ctx}
              state={state}
              name="agdref_number"
              label={labels.agdref_number ?? ''}
              hint={t('dossiers.f_agdref_hint')}
              inputMode="numeric"
              required={renewal}
            />
          </div>
          {holder ? (
            <>
              <div class="fr-fieldset__element">
                <Input ctx={ctx} state={state} name="current_permit_number" label={labels.current_permit_number ?? ''} required />
              </div>
              <div class="fr-fieldset__element">
                <Input
                  ctx={ctx}
                  state={state}
                  name="current_permit_expires_on"
                  type="date"
                  label={labels.current_permit_expires_on ?? ''}
                  hint={t('dossiers.f_date_hint')}
                  required
                />
              </div>
            </>
          ) : null}
          {renewal ? (
            <div class="fr-fieldset__element">
              <div class={`fr-input-group${state.errors.late_reason ? ' fr-input-group--error' : ''}`}>
                <label class="fr-label" for="champ-late_reason">
                  {labels.late_reason}
                  <span class="fr-hint-text">{t('dossiers.f_late_reason_hint')}</span>
                </label>
                <textarea
                  class={`fr-input${state.errors.late_reason ? ' fr-input--error' : ''}`}
                  id="champ-late_reason"
                  name="late_reason"
                  rows={4}
                  aria-describedby="champ-late_reason-messages"
                  aria-invalid={state.errors.late_reason ? 'true' : undefined}
                >
                  {state.values.late_reason ?? ''}
                </textarea>
                <div class="fr-messages-group" id="champ-late_reason-messages" aria-live="polite">
                  {state.errors.late_reason ? <p class="fr-message fr-message--error">{t(state.errors.late_reason)}</p> : null}
                </div>
              </div>
            </div>
          ) : null}
        </fieldset>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">{t('dossiers.identity_legend_contact', { department: ctx.prefecture.department_name })}</legend>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="address_line" label={labels.address_line ?? ''} required autocomplete="street-address" />
          </div>
          <div class="fr-fieldset__element">
            <Input
              ctx={ctx}
              state={state}
              name="postal_code"
              label={labels.postal_code ?? ''}
              hint={t('dossiers.f_postal_code_hint', { department: ctx.prefecture.department_name })}
              inputMode="numeric"
              required
              autocomplete="postal-code"
            />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="city" label={labels.city ?? ''} required autocomplete="address-level2" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="phone" type="tel" label={labels.phone ?? ''} hint={t('dossiers.f_phone_hint')} required autocomplete="tel" dir="ltr" />
          </div>
          <div class="fr-fieldset__element">
            <Input ctx={ctx} state={state} name="ephoto_code" label={labels.ephoto_code ?? ''} hint={t('dossiers.f_ephoto_hint')} required dir="ltr" />
          </div>
        </fieldset>
        <Submit label={t('dossiers.save_continue')} />
      </Form>
    </Layout>
  );
}

function PieceFacts({ ctx, piece }: { ctx: RequestContext; piece: Omit<CataloguePiece, 'mandatory'> & { mandatory?: boolean } }) {
  const { t } = ctx;
  return (
    <ul>
      <li>{piece.mandatory === false ? t('dossiers.piece_optional') : t('dossiers.piece_mandatory')}</li>
      <li>{t('dossiers.piece_formats', { formats: piece.formats.map((f) => f.toUpperCase()).join(', ') })}</li>
      {piece.maxAgeMonths ? <li>{t('dossiers.piece_max_age', { months: piece.maxAgeMonths })}</li> : null}
    </ul>
  );
}

export function PiecePage({
  ctx,
  dossier,
  piece,
  files,
  editable,
  previous,
  next,
  uploadError,
}: {
  ctx: RequestContext;
  dossier: DossierRow;
  piece: Omit<CataloguePiece, 'mandatory'> & { mandatory?: boolean };
  files: DossierFile[];
  editable: boolean;
  previous: string;
  next: string;
  uploadError: string | undefined;
}) {
  const { t, locale } = ctx;
  const name = pick(piece.name, locale);
  return (
    <Layout ctx={ctx} title={name} hasErrors={!!uploadError}>
      <Breadcrumb ctx={ctx} items={crumbs(ctx, dossier, name)} />
      <h1>{name}</h1>
      <p class="fr-text--lead">{pick(piece.description, locale)}</p>
      <PieceFacts ctx={ctx} piece={piece} />
      <h2 class="fr-h4">{t('dossiers.piece_files_title')}</h2>
      {files.length ? (
        // Once filed, files already sent stay: the applicant answering a request only adds new ones.
        <DocumentList ctx={ctx} dossierId={dossier.id} documents={files} editable={editable && dossier.state === 'draft'} />
      ) : (
        <p>{t('dossiers.piece_no_file')}</p>
      )}
      {editable ? <UploadForm ctx={ctx} dossierId={dossier.id} pieceCode={piece.code} error={uploadError} /> : <p>{t('dossiers.read_only')}</p>}
      <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-4w">
        <li>
          <a class="fr-btn fr-btn--secondary" href={previous}>
            {t('dossiers.previous')}
          </a>
        </li>
        <li>
          <a class="fr-btn" href={next}>
            {t('dossiers.next_step')}
          </a>
        </li>
      </ul>
      <p class="fr-text--sm">{t('dossiers.saved_automatically')}</p>
    </Layout>
  );
}

function IdentitySummary({ ctx, dossier }: { ctx: RequestContext; dossier: DossierRow }) {
  const { t, locale } = ctx;
  const rows: [string, string | null][] = [
    ['dossiers.f_surname', dossier.surname],
    ['dossiers.f_given_names', dossier.given_names],
    ['dossiers.f_birth_date', dossier.birth_date ? formatDate(locale, dossier.birth_date) : null],
    ['dossiers.f_birth_place', dossier.birth_place],
    ['dossiers.f_nationality', dossier.nationality],
    ['dossiers.f_agdref', dossier.agdref_number],
    ['dossiers.f_permit_number', dossier.current_permit_number],
    ['dossiers.f_permit_expires', dossier.current_permit_expires_on ? formatDate(locale, dossier.current_permit_expires_on) : null],
    ['dossiers.f_address', [dossier.address_line, dossier.postal_code, dossier.city].filter(Boolean).join(', ') || null],
    ['dossiers.f_phone', dossier.phone],
    ['dossiers.f_ephoto', dossier.ephoto_code],
  ];
  return (
    <dl class="app-summary">
      {rows
        .filter(([, v]) => v !== null)
        .map(([k, v]) => (
          <>
            <dt class="fr-text--bold">{t(k)}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

export function ReviewPage({
  ctx,
  dossier,
  offer,
  files,
  missing,
  state,
  identityComplete,
}: {
  ctx: RequestContext;
  dossier: DossierRow;
  offer: CategoryKindDetail;
  files: DossierFile[];
  missing: string[];
  state: FormState;
  identityComplete: boolean;
}) {
  const { t, locale } = ctx;
  const missingNames = offer.pieces.filter((p) => missing.includes(p.code)).map((p) => pick(p.name, locale));
  const formState: FormState = { ...state, errors: Object.fromEntries(Object.entries(state.errors).filter(([k]) => !k.startsWith('pieces.'))) };
  return (
    <Layout ctx={ctx} title={t('dossiers.review_title')} hasErrors={hasErrors(state)}>
      <Breadcrumb ctx={ctx} items={crumbs(ctx, dossier, t('dossiers.review_title'))} />
      <h1>{t('dossiers.review_title')}</h1>
      <ErrorSummary ctx={ctx} state={formState} labels={{ sworn: t('dossiers.sworn_label') }} />
      {missingNames.length ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="pieces-manquantes">
          <h2 class="fr-alert__title">{t('dossiers.missing_title')}</h2>
          <ul>
            {offer.pieces
              .filter((p) => missing.includes(p.code))
              .map((p) => (
                <li>
                  <a href={`/dossiers/${dossier.id}/pieces/${p.code}`}>{pick(p.name, locale)}</a>
                </li>
              ))}
          </ul>
        </div>
      ) : null}
      <h2 class="fr-h4">{t('dossiers.review_request')}</h2>
      <p>
        {pick(offer.category.name, locale)} — {t(`dossiers.kind.${dossier.request_kind}`)}
      </p>
      <h2 class="fr-h4">{t('dossiers.identity_title')}</h2>
      {identityComplete ? <IdentitySummary ctx={ctx} dossier={dossier} /> : <p>{t('dossiers.identity_incomplete')}</p>}
      <p>
        <a href={`/dossiers/${dossier.id}/identite`}>{t('dossiers.edit_identity')}</a>
      </p>
      {dossier.late_renewal ? <p class="fr-text--bold">{t('dossiers.late_flag')}</p> : null}
      <h2 class="fr-h4">{t('dossiers.pieces_title')}</h2>
      <ul>
        {offer.pieces.map((p) => {
          const n = files.filter((f) => f.pieceCode === p.code && f.scanStatus !== 'infected').length;
          return (
            <li>
              <a href={`/dossiers/${dossier.id}/pieces/${p.code}`}>{pick(p.name, locale)}</a>
              {' — '}
              {n ? t('dossiers.piece_n_files', { n }) : p.mandatory ? t('dossiers.piece_missing') : t('dossiers.piece_none_optional')}
            </li>
          );
        })}
      </ul>
      <h2 class="fr-h4">{t('dossiers.submit_title')}</h2>
      <p>{t('dossiers.submit_explain')}</p>
      <Form ctx={ctx} action={`/dossiers/${dossier.id}/deposer`}>
        <Checkbox ctx={ctx} state={formState} name="sworn" label={t('dossiers.sworn_label')} hint={t('dossiers.sworn_hint')} />
        <Submit label={t('dossiers.submit_button')} />
      </Form>
    </Layout>
  );
}

export function Timeline({ ctx, dossier, events }: { ctx: RequestContext; dossier: DossierRow; events: DossierEventRow[] }) {
  const { t, locale } = ctx;
  const upcoming = upcomingStates(dossier.state);
  return (
    <>
      <h2 class="fr-h4">{t('dossiers.timeline_title')}</h2>
      <ol class="app-timeline">
        {events.map((e, i) => {
          const current = i === events.length - 1;
          return (
            <li aria-current={current ? 'step' : undefined} class={current ? 'fr-text--bold' : undefined}>
              {t(`dossiers.state.${e.to_state}`)} — <time datetime={e.created_at.toISOString()}>{formatDateTime(locale, e.created_at)}</time>
              {current ? ` (${t('dossiers.timeline_current')})` : null}
            </li>
          );
        })}
        {upcoming.map((s) => (
          <li class="app-timeline__next">
            {t(`dossiers.state.${s}`)} — {t('dossiers.timeline_not_yet')}
          </li>
        ))}
      </ol>
    </>
  );
}

export function StatusPage({
  ctx,
  dossier,
  categoryName,
  events,
  steps,
  pieces,
  files,
  canWithdraw,
  unread,
  attestations,
}: {
  ctx: RequestContext;
  dossier: DossierRow;
  categoryName: string;
  /** Attestations issued after filing (prolongation d'instruction, décision favorable), newest first. */
  attestations: Attestation[];
  events: DossierEventRow[];
  steps: NextStep[];
  pieces: { code: string; name: string; mandatory: boolean }[];
  files: DossierFile[];
  canWithdraw: boolean;
  /** Messages from the préfecture the applicant has not read yet. */
  unread: number;
}) {
  const { t } = ctx;
  const draft = dossier.state === 'draft';
  const requested = dossier.state === 'pieces_requested';
  return (
    <Layout ctx={ctx} title={dossierTitle(ctx, dossier)}>
      <Breadcrumb ctx={ctx} items={crumbs(ctx, undefined, dossierTitle(ctx, dossier))} />
      <h1>{dossierTitle(ctx, dossier)}</h1>
      <p class="fr-text--lead">
        {categoryName} — {t(`dossiers.kind.${dossier.request_kind}`)}
      </p>
      {stateBadge(ctx, dossier.state)}
      <div class="fr-callout fr-my-3w">
        <h2 class="fr-callout__title fr-h5">{t('dossiers.next_title')}</h2>
        {steps.map((s) => (
          <p class="fr-callout__text">{t(s.key, s.params)}</p>
        ))}
      </div>
      {draft ? (
        <>
          <h2 class="fr-h4">{t('dossiers.steps_title')}</h2>
          <ol>
            <li>
              <a href={`/dossiers/${dossier.id}/identite`}>{t('dossiers.identity_title')}</a> —{' '}
              {dossier.surname ? t('dossiers.step_done') : t('dossiers.step_todo')}
            </li>
            {pieces.map((p) => {
              const n = files.filter((f) => f.pieceCode === p.code).length;
              return (
                <li>
                  <a href={`/dossiers/${dossier.id}/pieces/${p.code}`}>{p.name}</a> —{' '}
                  {n ? t('dossiers.piece_n_files', { n }) : p.mandatory ? t('dossiers.step_todo') : t('dossiers.piece_none_optional')}
                </li>
              );
            })}
            <li>
              <a href={`/dossiers/${dossier.id}/recapitulatif`}>{t('dossiers.review_title')}</a>
            </li>
          </ol>
          <p>
            <a class="fr-btn" href={dossier.surname ? `/dossiers/${dossier.id}/recapitulatif` : `/dossiers/${dossier.id}/identite`}>
              {t('dossiers.resume')}
            </a>
          </p>
        </>
      ) : null}
      {requested ? (
        <>
          <h2 class="fr-h4">{t('dossiers.requested_title')}</h2>
          <ul>
            {pieces
              .filter((p) => dossier.requested_pieces.includes(p.code))
              .map((p) => (
                <li>
                  <a href={`/dossiers/${dossier.id}/pieces/${p.code}`}>{p.name}</a>
                </li>
              ))}
          </ul>
          <Form ctx={ctx} action={`/dossiers/${dossier.id}/renvoyer`}>
            <Submit label={t('dossiers.resubmit_button')} />
          </Form>
        </>
      ) : null}
      {dossier.number ? (
        <p class="fr-mt-3w">
          <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`/dossiers/${dossier.id}/attestation-de-depot.pdf`} download>
            {t('dossiers.download_attestation')}
          </a>
        </p>
      ) : null}
      {attestations.length > 0 ? (
        <>
          <h2 class="fr-h4 fr-mt-4w">{t('dossiers.attestations_title')}</h2>
          <p>{t('dossiers.attestations_intro')}</p>
          <ul>
            {attestations.map((a) => (
              <li>
                <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`/dossiers/${dossier.id}/attestations/${a.id}`} download>
                  {t(`instruction.attestation_kind.${a.kind}`)}
                </a>{' '}
                — {t(`instruction.attestation_status.${a.status}`)}
                {a.validUntil ? ` (${t('instruction.valid_until', { date: formatDate(ctx.locale, a.validUntil) })})` : ''} · <code>{a.code}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Timeline ctx={ctx} dossier={dossier} events={events} />
      <h2 class="fr-h4 fr-mt-4w">{t('dossiers.messages_title')}</h2>
      <p>
        <a class="fr-link fr-icon-mail-line fr-link--icon-left" href={`/dossiers/${dossier.id}/messages`}>
          {unread ? t('dossiers.messages_link_unread', { n: unread }) : t('dossiers.messages_link')}
        </a>
      </p>
      {canWithdraw ? (
        <p class="fr-mt-4w">
          <a class="fr-btn fr-btn--tertiary" href={`/dossiers/${dossier.id}/retrait`}>
            {t('dossiers.withdraw_link')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function WithdrawPage({ ctx, dossier }: { ctx: RequestContext; dossier: DossierRow }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('dossiers.withdraw_title')}>
      <Breadcrumb ctx={ctx} items={crumbs(ctx, dossier, t('dossiers.withdraw_title'))} />
      <h1>{t('dossiers.withdraw_title')}</h1>
      <p>{t('dossiers.withdraw_explain')}</p>
      <Form ctx={ctx} action={`/dossiers/${dossier.id}/retrait`}>
        <input type="hidden" name="confirm" value="yes" />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              {t('dossiers.withdraw_confirm')}
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={`/dossiers/${dossier.id}`}>
              {t('dossiers.withdraw_cancel')}
            </a>
          </li>
        </ul>
      </Form>
    </Layout>
  );
}
