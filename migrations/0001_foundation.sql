-- Foundation: préfectures (tenants), sites, accounts, sessions, tokens, mail outbox, jobs.
-- Plain SQL that runs unchanged on PGlite and on a PostgreSQL server (no extensions).
-- Every row that holds préfecture data carries prefecture_id.

create table prefectures (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[0-9][0-9AB]{1,2}$'),
  name text not null,
  department_name text not null,
  contact_email text not null,
  hosts text[] not null default '{}',
  timezone text not null default 'Europe/Paris',
  created_at timestamptz not null default now()
);

create table sites (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  code text not null check (code ~ '^[a-z0-9-]{2,40}$'),
  name text not null,
  kind text not null check (kind in ('prefecture', 'sous-prefecture')),
  address text not null,
  postal_code text not null,
  city text not null,
  created_at timestamptz not null default now(),
  unique (prefecture_id, code),
  unique (prefecture_id, id)
);

create table users (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  role text not null check (role in ('applicant', 'agent', 'supervisor', 'admin')),
  email text not null check (length(email) between 3 and 254),
  display_name text not null default '',
  password_hash text not null,
  locale text not null default 'fr' check (locale in ('fr', 'en', 'ar')),
  email_confirmed_at timestamptz,
  totp_secret text,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (role = 'applicant' or totp_enabled_at is null or totp_secret is not null),
  unique (prefecture_id, id)
);
-- One account per e-mail address and préfecture, whatever the case.
create unique index users_email_ci on users (prefecture_id, lower(email));

create table sessions (
  id text primary key, -- SHA-256 of the cookie token; the token itself is never stored
  user_id uuid not null references users (id) on delete cascade,
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  kind text not null default 'web' check (kind in ('web', 'api')),
  mfa_verified_at timestamptz,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);

create table account_tokens (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('confirm-email', 'reset-password', 'change-email')),
  token_hash text not null unique,
  new_email text,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  check (purpose <> 'change-email' or new_email is not null)
);
create index account_tokens_user on account_tokens (user_id, purpose);

create table login_attempts (
  id bigint generated always as identity primary key,
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  email_key text not null,
  ip text not null,
  succeeded boolean not null,
  created_at timestamptz not null default now()
);
create index login_attempts_email on login_attempts (prefecture_id, email_key, created_at);
create index login_attempts_ip on login_attempts (ip, created_at);

-- Transactional outbox: a mail row is written in the same transaction as the change
-- that causes it, and a job sends it after commit, retrying until it is delivered.
create table mails (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid references prefectures (id) on delete cascade,
  to_address text not null,
  locale text not null check (locale in ('fr', 'en', 'ar')),
  subject text not null,
  text_body text not null,
  html_body text not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'outbox')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index mails_created on mails (created_at desc);

create table jobs (
  id bigint generated always as identity primary key,
  prefecture_id uuid references prefectures (id) on delete cascade,
  kind text not null,
  payload jsonb not null default '{}',
  unique_key text unique,
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  locked_until timestamptz,
  last_error text,
  done_at timestamptz,
  created_at timestamptz not null default now()
);
create index jobs_due on jobs (run_at) where done_at is null;
