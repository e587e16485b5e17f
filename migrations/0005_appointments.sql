-- Appointments: counters (guichets) and their opening hours, closures, slots, reasons,
-- requests bound to a person's identity, the daily draw that allocates them, appointments.
--
-- Invariants held by the database itself (concurrent writers cannot break them):
--   * no slot over capacity: an active appointment holds a seat number 1..capacity of its
--     slot (check against a copy of the slot's capacity, kept equal by a composite foreign
--     key), and a partial unique index allows each (slot, seat) to one active appointment;
--   * one active request per person and reason, whether the person is recognised by their
--     normalised identity, e-mail or phone (three partial unique indexes);
--   * one active appointment per person and reason (partial unique index on a copy of the
--     request's identity key, kept equal by a composite foreign key);
--   * one draw per préfecture, day and scope (unique key).

-- Settings of the appointment service, one row per préfecture (defaults when absent).
create table appointment_settings (
  prefecture_id uuid primary key references prefectures (id) on delete cascade,
  -- The daily draw runs at a random minute in [draw_window_start, draw_window_end), local time.
  draw_window_start time not null default '06:00',
  draw_window_end time not null default '07:00',
  horizon_days integer not null default 42 check (horizon_days between 1 and 366),
  -- Slots starting sooner than this are not offered by the draw (time to confirm and come).
  min_lead_hours integer not null default 72 check (min_lead_hours between 0 and 720),
  confirm_hours integer not null default 48 check (confirm_hours between 1 and 720),
  urgent_within_days integer not null default 30 check (urgent_within_days between 0 and 365),
  no_show_threshold integer not null default 2 check (no_show_threshold between 1 and 100),
  no_show_window_months integer not null default 12 check (no_show_window_months between 1 and 120),
  updated_at timestamptz not null default now(),
  check (draw_window_end > draw_window_start)
);

-- Counters (guichets) of a site.
create table counters (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  site_id uuid not null,
  code text not null check (code ~ '^[a-z0-9-]{2,40}$'),
  name text not null check (length(name) between 1 and 200),
  type text not null check (type in ('general', 'students', 'handover', 'urgent')),
  slot_minutes integer not null check (slot_minutes between 5 and 240),
  -- Agents serving in parallel: the capacity of each slot.
  agents integer not null check (agents between 1 and 50),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (prefecture_id, code),
  unique (prefecture_id, id),
  foreign key (prefecture_id, site_id) references sites (prefecture_id, id) on delete cascade
);

-- Weekly opening hours (local time). weekday: ISO, 1 = Monday … 7 = Sunday.
create table counter_hours (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  counter_id uuid not null,
  weekday smallint not null check (weekday between 1 and 7),
  start_time time not null,
  end_time time not null,
  check (end_time > start_time),
  unique (counter_id, weekday, start_time),
  foreign key (prefecture_id, counter_id) references counters (prefecture_id, id) on delete cascade
);

-- Ad-hoc closures (public holidays are computed): the whole préfecture, a site or a counter.
create table closures (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  site_id uuid,
  counter_id uuid,
  starts_on date not null,
  ends_on date not null,
  reason text not null check (length(reason) between 1 and 500),
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on),
  foreign key (prefecture_id, site_id) references sites (prefecture_id, id) on delete cascade,
  foreign key (prefecture_id, counter_id) references counters (prefecture_id, id) on delete cascade
);
create index closures_dates on closures (prefecture_id, ends_on);

-- Slots: one row per counter and start time; capacity = agents when generated.
create table slots (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  counter_id uuid not null,
  local_date date not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  capacity integer not null check (capacity between 1 and 50),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at),
  unique (counter_id, starts_at),
  -- Target of the appointments' (prefecture_id, slot_id, slot_capacity) foreign key.
  unique (prefecture_id, id, capacity),
  foreign key (prefecture_id, counter_id) references counters (prefecture_id, id) on delete cascade
);
create index slots_time on slots (prefecture_id, starts_at);

-- Appointment reasons (motifs).
create table appointment_reasons (
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  code text not null check (code ~ '^[a-z0-9_]{2,40}$'),
  label_fr text not null check (length(label_fr) between 1 and 200),
  label_en text not null check (length(label_en) between 1 and 200),
  label_ar text not null check (length(label_ar) between 1 and 200),
  -- The counter type that serves this reason.
  counter_type text not null check (counter_type in ('general', 'students', 'handover', 'urgent')),
  -- any | card_ready (hand-over: only for a dossier whose card is ready) | student_permit
  eligibility text not null default 'any' check (eligibility in ('any', 'card_ready', 'student_permit')),
  -- draw: requests filed online and allocated by the draw; walk_in: no online request.
  channel text not null default 'draw' check (channel in ('draw', 'walk_in')),
  position integer not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (prefecture_id, code)
);

