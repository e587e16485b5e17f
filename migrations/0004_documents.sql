-- Documents (the files of a dossier's pièces and of its messages) and the message thread
-- between the applicant and the préfecture. File bytes live encrypted in the document store
-- (DATA_DIR/documents by default); a row exists only once its file is stored and checked.

create table dossier_messages (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  dossier_id uuid not null,
  author_id uuid references users (id) on delete set null,
  author_role text not null check (author_role in ('applicant', 'staff')),
  body text not null check (length(btrim(body)) > 0 and char_length(body) <= 5000),
  created_at timestamptz not null default now(),
  -- The author's own side has read its message from the start.
  read_by_applicant_at timestamptz,
  read_by_staff_at timestamptz,
  check (author_role <> 'applicant' or read_by_applicant_at is not null),
  check (author_role <> 'staff' or read_by_staff_at is not null),
  unique (dossier_id, id),
  foreign key (prefecture_id, dossier_id) references dossiers (prefecture_id, id) on delete cascade
);
create index dossier_messages_dossier on dossier_messages (dossier_id, created_at);
create index dossier_messages_unread_applicant on dossier_messages (dossier_id) where read_by_applicant_at is null;
create index dossier_messages_unread_staff on dossier_messages (prefecture_id, dossier_id) where read_by_staff_at is null;

create table documents (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  dossier_id uuid not null,
  -- A file belongs either to a pièce of the dossier or to a message of its thread.
  piece_code text check (piece_code ~ '^[a-z0-9_]{2,60}$'),
  message_id uuid,
  uploaded_by uuid references users (id) on delete set null,
  uploader_role text not null check (uploader_role in ('applicant', 'staff')),
  filename text not null check (char_length(filename) between 1 and 255),
  mime text not null check (mime in ('application/pdf', 'image/jpeg', 'image/png')),
  size integer not null check (size > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text not null unique,
  scan_status text not null check (scan_status in ('pending', 'clean', 'infected', 'not_scanned')),
  scan_signature text,
  scanned_at timestamptz,
  created_at timestamptz not null default now(),
  check ((piece_code is null) <> (message_id is null)),
  check ((scan_status = 'infected') = (scan_signature is not null)),
  foreign key (prefecture_id, dossier_id) references dossiers (prefecture_id, id) on delete cascade,
  -- An attachment belongs to a message of the same dossier.
  foreign key (dossier_id, message_id) references dossier_messages (dossier_id, id) on delete cascade
);
create index documents_dossier on documents (dossier_id, piece_code, created_at);
create index documents_message on documents (message_id) where message_id is not null;
create index documents_pending_scan on documents (created_at) where scan_status = 'pending';
