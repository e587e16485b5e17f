// Turns a search box entry into SQL conditions on dossiers (alias d). Name search uses the
// folded name and its trigrams (migrations/0009_queues.sql): each word of the query of three
// letters or more must appear anywhere in the name; a shorter word must start a word of it.
// The query is folded by the database's own sejour_fold() (one folding, not two that could
// drift), in a first tiny query, so that the planner sees the trigrams as constants.
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

export function nameCondition(terms: NameTerm[]): Expression<SqlBool> {
  if (!terms.length) return sql<SqlBool>`false`;
  const trigrams = [...new Set(terms.flatMap((t) => t.trigrams))];
  // Folding leaves only letters, digits and single spaces: nothing LIKE would read as a wildcard.
  const rechecks = terms.map((t) => (t.short ? sql<SqlBool>`(' ' || d.search_name) like ${`% ${t.folded}%`}` : sql<SqlBool>`d.search_name like ${`%${t.folded}%`}`));
  return sql<SqlBool>`(d.search_trgm @> ${trigrams}::text[] and ${sql.join(rechecks, sql` and `)})`;
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
