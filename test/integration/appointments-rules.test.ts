// Who may ask, the service settings and calendar edits as an admin makes them:
//   * the students' counter only for student permits; hand-over only for the person's own
//     dossier whose card is ready (dossiers.state = 'card_ready');
//   * settings page: the draw runs at a random minute inside the window, over the horizon;
//   * a closure, new opening hours or another slot length take effect on upcoming slots at
//     once, so the draw never offers a closed day.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { build, type TestApp } from '../helpers/build';
import { insertRequests, siteId } from '../helpers/appointments-core-fixtures';
import { setupFront, signedIn, solvedAltcha } from '../helpers/appointments-front-fixtures';
import type { Agent } from '../helpers/agent';
import { seedCatalogue } from '../helpers/documents-setup';
import { addDays, localDate } from '../../src/modules/appointments/calendar';
import { commitDraw } from '../../src/modules/appointments/commit-draw';
import { runDraw } from '../../src/modules/appointments/run-draw';

let T: TestApp;
let site = '';
let admin: Agent;
const closers: (() => Promise<void> | void)[] = [];
const ADMIN = '/agent/rendez-vous/parametrage';

before(async () => {
  T = await build({ after: (fn) => void closers.push(fn) });
  await setupFront(T.app, T.prefectureId);
  await seedCatalogue(T.app.deps.db, T.prefectureId);
  site = await siteId(T.app.deps.db, T.prefectureId);
  const a = await signedIn(T.app, T.prefectureId, { role: 'agent' });
  await T.app.deps.db.updateTable('users').set({ role: 'admin' }).where('id', '=', a.userId).execute();
  admin = a.agent;
});
after(async () => {
  for (const close of closers.reverse()) await close();
});

function form(over: Record<string, string> = {}): Record<string, string> {
  return {
    surname: 'Diallo',
    given_names: 'Awa',
    birth_date: '1999-03-08',
    agdref_number: '',
    permit_expires_on: '',
    permit_kind: 'other',
    reason_code: 'student',
    site_id: site,
    email: 'awa.diallo@example.org',
    phone: '0677000001',
    ...over,
  };
}

async function file(agent: Agent, over: Record<string, string>) {
  await agent.get('/rendez-vous/demande');
  return agent.post('/rendez-vous/demande', { ...form(over), altcha: await solvedAltcha(T.app) });
}

