-- Queue pages at a million dossiers (bench/queues.ts): the three usual filters at once
-- (category, request kind and site). With only the single-filter indexes of 0009, such a page
-- read every entry of the category's queue to find the few of that kind and site, and each of
-- the five capped counts did the same: the rarer the combination (an empty one worst), the
-- longer. Here all three are equalities in front of the keyset order, so the list reads only
-- matching entries and each capped count at most COUNT_CAP of them. With one or two filters the
-- single-filter indexes stay the better path.
create index dossiers_queue_combined on dossiers (prefecture_id, category_code, request_kind, site_id, queue, submitted_at, id)
  include (late_renewal) where queue is not null;
