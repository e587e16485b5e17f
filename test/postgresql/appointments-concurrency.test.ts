// PostgreSQL server only: two app instances (two connection pools) on one database. 500
// concurrent filings, two draws racing for the same seats, agents booking the same slot, and
// raw concurrent inserts: the constraints hold every invariant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app';
import { openDatabase } from '../../src/db/database';
import { bookSeat } from '../../src/modules/appointments/book-seat';
import { addDays, localDate } from '../../src/modules/appointments/calendar';
import { commitDraw } from '../../src/modules/appointments/commit-draw';
import { DuplicateRequestError, fileAppointmentRequest } from '../../src/modules/appointments/file-appointment-request';
import { runDraw } from '../../src/modules/appointments/run-draw';
import { build, openTestDatabase, testConfig, testDatabaseUrl } from '../helpers/build';
import { insertRequests, invariantViolations, setupAppointments, siteId } from '../helpers/appointments-core-fixtures';

async function twoInstances(t: Parameters<typeof build>[0]) {
  const database = await openTestDatabase(t, 'postgresql');
  const first = await build(t, { database });
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(first.app.deps.db)).rows[0]?.s as string;
  const otherDb = await openDatabase({ database: { kind: 'postgresql', url: testDatabaseUrl(), schema } });
  const second = await buildApp(testConfig(), { database: otherDb, logger: false });
  t.after(async () => {
    await second.close();
    await otherDb.close();
  });
  await second.ready();
  return { a: first.app, b: second, prefectureId: first.prefectureId };
}

test('500 concurrent filings and racing draws over two instances: no slot over capacity, no person twice', async (t) => {
  const { a, b, prefectureId } = await twoInstances(t);
  await setupAppointments(a.deps.db, prefectureId, { days: 21 });
  const site = await siteId(a.deps.db, prefectureId);
  // 400 people; 100 of them file a second time at once on the other instance, spelled differently.
  const person = (i: number, variant: boolean) => ({
    prefectureId,
    applicantId: null,
    reasonCode: 'renewal',
    siteId: site,
    surname: variant ? `Prénom${i}` : `NOM${i}`,
    givenNames: variant ? `Nom${i}` : `Prenom${i}`,
    birthDate: '1991-02-03',
    email: variant ? `Person.${i}+x@gmail.com` : `person${i}@gmail.com`,
    phone: `07${String(10_000_000 + i).slice(-8)}`,
    locale: 'fr' as const,
    publicUrl: 'http://localhost',
  });
  const attempts = [
    ...Array.from({ length: 400 }, (_, i) => ({ app: i % 2 ? a : b, input: person(i, false) })),
    ...Array.from({ length: 100 }, (_, i) => ({ app: i % 2 ? b : a, input: person(i, true) })),
  ];
  const results = await Promise.allSettled(attempts.map(({ app, input }) => fileAppointmentRequest(app.deps.db, input)));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const dup = results.filter((r) => r.status === 'rejected' && r.reason instanceof DuplicateRequestError).length;
  const other = results.filter((r) => r.status === 'rejected' && !(r.reason instanceof DuplicateRequestError));
  assert.deepEqual(other.map((r) => (r as PromiseRejectedResult).reason), []);
  assert.equal(ok, 400);
  assert.equal(dup, 100);

  // Two draws (today's and tomorrow's) run at the same moment on the two instances and race for
  // the same seats; a loser fails whole and its retry finds the requests already allocated.
  const today = localDate(new Date());
  const d1 = await commitDraw(a.deps, prefectureId, today);
  const d2 = await commitDraw(b.deps, prefectureId, addDays(today, 1));
  const raced = await Promise.allSettled([runDraw(a.deps, d1.id), runDraw(b.deps, d2.id)]);
  for (const [i, r] of raced.entries()) if (r.status === 'rejected') await runDraw(i === 0 ? a.deps : b.deps, i === 0 ? d1.id : d2.id);
  // Agents on both instances book the same nearly full slot at once.
  const slot = (
    await sql<{ id: string; capacity: number }>`
      select s.id, s.capacity from slots s join counters c on c.id = s.counter_id
      where c.code = 'mtp-general' and s.starts_at > now() order by s.starts_at desc limit 1`.execute(a.deps.db)
  ).rows[0] as { id: string; capacity: number };
  const extra = await insertRequests(a.deps.db, prefectureId, { n: 20, reason: 'first_request', prefix: 'walkin' });
  const booked = await Promise.allSettled(extra.map((id, i) => bookSeat((i % 2 ? a : b).deps.db, { prefectureId, requestId: id, slotId: slot.id })));
  const held = await sql<{ n: number }>`select count(*)::int as n from appointments where slot_id = ${slot.id} and status in ('offered','confirmed')`.execute(a.deps.db);
  assert.equal(held.rows[0]?.n, slot.capacity);
  assert.ok(booked.filter((r) => r.status === 'fulfilled').length <= slot.capacity);

  assert.deepEqual(await invariantViolations(a.deps.db), { overCapacity: 0, doubleBooked: 0 });
  const active = await sql<{ n: number }>`
    select count(*)::int as n from (select identity_key from appointment_requests
      where status in ('pending','review','allocated','confirmed','urgent') group by reason_code, identity_key having count(*) > 1) x`.execute(a.deps.db);
  assert.equal(active.rows[0]?.n, 0);
  const allocated = await sql<{ n: number }>`select count(*)::int as n from appointments where draw_id is not null`.execute(a.deps.db);
  assert.ok((allocated.rows[0]?.n ?? 0) > 0);
});

