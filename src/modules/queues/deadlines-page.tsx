// The deadline watch list (GET /agent/echeances): open dossiers nearing or past the four-month
// implicit rejection, most urgent first; supervisors also see p50/p90 processing times.
import { formatDate } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import { Layout } from '../../shared/web/layout';
import { IMPLICIT_REJECTION_MONTHS, urgency, WATCH_DAYS } from './deadline';
import type { DeadlineRow } from './list-deadlines';
import type { ProcessingTime } from './processing-times';
import type { Reference } from './reference';

const K = (k: string) => `queues.${k}`;
const BADGE = { past: 'fr-badge--error', soon: 'fr-badge--warning', near: 'fr-badge--info' } as const;

export const days = (ctx: RequestContext, v: number) => ctx.t(K('days_value'), { n: v.toLocaleString(ctx.locale === 'ar' ? 'ar-MA-u-nu-latn' : ctx.locale, { maximumFractionDigits: 1 }) });

export function ProcessingTable({ ctx, times, reference, id }: { ctx: RequestContext; times: ProcessingTime[]; reference: Reference; id: string }) {
  const { t } = ctx;
  return (
    <div class="fr-table" id={id}>
      <table tabIndex={0}>
        <caption>{t(K('times_caption'))}</caption>
        <thead>
          <tr>
            <th scope="col">{t(K('col_category'))}</th>
            <th scope="col">{t(K('col_decided'))}</th>
            <th scope="col">{t(K('col_p50'))}</th>
            <th scope="col">{t(K('col_p90'))}</th>
          </tr>
        </thead>
        <tbody>
          {times.map((r) => (
            <tr>
              <th scope="row">{reference.categoryName(r.categoryCode)}</th>
              <td>{r.decided}</td>
              <td>{days(ctx, r.p50Days)}</td>
              <td>{days(ctx, r.p90Days)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DeadlinesPageView(p: { ctx: RequestContext; rows: DeadlineRow[]; nextCursor: string | null; times: ProcessingTime[] | null; reference: Reference; first: boolean }) {
  const { ctx, rows, reference } = p;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t(K('deadlines_title'))}>
      <h1>{t(K('deadlines_title'))}</h1>
      <p>{t(K('deadlines_intro'), { months: IMPLICIT_REJECTION_MONTHS, days: WATCH_DAYS })}</p>
      {rows.length ? (
        <div class="fr-table" id="echeances">
          <table tabIndex={0}>
            <caption>{t(K('deadlines_caption'))}</caption>
            <thead>
              <tr>
                <th scope="col">{t(K('col_deadline'))}</th>
                <th scope="col">{t(K('col_number'))}</th>
                <th scope="col">{t(K('col_name'))}</th>
                <th scope="col">{t(K('col_category'))}</th>
                <th scope="col">{t(K('col_filed'))}</th>
                <th scope="col">{t(K('col_state'))}</th>
                <th scope="col">{t(K('col_agent'))}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const u = urgency(r.daysLeft);
                return (
                  <tr>
                    <td>
                      {formatDate(locale, r.deadline)}
                      <br />
                      <span class={`fr-badge fr-badge--sm ${BADGE[u]}`}>
                        {u === 'past' ? t(K('deadline_past'), { n: -r.daysLeft }) : t(K('deadline_left'), { n: r.daysLeft })}
                      </span>
                    </td>
                    <td>
                      <a href={`/agent/dossiers/${r.id}`} dir="ltr">
                        {r.number}
                      </a>
                    </td>
                    <td dir="auto">
                      {r.surname} {r.givenNames}
                    </td>
                    <td>{reference.categoryName(r.categoryCode)}</td>
                    <td>{formatDate(locale, r.submittedAt)}</td>
                    <td>{t(`dossiers.state.${r.state}`)}</td>
                    <td>{r.assigneeName ?? t(K('unassigned'))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p id="echeances-vide">{t(K('deadlines_empty'))}</p>
      )}
      {p.nextCursor || !p.first ? (
        <nav class="fr-pagination" aria-label={t(K('pagination_label'))}>
          <ul class="fr-pagination__list">
            {!p.first ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--first" href="/agent/echeances">
                  {t(K('first_page'))}
                </a>
              </li>
            ) : null}
            {p.nextCursor ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" rel="next" href={`/agent/echeances?after=${p.nextCursor}`}>
                  {t(K('next_page'))}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      {p.times ? (
        <section aria-labelledby="delais">
          <h2 id="delais">{t(K('times_title'))}</h2>
          <p>{t(K('times_intro'))}</p>
          {p.times.length ? <ProcessingTable ctx={ctx} times={p.times} reference={reference} id="delais-table" /> : <p>{t(K('times_empty'))}</p>}
        </section>
      ) : null}
    </Layout>
  );
}
