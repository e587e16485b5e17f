-- The version of the reviewed catalogue (src/modules/dossiers/catalogue/catalogue-data.ts) a
-- préfecture's catalogue tables were last brought up to. A request kind added to an existing
-- category by a later version is added once, when the préfecture moves past that version; what
-- its administrators changed or removed before is left as they left it. Préfectures loaded
-- before this column existed had version 1.
alter table prefectures add column catalogue_version integer not null default 1 check (catalogue_version >= 1);