async function dossier(applicant: { id: string; email: string }, state: 'submitted' | 'card_ready'): Promise<string> {
  const kind = await T.app.deps.db.selectFrom('category_request_kinds').select(['category_code', 'request_kind']).where('prefecture_id', '=', T.prefectureId).executeTakeFirstOrThrow();
  const row = await T.app.deps.db
    .insertInto('dossiers')
    .values({
      prefecture_id: T.prefectureId,
      applicant_id: applicant.id,
      applicant_email: applicant.email,
      category_code: kind.category_code,
      request_kind: kind.request_kind,
      state,
      number: `34-2026-${String(Math.floor(Math.random() * 999_999)).padStart(6, '0')}`,
      submitted_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

test('students’ counter only for student permits', async () => {
  const { agent } = await signedIn(T.app, T.prefectureId);
  const refused = await file(agent, { permit_kind: 'other' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /champ-permit_kind/);
  assert.equal((await T.app.deps.db.selectFrom('appointment_requests').select('id').where('email', '=', 'awa.diallo@example.org').execute()).length, 0);
  const ok = await file(agent, { permit_kind: 'student' });
  assert.equal(ok.statusCode, 303, ok.body);
});

test('hand-over only for one’s own dossier whose card is ready; it then ranks as card_ready', async () => {
  const person = await signedIn(T.app, T.prefectureId, { email: 'remise@example.org' });
  const other = await signedIn(T.app, T.prefectureId, { email: 'autre@example.org' });
  const notReady = await dossier({ id: person.userId, email: 'remise@example.org' }, 'submitted');
  const othersReady = await dossier({ id: other.userId, email: 'autre@example.org' }, 'card_ready');
  const ready = await dossier({ id: person.userId, email: 'remise@example.org' }, 'card_ready');
  const base = { reason_code: 'handover', surname: 'Remise', given_names: 'Titre', email: 'remise@example.org', phone: '0677000002' };
  for (const dossier_id of ['', notReady, othersReady]) {
    const res = await file(person.agent, { ...base, dossier_id });
    assert.equal(res.statusCode, 400, `dossier ${dossier_id || 'none'} refused`);
    assert.match(res.body, /champ-dossier_id/);
  }
  assert.equal((await T.app.deps.db.selectFrom('appointment_requests').select('id').where('email', '=', 'remise@example.org').execute()).length, 0);
  const page = await person.agent.get('/rendez-vous/demande');
  assert.match(page.body, new RegExp(`value="${ready}"`), 'the ready dossier is offered');
  assert.doesNotMatch(page.body, new RegExp(`value="${notReady}"`));
  const ok = await file(person.agent, { ...base, dossier_id: ready });
  assert.equal(ok.statusCode, 303, ok.body);
  const r = await T.app.deps.db.selectFrom('appointment_requests').select(['urgency', 'dossier_id']).where('email', '=', 'remise@example.org').executeTakeFirstOrThrow();
  assert.deepEqual(r, { urgency: 'card_ready', dossier_id: ready });
});

test('settings page: bad input 400; the draw then runs at a random minute inside the new window and allocates within the horizon', async () => {
  const page = await admin.get(ADMIN);
  assert.match(page.body, /name="draw_window_start" [^>]*value="06:00"/);
  assert.match(page.body, /name="horizon_days" [^>]*value="42"/, 'default horizon: 6 weeks');
  const good = { draw_window_start: '05:00', draw_window_end: '05:30', horizon_days: '10', min_lead_hours: '72', confirm_hours: '48', urgent_within_days: '30', no_show_threshold: '2', no_show_window_months: '12' };
  const bad = await admin.post(`${ADMIN}/reglages`, { ...good, draw_window_end: '04:00', horizon_days: '400' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /fr-alert--error/);
  assert.equal((await T.app.deps.db.selectFrom('appointment_settings').select('horizon_days').executeTakeFirstOrThrow()).horizon_days, 42);
  await admin.get(ADMIN);
  assert.equal((await admin.post(`${ADMIN}/reglages`, good)).statusCode, 303);

  const today = localDate(new Date());
  const times = new Set<string>();
  for (let i = 20; i < 28; i++) {
    const d = await commitDraw(T.app.deps, T.prefectureId, addDays(today, i));
    const local = await sql<{ t: string; d: string }>`select to_char(${d.scheduledFor}::timestamptz at time zone 'Europe/Paris', 'HH24:MI') as t, to_char(${d.scheduledFor}::timestamptz at time zone 'Europe/Paris', 'YYYY-MM-DD') as d`.execute(T.app.deps.db);
    const row = local.rows[0] as { t: string; d: string };
    assert.equal(row.d, addDays(today, i));
    assert.ok(row.t >= '05:00' && row.t < '05:30', `draw at ${row.t}`);
    times.add(row.t);
  }
  assert.ok(times.size > 1, 'the minute is drawn, not fixed');

  await insertRequests(T.app.deps.db, T.prefectureId, { n: 3000, prefix: 'hz' });
  const d = await commitDraw(T.app.deps, T.prefectureId, today);
  const res = await runDraw(T.app.deps, d.id);
  assert.ok(res.allocations > 0);
  const last = await sql<{ d: string }>`select max(s.local_date)::text as d from appointments a join slots s on s.id = a.slot_id where a.draw_id = ${d.id}`.execute(T.app.deps.db);
  assert.ok((last.rows[0]?.d ?? '') <= addDays(today, 10), `last allocated day ${last.rows[0]?.d}`);
  const beyond = await sql<{ n: number }>`select count(*)::int as n from slots where local_date > ${addDays(today, 10)}::date`.execute(T.app.deps.db);
  assert.ok((beyond.rows[0]?.n ?? 0) > 0, 'slots exist beyond the horizon but are not offered');
});

test('a closure, opening hours and slot length edited by the admin take effect on upcoming slots at once', async () => {
  const today = localDate(new Date());
  const lod = await T.app.deps.db.selectFrom('counters').select(['id', 'name']).where('code', '=', 'lod-general').executeTakeFirstOrThrow();
  const lodSlots = () => sql<{ d: string; t: string }>`
    select local_date::text as d, to_char(starts_at at time zone 'Europe/Paris', 'HH24:MI') as t from slots
    where counter_id = ${lod.id} and starts_at > now() order by starts_at`.execute(T.app.deps.db).then((r) => r.rows);
  const before = await lodSlots();
  const day = (before.find((s) => s.d >= addDays(today, 5)) as { d: string }).d;
  assert.ok(before.some((s) => s.d === day));

  // Closure of the Lodève site on that day: its free slots go, nothing can be offered there.
  const lodeve = await siteId(T.app.deps.db, T.prefectureId, 'lodeve');
  await admin.get(ADMIN);
  assert.equal((await admin.post(`${ADMIN}/fermetures`, { site_id: lodeve, starts_on: day, ends_on: day, reason: 'Travaux' })).statusCode, 303);
  assert.ok(!(await lodSlots()).some((s) => s.d === day), 'closed day: no slot left');

  // Slot length 30 → 60 minutes: the upcoming slots follow the new grid, no overlap left.
  await admin.get(ADMIN);
  assert.equal((await admin.post(`${ADMIN}/guichets/${lod.id}`, { name: lod.name, slot_minutes: '60', agents: '1', active: 'on' })).statusCode, 303);
  const hourly = await lodSlots();
  assert.ok(hourly.length > 0);
  assert.deepEqual([...new Set(hourly.map((s) => s.t))].sort(), ['09:00', '10:00', '11:00']);

  // New opening hours on Friday afternoon appear; removing them takes the slots away again.
  await admin.get(ADMIN);
  assert.equal((await admin.post(`${ADMIN}/guichets/${lod.id}/horaires`, { weekday: '5', start_time: '14:00', end_time: '16:00' })).statusCode, 303);
  assert.ok((await lodSlots()).some((s) => s.t === '14:00'));
  const h = await T.app.deps.db.selectFrom('counter_hours').select('id').where('counter_id', '=', lod.id).where('weekday', '=', 5).executeTakeFirstOrThrow();
  await admin.get(ADMIN);
  assert.equal((await admin.post(`${ADMIN}/horaires/${h.id}/supprimer`, {})).statusCode, 303);
  assert.ok(!(await lodSlots()).some((s) => s.t === '14:00'));
});
