// Processing time (filing → first decision, favourable or not) by category: p50 and p90 in
// days, computed by PostgreSQL (percentile_cont). Decision dates come from dossier_events,
// written by every state change (lifecycle.ts transition()).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

export const DECISION_STATES = ['decided_favourable', 'decided_unfavourable'] as const;

export interface ProcessingTime {
  categoryCode: string;
  decided: number;
  p50Days: number;
  p90Days: number;
}

/** Decisions taken in [since, until) (all when since is null). */
export async function processingTimes(db: Kysely<DB>, input: { prefectureId: string; since?: Date | null; until?: Date; category?: string | undefined }): Promise<ProcessingTime[]> {
  const { rows } = await sql<{ category_code: string; decided: number; p50: number; p90: number }>`
    with decision as (
      select e.dossier_id, min(e.created_at) as at
      from dossier_events e
      where e.prefecture_id = ${input.prefectureId}::uuid and e.to_state in (${sql.join(DECISION_STATES.map((s) => sql.lit(s)))})
      group by e.dossier_id
    )
    select d.category_code, count(*)::int as decided,
           percentile_cont(0.5) within group (order by extract(epoch from x.at - d.submitted_at) / 86400) as p50,
           percentile_cont(0.9) within group (order by extract(epoch from x.at - d.submitted_at) / 86400) as p90
    from decision x
    join dossiers d on d.id = x.dossier_id and d.prefecture_id = ${input.prefectureId}::uuid
    where true
      ${input.since ? sql`and x.at >= ${input.since.toISOString()}::timestamptz` : sql``}
      ${input.until ? sql`and x.at < ${input.until.toISOString()}::timestamptz` : sql``}
      ${input.category ? sql`and d.category_code = ${input.category}` : sql``}
    group by d.category_code
    order by d.category_code`.execute(db);
  return rows.map((r) => ({ categoryCode: r.category_code, decided: Number(r.decided), p50Days: Number(r.p50), p90Days: Number(r.p90) }));
}
