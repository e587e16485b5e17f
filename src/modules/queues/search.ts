// Turns a search box entry into SQL conditions on dossiers (alias d). Name search uses the
// folded name and its trigrams (migrations/0009_queues.sql): each word of the query of three
// letters or more must appear anywhere in the name; a shorter word must start a word of it.
// The query is folded by the database's own sejour_fold() (one folding, not two that could
// drift), in a first tiny query (prepareNameSearch), so that the planner of the listing sees
// the trigrams as constants.
//
// A word found in many names ("dou", "mar", "le") would make the trigram index return tens of
// thousands of candidates, each read from the table, and then sorted: hundreds of milliseconds at
// a million dossiers. So a second tiny query first tries the name on the first entries of the
// queue being listed, in filing order, read from the queue index alone (it carries the folded
// name, migrations/0013): exactly the entries a broad listing would read first. When the name is
// common there (a "broad" search), the page is read in filing order from the queue index,
// checking the name on each entry, which finds a first page after a few thousand entries at
// most; and the per-queue counts, which would have to visit every match, are not computed (the
// page says so and asks for a narrower search).
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema';
import type { Queue, SearchKind } from './queue-filters';

export interface NameTerm {
  folded: string;
  trigrams: string[];
  /** One or two letters: matched as the start of a word. */
  short: boolean;
}

/**
 * Of a long word's inner trigrams, the index is asked for three, spread over the word (first,
 * middle, last): each trigram more costs the index a posting list to intersect (measured at a
 * million dossiers: 11 trigrams 5.8 ms, 4 trigrams 2.5 ms, the same 1,687 candidates), while
 * the LIKE recheck keeps the result exact whatever the index returns.
 */
const TRIGRAMS_PER_WORD = 3;

function spread(trigrams: string[], folded: string): string[] {
  if (trigrams.length <= TRIGRAMS_PER_WORD) return trigrams;
  const byPosition = [...trigrams].sort((a, b) => folded.indexOf(a) - folded.indexOf(b));
  const last = byPosition.length - 1;
  return [...new Set([byPosition[0]!, byPosition[Math.floor(last / 2)]!, byPosition[last]!])];
}

function toTerm(folded: string, all: string[]): NameTerm {
  const short = folded.length < 3;
  // Long words: the inner trigrams only (the word may sit anywhere); short: the word-start ones.
  const trigrams = all.filter((t) => (short ? t.startsWith(' ') && !t.endsWith(' ') : !t.startsWith(' ') && !t.endsWith(' ')));
  return { folded, trigrams: short ? trigrams : spread(trigrams, folded), short };
}

const searchWords = (q: string) => q.split(/\s+/).filter(Boolean).slice(0, 8);

/** The name condition itself: every word in the folded name (a short one starting a word of it). */
export function nameMatch(terms: NameTerm[]): Expression<SqlBool> {
  if (!terms.length) return sql<SqlBool>`false`;
  // Folding leaves only letters, digits and single spaces: nothing LIKE would read as a wildcard.
  const rechecks = terms.map((t) => (t.short ? sql<SqlBool>`(' ' || d.search_name) like ${`% ${t.folded}%`}` : sql<SqlBool>`d.search_name like ${`%${t.folded}%`}`));
  return sql<SqlBool>`(${sql.join(rechecks, sql` and `)})`;
}

/**
 * The same condition, led by the trigram index (for a name that few dossiers carry). When the
 * search has a word of three letters or more, the index is asked for the trigrams of those words
 * only: a short word's trigram ("  o": a word starting with o) is carried by a large share of
 * names, a long posting list to intersect for little, and the LIKE rechecks keep it exact.
 */
export function nameCondition(terms: NameTerm[]): Expression<SqlBool> {
  if (!terms.length) return sql<SqlBool>`false`;
  const long = terms.filter((t) => !t.short);
  const trigrams = [...new Set((long.length ? long : terms).flatMap((t) => t.trigrams))];
  return sql<SqlBool>`(d.search_trgm @> ${trigrams}::text[] and ${nameMatch(terms)})`;
}

export interface NameProbe {
  /** Dossiers in the sample: the first of the listed queue, in filing order. */
  sample: number;
  /** Matches in the sample from which a search is broad (in service 6 in 2,000: QUEUE_NAME_PROBE in src/config.ts). */
  broadFrom: number;
}

/**
 * The words of the query, folded, each with its trigrams. Folding turns punctuation into spaces
 * ("o'c" is "o c"): each piece is a word of its own, so that every term asks the index for at
 * least one trigram (a term "o c" had none, and `@> '{}'` read every dossier).
 */
async function nameTerms(db: Kysely<DB>, words: string[]): Promise<NameTerm[]> {
  const { rows } = await sql<{ folded: string; trigrams: string[] }>`
    select f as folded, sejour_trigrams(f) as trigrams
    from unnest(${words}::text[]) with ordinality as w(word, n),
         lateral regexp_split_to_table(sejour_fold(word), ' ') with ordinality as x(f, k)
    where f <> '' order by n, k`.execute(db);
  return rows.map((r) => toTerm(r.folded, r.trigrams));
}

/**
 * Folds the words of a name search, then tells whether the name is common in the queue being
 * listed. The sample is the first `probe.sample` entries of that queue in filing order: exactly
 * the entries a broad listing would read first. A queue with fewer dossiers than the sample is
 * never "broad": the trigram path is cheap at that size, and counts stay. Sampling the listed
 * queue (rather than the préfecture as a whole) matters when a name's frequency differs between
 * queues: a name common among old decided dossiers but rare among new ones would otherwise send
 * the listing of the new ones through the whole queue for a few matches.
 * (Folding inside the probe, to save a round trip, was measured slower: bench/queues.ts.)
 */
export async function prepareNameSearch(
  db: Kysely<DB>,
  input: { prefectureId: string; queue: Queue; q: string; probe: NameProbe },
): Promise<{ terms: NameTerm[]; broad: boolean }> {
  const words = searchWords(input.q);
  const terms = words.length ? await nameTerms(db, words) : [];
  if (!terms.length) return { terms, broad: false };
  const { rows } = await sql<{ seen: number; matches: number }>`
    select count(*)::int as seen, count(*) filter (where ${nameMatch(terms)})::int as matches
    from (select d.search_name from dossiers d where d.prefecture_id = ${input.prefectureId}::uuid and d.queue = ${input.queue}
          order by d.submitted_at, d.id limit ${input.probe.sample}) d`.execute(db);
  const r = rows[0];
  return { terms, broad: !!r && r.seen >= input.probe.sample && r.matches >= input.probe.broadFrom };
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
