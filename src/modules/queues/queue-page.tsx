// The staff queue page (GET /agent/dossiers): queue tabs with counts, a GET filter form (works
// without JavaScript), the list and its keyset "next page" link.
import type { FieldErrors } from '../../shared/errors';
import { formatDate } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import { ErrorSummary, Input, Select, type FormState } from '../../shared/web/forms';
import { Layout } from '../../shared/web/layout';
import { REQUEST_KINDS } from '../dossiers/tables';
import { COUNT_CAP, type QueueCounts, type QueuePage } from './list-queue';
import { queueHref, SEARCH_KINDS, type QueueQuery } from './queue-filters';
import type { Reference } from './reference';

const BASE = '/agent/dossiers';
const K = (k: string) => `queues.${k}`;

export function countText(ctx: RequestContext, n: number): string {
  return n >= COUNT_CAP ? ctx.t(K('count_capped'), { n: COUNT_CAP }) : String(n);
}

function Tabs({ ctx, query, counts }: { ctx: RequestContext; query: QueueQuery; counts: QueueCounts | null }) {
  const tabs: { queue: QueueQuery['queue']; scope: QueueQuery['scope']; label: string; count: number | undefined }[] = [
    { queue: 'new', scope: 'all', label: ctx.t(K('queue_new')), count: counts?.new },
    { queue: 'review', scope: 'mine', label: ctx.t(K('queue_review_mine')), count: counts?.reviewMine },
    { queue: 'review', scope: 'all', label: ctx.t(K('queue_review_all')), count: counts?.review },
    { queue: 'waiting', scope: 'all', label: ctx.t(K('queue_waiting')), count: counts?.waiting },
    { queue: 'decided', scope: 'all', label: ctx.t(K('queue_decided')), count: counts?.decided },
  ];
  return (
    <nav class="fr-mb-3w" aria-label={ctx.t(K('tabs_label'))}>
      <ul class="fr-tags-group">
        {tabs.map((tab) => {
          const current = tab.queue === query.queue && tab.scope === query.scope;
          return (
            <li>
              <a
                class="fr-tag"
                id={`file-${tab.queue}-${tab.scope}`}
                href={queueHref(BASE, query, { queue: tab.queue, scope: tab.scope === 'all' ? undefined : tab.scope })}
                aria-current={current ? 'page' : undefined}
              >
                {tab.label}
                {tab.count !== undefined ? ` (${countText(ctx, tab.count)})` : ''}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Filters({ ctx, query, state, reference }: { ctx: RequestContext; query: QueueQuery; state: FormState; reference: Reference }) {
  const { t } = ctx;
  const all = t(K('filter_all'));
  return (
    <form method="get" action={BASE} class="fr-mb-4w" id="filtres" noValidate>
      <input type="hidden" name="queue" value={query.queue} />
      {query.scope === 'mine' ? <input type="hidden" name="scope" value="mine" /> : null}
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">{t(K('search_legend'))}</legend>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-8">
          <Input ctx={ctx} state={state} name="q" label={t(K('search_label'))} hint={t(K('search_hint'))} autocomplete="off" dir="auto" />
        </div>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
          <Select ctx={ctx} state={state} name="by" label={t(K('search_by'))} options={SEARCH_KINDS.map((k) => ({ value: k, label: t(K(`search_by_${k}`)) }))} />
        </div>
      </fieldset>
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">{t(K('filters_legend'))}</legend>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
          <Select ctx={ctx} state={state} name="category" label={t(K('filter_category'))} placeholder={all} options={reference.categories} />
        </div>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
          <Select ctx={ctx} state={state} name="kind" label={t(K('filter_kind'))} placeholder={all} options={REQUEST_KINDS.map((k) => ({ value: k, label: t(`dossiers.kind.${k}`) }))} />
        </div>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
          <Select ctx={ctx} state={state} name="site" label={t(K('filter_site'))} placeholder={all} options={reference.sites} />
        </div>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
          <Input ctx={ctx} state={state} name="from" type="date" label={t(K('filter_from'))} hint={t(K('date_hint'))} />
        </div>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
          <Input ctx={ctx} state={state} name="to" type="date" label={t(K('filter_to'))} hint={t(K('date_hint'))} />
        </div>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
          <div class="fr-checkbox-group">
            <input type="checkbox" id="champ-late" name="late" value="1" checked={query.late} />
            <label class="fr-label" for="champ-late">
              {t(K('filter_late'))}
            </label>
          </div>
        </div>
      </fieldset>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" class="fr-btn">
            {t(K('filter_submit'))}
          </button>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={queueHref(BASE, { ...query, category: undefined, kind: undefined, site: undefined, from: undefined, to: undefined, late: false, q: undefined }, {})}>
            {t(K('filter_reset'))}
          </a>
        </li>
      </ul>
    </form>
  );
}

export function QueuePageView(p: {
  ctx: RequestContext;
  query: QueueQuery;
  values: Record<string, string>;
  errors: FieldErrors;
  page: QueuePage | null;
  reference: Reference;
}) {
  const { ctx, query, page, reference } = p;
  const { t, locale } = ctx;
  const state: FormState = { values: p.values, errors: p.errors };
  const hasErrors = Object.keys(p.errors).length > 0;
  const labels = { q: t(K('search_label')), from: t(K('filter_from')), to: t(K('filter_to')), after: t(K('next_page')) };
  const caption = t(K(query.queue === 'review' ? `queue_review_${query.scope}` : `queue_${query.queue}`));
  return (
    <Layout ctx={ctx} title={t(K('title'))} hasErrors={hasErrors}>
      <h1>{t(K('title'))}</h1>
      <ErrorSummary ctx={ctx} state={state} labels={labels} />
      <Tabs ctx={ctx} query={query} counts={page?.counts ?? null} />
      {page && page.counts === null ? (
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w" id="recherche-large">
          <p>{t(K('broad_search'))}</p>
        </div>
      ) : null}
      <Filters ctx={ctx} query={query} state={state} reference={reference} />
      {page ? (
        page.rows.length ? (
          <div class="fr-table fr-table--no-caption-bottom" id="liste">
            <table tabIndex={0}>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(K('col_number'))}</th>
                  <th scope="col">{t(K('col_name'))}</th>
                  <th scope="col">{t(K('col_category'))}</th>
                  <th scope="col">{t(K('col_filed'))}</th>
                  <th scope="col">{t(K('col_state'))}</th>
                  <th scope="col">{t(K('col_site'))}</th>
                  <th scope="col">{t(K('col_agent'))}</th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((r) => (
                  <tr>
                    <td>
                      <a href={`/agent/dossiers/${r.id}`} dir="ltr">
                        {r.number}
                      </a>
                    </td>
                    <td dir="auto">
                      {r.surname} {r.givenNames}
                    </td>
                    <td>
                      {reference.categoryName(r.categoryCode)}
                      <br />
                      <span class="fr-text--sm">{t(`dossiers.kind.${r.requestKind}`)}</span>
                      {r.lateRenewal ? (
                        <>
                          {' '}
                          <span class="fr-badge fr-badge--sm fr-badge--warning">{t(K('late_badge'))}</span>
                        </>
                      ) : null}
                    </td>
                    <td>{formatDate(locale, r.submittedAt)}</td>
                    <td>
                      {t(`dossiers.state.${r.state}`)}
                      {r.deadlinePassed ? (
                        <>
                          {' '}
                          <span class="fr-badge fr-badge--sm fr-badge--error" data-flag="deadline-passed">
                            {t(K('deadline_badge'))}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{reference.siteName(r.siteId)}</td>
                    <td>{r.assigneeName ?? t(K('unassigned'))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p id="liste-vide">{t(K('empty'))}</p>
        )
      ) : null}
      {page ? (
        <nav class="fr-pagination" aria-label={t(K('pagination_label'))}>
          <ul class="fr-pagination__list">
            {query.after ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--first" href={queueHref(BASE, query, {})}>
                  {t(K('first_page'))}
                </a>
              </li>
            ) : null}
            {page.nextCursor ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" rel="next" href={queueHref(BASE, query, { after: page.nextCursor })}>
                  {t(K('next_page'))}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
}
