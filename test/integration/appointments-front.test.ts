import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { build, type TestApp } from '../helpers/build';
import { linkFrom } from '../helpers/agent';
import { siteId } from '../helpers/appointments-core-fixtures';
import { setupFront, signedIn, solvedAltcha } from '../helpers/appointments-front-fixtures';
import { bookSeat } from '../../src/modules/appointments/book-seat';
import { addDays, localDate } from '../../src/modules/appointments/calendar';
import { commitDraw } from '../../src/modules/appointments/commit-draw';
import { cancelLinkToken, sendReminder } from '../../src/modules/appointments/convocation';
import { runDraw } from '../../src/modules/appointments/run-draw';
import { fileUrgentRequest, grantUrgent } from '../../src/modules/appointments/urgent';
import { issueWalkInTicket } from '../../src/modules/appointments/walk-in-tickets';

let T: TestApp;
let site = '';
let drawDay = 0;
const closers: (() => Promise<void> | void)[] = [];

before(async () => {
  T = await build({ after: (fn) => void closers.push(fn) });
  await setupFront(T.app, T.prefectureId);
  site = await siteId(T.app.deps.db, T.prefectureId);
});
after(async () => {
  for (const close of closers.reverse()) await close();
});

function form(over: Record<string, string> = {}): Record<string, string> {
  return {
    surname: 'MARTIN',
    given_names: 'Éloïse',
    birth_date: '1990-04-02',
    agdref_number: '',
    permit_expires_on: '',
    permit_kind: 'other',
    reason_code: 'renewal',
    site_id: site,
    email: 'eloise@example.org',
    phone: '06 11 22 33 44',
    ...over,
  };
}

async function file(agent: Awaited<ReturnType<typeof signedIn>>['agent'], over: Record<string, string>, pow = true) {
  await agent.get('/rendez-vous/demande');
  return agent.post('/rendez-vous/demande', pow ? { ...form(over), altcha: await solvedAltcha(T.app) } : form(over));
}

