// Supervisor statistics over the last `weeks` weeks (Paris calendar, weeks start on Monday):
// dossiers filed and decided per week, the backlog by status now, and by category the filed,
// decided and backlog counts, processing times (p50/p90) and the rate of requests for pièces
// (share of the dossiers filed in the period that received at least one request). All in SQL.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { OPEN_STATES } from './deadline';
import { TIME_ZONE } from './list-queue';
import { DECISION_STATES, processingTimes } from './processing-times';

export interface WeekRow {
  /** Monday of the week, 'YYYY-MM-DD'. */
  week: string;
  filed: number;
  decided: number;
}

export interface BacklogRow {
  state: (typeof OPEN_STATES)[number];
  count: number;
}

export interface CategoryRow {
  categoryCode: string;
  filed: number;
  decided: number;
  backlog: number;
  p50Days: number | null;
  p90Days: number | null;
  /** Requests for pièces among the dossiers filed in the period, 0..1 (null: none filed). */
  piecesRequestRate: number | null;
}

export interface Statistics {
  weeks: number;
  since: string;
  category: string | null;
  weekly: WeekRow[];
  backlog: BacklogRow[];
  categories: CategoryRow[];
}

export async function computeStatistics(
  db: Kysely<DB>,
  input: { prefectureId: string; weeks: number; category?: string | undefined; now?: Date },
): Promise<Statistics> {
  const now = input.now ?? new Date();
  const p = sql`${input.prefectureId}::uuid`;
  const tz = TIME_ZONE;
  const cat = input.category ? sql`and d.category_code = ${input.category}` : sql``;
  // Monday 00:00 (Paris) of the first week shown.
  const first = await sql<{ week: string; since: Date }>`
    select to_char(w, 'YYYY-MM-DD') as week, (w at time zone ${tz}) as since
    from (select date_trunc('week', ${now.toISOString()}::timestamptz at time zone ${tz}) - make_interval(weeks => ${input.weeks - 1}::int) as w) x`.execute(db);
  const since = new Date(first.rows[0]!.since);
  const sinceIso = sql`${since.toISOString()}::timestamptz`;

  const weekly = await sql<WeekRow>`
    with weeks as (
      select (date_trunc('week', ${sinceIso} at time zone ${tz}) + make_interval(weeks => n))::date as week
      from generate_series(0, ${input.weeks - 1}::int) as n
    ),
    filed as (
      select date_trunc('week', d.submitted_at at time zone ${tz})::date as week, count(*)::int as n
      from dossiers d where d.prefecture_id = ${p} and d.submitted_at >= ${sinceIso} ${cat} group by 1
    ),
    decision as (
      select e.dossier_id, min(e.created_at) as at from dossier_events e
      where e.prefecture_id = ${p} and e.to_state in (${sql.join(DECISION_STATES.map((s) => sql.lit(s)))}) group by e.dossier_id
    ),
    decided as (
      select date_trunc('week', x.at at time zone ${tz})::date as week, count(*)::int as n
      from decision x join dossiers d on d.id = x.dossier_id and d.prefecture_id = ${p}
      where x.at >= ${sinceIso} ${cat} group by 1
    )
    select to_char(w.week, 'YYYY-MM-DD') as week, coalesce(f.n, 0) as filed, coalesce(c.n, 0) as decided
    from weeks w left join filed f on f.week = w.week left join decided c on c.week = w.week
    order by w.week`.execute(db);

  const backlog = await sql<{ state: BacklogRow['state']; count: number }>`
    select s.state, count(d.id)::int as count
    from unnest(${[...OPEN_STATES]}::text[]) with ordinality as s(state, n)
    left join dossiers d on d.prefecture_id = ${p} and d.state = s.state ${cat}
    group by s.state, s.n order by s.n`.execute(db);

  const perCategory = await sql<{ category_code: string; filed: number; backlog: number; requested: number }>`
    select d.category_code,
           count(*) filter (where d.submitted_at >= ${sinceIso})::int as filed,
           count(*) filter (where d.state in (${sql.join(OPEN_STATES.map((s) => sql.lit(s)))}))::int as backlog,
           count(*) filter (where d.submitted_at >= ${sinceIso} and exists (
             select 1 from dossier_events e
             where e.prefecture_id = d.prefecture_id and e.dossier_id = d.id and e.to_state = 'pieces_requested'))::int as requested
    from dossiers d
    where d.prefecture_id = ${p} and d.state <> 'draft' ${cat}
    group by d.category_code order by d.category_code`.execute(db);
  const times = await processingTimes(db, { prefectureId: input.prefectureId, since, category: input.category });
  const byCode = new Map(times.map((t) => [t.categoryCode, t]));
  const codes = [...new Set([...perCategory.rows.map((r) => r.category_code), ...times.map((t) => t.categoryCode)])].sort();
  const categories = codes.map((code): CategoryRow => {
    const c = perCategory.rows.find((r) => r.category_code === code);
    const t = byCode.get(code);
    const filed = Number(c?.filed ?? 0);
    return {
      categoryCode: code,
      filed,
      decided: t?.decided ?? 0,
      backlog: Number(c?.backlog ?? 0),
      p50Days: t ? t.p50Days : null,
      p90Days: t ? t.p90Days : null,
      piecesRequestRate: filed ? Number(c?.requested ?? 0) / filed : null,
    };
  });
  return {
    weeks: input.weeks,
    since: first.rows[0]!.week,
    category: input.category ?? null,
    weekly: weekly.rows.map((r) => ({ week: r.week, filed: Number(r.filed), decided: Number(r.decided) })),
    backlog: backlog.rows.map((r) => ({ state: r.state, count: Number(r.count) })),
    categories,
  };
}
