// First-come-first-served as a counter policy, end to end: the admin switches it on for the
// Béziers counter, its slots leave the draws and are published at random moments inside the
// window; applicants book a published slot through the ordinary filing form and API, under
// the same identity rules, proof of work and review as the draw.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { build, type TestApp } from '../helpers/build';
import { insertRequests, siteId } from '../helpers/appointments-core-fixtures';
import { setupFront, signedIn, solvedAltcha } from '../helpers/appointments-front-fixtures';
import { addDays, localDate } from '../../src/modules/appointments/calendar';
import { commitDraw } from '../../src/modules/appointments/commit-draw';
import { runDraw } from '../../src/modules/appointments/run-draw';
import { dailyRoutine } from '../../src/modules/appointments/jobs';
import { scheduleFcfsReleases } from '../../src/modules/appointments/fcfs-schedule';
import { checkUrgentEligibility } from '../../src/modules/appointments/urgent';
import { createSession } from '../../src/shared/auth/sessions';

let T: TestApp;
let beziers = '';
let counterId = '';
const closers: (() => Promise<void> | void)[] = [];
const ADMIN = '/agent/rendez-vous/parametrage';

before(async () => {
  T = await build({ after: (fn) => void closers.push(fn) });
  await setupFront(T.app, T.prefectureId);
  beziers = await siteId(T.app.deps.db, T.prefectureId, 'beziers');
  counterId = (await T.app.deps.db.selectFrom('counters').select('id').where('code', '=', 'bez-general').executeTakeFirstOrThrow()).id;
});
after(async () => {
  for (const close of closers.reverse()) await close();
});

function form(over: Record<string, string> = {}): Record<string, string> {
  return {
    surname: 'Haddad',
    given_names: 'Karim Nour',
    birth_date: '1987-06-15',
    agdref_number: '',
    permit_expires_on: '',
    permit_kind: 'other',
    reason_code: 'renewal',
    site_id: beziers,
    email: 'Karim.Haddad@gmail.com',
    phone: '06 44 55 66 77',
    ...over,
  };
}

/** Published free slots as the public page lists them. */
async function listed(): Promise<string[]> {
  const page = await T.app.inject('/rendez-vous/creneaux-libres');
  assert.equal(page.statusCode, 200);
  return [...page.body.matchAll(/data-slot-id="([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
}

async function slotsOfCounter(): Promise<{ id: string; local_date: string }[]> {
  return T.app.deps.db.selectFrom('slots').select(['id', 'local_date']).where('counter_id', '=', counterId).where('starts_at', '>', new Date()).orderBy('starts_at').execute();
}

test('admin switches a counter to FCFS: bad input 400; release moments at random minutes inside the window', async () => {
  const admin = await signedIn(T.app, T.prefectureId, { role: 'agent' });
  await T.app.deps.db.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.userId).execute();
  const page = await admin.agent.get(ADMIN);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`${ADMIN}/guichets/${counterId}/fcfs`));
  const bad = await admin.agent.post(`${ADMIN}/guichets/${counterId}/fcfs`, { fcfs_enabled: 'on', fcfs_window_start: '11:00', fcfs_window_end: '10:00', fcfs_days_ahead: '0' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /fr-alert--error/);
  assert.equal((await T.app.deps.db.selectFrom('fcfs_policies').selectAll().execute()).length, 0, 'nothing saved');
  await admin.agent.get(ADMIN);
  const ok = await admin.agent.post(`${ADMIN}/guichets/${counterId}/fcfs`, { fcfs_enabled: 'on', fcfs_window_start: '10:00', fcfs_window_end: '11:00', fcfs_days_ahead: '14' });
  assert.equal(ok.statusCode, 303);

  const today = localDate(new Date());
  const rel = await sql<{ slots_date: string; local: string; past: boolean }>`
    select slots_date::text, to_char(release_at at time zone 'Europe/Paris', 'YYYY-MM-DD HH24:MI') as local, release_at <= now() as past
    from fcfs_releases where counter_id = ${counterId} order by slots_date`.execute(T.app.deps.db);
  assert.equal(rel.rows.length, 16, 'today … today + 15');
  const future = rel.rows.filter((r) => r.slots_date > addDays(today, 14));
  assert.equal(future.length, 1);
  for (const r of rel.rows) {
    const releaseDay = addDays(r.slots_date, -14);
    if (releaseDay < today) assert.ok(r.past, `${r.slots_date}: release day past, published at once`);
    else {
      assert.equal(r.local.slice(0, 10), releaseDay, `${r.slots_date} released 14 days ahead`);
      assert.ok(r.local.slice(11) >= '10:00' && r.local.slice(11) < '11:00', `inside the window: ${r.local}`);
    }
  }
  // The daily routine keeps the rows (idempotent) and the random minutes differ across days.
  await dailyRoutine(T.app.deps, T.prefectureId);
  assert.equal((await T.app.deps.db.selectFrom('fcfs_releases').select('id').execute()).length, 16);
  const minutes = new Set<string>();
  for (let i = 0; i < 12; i++) {
    await T.app.deps.db.deleteFrom('fcfs_releases').where('slots_date', '=', addDays(today, 15)).execute();
    await scheduleFcfsReleases(T.app.deps.db, T.prefectureId);
    const r = await sql<{ m: string }>`select to_char(release_at at time zone 'Europe/Paris', 'HH24:MI') as m from fcfs_releases where slots_date = ${addDays(today, 15)}::date`.execute(T.app.deps.db);
    minutes.add(r.rows[0]?.m ?? '');
  }
  assert.ok(minutes.size > 1, `random minutes: ${[...minutes].join(', ')}`);
});

