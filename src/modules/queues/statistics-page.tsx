// Supervisor statistics (GET /agent/statistiques): each chart (server-rendered SVG) with its
// data table beside it, a GET form for the period and the category, CSV links.
import { formatDate } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import { Select, type FormState } from '../../shared/web/forms';
import { Layout } from '../../shared/web/layout';
import { BarChart } from './charts';
import type { Statistics } from './compute-statistics';
import { days } from './deadlines-page';
import type { Reference } from './reference';
import { STAT_WEEKS, statisticsQuery, type StatisticsQuery } from './statistics-query';

const K = (k: string) => `queues.${k}`;

export const percent = (ctx: RequestContext, v: number | null) =>
  v === null ? '—' : `${(v * 100).toLocaleString(ctx.locale === 'ar' ? 'ar-MA-u-nu-latn' : ctx.locale, { maximumFractionDigits: 1 })} %`;

function CsvLink({ ctx, table, query }: { ctx: RequestContext; table: string; query: StatisticsQuery }) {
  const href = `/agent/statistiques/export.csv?${statisticsQuery({ ...query, table })}`;
  return (
    <p>
      <a class="fr-link fr-icon-download-line fr-link--icon-left" href={href} download>
        {ctx.t(K('csv_download'))}
      </a>
    </p>
  );
}

export function StatisticsPageView({ ctx, stats, reference, query }: { ctx: RequestContext; stats: Statistics; reference: Reference; query: StatisticsQuery }) {
  const { t, locale } = ctx;
  const state: FormState = { values: { weeks: String(query.weeks), category: query.category ?? '' }, errors: {} };
  const weekLabel = (w: string) => formatDate(locale, w);
  const timed = stats.categories.filter((c) => c.p50Days !== null);
  const rated = stats.categories.filter((c) => c.piecesRequestRate !== null);
  return (
    <Layout ctx={ctx} title={t(K('stats_title'))}>
      <h1>{t(K('stats_title'))}</h1>
      <p>{t(K('stats_intro'), { weeks: stats.weeks, since: formatDate(locale, stats.since) })}</p>
      <form method="get" action="/agent/statistiques" class="fr-mb-4w" noValidate>
        <div class="fr-grid-row fr-grid-row--gutters">
          <div class="fr-col-12 fr-col-md-4">
            <Select ctx={ctx} state={state} name="weeks" label={t(K('stats_period'))} options={STAT_WEEKS.map((w) => ({ value: String(w), label: t(K('stats_weeks'), { n: w }) }))} />
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <Select ctx={ctx} state={state} name="category" label={t(K('filter_category'))} placeholder={t(K('filter_all'))} options={reference.categories} />
          </div>
        </div>
        <button type="submit" class="fr-btn">
          {t(K('stats_show'))}
        </button>
      </form>

      <section aria-labelledby="par-semaine">
        <h2 id="par-semaine">{t(K('stats_weekly_title'))}</h2>
        <div class="app-stats">
          <BarChart
            id="graphique-semaines"
            title={t(K('stats_weekly_title'))}
            desc={t(K('stats_weekly_desc'))}
            labels={stats.weekly.map((w) => weekLabel(w.week))}
            series={[
              { key: 'filed', label: t(K('col_filed_count')), values: stats.weekly.map((w) => w.filed) },
              { key: 'decided', label: t(K('col_decided')), values: stats.weekly.map((w) => w.decided) },
            ]}
          />
          <div class="fr-table" id="table-semaines">
            <table tabIndex={0}>
              <caption>{t(K('stats_weekly_caption'))}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(K('col_week'))}</th>
                  <th scope="col">{t(K('col_filed_count'))}</th>
                  <th scope="col">{t(K('col_decided'))}</th>
                </tr>
              </thead>
              <tbody>
                {stats.weekly.map((w) => (
                  <tr>
                    <th scope="row">{weekLabel(w.week)}</th>
                    <td>{w.filed}</td>
                    <td>{w.decided}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <CsvLink ctx={ctx} table="weekly" query={query} />
      </section>

      <section aria-labelledby="stock">
        <h2 id="stock">{t(K('stats_backlog_title'))}</h2>
        <div class="app-stats">
          <BarChart
            id="graphique-stock"
            title={t(K('stats_backlog_title'))}
            desc={t(K('stats_backlog_desc'))}
            labels={stats.backlog.map((b) => t(`dossiers.state.${b.state}`))}
            series={[{ key: 'count', label: t(K('col_count')), values: stats.backlog.map((b) => b.count) }]}
          />
          <div class="fr-table" id="table-stock">
            <table tabIndex={0}>
              <caption>{t(K('stats_backlog_caption'))}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(K('col_state'))}</th>
                  <th scope="col">{t(K('col_count'))}</th>
                </tr>
              </thead>
              <tbody>
                {stats.backlog.map((b) => (
                  <tr>
                    <th scope="row">{t(`dossiers.state.${b.state}`)}</th>
                    <td>{b.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <CsvLink ctx={ctx} table="backlog" query={query} />
      </section>

      <section aria-labelledby="par-categorie">
        <h2 id="par-categorie">{t(K('stats_categories_title'))}</h2>
        {stats.categories.length ? (
          <>
            <div class="app-stats">
              <BarChart
                id="graphique-delais"
                title={t(K('times_title'))}
                desc={t(K('stats_times_desc'))}
                labels={timed.map((c) => reference.categoryName(c.categoryCode))}
                series={[
                  { key: 'p50', label: t(K('col_p50')), values: timed.map((c) => c.p50Days ?? 0) },
                  { key: 'p90', label: t(K('col_p90')), values: timed.map((c) => c.p90Days ?? 0) },
                ]}
                format={(v) => days(ctx, v)}
              />
              <BarChart
                id="graphique-demandes-pieces"
                title={t(K('col_rate'))}
                desc={t(K('stats_rate_desc'))}
                labels={rated.map((c) => reference.categoryName(c.categoryCode))}
                series={[{ key: 'rate', label: t(K('col_rate')), values: rated.map((c) => c.piecesRequestRate ?? 0) }]}
                format={(v) => percent(ctx, v)}
              />
            </div>
            <div class="fr-table" id="table-categories">
              <table tabIndex={0}>
                <caption>{t(K('stats_categories_caption'))}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(K('col_category'))}</th>
                    <th scope="col">{t(K('col_filed_count'))}</th>
                    <th scope="col">{t(K('col_decided'))}</th>
                    <th scope="col">{t(K('col_backlog'))}</th>
                    <th scope="col">{t(K('col_p50'))}</th>
                    <th scope="col">{t(K('col_p90'))}</th>
                    <th scope="col">{t(K('col_rate'))}</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.categories.map((c) => (
                    <tr>
                      <th scope="row">{reference.categoryName(c.categoryCode)}</th>
                      <td>{c.filed}</td>
                      <td>{c.decided}</td>
                      <td>{c.backlog}</td>
                      <td>{c.p50Days === null ? '—' : days(ctx, c.p50Days)}</td>
                      <td>{c.p90Days === null ? '—' : days(ctx, c.p90Days)}</td>
                      <td>{percent(ctx, c.piecesRequestRate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <CsvLink ctx={ctx} table="categories" query={query} />
          </>
        ) : (
          <p>{t(K('stats_empty'))}</p>
        )}
      </section>
    </Layout>
  );
}
