// Lists a queue of the préfecture's dossiers for staff: filters, one search, keyset pagination
// on (filing instant, id) — stable, no OFFSET — and the count of every queue under the same
// filters. Counts stop at COUNT_CAP ("1,000 or more") so that they stay index-bounded at any
// size; the statistics page gives exact backlog figures.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import type { DossierState, RequestKind } from '../dossiers/tables';
import { decodeCursor, encodeCursor } from './cursor';
import { PAGE_SIZE, type Queue, type QueueQuery } from './queue-filters';
import { exactCondition, nameCondition, nameMatch, prepareNameSearch, type NameProbe } from './search';

export const COUNT_CAP = 1000;
export const TIME_ZONE = 'Europe/Paris';

export interface QueueRow {
  id: string;
  number: string;
  surname: string | null;
  givenNames: string | null;
  categoryCode: string;
  requestKind: RequestKind;
  state: DossierState;
  submittedAt: Date;
  lateRenewal: boolean;
  /** Waiting for the applicant and the deadline of the request for pièces has passed (Paris day). */
  deadlinePassed: boolean;
  siteId: string | null;
  assignedTo: string | null;
  assigneeName: string | null;
}

export interface QueueCounts {
  new: number;
  review: number;
  reviewMine: number;
  waiting: number;
  decided: number;
}

interface ListedRow {
  id: string;
  number: string;
  surname: string | null;
  given_names: string | null;
  category_code: string;
  request_kind: RequestKind;
  state: DossierState;
  submitted_at: Date;
  at: string;
  late_renewal: boolean;
  deadline_passed: boolean;
  site_id: string | null;
  assigned_to: string | null;
  assignee_name: string | null;
}

export interface QueuePage {
  rows: QueueRow[];
  nextCursor: string | null;
  /** Null for a broad name search (see search.ts): the counts would visit every match. */
  counts: QueueCounts | null;
}

/**
 * Conditions shared by the list and the counts: préfecture, filters, search (not queue/scope).
 * `broad`: whether a name search is broad (see search.ts), which changes the path, not the rows.
 */
export async function filterConditions(
  db: Kysely<DB>,
  prefectureId: string,
  f: QueueQuery,
  probe: NameProbe,
): Promise<{ conditions: Expression<SqlBool>[]; broad: boolean }> {
  const c: Expression<SqlBool>[] = [sql<SqlBool>`d.prefecture_id = ${prefectureId}::uuid`];
  if (f.category) c.push(sql<SqlBool>`d.category_code = ${f.category}`);
  if (f.kind) c.push(sql<SqlBool>`d.request_kind = ${f.kind}`);
  if (f.site) c.push(sql<SqlBool>`d.site_id = ${f.site}::uuid`);
  if (f.late) c.push(sql<SqlBool>`d.late_renewal`);
  if (f.from) c.push(sql<SqlBool>`d.submitted_at >= (${f.from}::date::timestamp at time zone ${TIME_ZONE})`);
  if (f.to) c.push(sql<SqlBool>`d.submitted_at < ((${f.to}::date + 1)::timestamp at time zone ${TIME_ZONE})`);
  let broad = false;
  if (f.q && f.by === 'name') {
    const prepared = await prepareNameSearch(db, { prefectureId, queue: f.queue, q: f.q, probe });
    const terms = prepared.terms;
    broad = prepared.broad;
    c.push(broad ? nameMatch(terms) : nameCondition(terms));
  } else if (f.q && f.by !== 'name') c.push(exactCondition(f.by, f.q));
  return { conditions: c, broad };
}

const and = (c: Expression<SqlBool>[]) => sql.join(c, sql` and `);

function queueCondition(queue: Queue, mine: string | null): Expression<SqlBool> {
  return mine ? sql<SqlBool>`d.queue = ${queue} and d.assigned_to = ${mine}::uuid` : sql<SqlBool>`d.queue = ${queue}`;
}

/**
 * Five index-bounded counts, each stopping at COUNT_CAP. (A name search led by the trigram index
 * counts its matches in the same pass as its page: see listQueue.)
 */
export async function countQueues(db: Kysely<DB>, conditions: Expression<SqlBool>[], userId: string): Promise<QueueCounts> {
  const capped = (queue: Queue, mine: string | null) =>
    sql<number>`(select count(*)::int from (select 1 from dossiers d where ${and(conditions)} and ${queueCondition(queue, mine)} limit ${COUNT_CAP}) x)`;
  const { rows } = await sql<QueueCounts>`
    select ${capped('new', null)} as "new", ${capped('review', null)} as "review", ${capped('review', userId)} as "reviewMine",
           ${capped('waiting', null)} as "waiting", ${capped('decided', null)} as "decided"`.execute(db);
  return rows[0] as QueueCounts;
}

