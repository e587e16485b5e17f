-- Back-office queues, deadlines and statistics: search columns and indexes on dossiers.
--
-- Name search must be case- and accent-insensitive and partial ("eloise" finds "Éloïse",
-- "ller" finds "Müller") at a million dossiers, with the same SQL on PostgreSQL 13+ and
-- PGlite, and without requiring any extension. So the folding and the trigrams are plain SQL
-- functions (immutable, no extension), stored in generated columns:
--   search_name  "muller eloise": surname and given names, lower case, accents and
--                punctuation folded (translate(): one character to one character; œ æ ß first)
--   search_trgm  every three-letter window of each word of search_name, each word padded
--                with two spaces in front and one behind (as pg_trgm does): '  m', ' mu', 'mul'…
-- A GIN index on search_trgm (plain array_ops, built in) finds the candidates
-- (search_trgm @> trigrams of the query), and search_name like '%query%' rechecks them.
-- The query is folded by the same sejour_fold() (so % and _ can never reach LIKE: folding
-- turns them into spaces).

create function sejour_fold(t text) returns text language sql immutable parallel safe as $fn$
  select btrim(regexp_replace(lower(translate(
    replace(replace(replace(replace(replace(replace(replace(coalesce(t, ''),
      'Œ', 'oe'), 'œ', 'oe'), 'Æ', 'ae'), 'æ', 'ae'), 'ß', 'ss'), 'ẞ', 'ss'), 'ĳ', 'ij'),
    'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšȘșŢŤŦţťŧȚțÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŸŶýÿŷŹŻŽźżž-''’‘`´.,;:_%\/()"«»',
    'AAAAAAAAAaaaaaaaaaCCCCCcccccDDddEEEEEEEEEeeeeeeeeeGGGGggggHHhhIIIIIIIIIiiiiiiiiiJjKkLLLLLlllllNNNNnnnnOOOOOOOOOoooooooooRRRrrrSSSSssssSsTTTtttTtUUUUUUUUUUuuuuuuuuuuWwYYYyyyZZZzzz                   '
  )), '\s+', ' ', 'g'))
$fn$;

create function sejour_trigrams(folded text) returns text[] language sql immutable parallel safe as $fn$
  select coalesce(array_agg(distinct substr(w, i, 3)), '{}')
  from (select '  ' || x || ' ' as w from regexp_split_to_table(folded, ' ') as x where x <> '') as words,
       generate_series(1, length(w) - 2) as i
$fn$;

-- The queue a dossier is shown in (null: a draft, never shown to staff).
alter table dossiers add column queue text generated always as (
  case
    when state = 'submitted' then 'new'
    when state in ('under_review', 'resubmitted') then 'review'
    when state = 'pieces_requested' then 'waiting'
    when state = 'draft' then null
    else 'decided'
  end) stored;
alter table dossiers add column search_name text generated always as (
  sejour_fold(coalesce(surname, '') || ' ' || coalesce(given_names, ''))) stored;
alter table dossiers add column search_trgm text[] generated always as (
  sejour_trigrams(sejour_fold(coalesce(surname, '') || ' ' || coalesce(given_names, '')))) stored;

-- Queue listing: one equality on the queue, then the keyset order (filing date, id).
create index dossiers_queue on dossiers (prefecture_id, queue, submitted_at, id) include (category_code, request_kind, site_id, late_renewal) where queue is not null;
-- "Mine": the dossiers an agent holds, in the same order.
create index dossiers_queue_mine on dossiers (prefecture_id, assigned_to, queue, submitted_at, id) include (category_code, request_kind, site_id, late_renewal) where assigned_to is not null;
-- Filters: the same order behind each usual filter, and the filter columns included in every
-- queue index, so that the list and the capped counts stay index-only whatever the filters
-- combined (late renewals are few: a small partial index).
create index dossiers_queue_late on dossiers (prefecture_id, queue, submitted_at, id) include (category_code, request_kind, site_id) where late_renewal;
create index dossiers_queue_category on dossiers (prefecture_id, category_code, queue, submitted_at, id) include (request_kind, site_id, late_renewal) where queue is not null;
create index dossiers_queue_kind on dossiers (prefecture_id, request_kind, queue, submitted_at, id) include (category_code, site_id, late_renewal) where queue is not null;
create index dossiers_queue_site on dossiers (prefecture_id, site_id, queue, submitted_at, id) include (category_code, request_kind, late_renewal) where queue is not null;
-- Searches.
create index dossiers_search_trgm on dossiers using gin (search_trgm);
create index dossiers_search_number on dossiers (prefecture_id, number text_pattern_ops) where number is not null;
create index dossiers_search_agdref on dossiers (prefecture_id, agdref_number) where agdref_number is not null;
create index dossiers_search_email on dossiers (prefecture_id, lower(applicant_email));
-- Deadlines: open dossiers by filing date (implicit rejection 4 months after filing).
create index dossiers_open_by_filing on dossiers (prefecture_id, submitted_at, id)
  where state in ('submitted', 'under_review', 'pieces_requested', 'resubmitted');
-- Statistics: decisions and requests for pièces by date.
create index dossier_events_by_state on dossier_events (prefecture_id, to_state, created_at);
