-- Dossiers: titre de séjour requests filed online, the permit catalogue they are filed
-- against (data, per préfecture, editable later by its admins), the gap-free numbering
-- counters and the applicant-facing history of each dossier.

-- Permit catalogue -------------------------------------------------------------------------
-- Texts are {"fr": …, "en": …, "ar": …} objects.
create table permit_categories (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  code text not null check (code ~ '^[a-z0-9_]{2,60}$'),
  family text not null,
  position integer not null default 0,
  name jsonb not null,
  who_for jsonb not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (prefecture_id, code)
);

-- Which request kinds a category accepts, with the fiscal stamp due at hand-over.
create table category_request_kinds (
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  category_code text not null,
  request_kind text not null check (request_kind in ('first', 'renewal', 'change_of_status')),
  who_for jsonb not null,
  stamp_cents integer not null check (stamp_cents > 0),
  primary key (prefecture_id, category_code, request_kind),
  foreign key (prefecture_id, category_code) references permit_categories (prefecture_id, code) on delete cascade on update cascade
);

create table catalogue_pieces (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  code text not null check (code ~ '^[a-z0-9_]{2,60}$'),
  name jsonb not null,
  description jsonb not null,
  formats text[] not null default '{pdf,jpeg,png}' check (formats <@ array['pdf', 'jpeg', 'png']::text[] and cardinality(formats) > 0),
  max_age_months integer check (max_age_months is null or max_age_months > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (prefecture_id, code)
);

create table category_pieces (
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  category_code text not null,
  request_kind text not null,
  piece_code text not null,
  mandatory boolean not null default true,
  position integer not null default 0,
  primary key (prefecture_id, category_code, request_kind, piece_code),
  foreign key (prefecture_id, category_code, request_kind)
    references category_request_kinds (prefecture_id, category_code, request_kind) on delete cascade on update cascade,
  foreign key (prefecture_id, piece_code) references catalogue_pieces (prefecture_id, code) on delete restrict on update cascade
);

-- Dossiers ---------------------------------------------------------------------------------
-- A submitted dossier must survive the deletion of its applicant's account (it is an
-- administrative record): applicant_id becomes null and the dossier keeps the applicant's
-- identity (names, birth, e-mail at filing). Drafts of a deleted account are deleted with it
-- (trigger below), since nothing was ever filed.
create table dossiers (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  applicant_id uuid references users (id) on delete set null,
  applicant_email text not null,
  number text check (number is null or number ~ '^[0-9][0-9AB]{1,2}-[0-9]{4}-[0-9]{6}$'),
  state text not null default 'draft' check (state in (
    'draft', 'submitted', 'under_review', 'pieces_requested', 'resubmitted',
    'decided_favourable', 'decided_unfavourable', 'closed', 'withdrawn',
    'card_in_production', 'card_ready', 'handed_over')),
  category_code text not null,
  request_kind text not null check (request_kind in ('first', 'renewal', 'change_of_status')),
  -- Identity, exactly as on the passport
  surname text,
  given_names text,
  birth_date date,
  birth_place text,
  nationality text,
  -- AGDREF numéro étranger: 10 digits, required for renewals (checked at submission)
  agdref_number text check (agdref_number is null or agdref_number ~ '^[0-9]{10}$'),
  current_permit_number text,
  current_permit_expires_on date,
  address_line text,
  postal_code text check (postal_code is null or postal_code ~ '^[0-9]{5}$'),
  city text,
  phone text,
  ephoto_code text,
  -- Renewal filed after the window (less than 60 days before expiry, or expired)
  late_renewal boolean not null default false,
  late_reason text,
  sworn_at timestamptz,
  -- Set by the back-office when it asks for pièces
  requested_pieces text[] not null default '{}',
  pieces_deadline date,
  purge_warned_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  decided_at timestamptz,
  unique (prefecture_id, id),
  unique (prefecture_id, number),
  -- A number and a filing date exactly once filed; a draft always has its applicant.
  check ((state = 'draft') = (number is null)),
  check ((state = 'draft') = (submitted_at is null)),
  check (state <> 'draft' or applicant_id is not null),
  check (not late_renewal or (request_kind = 'renewal' and length(trim(coalesce(late_reason, ''))) > 0)),
  foreign key (prefecture_id, category_code, request_kind)
    references category_request_kinds (prefecture_id, category_code, request_kind) on update cascade
);
create index dossiers_applicant on dossiers (applicant_id, created_at desc);
create index dossiers_state on dossiers (prefecture_id, state, updated_at);

-- Drafts go with the account; filed dossiers stay (applicant_id set null by the FK).
create function dossiers_delete_drafts_of_user() returns trigger language plpgsql as $fn$
begin
  delete from dossiers where applicant_id = old.id and state = 'draft';
  return old;
end
$fn$;
create trigger users_delete_dossier_drafts before delete on users
  for each row execute function dossiers_delete_drafts_of_user();

-- Gap-free numbering: one row per préfecture and year, locked (update … returning) in the
-- submitting transaction, so a rolled-back submission leaves no hole.
create table dossier_counters (
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  year integer not null check (year between 2000 and 9999),
  last_value integer not null default 0 check (last_value >= 0 and last_value < 1000000),
  primary key (prefecture_id, year)
);

-- The applicant's timeline: one row per state change (and a few other events).
create table dossier_events (
  id bigint generated always as identity primary key,
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  dossier_id uuid not null,
  event text not null,
  from_state text,
  to_state text not null,
  actor_id uuid references users (id) on delete set null,
  actor_role text not null check (actor_role in ('applicant', 'agent', 'supervisor', 'admin', 'system')),
  details jsonb not null default '{}',
  created_at timestamptz not null default now(),
  foreign key (prefecture_id, dossier_id) references dossiers (prefecture_id, id) on delete cascade
);
create index dossier_events_dossier on dossier_events (dossier_id, id);