test('the draw leaves the FCFS counter out; only published days are listed', async () => {
  await insertRequests(T.app.deps.db, T.prefectureId, { n: 12, site: 'beziers', prefix: 'bz' });
  await insertRequests(T.app.deps.db, T.prefectureId, { n: 4, site: 'montpellier', prefix: 'mp' });
  const d = await commitDraw(T.app.deps, T.prefectureId, localDate(new Date()));
  const res = await runDraw(T.app.deps, d.id);
  assert.equal(res.allocations, 4, 'Montpellier requests allocated; Béziers general seats are not in the draw');
  const onCounter = await sql<{ n: number }>`select count(*)::int as n from appointments a join slots s on s.id = a.slot_id where s.counter_id = ${counterId}`.execute(T.app.deps.db);
  assert.equal(onCounter.rows[0]?.n, 0);

  const slots = await slotsOfCounter();
  const first = slots[0] as { id: string; local_date: string };
  let ids = await listed();
  assert.ok(ids.includes(first.id));
  const mine = new Set(slots.map((s) => s.id));
  assert.ok(ids.every((id) => mine.has(id)), 'only FCFS counters are listed');
  // A day whose release moment is still ahead is not listed.
  await T.app.deps.db.updateTable('fcfs_releases').set({ release_at: new Date(Date.now() + 3_600_000) }).where('counter_id', '=', counterId).where('slots_date', '=', first.local_date).execute();
  ids = await listed();
  assert.ok(!ids.includes(first.id));
  await T.app.deps.db.updateTable('fcfs_releases').set({ release_at: new Date(Date.now() - 1000) }).where('counter_id', '=', counterId).where('slots_date', '=', first.local_date).execute();
  assert.ok((await listed()).includes(first.id));
});

