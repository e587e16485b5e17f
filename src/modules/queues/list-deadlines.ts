// The deadline watch list: open dossiers of the préfecture whose implicit-rejection date
// (filing + 4 months, Paris calendar) falls before now + WATCH_DAYS, most urgent first
// (= oldest filing first). Keyset pagination on (filing instant, id), like the queues.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { DossierState } from '../dossiers/tables';
import { decodeCursor, encodeCursor } from './cursor';
import { IMPLICIT_REJECTION_MONTHS, OPEN_STATES, WATCH_DAYS } from './deadline';
import { TIME_ZONE } from './list-queue';

export interface DeadlineRow {
  id: string;
  number: string;
  surname: string | null;
  givenNames: string | null;
  categoryCode: string;
  state: DossierState;
  submittedAt: Date;
  deadline: Date;
  /** Calendar days (Paris) from today to the deadline; negative once passed. */
  daysLeft: number;
  assigneeName: string | null;
}

export async function listDeadlines(
  db: Kysely<DB>,
  input: { prefectureId: string; now?: Date; after?: string | undefined; pageSize?: number },
): Promise<{ rows: DeadlineRow[]; nextCursor: string | null }> {
  const now = input.now ?? new Date();
  const size = input.pageSize ?? 100;
  const months = sql.lit(`${IMPLICIT_REJECTION_MONTHS} months`);
  const horizon = sql`(${now.toISOString()}::timestamptz + ${sql.lit(`${WATCH_DAYS} days`)}::interval)`;
  const deadline = sql`(((d.submitted_at at time zone ${TIME_ZONE}) + ${months}::interval) at time zone ${TIME_ZONE})`;
  const keyset: RawBuilder<SqlBool>[] = [];
  if (input.after) {
    const c = decodeCursor(input.after);
    if (!c) throw new AppError('validation', 'errors.validation', { after: 'queues.err_cursor' });
    keyset.push(sql<SqlBool>`and (d.submitted_at, d.id) > (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const { rows } = await sql<{
    id: string;
    number: string;
    surname: string | null;
    given_names: string | null;
    category_code: string;
    state: DossierState;
    submitted_at: Date;
    at: string;
    deadline: Date;
    days_left: number;
    assignee_name: string | null;
  }>`
    select d.id, d.number, d.surname, d.given_names, d.category_code, d.state, d.submitted_at,
           to_char(d.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
           ${deadline} as deadline,
           ((${deadline} at time zone ${TIME_ZONE})::date - (${now.toISOString()}::timestamptz at time zone ${TIME_ZONE})::date) as days_left,
           u.display_name as assignee_name
    from dossiers d
    left join users u on u.id = d.assigned_to and u.prefecture_id = d.prefecture_id
    where d.prefecture_id = ${input.prefectureId}::uuid
      and d.state in (${sql.join(OPEN_STATES.map((s) => sql.lit(s)))})
      -- sargable bound first (month lengths vary: a few days of margin), then the exact one
      and d.submitted_at <= ${horizon} - ${months}::interval + interval '4 days'
      and ${deadline} <= ${horizon}
      ${sql.join(keyset, sql` `)}
    order by d.submitted_at, d.id
    limit ${size + 1}`.execute(db);
  const more = rows.length > size;
  const page = more ? rows.slice(0, size) : rows;
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      id: r.id,
      number: r.number,
      surname: r.surname,
      givenNames: r.given_names,
      categoryCode: r.category_code,
      state: r.state,
      submittedAt: new Date(r.submitted_at),
      deadline: new Date(r.deadline),
      daysLeft: Number(r.days_left),
      assigneeName: r.assignee_name,
    })),
    nextCursor: more && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}