-- Requests: a person asks for an appointment; the draw allocates. Bound to an identity.
-- Active statuses: pending, review (flagged by risk signals), allocated (offer sent),
-- confirmed, urgent (urgent channel). Terminal: cancelled, expired, done, no_show, rejected.
create table appointment_requests (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  reason_code text not null,
  site_id uuid not null,
  applicant_id uuid references users (id) on delete set null,
  dossier_id uuid,
  -- Identity, exactly as on the passport
  surname text not null check (length(surname) between 1 and 200),
  given_names text not null check (length(given_names) between 0 and 200),
  birth_date date not null,
  agdref_number text check (agdref_number is null or agdref_number ~ '^[0-9]{10}$'),
  permit_expires_on date,
  email text not null check (length(email) between 3 and 254),
  phone text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  locale text not null default 'fr' check (locale in ('fr', 'en', 'ar')),
  unavailable_weekdays smallint[] not null default '{}'
    check (unavailable_weekdays <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[] and cardinality(unavailable_weekdays) < 7),
  -- Normalised keys (src/modules/appointments/identity.ts)
  identity_key text not null check (length(identity_key) between 3 and 600),
  email_key text not null check (length(email_key) between 3 and 254),
  phone_key text not null check (phone_key ~ '^\+[1-9][0-9]{6,14}$'),
  status text not null default 'pending' check (status in (
    'pending', 'review', 'allocated', 'confirmed', 'urgent',
    'cancelled', 'expired', 'done', 'no_show', 'rejected')),
  -- Urgency class at filing: expiring (permit expired or expiring soon), card_ready, standard.
  -- The draw recomputes 'expiring' from permit_expires_on on the day it runs.
  urgency text not null default 'standard' check (urgency in ('expiring', 'card_ready', 'standard')),
  risk_flags jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (prefecture_id, id),
  -- Target of the appointments' foreign key that copies reason and identity key.
  unique (prefecture_id, id, reason_code, identity_key),
  foreign key (prefecture_id, reason_code) references appointment_reasons (prefecture_id, code) on update cascade,
  foreign key (prefecture_id, site_id) references sites (prefecture_id, id),
  foreign key (prefecture_id, dossier_id) references dossiers (prefecture_id, id) on delete set null (dossier_id)
);
create unique index appointment_requests_one_per_identity on appointment_requests (prefecture_id, reason_code, identity_key)
  where status in ('pending', 'review', 'allocated', 'confirmed', 'urgent');
create unique index appointment_requests_one_per_email on appointment_requests (prefecture_id, reason_code, email_key)
  where status in ('pending', 'review', 'allocated', 'confirmed', 'urgent');
create unique index appointment_requests_one_per_phone on appointment_requests (prefecture_id, reason_code, phone_key)
  where status in ('pending', 'review', 'allocated', 'confirmed', 'urgent');
create index appointment_requests_pending on appointment_requests (prefecture_id, status);
create index appointment_requests_applicant on appointment_requests (applicant_id, created_at desc);
create index appointment_requests_identity on appointment_requests (prefecture_id, identity_key);

-- Draws: committed before (SHA-256 of the seed published), run once, then revealed.
create table draws (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  -- 'all' (every site and reason) or a narrower scope such as 'site:<code>' or 'reason:<code>'.
  scope text not null default 'all' check (scope ~ '^(all|site:[a-z0-9-]+|reason:[a-z0-9_]+)$'),
  draw_date date not null,
  scheduled_for timestamptz not null,
  commitment text not null check (commitment ~ '^[0-9a-f]{64}$'),
  -- The seed, encrypted at rest until the draw runs; revealed (seed) afterwards.
  sealed_seed text not null,
  seed text check (seed is null or seed ~ '^[0-9a-f]{64}$'),
  status text not null default 'committed' check (status in ('committed', 'done', 'failed')),
  -- Inputs as run (pseudonymous id, class, expiry, penalty), sorted by pseudonymous id.
  inputs jsonb,
  -- Pseudonymous request ids in draw order.
  ranked jsonb,
  seats_offered integer,
  allocations integer,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  unique (prefecture_id, draw_date, scope),
  unique (prefecture_id, id),
  check ((status = 'done') = (seed is not null)),
  check (status <> 'done' or (ranked is not null and inputs is not null and allocations is not null and done_at is not null))
);

-- Appointments. Seat bookkeeping makes over-capacity impossible (see the header).
create table appointments (
  id uuid primary key default gen_random_uuid(),
  prefecture_id uuid not null references prefectures (id) on delete cascade,
  request_id uuid not null,
  reason_code text not null,
  identity_key text not null,
  slot_id uuid not null,
  slot_capacity integer not null,
  seat integer not null,
  status text not null default 'offered' check (status in ('offered', 'confirmed', 'cancelled', 'expired', 'checked_in', 'no_show')),
  draw_id uuid,
  confirm_by timestamptz,
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  checked_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (seat between 1 and slot_capacity),
  check (status <> 'offered' or confirm_by is not null),
  unique (prefecture_id, id),
  -- A slot's capacity cannot drop below a seat number in use: the cascade re-checks every row.
  foreign key (prefecture_id, slot_id, slot_capacity) references slots (prefecture_id, id, capacity) on update cascade,
  foreign key (prefecture_id, request_id, reason_code, identity_key)
    references appointment_requests (prefecture_id, id, reason_code, identity_key) on update cascade,
  foreign key (prefecture_id, draw_id) references draws (prefecture_id, id)
);
-- One active appointment per seat (a no-show still used its seat; cancelled/expired free it).
create unique index appointments_seat on appointments (slot_id, seat) where status in ('offered', 'confirmed', 'checked_in', 'no_show');
-- One upcoming appointment per person and reason.
create unique index appointments_one_per_identity on appointments (prefecture_id, reason_code, identity_key)
  where status in ('offered', 'confirmed');
create index appointments_request on appointments (request_id);
create index appointments_offered on appointments (confirm_by) where status = 'offered';
create index appointments_no_show on appointments (prefecture_id, identity_key) where status = 'no_show';