export async function listQueue(
  db: Kysely<DB>,
  input: { prefectureId: string; userId: string; query: QueueQuery; nameProbe: NameProbe; pageSize?: number },
): Promise<QueuePage> {
  const { query: f } = input;
  const size = input.pageSize ?? PAGE_SIZE;
  const { conditions, broad } = await filterConditions(db, input.prefectureId, f, input.nameProbe);
  const where = [...conditions, queueCondition(f.queue, f.scope === 'mine' ? input.userId : null)];
  if (f.after) {
    const cursor = decodeCursor(f.after);
    if (!cursor) throw new AppError('validation', 'errors.validation', { after: 'queues.err_cursor' });
    where.push(sql<SqlBool>`(d.submitted_at, d.id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  }
  const nameSearch = !!f.q && f.by === 'name';
  const columns = sql`d.id, d.number, d.surname, d.given_names, d.category_code, d.request_kind, d.state, d.submitted_at,
           to_char(d.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
           d.late_renewal, d.site_id, d.assigned_to, u.display_name as assignee_name,
           -- instruction/casework-rules.ts deadlinePassed, the rule of the dossier page, in SQL
           (d.state = 'pieces_requested' and d.pieces_deadline is not null
             and d.pieces_deadline < (now() at time zone 'Europe/Paris')::date) as deadline_passed`;
  const assignee = sql`left join users u on u.id = d.assigned_to and u.prefecture_id = d.prefecture_id`;
  let rows: ListedRow[];
  let counts: QueueCounts | null;
  if (nameSearch && !broad) {
    // A name search led by the trigram index: the matches are read once (index, then table) and
    // both the page and the counts come from that one pass, rather than two queries each
    // repeating the same index and table reads.
    const { rows: found } = await sql<ListedRow & QueueCounts>`
      with m as materialized (
        select d.id, d.queue, d.assigned_to, d.submitted_at from dossiers d where ${and(conditions)} and d.queue is not null),
      c as (
        select count(*) filter (where m.queue = 'new')::int as "new", count(*) filter (where m.queue = 'review')::int as "review",
               count(*) filter (where m.queue = 'review' and m.assigned_to = ${input.userId}::uuid)::int as "reviewMine",
               count(*) filter (where m.queue = 'waiting')::int as "waiting", count(*) filter (where m.queue = 'decided')::int as "decided"
        from m),
      k as (select d.id from m d where ${and(where.slice(conditions.length))} order by d.submitted_at, d.id limit ${size + 1})
      select c.*, r.* from c left join (select ${columns} from k join dossiers d on d.id = k.id ${assignee}) r on true
      order by r.submitted_at, r.id`.execute(db);
    const first = found[0];
    counts = first ? { new: first.new, review: first.review, reviewMine: first.reviewMine, waiting: first.waiting, decided: first.decided } : null;
    rows = found.filter((r) => r.id !== null);
  } else {
    // The list and the counts are independent: on a server they run side by side (two pool
    // connections), so the page waits for the slower of the two, not for their sum.
    const listing = sql<ListedRow>`
      select ${columns}
      -- Keys first (an index-only scan when the filters are columns of the queue indexes), rows after.
      from (select d.id from dossiers d where ${and(where)} order by d.submitted_at, d.id limit ${size + 1}) k
      join dossiers d on d.id = k.id
      ${assignee}
      order by d.submitted_at, d.id`;
    // A broad name search reads some thousands of queue-index entries; the planner, which cannot
    // tell how soon the first page fills, may hand that to parallel workers, whose start costs more
    // than the whole scan (20 ms measured at a million dossiers): not for this one statement.
    const run = () =>
      broad
        ? db.transaction().execute(async (trx) => {
            await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
            return listing.execute(trx);
          })
        : listing.execute(db);
    const [listed, counted] = await Promise.all([run(), broad ? null : countQueues(db, conditions, input.userId)]);
    rows = listed.rows;
    counts = counted;
  }
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
      requestKind: r.request_kind,
      state: r.state,
      submittedAt: new Date(r.submitted_at),
      lateRenewal: r.late_renewal,
      deadlinePassed: r.deadline_passed,
      siteId: r.site_id,
      assignedTo: r.assigned_to,
      assigneeName: r.assignee_name,
    })),
    nextCursor: more && last ? encodeCursor({ at: last.at, id: last.id }) : null,
    counts,
  };
}
