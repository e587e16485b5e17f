-- What a draw of 100,000 requests spent its time on (bench/draw.ts).
--
-- 1. A revealed draw's inputs and ranking are published as plain text instead of jsonb: the draw
--    wrote 7 MB of jsonb inside its transaction, and parsing it cost a quarter of its time.
--    The text forms (src/modules/appointments/draw-record.ts):
--      inputs: one line per request, in draw order: "<pid> <class> <expiry|-> <penalty>"
--              (draws revealed before this migration keep theirs sorted by pseudonymous id;
--              draw:verify reads either)
--      ranked: the pseudonymous ids in draw order, one per line
-- The number of requests is kept beside them, so the public register lists draws without
-- reading whole rankings.
create function sejour_draw_inputs_text(j jsonb) returns text language sql immutable as $fn$
  select string_agg(
           (e ->> 'pid') || ' ' || (e ->> 'cls') || ' ' || coalesce(e ->> 'exp', '-') || ' ' || (e ->> 'pen'),
           E'\n' order by n)
  from jsonb_array_elements(j) with ordinality as x(e, n)
$fn$;
create function sejour_draw_ranked_text(j jsonb) returns text language sql immutable as $fn$
  select string_agg(e, E'\n' order by n) from jsonb_array_elements_text(j) with ordinality as x(e, n)
$fn$;

alter table draws add column requests integer check (requests is null or requests >= 0);
update draws set requests = jsonb_array_length(ranked) where ranked is not null;

alter table draws
  alter column inputs type text using coalesce(sejour_draw_inputs_text(inputs), case when inputs is null then null else '' end),
  alter column ranked type text using coalesce(sejour_draw_ranked_text(ranked), case when ranked is null then null else '' end);

drop function sejour_draw_inputs_text(jsonb);
drop function sejour_draw_ranked_text(jsonb);

alter table draws add constraint draws_revealed_counts check (status <> 'done' or requests is not null);

-- 2. Fewer index entries written when a request changes status (the draw moves 15,000 requests
--    from pending to allocated at once): the status index only holds the statuses that lists
--    and the draw look up (pending, review, urgent), and the (prefecture, identity) index, which
--    no query used (duplicates are found through the per-reason unique indexes), is dropped.
drop index appointment_requests_pending;
create index appointment_requests_waiting on appointment_requests (prefecture_id, status)
  where status in ('pending', 'review', 'urgent');
drop index appointment_requests_identity;
