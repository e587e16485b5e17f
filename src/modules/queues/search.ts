// Turns a search box entry into SQL conditions on dossiers (alias d). Name search uses the
// folded name and its trigrams (migrations/0009_queues.sql): each word of the query of three
// letters or more must appear anywhere in the name; a shorter word must start a word of it.
// The query is folded by the database's own sejour_fold() (one folding, not two that could
// drift), in a first tiny query, so that the planner sees the trigrams as constants.
//
// A word found in many names ("dou", "mar", "le") would make the trigram index return tens of
// thousands of candidates, each read from the table, and then sorted: hundreds of milliseconds at
// a million dossiers. So a second tiny query first tries the name on a sample of the
// préfecture's dossiers, read from the queue index alone (it carries the folded name,
// migrations/0013): when the name is common there (a "broad" search), the page is read in filing
// order from the queue index, checking the name on each entry, which finds a first page after a
// few thousand entries at most; and the per-queue counts, which would have to visit every match,
// are not computed (the page says so and asks for a narrower search).
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema';
import type { SearchKind } from './queue-filters';

export interface NameTerm {
  folded: string;
  trigrams: string[];
  /** One or two letters: matched as the start of a word. */
  short: boolean;
}

export async function nameTerms(db: Kysely<DB>, q: string): Promise<NameTerm[]> {
  const words = q.split(/\s+/).filter(Boolean).slice(0, 8);
  if (!words.length) return [];
  const { rows } = await sql<{ folded: string; trigrams: string[] }>`
    select f as folded, sejour_trigrams(f) as trigrams
    from unnest(${words}::text[]) with ordinality as w(word, n), lateral (select sejour_fold(word) as f) x
    where f <> '' order by n`.execute(db);
  return rows.map((r) => {
    const short = r.folded.length < 3;
    // Long words: the inner trigrams only (the word may sit anywhere); short: the word-start ones.
    const trigrams = r.trigrams.filter((t) => (short ? t.startsWith(' ') && !t.endsWith(' ') : !t.startsWith(' ') && !t.endsWith(' ')));
    return { folded: r.folded, trigrams, short };
  });
}

/** The name condition itself: every word in the folded name (a short one starting a word of it). */
export function nameMatch(terms: NameTerm[]): Expression<SqlBool> {
  if (!terms.length) return sql<SqlBool>`false`;
  // Folding leaves only letters, digits and single spaces: nothing LIKE would read as a wildcard.
  const rechecks = terms.map((t) => (t.short ? sql<SqlBool>`(' ' || d.search_name) like ${`% ${t.folded}%`}` : sql<SqlBool>`d.search_name like ${`%${t.folded}%`}`));
  return sql<SqlBool>`(${sql.join(rechecks, sql` and `)})`;
}

/** The same condition, led by the trigram index (for a name that few dossiers carry). */
export function nameCondition(terms: NameTerm[]): Expression<SqlBool> {
  if (!terms.length) return sql<SqlBool>`false`;
  const trigrams = [...new Set(terms.flatMap((t) => t.trigrams))];
  return sql<SqlBool>`(d.search_trgm @> ${trigrams}::text[] and ${nameMatch(terms)})`;
}

export interface NameProbe {
  /** Dossiers in the sample (the first of the queue index: the préfecture's oldest decided ones, then the others). */
  sample: number;
  /** Matches in the sample from which a search is broad (in service 8 in 5,000: QUEUE_NAME_PROBE in src/config.ts). */
  broadFrom: number;
}

/**
 * Whether the name is common among the préfecture's dossiers. A préfecture with fewer dossiers
 * than the sample is never "broad": the trigram path is cheap at that size, and counts stay.
 */
export async function isBroadNameSearch(db: Kysely<DB>, prefectureId: string, terms: NameTerm[], probe: NameProbe): Promise<boolean> {
  if (!terms.length) return false;
  const { rows } = await sql<{ seen: number; matches: number }>`
    select count(*)::int as seen, count(*) filter (where ${nameMatch(terms)})::int as matches
    from (select d.search_name from dossiers d where d.prefecture_id = ${prefectureId}::uuid and d.queue is not null
          order by d.queue, d.submitted_at, d.id limit ${probe.sample}) d`.execute(db);
  const r = rows[0];
  return !!r && r.seen >= probe.sample && r.matches >= probe.broadFrom;
}

export function exactCondition(by: Exclude<SearchKind, 'name'>, q: string): Expression<SqlBool> {
  switch (by) {
    case 'number':
      // Only [0-9AB-] reach here (validated): no LIKE wildcard.
      return sql<SqlBool>`d.number like ${`${q.toUpperCase()}%`}`;
    case 'agdref':
      return sql<SqlBool>`d.agdref_number = ${q}`;
    case 'email':
      return sql<SqlBool>`lower(d.applicant_email) = lower(${q})`;
  }
}
