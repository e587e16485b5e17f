import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app';
import { drawVerifyCommand } from '../../src/modules/appointments/cli';
import { localDate, addDays } from '../../src/modules/appointments/calendar';
import { commitDraw } from '../../src/modules/appointments/commit-draw';
import { expireOffers } from '../../src/modules/appointments/expire-offers';
import { DuplicateRequestError, fileAppointmentRequest } from '../../src/modules/appointments/file-appointment-request';
import { runDraw } from '../../src/modules/appointments/run-draw';
import { verifyDraw } from '../../src/modules/appointments/verify-draw';
import { decodeDrawInputs, decodeRanking } from '../../src/modules/appointments/draw-record';
import { seedCommitment } from '../../src/modules/appointments/allocator';
import type { CliContext } from '../../src/cli';
import { createSession, SESSION_COOKIE } from '../../src/shared/auth/sessions';
import { hashPassword } from '../../src/shared/security/passwords';
import { Agent } from '../helpers/agent';
import { build, testConfig } from '../helpers/build';
import { insertRequests, invariantViolations, setupAppointments, siteId } from '../helpers/appointments-core-fixtures';

const count = async (app: Awaited<ReturnType<typeof build>>['app'], q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(app.deps.db)).rows[0]?.n ?? -1;

test('filing: one active request per person and reason, whatever the spelling of name, e-mail or phone', async (t) => {
  const { app, prefectureId } = await build(t);
  await setupAppointments(app.deps.db, prefectureId, { days: 1 });
  const site = await siteId(app.deps.db, prefectureId);
  const base = {
    prefectureId,
    applicantId: null,
    reasonCode: 'renewal',
    siteId: site,
    surname: 'MARTIN',
    givenNames: 'Éloïse',
    birthDate: '1990-05-04',
    email: 'eloise.martin@gmail.com',
    phone: '06 12 34 56 78',
    locale: 'fr' as const,
    publicUrl: 'http://localhost:3000',
  };
  const first = await fileAppointmentRequest(app.deps.db, base);
  assert.equal(first.status, 'pending');
  const variants = [
    { surname: 'Eloise', givenNames: 'Martin', email: 'other@example.org', phone: '0700000001' }, // swapped names, accents
    { surname: 'Dupont', givenNames: 'Jean', birthDate: '1970-01-01', email: 'Eloise.Martin+rdv@googlemail.com', phone: '0700000002' }, // e-mail variant
    { surname: 'Dupont', givenNames: 'Jean', birthDate: '1970-01-01', email: 'x@example.org', phone: '+33 6 12 34 56 78' }, // phone variant
  ];
  for (const v of variants) {
    await assert.rejects(fileAppointmentRequest(app.deps.db, { ...base, ...v }), (err: unknown) => {
      assert.ok(err instanceof DuplicateRequestError);
      assert.equal(err.existing.id, first.id);
      assert.equal(err.status, 409);
      return true;
    });
  }
  // The database refuses it too when the friendly check is bypassed.
  const row = await app.deps.db.selectFrom('appointment_requests').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  const { id: _id, created_at: _c, updated_at: _u, status: _s, urgency: _g, ...copy } = row;
  await assert.rejects(
    app.deps.db.insertInto('appointment_requests').values({ ...copy, risk_flags: '[]' }).execute(),
    (err: { code?: string }) => err.code === '23505',
  );
  // Another reason is another request; a walk-in-only reason cannot be requested online.
  await fileAppointmentRequest(app.deps.db, { ...base, reasonCode: 'first_request' });
  await assert.rejects(fileAppointmentRequest(app.deps.db, { ...base, reasonCode: 'resident_renewal' }), (e: { fields?: Record<string, string> }) => e.fields?.reason_code === 'appointments.error_walk_in_only');
  // Once cancelled, the person may file again.
  await app.deps.db.updateTable('appointment_requests').set({ status: 'cancelled' }).where('id', '=', first.id).execute();
  await fileAppointmentRequest(app.deps.db, base);
  // The acknowledgement mail is queued with the request.
  assert.ok((await count(app, sql<{ n: number }>`select count(*)::int as n from mails where to_address = 'eloise.martin@gmail.com'`)) >= 2);
});

