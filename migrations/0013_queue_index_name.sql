-- Broad name searches (src/modules/queues/search.ts): the queue index carries the folded name,
-- so that a name common among the préfecture's dossiers is checked on the index entries, in
-- filing order, without reading the table, and the sample that tells a broad search from a
-- narrow one is read from the index alone. Same keys and predicate as in 0009.
drop index dossiers_queue;
create index dossiers_queue on dossiers (prefecture_id, queue, submitted_at, id)
  include (category_code, request_kind, site_id, late_renewal, search_name) where queue is not null;