async function requestOf(id: string) {
  return T.app.deps.db.selectFrom('appointment_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const idFrom = (location: unknown) => String(location).split('/').pop() as string;

async function draw(): Promise<void> {
  const d = await commitDraw(T.app.deps, T.prefectureId, addDays(localDate(new Date()), drawDay++));
  await runDraw(T.app.deps, d.id);
}

test('filing through the page with proof of work: pending, listed with its next step', async () => {
  const { agent } = await signedIn(T.app, T.prefectureId);
  const page = await agent.get('/rendez-vous/demande');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /altcha-widget/);
  assert.match(page.body, /src="\/static\/altcha\/altcha.js"/);
  const res = await file(agent, { surname: 'Okafor', given_names: 'Chinwe', email: 'chinwe@example.org', phone: '0611000001' });
  assert.equal(res.statusCode, 303, res.body);
  const id = idFrom(res.headers.location);
  const r = await requestOf(id);
  assert.equal(r.status, 'pending');
  const list = await agent.get('/rendez-vous');
  assert.match(list.body, new RegExp(id));
  assert.match(list.body, /En attente du tirage/);
  // The widget assets come from our origin.
  assert.equal((await T.app.inject('/static/altcha/altcha.js')).statusCode, 200);
  assert.equal((await T.app.inject('/static/altcha/sha-worker.js')).statusCode, 200);
});

test('bad input re-renders the form with field errors (400), never a 500', async () => {
  const { agent } = await signedIn(T.app, T.prefectureId);
  const res = await file(agent, { surname: '', birth_date: '2999-01-01', agdref_number: '12345', permit_kind: '' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /resume-erreurs/);
  assert.match(res.body, /champ-agdref_number/);
  assert.match(res.body, /champ-birth_date/);
});

test('duplicates: Name+x@gmail.com vs name@gmail.com, swapped names and accents are refused with a clear message', async () => {
  const a = await signedIn(T.app, T.prefectureId, { email: 'Amina.Diallo+x@gmail.com' });
  const first = await file(a.agent, { surname: 'DIALLO', given_names: 'Aminata Fatou', birth_date: '1985-07-14', email: 'Amina.Diallo+x@gmail.com', phone: '0611000002' });
  assert.equal(first.statusCode, 303);
  const firstId = idFrom(first.headers.location);

  // The same person, names swapped and without accents, from another account: refused.
  const b = await signedIn(T.app, T.prefectureId, { email: 'aminadiallo@gmail.com' });
  const swapped = await file(b.agent, { surname: 'Fatou', given_names: 'Aminata DIALLO', birth_date: '1985-07-14', email: 'other@example.org', phone: '0611000003' });
  assert.equal(swapped.statusCode, 409);
  assert.match(swapped.body, /Vous avez déjà une demande en cours/);
  assert.doesNotMatch(swapped.body, new RegExp(firstId), 'another account does not see the link to the request');

  // Another identity but the same mailbox (dots and +tag ignored for Gmail): refused.
  const sameMail = await file(b.agent, { surname: 'Diallo', given_names: 'Moussa', birth_date: '1984-01-01', email: 'aminadiallo@gmail.com', phone: '0611000004' });
  assert.equal(sameMail.statusCode, 409);

  // The owner sees the link to the existing request.
  const again = await file(a.agent, { surname: 'Diállo', given_names: 'Aminata  Fatou', birth_date: '1985-07-14', email: 'amina.diallo@gmail.com', phone: '0611000002' });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, new RegExp(`/rendez-vous/demandes/${firstId}`));
  assert.match(again.body, /Voir la demande existante/);

  // Another reason is another request.
  const other = await file(a.agent, { surname: 'DIALLO', given_names: 'Aminata Fatou', birth_date: '1985-07-14', reason_code: 'change_of_status', email: 'Amina.Diallo+x@gmail.com', phone: '0611000002' });
  assert.equal(other.statusCode, 303);
});

test('changing identity fields after filing cancels the request; other changes keep it', async () => {
  const { agent } = await signedIn(T.app, T.prefectureId);
  const res = await file(agent, { surname: 'Nguyen', given_names: 'Van An', email: 'vanan@example.org', phone: '0611000005' });
  const id = idFrom(res.headers.location);
  await agent.get(`/rendez-vous/demandes/${id}`);
  const keep = await agent.post(`/rendez-vous/demandes/${id}/modifier`, { surname: 'Nguyen', given_names: 'Van An', birth_date: '1990-04-02', no_3: 'on' });
  assert.equal(keep.statusCode, 303);
  assert.deepEqual((await requestOf(id)).unavailable_weekdays, [3]);
  await agent.get(`/rendez-vous/demandes/${id}`);
  const change = await agent.post(`/rendez-vous/demandes/${id}/modifier`, { surname: 'Nguyen', given_names: 'Van Binh', birth_date: '1990-04-02' });
  assert.equal(change.statusCode, 303);
  assert.equal(change.headers.location, '/rendez-vous/demande');
  assert.equal((await requestOf(id)).status, 'cancelled');
  const page = await agent.get('/rendez-vous/demande');
  assert.match(page.body, /Déposez une nouvelle demande/);
});

test('another person’s request or appointment answers 404', async () => {
  const a = await signedIn(T.app, T.prefectureId);
  const res = await file(a.agent, { surname: 'Kowalski', given_names: 'Anna', email: 'anna@example.org', phone: '0611000006' });
  const id = idFrom(res.headers.location);
  const b = await signedIn(T.app, T.prefectureId);
  assert.equal((await b.agent.get(`/rendez-vous/demandes/${id}`)).statusCode, 404);
  assert.equal((await b.agent.get('/rendez-vous/demandes/not-a-uuid')).statusCode, 404);
  assert.equal((await b.agent.get('/rendez-vous/00000000-0000-4000-8000-000000000000')).statusCode, 404);
});

test('without proof of work (no JS): accepted but flagged, out of draws until approved; rejection mails a message', async () => {
  const { agent } = await signedIn(T.app, T.prefectureId);
  const res = await file(agent, { surname: 'Sans', given_names: 'Script', email: 'nojs@example.org', phone: '0611000007' }, false);
  assert.equal(res.statusCode, 303);
  const id = idFrom(res.headers.location);
  assert.equal((await requestOf(id)).status, 'review');
  const signals = await T.app.deps.db.selectFrom('appointment_risk_signals').select('kind').where('request_id', '=', id).execute();
  assert.deepEqual(signals.map((s) => s.kind), ['no_pow']);

  await draw();
  assert.equal((await requestOf(id)).status, 'review', 'a flagged request takes no part in the draw');
  const none = await T.app.deps.db.selectFrom('appointments').select('id').where('request_id', '=', id).execute();
  assert.equal(none.length, 0);

  const staff = await signedIn(T.app, T.prefectureId, { role: 'agent' });
  const queue = await staff.agent.get('/agent/rendez-vous/revue');
  assert.equal(queue.statusCode, 200);
  assert.match(queue.body, new RegExp(`data-review="${id}"`));
  const approved = await staff.agent.post(`/agent/rendez-vous/revue/${id}`, { decision: 'approved' });
  assert.equal(approved.statusCode, 303);
  assert.equal((await requestOf(id)).status, 'pending');
  await draw();
  assert.equal((await requestOf(id)).status, 'allocated', 'approved: the next draw allocates it');

  const other = await signedIn(T.app, T.prefectureId);
  const res2 = await file(other.agent, { surname: 'Jetable', given_names: 'Boite', email: 'boite@yopmail.com', phone: '0611000008' });
  const id2 = idFrom(res2.headers.location);
  assert.equal((await requestOf(id2)).status, 'review', 'disposable domain flags even with proof of work');
  await staff.agent.get('/agent/rendez-vous/revue');
  const noMessage = await staff.agent.post(`/agent/rendez-vous/revue/${id2}`, { decision: 'rejected', message: '' });
  assert.equal(noMessage.statusCode, 400);
  const rejected = await staff.agent.post(`/agent/rendez-vous/revue/${id2}`, { decision: 'rejected', message: 'Adresse jetable : déposez avec votre adresse habituelle.' });
  assert.equal(rejected.statusCode, 303);
  assert.equal((await requestOf(id2)).status, 'rejected');
  await T.app.deps.jobs.drain();
  const mail = await T.app.deps.db.selectFrom('mails').select('text_body').where('to_address', '=', 'boite@yopmail.com').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  assert.match(mail.text_body, /Adresse jetable/);
});

test('confirm within the deadline, convocation with a signed code, check-in once only, reused code refused', async () => {
  const person = await signedIn(T.app, T.prefectureId);
  const res = await file(person.agent, { surname: 'Benali', given_names: 'Yasmine', birth_date: '1992-11-30', email: 'yasmine@example.org', phone: '0611000009' });
  const id = idFrom(res.headers.location);
  await draw();
  const appt = await T.app.deps.db.selectFrom('appointments').selectAll().where('request_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(appt.status, 'offered');

  const page = await person.agent.get(`/rendez-vous/${appt.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Je confirme ce rendez-vous/);
  assert.equal((await person.agent.get(`/rendez-vous/${appt.id}/convocation`)).statusCode, 409, 'no convocation before confirmation');
  const confirmed = await person.agent.post(`/rendez-vous/${appt.id}`, {});
  assert.equal(confirmed.statusCode, 303);
  assert.equal((await requestOf(id)).status, 'confirmed');
  const reminders = await T.app.deps.db.selectFrom('jobs').select('unique_key').where('kind', '=', 'appointments.reminder').where('unique_key', 'like', `%${appt.id}%`).execute();
  assert.equal(reminders.length, 2, 'reminders 3 days and 1 day before');
  await person.agent.get(`/rendez-vous/${appt.id}`);
  assert.equal((await person.agent.post(`/rendez-vous/${appt.id}`, {})).statusCode, 409, 'confirming twice is refused');

  const conv = await person.agent.get(`/rendez-vous/${appt.id}/convocation`);
  assert.equal(conv.statusCode, 200);
  assert.match(conv.body, /src="data:image\/png;base64,/);
  assert.match(conv.body, /Benali/);
  assert.match(conv.body, /Guichet/);
  const code = /id="code-convocation">([A-Za-z0-9_-]+)</.exec(conv.body)?.[1] ?? '';
  assert.ok(code.length > 100);
  const pdf = await person.agent.get(`/rendez-vous/${appt.id}/convocation.pdf`);
  assert.equal(pdf.statusCode, 200);
  assert.match(String(pdf.headers['content-type']), /^application\/pdf/);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

  const staff = await signedIn(T.app, T.prefectureId, { role: 'agent' });
  assert.equal((await person.agent.get('/agent/accueil')).statusCode, 403, 'applicants cannot use the counter page');
  await staff.agent.get('/agent/accueil');
  // A forged code (one character changed) is refused.
  const forged = `${code.slice(0, 40)}${code[40] === 'A' ? 'B' : 'A'}${code.slice(41)}`;
  const bad = await staff.agent.post('/agent/accueil', { code: forged });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Code invalide/);
  const shown = await staff.agent.post('/agent/accueil', { code });
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /Benali/);
  assert.match(shown.body, /1992/);
  const ok = await staff.agent.post('/agent/accueil/enregistrer', { code, decision: 'match' });
  assert.equal(ok.statusCode, 303);
  const after = await T.app.deps.db.selectFrom('appointments').select(['status', 'checked_in_at']).where('id', '=', appt.id).executeTakeFirstOrThrow();
  assert.equal(after.status, 'checked_in');
  assert.ok(after.checked_in_at);
  await staff.agent.get('/agent/accueil');
  const reused = await staff.agent.post('/agent/accueil/enregistrer', { code, decision: 'match' });
  assert.equal(reused.statusCode, 409);
  assert.match(reused.body, /déjà été utilisée/);
});

test('identity mismatch at the counter is refused and recorded as a resale signal; the person is then flagged', async () => {
  const person = await signedIn(T.app, T.prefectureId);
  const res = await file(person.agent, { surname: 'Revendu', given_names: 'Rendez-Vous', birth_date: '1970-01-01', email: 'revendu@example.org', phone: '0611000010' });
  const id = idFrom(res.headers.location);
  await draw();
  const appt = await T.app.deps.db.selectFrom('appointments').select('id').where('request_id', '=', id).executeTakeFirstOrThrow();
  await person.agent.get(`/rendez-vous/${appt.id}`);
  await person.agent.post(`/rendez-vous/${appt.id}`, {});
  const code = /id="code-convocation">([A-Za-z0-9_-]+)</.exec((await person.agent.get(`/rendez-vous/${appt.id}/convocation`)).body)?.[1] ?? '';
  const staff = await signedIn(T.app, T.prefectureId, { role: 'agent' });
  await staff.agent.get('/agent/accueil');
  const refused = await staff.agent.post('/agent/accueil/enregistrer', { code, decision: 'mismatch' });
  assert.equal(refused.statusCode, 303);
  const status = await T.app.deps.db.selectFrom('appointments').select('status').where('id', '=', appt.id).executeTakeFirstOrThrow();
  assert.equal(status.status, 'confirmed', 'not checked in');
  const signal = await T.app.deps.db.selectFrom('appointment_risk_signals').select(['kind', 'appointment_id']).where('request_id', '=', id).where('kind', '=', 'checkin_mismatch').executeTakeFirstOrThrow();
  assert.deepEqual(signal, { kind: 'checkin_mismatch', appointment_id: appt.id });
  // The same identity filing again is held for review.
  await person.agent.get(`/rendez-vous/${appt.id}`);
  await person.agent.post(`/rendez-vous/${appt.id}/annuler`, {});
  const again = await file(person.agent, { surname: 'Revendu', given_names: 'Rendez-Vous', birth_date: '1970-01-01', email: 'revendu@example.org', phone: '0611000010' });
  assert.equal((await requestOf(idFrom(again.headers.location))).status, 'review');
});

test('cancellation from the page frees the seat; the signed mail link lands on a one-button page, single use', async () => {
  const person = await signedIn(T.app, T.prefectureId);
  const res = await file(person.agent, { surname: 'Petit', given_names: 'Jean', birth_date: '1980-02-02', email: 'jean@example.org', phone: '0611000011' });
  const id = idFrom(res.headers.location);
  await draw();
  const appt = await T.app.deps.db.selectFrom('appointments').select(['id', 'slot_id', 'seat']).where('request_id', '=', id).executeTakeFirstOrThrow();
  await person.agent.get(`/rendez-vous/${appt.id}`);
  await person.agent.post(`/rendez-vous/${appt.id}`, {});

  // The reminder mail carries the signed link.
  assert.equal(await sendReminder(T.app.deps.db, T.app.deps.config.secretKey, T.app.deps.config.publicUrl, T.prefectureId, appt.id, 3), true);
  await T.app.deps.jobs.drain();
  const mail = await T.app.deps.db.selectFrom('mails').select('text_body').where('to_address', '=', 'jean@example.org').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const link = linkFrom(mail.text_body, `/rendez-vous/${appt.id}/annulation`);
  assert.ok(link.includes(cancelLinkToken(T.app.deps.config.secretKey, appt.id)));

  const stranger = await signedIn(T.app, T.prefectureId);
  assert.equal((await stranger.agent.get(`/rendez-vous/${appt.id}/annulation?t=wrong`)).statusCode, 404);
  const landing = await stranger.agent.get(link);
  assert.equal(landing.statusCode, 200);
  assert.match(landing.body, /Annuler ce rendez-vous/);
  const t = new URL(link, 'http://x').searchParams.get('t') ?? '';
  const done = await stranger.agent.post(`/rendez-vous/${appt.id}/annulation`, { t });
  assert.equal(done.statusCode, 303);
  const after = await T.app.deps.db.selectFrom('appointments').select('status').where('id', '=', appt.id).executeTakeFirstOrThrow();
  assert.equal(after.status, 'cancelled');
  assert.equal((await requestOf(id)).status, 'cancelled');
  const again = await stranger.agent.get(link);
  assert.match(again.body, /id="deja"/, 'used once: the page says it is no longer active');
  // The seat is free again: another request can take exactly that seat.
  const seatHolders = await sql<{ n: number }>`select count(*)::int as n from appointments where slot_id = ${appt.slot_id}::uuid and seat = ${appt.seat} and status in ('offered','confirmed','checked_in','no_show')`.execute(T.app.deps.db);
  assert.equal(seatHolders.rows[0]?.n, 0);
});

test('urgent channel: job at risk, staff grant a seat through bookSeat, capacity respected', async () => {
  const person = await signedIn(T.app, T.prefectureId);
  const res = await file(person.agent, { surname: 'Urgent', given_names: 'Emploi', birth_date: '1988-08-08', email: 'emploi@example.org', phone: '0611000012' });
  const requestId = idFrom(res.headers.location);
  const page = await person.agent.get('/rendez-vous/urgence');
  assert.match(page.body, /ne vous sera pas reproché/);
  const filed = await person.agent.post('/rendez-vous/urgence', { request_id: requestId, motive_kind: 'job_risk', motive: 'Mon employeur exige un récépissé avant le 15.' });
  assert.equal(filed.statusCode, 303);
  const urgent = await T.app.deps.db.selectFrom('urgent_requests').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();

  // Permit-expiry motive without expiry date: refused with a field error.
  await person.agent.get('/rendez-vous/urgence');
  const noExpiry = await person.agent.post('/rendez-vous/urgence', { request_id: requestId, motive_kind: 'permit_expiry', motive: 'Mon titre expire bientôt, aucune place.' });
  assert.equal(noExpiry.statusCode, 400);

  // A full slot cannot be granted: fill the urgent counter's first slot.
  const slot = await T.app.deps.db
    .selectFrom('slots as s')
    .innerJoin('counters as c', 'c.id', 's.counter_id')
    .select(['s.id', 's.capacity'])
    .where('c.code', '=', 'mtp-urgences')
    .where('s.starts_at', '>', new Date())
    .orderBy('s.starts_at')
    .executeTakeFirstOrThrow();
  const fillers = await Promise.all(
    Array.from({ length: slot.capacity }, async (_, i) => {
      const other = await signedIn(T.app, T.prefectureId);
      const r = await file(other.agent, { surname: `Remplit${i}`, given_names: 'Place', birth_date: '1977-07-07', email: `remplit${i}@example.org`, phone: `06110001${String(i).padStart(2, '0')}` });
      return idFrom(r.headers.location);
    }),
  );
  for (const f of fillers) await bookSeat(T.app.deps.db, { prefectureId: T.prefectureId, requestId: f, slotId: slot.id });
  const staff = await signedIn(T.app, T.prefectureId, { role: 'agent' });
  const triage = await staff.agent.get('/agent/rendez-vous/urgences');
  assert.match(triage.body, new RegExp(`data-urgent="${urgent.id}"`));
  assert.doesNotMatch(triage.body, new RegExp(`value="${slot.id}"`), 'a full slot is not offered');
  const full = await staff.agent.post(`/agent/rendez-vous/urgences/${urgent.id}/accorder`, { slot_id: slot.id });
  assert.equal(full.statusCode, 409);
  assert.equal((await requestOf(requestId)).status, 'pending', 'a refused grant leaves the request as it was');
  const over = await sql<{ n: number }>`select count(*)::int as n from appointments where slot_id = ${slot.id}::uuid and status in ('offered','confirmed','checked_in','no_show')`.execute(T.app.deps.db);
  assert.equal(over.rows[0]?.n, slot.capacity);

  const free = /name="slot_id" value="([0-9a-f-]{36})"/.exec(triage.body)?.[1] ?? '';
  await staff.agent.get('/agent/rendez-vous/urgences');
  const granted = await staff.agent.post(`/agent/rendez-vous/urgences/${urgent.id}/accorder`, { slot_id: free });
  assert.equal(granted.statusCode, 303);
  assert.equal((await requestOf(requestId)).status, 'allocated');
  const appt = await T.app.deps.db.selectFrom('appointments').select(['status', 'slot_id']).where('request_id', '=', requestId).executeTakeFirstOrThrow();
  assert.deepEqual(appt, { status: 'offered', slot_id: free });
  // Granting twice is impossible (the urgent request is no longer open).
  assert.equal((await staff.agent.post(`/agent/rendez-vous/urgences/${urgent.id}/accorder`, { slot_id: free })).statusCode, 404);
  // A second urgent request for a request already allocated is refused.
  await assert.rejects(fileUrgentRequest(T.app.deps.db, { prefectureId: T.prefectureId, applicantId: person.userId, requestId, motiveKind: 'job_risk', motive: 'encore une fois urgent' }));
  await assert.rejects(grantUrgent(T.app.deps.db, { prefectureId: T.prefectureId, urgentId: urgent.id, slotId: free, agentId: staff.userId, publicUrl: 'http://x' }));
});

test('walk-in: public rules in FR/EN/AR; tickets numbered per site and day; Wednesday refused', async () => {
  const fr = await T.app.inject('/rendez-vous/sans-rendez-vous');
  assert.equal(fr.statusCode, 200);
  assert.match(fr.body, /Renouvellement de la carte de résident de 10 ans/);
  assert.match(fr.body, /08:30/);
  const en = await T.app.inject('/rendez-vous/sans-rendez-vous?lang=en');
  assert.match(en.body, /Renewal of the 10-year resident card/);
  const ar = await T.app.inject('/rendez-vous/sans-rendez-vous?lang=ar');
  assert.match(ar.body, /dir="rtl"/);
  assert.match(ar.body, /بطاقة المقيم/);

  const monday = new Date('2030-03-04T08:00:00Z'); // Monday 09:00 Paris
  const wednesday = new Date('2030-03-06T08:00:00Z');
  const input = { prefectureId: T.prefectureId, siteId: site, reasonCode: 'resident_renewal', agentId: null };
  assert.equal((await issueWalkInTicket(T.app.deps.db, input, monday)).number, 1);
  assert.equal((await issueWalkInTicket(T.app.deps.db, input, monday)).number, 2);
  const racing = await Promise.all([issueWalkInTicket(T.app.deps.db, input, monday), issueWalkInTicket(T.app.deps.db, input, monday)]);
  assert.deepEqual(racing.map((r) => r.number).sort(), [3, 4]);
  await assert.rejects(issueWalkInTicket(T.app.deps.db, input, wednesday), (e: Error & { messageKey?: string }) => e.messageKey === 'appointments.front.walkin_refused_weekday');
  await assert.rejects(
    T.app.deps.db.insertInto('walk_in_tickets').values({ prefecture_id: T.prefectureId, site_id: site, local_date: '2030-03-04', number: 1, reason_code: 'resident_renewal' }).execute(),
    'the database refuses a second ticket number 1',
  );

  const staff = await signedIn(T.app, T.prefectureId, { role: 'agent' });
  const page = await staff.agent.get(`/agent/sans-rendez-vous?site=${site}`);
  assert.equal(page.statusCode, 200);
  const issued = await staff.agent.post('/agent/sans-rendez-vous', { site_id: site, reason_code: 'resident_renewal' });
  // Today's rule decides: issued on a weekday morning, refused (409) otherwise, never a 500.
  assert.ok([303, 409].includes(issued.statusCode), String(issued.statusCode));
});

test('API: problem+json for bad input and duplicates; tagged in OpenAPI', async () => {
  const { userId } = await signedIn(T.app, T.prefectureId);
  const { createSession } = await import('../../src/shared/auth/sessions');
  const { token } = await createSession(T.app.deps.db, { id: userId, prefecture_id: T.prefectureId }, 'api');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = { surname: 'Api', given_names: 'Person', birth_date: '1991-01-01', permit_kind: 'other', reason_code: 'renewal', site_id: site, email: 'api@example.org', phone: '0611000099', altcha: await solvedAltcha(T.app) };
  const ok = await T.app.inject({ method: 'POST', url: '/api/v1/appointment-requests', headers, payload: body });
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().review, false);
  const dup = await T.app.inject({ method: 'POST', url: '/api/v1/appointment-requests', headers, payload: { ...body, surname: 'API', altcha: await solvedAltcha(T.app) } });
  assert.equal(dup.statusCode, 409);
  assert.match(String(dup.headers['content-type']), /^application\/problem\+json/);
  const bad = await T.app.inject({ method: 'POST', url: '/api/v1/appointment-requests', headers, payload: { ...body, birth_date: 'yesterday', agdref_number: '12' } });
  assert.equal(bad.statusCode, 400);
  assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
  assert.ok((bad.json().errors as { field: string }[]).some((e) => e.field === 'agdref_number'));
  const list = await T.app.inject({ url: '/api/v1/appointment-requests', headers: { authorization: `Bearer ${token}` } });
  assert.equal(list.json().length, 1);
  const anon = await T.app.inject({ method: 'POST', url: '/api/v1/appointment-requests', headers: { 'content-type': 'application/json' }, payload: body });
  assert.equal(anon.statusCode, 401);
  const doc = (await T.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
  assert.deepEqual(doc.paths['/api/v1/appointment-requests']?.post?.tags, ['appointments']);
});

test('a shared IP alone refuses and flags nobody: 20 identities from one IP are all accepted as pending', async (t) => {
  const own = await build(t);
  await setupFront(own.app, own.prefectureId);
  const ownSite = await siteId(own.app.deps.db, own.prefectureId);
  const saved = T;
  T = own;
  try {
    for (let i = 0; i < 20; i++) {
      const { agent } = await signedIn(own.app, own.prefectureId);
      const res = await file(agent, { surname: `Cafe${i}`, given_names: 'Internet', birth_date: '1990-01-01', email: `cafe${i}@example.org`, phone: `06220000${String(i).padStart(2, '0')}`, site_id: ownSite });
      assert.equal(res.statusCode, 303, `identity ${i}: ${res.statusCode}`);
      const r = await requestOf(idFrom(res.headers.location));
      assert.equal(r.status, 'pending', `identity ${i} flagged: ${JSON.stringify(r.risk_flags)}`);
    }
    const ipSignals = await own.app.deps.db.selectFrom('appointment_risk_signals').select('kind').where('kind', '=', 'ip_cluster').execute();
    assert.ok(ipSignals.length > 0, 'the shared network is recorded as a (weak) signal');
    // The same crowd from new accounts: still accepted (maybe held for review), never refused.
    const { agent } = await signedIn(own.app, own.prefectureId, { newAccount: true });
    const res = await file(agent, { surname: 'Nouveau', given_names: 'Compte', email: 'nouveau@example.org', phone: '0622000099', site_id: ownSite });
    assert.equal(res.statusCode, 303);
    assert.equal((await requestOf(idFrom(res.headers.location))).status, 'review');
  } finally {
    T = saved;
  }
});
