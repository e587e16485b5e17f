-- Tamper-evident audit log and verifiable documents (attestations).
--
-- audit_log is a hash chain per préfecture: each row stores the hash of the previous row of
-- its préfecture (prev_hash) and its own hash = sha256(prev_hash || canonical JSON of its
-- content, created_at included). Changing, removing or reordering a row breaks the chain,
-- which `npm run cli -- audit:verify` detects. Appends are serialized per préfecture by the
-- database: the writer locks its préfecture's row in audit_chain_heads (SELECT … FOR UPDATE)
-- inside the caller's transaction, so the audit row commits or rolls back with the change.
-- seq numbers the rows of a préfecture's chain 1, 2, 3… with no gap (a removed row shows).

create table audit_chain_heads (
  prefecture_id uuid primary key references prefectures (id) on delete cascade,
  last_id bigint,
  last_seq bigint not null default 0 check (last_seq >= 0),
  last_hash text not null check (last_hash ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz not null default now(),
  check ((last_seq = 0) = (last_id is null))
);

create table audit_log (
  id bigint generated always as identity primary key,
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  seq bigint not null check (seq >= 1),
  entity_type text not null check (entity_type ~ '^[a-z][a-z0-9_]{1,40}$'),
  entity_id uuid not null,
  actor_id uuid,
  actor_role text not null check (char_length(actor_role) between 1 and 40),
  action text not null check (char_length(action) between 1 and 80),
  state_before text,
  state_after text,
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  created_at timestamptz not null,
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  -- One row per position and per predecessor: the chain cannot fork, even past the lock.
  unique (prefecture_id, seq),
  unique (prefecture_id, prev_hash)
);
create index audit_log_entity on audit_log (prefecture_id, entity_type, entity_id, seq);

-- Documents a third party can check with a code (the QR on the PDF leads to /verifier/<code>).
-- dossier_id has no foreign key: the dossiers table is created by a later migration.
create table attestations (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  kind text not null check (kind in ('depot', 'prolongation', 'decision_favorable')),
  dossier_id uuid,
  holder_name text not null check (char_length(btrim(holder_name)) between 1 and 300),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  -- Normalized form: 20 Crockford base32 characters (100 random bits), no dashes.
  verification_code text not null unique check (verification_code ~ '^[0-9A-HJKMNP-TV-Z]{20}$'),
  valid_from timestamptz not null,
  valid_until timestamptz check (valid_until is null or valid_until > valid_from),
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason is null or char_length(revoked_reason) <= 500),
  created_at timestamptz not null default now(),
  check ((revoked_at is null) = (revoked_reason is null))
);
create index attestations_dossier on attestations (prefecture_id, dossier_id, created_at);

-- Append-only: the application never changes or removes an audit row. (A database owner can
-- still disable this trigger; the hash chain is what makes such an edit visible.)
create function audit_log_append_only() returns trigger language plpgsql as $fn$
begin
  raise exception 'audit_log is append-only (% refused)', tg_op using errcode = '42501';
end
$fn$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_append_only();