test('urgent channel: seats of an FCFS counter are not counted as slots before the expiry', async () => {
  // Béziers has one general counter, now FCFS: the draws offer no seat there, so a person
  // whose permit expires in a month has no slot to count on; at Montpellier the same person would.
  const expiry = addDays(localDate(new Date()), 30);
  const [bz] = await insertRequests(T.app.deps.db, T.prefectureId, { n: 1, site: 'beziers', prefix: 'urgbz', permitExpiresOn: expiry });
  const [mp] = await insertRequests(T.app.deps.db, T.prefectureId, { n: 1, site: 'montpellier', prefix: 'urgmp', permitExpiresOn: expiry });
  const generalSeats = await sql<{ n: number }>`
    select coalesce(sum(s.capacity), 0)::int as n from slots s where s.counter_id = ${counterId}::uuid and s.starts_at > now() and s.local_date <= ${expiry}::date`.execute(T.app.deps.db);
  assert.ok((generalSeats.rows[0]?.n ?? 0) > 0, 'the FCFS counter has seats before the expiry');
  const atBeziers = await checkUrgentEligibility(T.app.deps.db, T.prefectureId, bz as string, 'permit_expiry');
  assert.equal(atBeziers.free, 0);
  assert.deepEqual(atBeziers.verdict, { ok: true });
  const atMontpellier = await checkUrgentEligibility(T.app.deps.db, T.prefectureId, mp as string, 'permit_expiry');
  assert.ok((atMontpellier.free ?? 0) > 0);
  assert.deepEqual(atMontpellier.verdict, { ok: false, reason: 'slots_available' });
  await T.app.deps.db.deleteFrom('appointment_requests').where('id', 'in', [bz as string, mp as string]).execute();
});

test('booking a published slot through the filing form: seat held at once, same identity rules, full slot refused with nothing saved', async () => {
  const slot = ((await slotsOfCounter())[0] as { id: string }).id;
  const person = await signedIn(T.app, T.prefectureId);
  const pageRes = await person.agent.get(`/rendez-vous/demande?creneau=${slot}`);
  assert.equal(pageRes.statusCode, 200);
  assert.match(pageRes.body, new RegExp(`name="slot_id" value="${slot}"`));
  assert.match(pageRes.body, /Créneau choisi/);
  const res = await person.agent.post('/rendez-vous/demande', { ...form({ site_id: await siteId(T.app.deps.db, T.prefectureId) }), slot_id: slot, altcha: await solvedAltcha(T.app) });
  assert.equal(res.statusCode, 303, res.body);
  const apptId = String(res.headers.location).split('/').pop() as string;
  const appt = await T.app.deps.db.selectFrom('appointments').selectAll().where('id', '=', apptId).executeTakeFirstOrThrow();
  assert.equal(appt.slot_id, slot);
  assert.equal(appt.status, 'offered');
  const req = await T.app.deps.db.selectFrom('appointment_requests').selectAll().where('id', '=', appt.request_id).executeTakeFirstOrThrow();
  assert.equal(req.status, 'allocated');
  assert.equal(req.site_id, beziers, 'the site is the slot’s');
  await person.agent.get(`/rendez-vous/${apptId}`);
  assert.equal((await person.agent.post(`/rendez-vous/${apptId}`, {})).statusCode, 303, 'confirmed like a draw offer');
  assert.ok(!(await listed()).includes(slot), 'the one seat is taken: no longer listed');

  // Same person, names swapped, accents and a Gmail variant, on another slot: duplicate, nothing saved.
  const other = ((await slotsOfCounter())[1] as { id: string }).id;
  const again = await signedIn(T.app, T.prefectureId);
  await again.agent.get(`/rendez-vous/demande?creneau=${other}`);
  const dup = await again.agent.post('/rendez-vous/demande', {
    ...form({ surname: 'Nour', given_names: 'HADDÂD Karim', email: 'karimhaddad+rdv@gmail.com', phone: '0699999999' }),
    slot_id: other,
    altcha: await solvedAltcha(T.app),
  });
  assert.equal(dup.statusCode, 409);
  assert.match(dup.body, /id="doublon"/);
  assert.equal((await T.app.deps.db.selectFrom('appointments').select('id').where('slot_id', '=', other).execute()).length, 0);

  // Someone else on the full slot: 400 on the slot, no request saved.
  const late = await signedIn(T.app, T.prefectureId);
  await late.agent.get(`/rendez-vous/demande?creneau=${slot}`);
  const full = await late.agent.post('/rendez-vous/demande', { ...form({ surname: 'Tard', given_names: 'Venu', email: 'tard@example.org', phone: '0655555555' }), slot_id: slot, altcha: await solvedAltcha(T.app) });
  assert.equal(full.statusCode, 400);
  assert.match(full.body, /plus disponible/);
  assert.equal((await T.app.deps.db.selectFrom('appointment_requests').select('id').where('email', '=', 'tard@example.org').execute()).length, 0);

  // A slot of a draw counter cannot be booked this way.
  const drawSlot = await sql<{ id: string }>`select s.id from slots s join counters c on c.id = s.counter_id where c.code = 'mtp-general' and s.starts_at > now() limit 1`.execute(T.app.deps.db);
  await late.agent.get('/rendez-vous/demande');
  const notFcfs = await late.agent.post('/rendez-vous/demande', { ...form({ surname: 'Tard', given_names: 'Venu', email: 'tard@example.org', phone: '0655555555' }), slot_id: drawSlot.rows[0]?.id as string, altcha: await solvedAltcha(T.app) });
  assert.equal(notFcfs.statusCode, 400);
  assert.equal((await T.app.deps.db.selectFrom('appointment_requests').select('id').where('email', '=', 'tard@example.org').execute()).length, 0);
});