test('draw: commitment published before, allocation, reveal, verification and tamper detection', async (t) => {
  const { app, prefectureId } = await build(t);
  await setupAppointments(app.deps.db, prefectureId);
  const today = localDate(new Date());
  const draw = await commitDraw(app.deps, prefectureId, today);
  // The same day's draw is committed once (second call returns it).
  assert.equal((await commitDraw(app.deps, prefectureId, today)).id, draw.id);

  const before = await app.inject('/rendez-vous/tirages');
  assert.equal(before.statusCode, 200);
  assert.ok(before.body.includes(draw.commitment));
  const beforeDetail = await app.inject(`/rendez-vous/tirages/${draw.id}`);
  assert.doesNotMatch(beforeDetail.body, /id="seed"/);

  // 150 Montpellier renewals, 3 Lodève ones, an urgent one filed last.
  const ids = await insertRequests(app.deps.db, prefectureId, { n: 150 });
  await insertRequests(app.deps.db, prefectureId, { n: 3, site: 'lodeve', prefix: 'l' });
  const [urgent] = await insertRequests(app.deps.db, prefectureId, { n: 1, prefix: 'u', permitExpiresOn: addDays(today, 10) });
  const res = await runDraw(app.deps, draw.id);
  assert.equal(res.ran, true);
  assert.equal(res.requests, 154);
  assert.ok(res.allocations > 0 && res.allocations <= res.seats);
  const appts = await app.deps.db.selectFrom('appointments').selectAll().where('draw_id', '=', draw.id).execute();
  assert.equal(appts.length, res.allocations);
  assert.ok(appts.every((a) => a.status === 'offered' && a.confirm_by && a.confirm_by.getTime() - Date.now() > 47 * 3600_000));
  assert.ok(appts.some((a) => a.request_id === urgent), 'the expiring permit is served first');
  const allocated = await count(app, sql<{ n: number }>`select count(*)::int as n from appointment_requests where status = 'allocated'`);
  assert.equal(allocated, res.allocations);
  // Offer mails are written after commit by the draw's durable jobs.
  await app.deps.jobs.drain();
  assert.equal(await count(app, sql<{ n: number }>`select count(*)::int as n from mails where subject like '%rendez-vous vous est proposé%'`), res.allocations);
  const mail = await app.deps.db.selectFrom('mails').select('text_body').where('subject', 'like', '%proposé%').executeTakeFirstOrThrow();
  assert.match(mail.text_body, /http:\/\/localhost:3000\/rendez-vous\/[0-9a-f-]{36}/);
  assert.deepEqual(await invariantViolations(app.deps.db), { overCapacity: 0, doubleBooked: 0 });
  // Lodève requests only get Lodève seats (Wednesdays).
  const lod = await sql<{ code: string; dow: number }>`
    select st.code, extract(isodow from s.local_date)::int as dow from appointments a join slots s on s.id = a.slot_id
    join counters c on c.id = s.counter_id join sites st on st.id = c.site_id
    join appointment_requests r on r.id = a.request_id where r.surname like 'Noml%'`.execute(app.deps.db);
  assert.ok(lod.rows.length > 0 && lod.rows.every((r) => r.code === 'lodeve' && r.dow === 3));
  assert.ok(ids.length === 150);

  // Revealed: seed matching the commitment, ranking, verification OK.
  const stored = await app.deps.db.selectFrom('draws').selectAll().where('id', '=', draw.id).executeTakeFirstOrThrow();
  assert.equal(stored.status, 'done');
  assert.equal(seedCommitment(stored.seed as string), draw.commitment);
  const storedRanking = decodeRanking(stored.ranked as string) as string[];
  assert.equal(storedRanking.length, 154);
  assert.equal(stored.requests, 154);
  const page = await app.inject(`/rendez-vous/tirages/${draw.id}`);
  assert.ok(page.body.includes(stored.seed as string));
  assert.ok(page.body.includes(storedRanking[0] as string));
  assert.doesNotMatch(page.body, /Nomp0|@example\.org/, 'no personal data on the public page');
  const apiRes = await app.inject(`/api/v1/draws/${draw.id}`);
  assert.equal(apiRes.json().seed, stored.seed);
  assert.deepEqual(apiRes.json().ranked, storedRanking);
  assert.equal(apiRes.json().inputs.length, 154);
  assert.deepEqual(Object.keys(apiRes.json().inputs[0]).sort(), ['cls', 'exp', 'pen', 'pid']);
  // The whole record as text downloads: the ranking line by line, the inputs in draw order.
  const rankingFile = await app.inject(`/rendez-vous/tirages/${draw.id}/classement.txt`);
  assert.equal(rankingFile.statusCode, 200);
  assert.match(String(rankingFile.headers['content-type']), /^text\/plain/);
  assert.deepEqual(rankingFile.body.trimEnd().split('\n'), storedRanking);
  const inputsFile = await app.inject(`/rendez-vous/tirages/${draw.id}/entrees.txt`);
  const inputLines = inputsFile.body.trimEnd().split('\n');
  assert.equal(inputLines.length, 154);
  assert.ok(inputLines.every((l) => /^[A-Za-z0-9_-]{16} [0-2] (\d{4}-\d{2}-\d{2}|-) [01]$/.test(l)));
  assert.deepEqual(inputLines.map((l) => l.split(' ')[0]), storedRanking, 'inputs are listed in draw order');
  assert.deepEqual(await verifyDraw(app.deps.db, draw.id), { ok: true, requests: 154, allocations: res.allocations });
  const cli = (id: string) => drawVerifyCommand.run({ database: app.deps.database, args: [id] } as unknown as CliContext);
  assert.equal(await cli(draw.id), 0);

  // A second run does nothing.
  assert.equal((await runDraw(app.deps, draw.id)).ran, false);

  // Someone edits the stored ranking: verification names the first difference and fails.
  const tampered = [...storedRanking];
  [tampered[5], tampered[40]] = [tampered[40] as string, tampered[5] as string];
  await app.deps.db.updateTable('draws').set({ ranked: tampered.join('\n') }).where('id', '=', draw.id).execute();
  const v = await verifyDraw(app.deps.db, draw.id);
  assert.equal(v.ok, false);
  if (!v.ok) {
    assert.equal(v.problem, 'ranking');
    assert.equal(v.index, 5);
    assert.equal(v.stored, tampered[5]);
  }
  assert.equal(await cli(draw.id), 1);
  // A stored record that is not in the published format is reported as such.
  await app.deps.db.updateTable('draws').set({ inputs: 'not a line' }).where('id', '=', draw.id).execute();
  assert.deepEqual(await verifyDraw(app.deps.db, draw.id), { ok: false, problem: 'malformed' });
  assert.equal(await cli(draw.id), 1);
  // Another préfecture's draw or a bad id is not found.
  assert.equal((await app.inject('/rendez-vous/tirages/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  assert.equal((await app.inject('/rendez-vous/tirages/nope')).statusCode, 404);
});

test('a draw killed half-way leaves no partial allocation; the retry allocates', async (t) => {
  const { app, prefectureId } = await build(t);
  await setupAppointments(app.deps.db, prefectureId);
  const draw = await commitDraw(app.deps, prefectureId, localDate(new Date()));
  await insertRequests(app.deps.db, prefectureId, { n: 40 });
  let hooked = false;
  await assert.rejects(
    runDraw(app.deps, draw.id, {
      afterAppointmentsInserted: () => {
        hooked = true;
        throw new Error('killed');
      },
    }),
    /killed/,
  );
  assert.ok(hooked, 'the failure came after the appointments were inserted');
  assert.equal(await count(app, sql<{ n: number }>`select count(*)::int as n from appointments`), 0);
  assert.equal(await count(app, sql<{ n: number }>`select count(*)::int as n from appointment_requests where status <> 'pending'`), 0);
  assert.equal(await count(app, sql<{ n: number }>`select count(*)::int as n from mails`), 0);
  const d = await app.deps.db.selectFrom('draws').select(['status', 'seed']).where('id', '=', draw.id).executeTakeFirstOrThrow();
  assert.deepEqual(d, { status: 'committed', seed: null });
  const res = await runDraw(app.deps, draw.id);
  assert.equal(res.allocations, 40);
});

test('the draw runs once when two app instances on one database trigger it together', async (t) => {
  const first = await build(t);
  const second = await buildApp(testConfig(), { database: first.database, logger: false });
  t.after(() => second.close());
  await second.ready();
  const { prefectureId } = first;
  await setupAppointments(first.app.deps.db, prefectureId);
  const draw = await commitDraw(first.app.deps, prefectureId, localDate(new Date()), { scheduledFor: new Date(Date.now() - 1000) });
  await insertRequests(first.app.deps.db, prefectureId, { n: 60 });
  // Both run the draw directly and both drain the job queue at the same time.
  const [a, b] = await Promise.all([runDraw(first.app.deps, draw.id), runDraw(second.deps, draw.id)]);
  assert.equal(Number(a.ran) + Number(b.ran), 1);
  await Promise.all([first.app.deps.jobs.drain(), second.deps.jobs.drain()]);
  assert.equal(await count(first.app, sql<{ n: number }>`select count(*)::int as n from appointments`), 60);
  assert.equal(await count(first.app, sql<{ n: number }>`select count(*)::int as n from draws`), 1);
  assert.deepEqual(await invariantViolations(first.app.deps.db), { overCapacity: 0, doubleBooked: 0 });
});

test('an unconfirmed offer past confirm_by frees its seat and the request returns to the next draw', async (t) => {
  const { app, prefectureId } = await build(t);
  await setupAppointments(app.deps.db, prefectureId);
  const today = localDate(new Date());
  const draw = await commitDraw(app.deps, prefectureId, today);
  await insertRequests(app.deps.db, prefectureId, { n: 5 });
  await runDraw(app.deps, draw.id);
  await app.deps.db.updateTable('appointments').set({ status: 'confirmed' }).where('id', '=', (await app.deps.db.selectFrom('appointments').select('id').limit(1).executeTakeFirstOrThrow()).id).execute();
  assert.equal(await expireOffers(app.deps.db, new Date(Date.now() + 47 * 3600_000)), 0);
  assert.equal(await expireOffers(app.deps.db, new Date(Date.now() + 49 * 3600_000)), 4);
  assert.equal(await count(app, sql<{ n: number }>`select count(*)::int as n from appointment_requests where status = 'pending'`), 4);
  assert.equal(await count(app, sql<{ n: number }>`select count(*)::int as n from appointments where status = 'expired'`), 4);
  // The next draw offers them seats again (the expired seats are free again).
  const next = await commitDraw(app.deps, prefectureId, addDays(today, 1));
  const res = await runDraw(app.deps, next.id);
  assert.equal(res.allocations, 4);
  assert.deepEqual(await invariantViolations(app.deps.db), { overCapacity: 0, doubleBooked: 0 });
});

test('repeated no-shows rank after the others of the same class', async (t) => {
  const { app, prefectureId } = await build(t);
  await setupAppointments(app.deps.db, prefectureId, { days: 30 });
  const today = localDate(new Date());
  const [noShower] = await insertRequests(app.deps.db, prefectureId, { n: 1, prefix: 'ns' });
  // Two past no-shows of the same person (past slots inserted directly).
  const req = await app.deps.db.selectFrom('appointment_requests').selectAll().where('id', '=', noShower as string).executeTakeFirstOrThrow();
  const counter = await app.deps.db.selectFrom('counters').select('id').where('code', '=', 'mtp-general').executeTakeFirstOrThrow();
  for (const [i, status] of [[1, 'no_show'], [2, 'no_show']] as const) {
    const slot = await app.deps.db
      .insertInto('slots')
      .values({ prefecture_id: prefectureId, counter_id: counter.id, local_date: addDays(today, -30 * i), starts_at: new Date(Date.now() - 30 * i * 86_400_000), ends_at: new Date(Date.now() - 30 * i * 86_400_000 + 1_200_000), capacity: 3 })
      .returning(['id', 'capacity'])
      .executeTakeFirstOrThrow();
    const old = await app.deps.db
      .insertInto('appointment_requests')
      .values({ ...req, id: undefined, status: 'no_show', created_at: undefined, updated_at: undefined, risk_flags: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await app.deps.db
      .insertInto('appointments')
      .values({ prefecture_id: prefectureId, request_id: old.id, reason_code: req.reason_code, identity_key: req.identity_key, slot_id: slot.id, slot_capacity: slot.capacity, seat: 1, status })
      .execute();
  }
  await insertRequests(app.deps.db, prefectureId, { n: 30 });
  const draw = await commitDraw(app.deps, prefectureId, today);
  await runDraw(app.deps, draw.id);
  const d = await app.deps.db.selectFrom('draws').select(['ranked', 'inputs']).where('id', '=', draw.id).executeTakeFirstOrThrow();
  const penalised = (decodeDrawInputs(d.inputs as string) ?? []).filter((i) => i.pen === 1);
  assert.equal(penalised.length, 1);
  assert.equal(decodeRanking(d.ranked as string)?.at(-1), penalised[0]?.pid);
});

test('capacity page, public draw list and admin pages (admin only)', async (t) => {
  const { app, prefectureId } = await build(t);
  await setupAppointments(app.deps.db, prefectureId, { days: 7 });
  const cap = await app.inject('/rendez-vous/capacite');
  assert.equal(cap.statusCode, 200);
  const year = Number(/class="capacity-outside-year">([\d\s\u202f,.]+)</.exec(cap.body)?.[1]?.replace(/\D/g, ''));
  assert.ok(year > 14_000 && year < 16_000, `capacity ${year}`);
  const en = await app.inject('/rendez-vous/capacite?lang=ar');
  assert.match(en.body, /dir="rtl"/);

  const user = await app.deps.db
    .insertInto('users')
    .values({ prefecture_id: prefectureId, role: 'admin', email: 'admin@example.org', password_hash: await hashPassword('correct horse battery staple'), totp_secret: 'x', totp_enabled_at: new Date() })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const { token } = await createSession(app.deps.db, user, 'web', true);
  const admin = new Agent(app);
  admin.cookies.set(SESSION_COOKIE, token);
  const anonymous = await new Agent(app).get('/agent/rendez-vous/parametrage');
  assert.equal(anonymous.statusCode, 303);
  const page = await admin.get('/agent/rendez-vous/parametrage');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /mtp-general/);
  // Bad input re-renders with errors and 400.
  const bad = await admin.post('/agent/rendez-vous/parametrage/fermetures', { site_id: '', starts_on: '2030-02-10', ends_on: '2030-02-01', reason: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /fr-alert--error/);
  await admin.get('/agent/rendez-vous/parametrage');
  const ok = await admin.post('/agent/rendez-vous/parametrage/fermetures', { site_id: '', starts_on: '2030-02-01', ends_on: '2030-02-03', reason: 'Inventaire' });
  assert.equal(ok.statusCode, 303);
  assert.equal((await app.deps.db.selectFrom('closures').selectAll().execute()).length, 1);
  // Lowering the agents of a counter below seats in use is refused by the database.
  const counter = await app.deps.db.selectFrom('counters').selectAll().where('code', '=', 'mtp-general').executeTakeFirstOrThrow();
  const draw = await commitDraw(app.deps, prefectureId, localDate(new Date()));
  await insertRequests(app.deps.db, prefectureId, { n: 200 });
  await runDraw(app.deps, draw.id);
  await admin.get('/agent/rendez-vous/parametrage');
  const shrink = await admin.post(`/agent/rendez-vous/parametrage/guichets/${counter.id}`, { name: counter.name, slot_minutes: '20', agents: '1', active: 'on' });
  assert.equal(shrink.statusCode, 400);
  assert.match(shrink.body, /au-delà de ce nombre d’agents/);
  await admin.get('/agent/rendez-vous/parametrage');
  const grow = await admin.post(`/agent/rendez-vous/parametrage/guichets/${counter.id}`, { name: counter.name, slot_minutes: '20', agents: '4', active: 'on' });
  assert.equal(grow.statusCode, 303);
  const caps = await sql<{ c: number }>`select distinct capacity as c from slots where counter_id = ${counter.id} and starts_at > now()`.execute(app.deps.db);
  assert.deepEqual(caps.rows.map((r) => r.c), [4]);
});
