-- Back-office groundwork shared by the instruction and queue modules: which agent holds a
-- dossier and which site of the préfecture instructs it. Assignment is a plain column (one
-- holder at a time); its history lives in the audit log.
alter table dossiers add column assigned_to uuid references users (id) on delete set null;
alter table dossiers add column assigned_at timestamptz;
alter table dossiers add column site_id uuid;
alter table dossiers add constraint dossiers_site_fk
  foreign key (prefecture_id, site_id) references sites (prefecture_id, id);
alter table dossiers add constraint dossiers_assignment_pair
  check ((assigned_to is null) = (assigned_at is null));
create index dossiers_assigned on dossiers (prefecture_id, assigned_to, state) where assigned_to is not null;