test('without proof of work the FCFS filing is accepted but flagged: no seat until staff review', async () => {
  const slot = ((await slotsOfCounter())[2] as { id: string }).id;
  const person = await signedIn(T.app, T.prefectureId);
  await person.agent.get(`/rendez-vous/demande?creneau=${slot}`);
  const res = await person.agent.post('/rendez-vous/demande', { ...form({ surname: 'Sans', given_names: 'Script', email: 'sans.script@example.org', phone: '0633333333' }), slot_id: slot });
  assert.equal(res.statusCode, 303);
  assert.match(String(res.headers.location), /\/rendez-vous\/demandes\//);
  const r = await T.app.deps.db.selectFrom('appointment_requests').select(['id', 'status']).where('email', '=', 'sans.script@example.org').executeTakeFirstOrThrow();
  assert.equal(r.status, 'review');
  assert.equal((await T.app.deps.db.selectFrom('appointments').select('id').where('request_id', '=', r.id).execute()).length, 0);
});

test('API: GET /api/v1/fcfs-slots and booking with slot_id; both in OpenAPI', async () => {
  const { userId } = await signedIn(T.app, T.prefectureId);
  const { token } = await createSession(T.app.deps.db, { id: userId, prefecture_id: T.prefectureId }, 'api');
  const list = await T.app.inject('/api/v1/fcfs-slots');
  assert.equal(list.statusCode, 200);
  const slots = list.json() as { slot_id: string; free: number; site_id: string }[];
  assert.ok(slots.length > 0 && slots.every((s) => s.site_id === beziers && s.free > 0));
  const target = slots[0] as { slot_id: string };
  const body = { ...form({ surname: 'Api', given_names: 'Fcfs', email: 'api.fcfs@example.org', phone: '0612121212' }), slot_id: target.slot_id, altcha: await solvedAltcha(T.app) };
  const res = await T.app.inject({ method: 'POST', url: '/api/v1/appointment-requests', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().status, 'allocated');
  const appt = await T.app.deps.db.selectFrom('appointments').select('slot_id').where('id', '=', res.json().appointment_id).executeTakeFirstOrThrow();
  assert.equal(appt.slot_id, target.slot_id);
  const doc = (await T.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
  assert.deepEqual(doc.paths['/api/v1/fcfs-slots']?.get?.tags, ['appointments']);
});