test('raw concurrent inserts beyond capacity or for the same person fail on the constraints', async (t) => {
  const { a, b, prefectureId } = await twoInstances(t);
  await setupAppointments(a.deps.db, prefectureId, { days: 14 });
  const slots = (
    await sql<{ id: string; capacity: number }>`
      select s.id, s.capacity from slots s join counters c on c.id = s.counter_id where c.code = 'mtp-general' order by s.starts_at limit 3`.execute(a.deps.db)
  ).rows;
  const slot = slots[0] as { id: string; capacity: number };
  const people = await insertRequests(a.deps.db, prefectureId, { n: 12 });
  const reqs = await a.deps.db.selectFrom('appointment_requests').select(['id', 'reason_code', 'identity_key']).where('id', 'in', people).execute();
  // Check-then-insert by every writer at once: each one reads the seats in use and takes the next.
  const naive = await Promise.allSettled(
    reqs.map(async (r, i) => {
      const db = (i % 2 ? a : b).deps.db;
      const used = await sql<{ n: number }>`select count(*)::int as n from appointments where slot_id = ${slot.id} and status <> 'cancelled'`.execute(db);
      const seat = (used.rows[0]?.n ?? 0) + 1 + (i % 3 === 0 ? slot.capacity : 0); // some even try past capacity
      await db
        .insertInto('appointments')
        .values({ prefecture_id: prefectureId, request_id: r.id, reason_code: r.reason_code, identity_key: r.identity_key, slot_id: slot.id, slot_capacity: slot.capacity, seat, status: 'confirmed' })
        .execute();
    }),
  );
  const codes = naive.filter((r) => r.status === 'rejected').map((r) => String(((r as PromiseRejectedResult).reason as { code?: string }).code));
  assert.ok(codes.length >= reqs.length - slot.capacity);
  assert.ok(codes.every((c) => c === '23505' || c === '23514'), codes.join(','));
  assert.ok(codes.includes('23514'), 'a seat past capacity violates the check');
  assert.ok(codes.includes('23505'), 'a seat taken twice violates the unique index');
  // Lying about the capacity does not help: the copy must match the slot (foreign key).
  const liar = reqs.find((r) => !naive[reqs.indexOf(r)] || naive[reqs.indexOf(r)]?.status === 'rejected') as (typeof reqs)[number];
  await assert.rejects(
    a.deps.db
      .insertInto('appointments')
      .values({ prefecture_id: prefectureId, request_id: liar.id, reason_code: liar.reason_code, identity_key: liar.identity_key, slot_id: slot.id, slot_capacity: 99, seat: 50, status: 'confirmed' })
      .execute(),
    (e: { code?: string }) => e.code === '23503',
  );
  // One person, two slots at once: one upcoming appointment per person and reason.
  const same = await Promise.allSettled(
    [slots[1], slots[2]].map((s, i) =>
      (i ? a : b).deps.db
        .insertInto('appointments')
        .values({ prefecture_id: prefectureId, request_id: liar.id, reason_code: liar.reason_code, identity_key: liar.identity_key, slot_id: (s as typeof slot).id, slot_capacity: (s as typeof slot).capacity, seat: 1, status: 'confirmed' })
        .execute(),
    ),
  );
  assert.equal(same.filter((r) => r.status === 'fulfilled').length, 1);
  const refused = same.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.equal((refused.reason as { code?: string }).code, '23505');
  assert.match(String((refused.reason as { constraint?: string }).constraint), /appointments_one_per_identity/);
  assert.deepEqual(await invariantViolations(a.deps.db), { overCapacity: 0, doubleBooked: 0 });
});
