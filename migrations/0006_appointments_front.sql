-- Appointments front: what the applicant- and counter-facing pages add to the core (0005):
-- per-request filing metadata and staff review, risk signals, walk-in rules and numbered
-- tickets, the urgent channel, first-come-first-served publication, spent proofs of work.
--
-- Invariants held by the database:
--   * walk-in tickets are numbered 1, 2, 3… per site and local day, never twice (unique key);
--   * one open urgent request per appointment request (partial unique index);
--   * a proof-of-work challenge is accepted once (primary key on its signature);
--   * an FCFS release publishes a slot once (unique slot).

-- Filing metadata of a request (one row per request filed through the pages or the API).
create table appointment_request_meta (
  request_id uuid primary key,
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  -- IPv4 /24 or IPv6 /48 of the filer, and the SHA-256 of the device cookie (no raw values).
  ip_prefix text,
  device_hash text check (device_hash is null or device_hash ~ '^[0-9a-f]{64}$'),
  pow_verified boolean not null default false,
  -- The person's current permit as declared (students' counter: student permits only).
  permit_kind text not null default 'other' check (permit_kind in ('none', 'student', 'other')),
  -- Staff review of a flagged request.
  review_decision text check (review_decision in ('approved', 'rejected')),
  review_message text check (review_message is null or length(review_message) between 1 and 2000),
  reviewed_by uuid references users (id) on delete set null,
  reviewed_at timestamptz,
  -- Why the applicant's own cancellation happened (identity changed, by request…).
  cancel_reason text check (cancel_reason in ('by_applicant', 'identity_changed', 'by_link')),
  created_at timestamptz not null default now(),
  foreign key (prefecture_id, request_id) references appointment_requests (prefecture_id, id) on delete cascade
);
create index appointment_request_meta_ip on appointment_request_meta (prefecture_id, ip_prefix, created_at);
create index appointment_request_meta_device on appointment_request_meta (prefecture_id, device_hash, created_at);

-- Risk signals: kept for staff, read by the review decision (abuse.ts) and the check-in.
create table appointment_risk_signals (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  request_id uuid,
  appointment_id uuid,
  user_id uuid references users (id) on delete set null,
  identity_key text,
  kind text not null check (kind in (
    'ip_cluster', 'device_cluster', 'account_cluster', 'disposable_email', 'new_account', 'no_pow',
    'checkin_mismatch', 'previous_mismatch')),
  detail jsonb not null default '{}',
  created_at timestamptz not null default now(),
  foreign key (prefecture_id, request_id) references appointment_requests (prefecture_id, id) on delete cascade,
  foreign key (prefecture_id, appointment_id) references appointments (prefecture_id, id) on delete cascade
);
create index appointment_risk_signals_request on appointment_risk_signals (request_id);
create index appointment_risk_signals_identity on appointment_risk_signals (prefecture_id, identity_key, kind);

-- Walk-in rules: a reason served without appointment at a site, on some weekdays and hours
-- (local time), never on public holidays or closures.
create table walk_in_rules (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  site_id uuid not null,
  reason_code text not null,
  weekday smallint not null check (weekday between 1 and 7),
  start_time time not null,
  end_time time not null,
  check (end_time > start_time),
  unique (prefecture_id, site_id, reason_code, weekday, start_time),
  foreign key (prefecture_id, site_id) references sites (prefecture_id, id) on delete cascade,
  foreign key (prefecture_id, reason_code) references appointment_reasons (prefecture_id, code) on update cascade on delete cascade
);

-- Numbered walk-in tickets, per site and local day.
create table walk_in_tickets (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  site_id uuid not null,
  local_date date not null,
  number integer not null check (number between 1 and 9999),
  reason_code text not null,
  status text not null default 'waiting' check (status in ('waiting', 'called', 'done', 'left')),
  issued_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (prefecture_id, site_id, local_date, number),
  foreign key (prefecture_id, site_id) references sites (prefecture_id, id) on delete cascade,
  foreign key (prefecture_id, reason_code) references appointment_reasons (prefecture_id, code) on update cascade
);

-- Urgent channel: a person whose permit expires before any slot can be offered, or whose job
-- is at risk, asks for a priority slot; staff grant one (through bookSeat) or answer.
create table urgent_requests (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  request_id uuid not null,
  applicant_id uuid references users (id) on delete set null,
  motive_kind text not null check (motive_kind in ('permit_expiry', 'job_risk', 'other')),
  motive text not null check (length(motive) between 10 and 4000),
  document_id uuid,
  -- Seats free before the permit expires when filed, for the triage (null: no expiry given).
  seats_before_expiry integer,
  status text not null default 'open' check (status in ('open', 'granted', 'answered')),
  answer text check (answer is null or length(answer) between 1 and 4000),
  appointment_id uuid,
  handled_by uuid references users (id) on delete set null,
  handled_at timestamptz,
  created_at timestamptz not null default now(),
  check (status <> 'granted' or appointment_id is not null),
  check (status <> 'answered' or answer is not null),
  foreign key (prefecture_id, request_id) references appointment_requests (prefecture_id, id) on delete cascade,
  foreign key (prefecture_id, appointment_id) references appointments (prefecture_id, id)
);
create unique index urgent_requests_one_open on urgent_requests (request_id) where status = 'open';
create index urgent_requests_status on urgent_requests (prefecture_id, status, created_at);

-- First-come-first-served as a counter policy: the counter's slots are published at random
-- moments inside configurable daily windows instead of going to the draw.
create table fcfs_policies (
  counter_id uuid primary key,
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  enabled boolean not null default true,
  window_start time not null default '09:00',
  window_end time not null default '17:00',
  -- Slots released each time: those of the day `release_days_ahead` days ahead.
  release_days_ahead integer not null default 14 check (release_days_ahead between 1 and 120),
  check (window_end > window_start),
  foreign key (prefecture_id, counter_id) references counters (prefecture_id, id) on delete cascade
);

create table fcfs_releases (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  counter_id uuid not null,
  -- Local date whose slots this release publishes.
  slots_date date not null,
  release_at timestamptz not null,
  released_at timestamptz,
  unique (counter_id, slots_date),
  foreign key (prefecture_id, counter_id) references counters (prefecture_id, id) on delete cascade
);
create index fcfs_releases_due on fcfs_releases (release_at) where released_at is null;

-- Proofs of work already used (ALTCHA): each challenge once.
create table altcha_spent (
  signature text primary key check (length(signature) between 16 and 200),
  expires_at timestamptz not null
);
create index altcha_spent_expires on altcha_spent (expires_at);
