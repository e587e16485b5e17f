-- Instruction (back-office casework on one dossier): the review of each pièce, the staff's
-- private notes, and whether a permit category allows its holder to work (printed on the
-- attestation de prolongation d'instruction).

-- One current review per pièce of a dossier (its history is in the audit log). A rejection
-- carries a reason; 'other' needs a text.
create table dossier_piece_reviews (
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  dossier_id uuid not null,
  piece_code text not null check (piece_code ~ '^[a-z0-9_]{2,60}$'),
  status text not null check (status in ('accepted', 'rejected')),
  reason text check (reason in ('illegible', 'expired', 'incomplete', 'wrong_document', 'other')),
  reason_text text check (reason_text is null or char_length(reason_text) <= 1000),
  reviewed_by uuid references users (id) on delete set null,
  reviewed_at timestamptz not null default now(),
  primary key (dossier_id, piece_code),
  foreign key (prefecture_id, dossier_id) references dossiers (prefecture_id, id) on delete cascade,
  check ((status = 'rejected') = (reason is not null)),
  check (reason is distinct from 'other' or char_length(btrim(coalesce(reason_text, ''))) > 0)
);
create index dossier_piece_reviews_prefecture on dossier_piece_reviews (prefecture_id, dossier_id);

-- Staff-only notes on a dossier: never shown to the applicant, never sent by the API to one.
create table dossier_notes (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  dossier_id uuid not null,
  author_id uuid references users (id) on delete set null,
  body text not null check (char_length(btrim(body)) between 1 and 5000),
  created_at timestamptz not null default now(),
  foreign key (prefecture_id, dossier_id) references dossiers (prefecture_id, id) on delete cascade
);
create index dossier_notes_dossier on dossier_notes (prefecture_id, dossier_id, created_at);

-- National rule (CESEDA), not préfecture data: whether a permit of this category allows work,
-- and so whether its attestation de prolongation d'instruction does. A category not listed
-- here does not.
create table permit_work_rights (
  category_code text primary key check (category_code ~ '^[a-z0-9_]{2,60}$'),
  allows_work boolean not null
);
insert into permit_work_rights (category_code, allows_work) values
  ('vpf_conjoint_francais', true),
  ('vpf_parent_enfant_francais', true),
  ('vpf_liens_personnels', true),
  ('salarie', true),
  ('travailleur_temporaire', true),
  ('etudiant', true),
  ('passeport_talent', true),
  ('visiteur', false),
  ('carte_resident', true),
  ('resident_longue_duree_ue', true);

-- A dossier found complete (every pièce accepted). At most one per dossier; a later request
-- for pièces removes it. Its history is in the audit log.
create table dossier_completions (
  dossier_id uuid primary key,
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  completed_by uuid references users (id) on delete set null,
  completed_at timestamptz not null default now(),
  foreign key (prefecture_id, dossier_id) references dossiers (prefecture_id, id) on delete cascade
);
