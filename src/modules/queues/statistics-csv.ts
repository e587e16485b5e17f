// The statistics tables as CSV files (one per table), headers in the page's language.
import type { Translate } from '../../shared/i18n';
import type { Statistics } from './compute-statistics';
import { toCsv } from './csv';
import type { Reference } from './reference';

export type StatTable = 'weekly' | 'backlog' | 'categories';

export function statisticsCsv(stats: Statistics, table: StatTable, t: Translate, reference: Pick<Reference, 'categoryName'>): string {
  const K = (k: string) => t(`queues.${k}`);
  switch (table) {
    case 'weekly':
      return toCsv([K('col_week'), K('col_filed_count'), K('col_decided')], stats.weekly.map((w) => [w.week, w.filed, w.decided]));
    case 'backlog':
      return toCsv([K('col_state_code'), K('col_state'), K('col_count')], stats.backlog.map((b) => [b.state, t(`dossiers.state.${b.state}`), b.count]));
    case 'categories':
      return toCsv(
        [K('col_category_code'), K('col_category'), K('col_filed_count'), K('col_decided'), K('col_backlog'), K('col_p50_days'), K('col_p90_days'), K('col_rate_ratio')],
        stats.categories.map((c) => [
          c.categoryCode,
          reference.categoryName(c.categoryCode),
          c.filed,
          c.decided,
          c.backlog,
          c.p50Days === null ? null : Math.round(c.p50Days * 100) / 100,
          c.p90Days === null ? null : Math.round(c.p90Days * 100) / 100,
          c.piecesRequestRate === null ? null : Math.round(c.piecesRequestRate * 10000) / 10000,
        ]),
      );
  }
}
