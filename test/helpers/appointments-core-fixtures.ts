// Appointments core fixtures: the Hérault counters, reasons and slots, and requests inserted
// in bulk with their normalised keys (as fileAppointmentRequest computes them).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';
import { localDate } from '../../src/modules/appointments/calendar';
import { generateSlots } from '../../src/modules/appointments/generate-slots';
import { personKeys } from '../../src/modules/appointments/identity';
import { seedAppointments, type CounterSeed } from '../../src/modules/appointments/seed-appointments';

export async function setupAppointments(db: Kysely<DB>, prefectureId: string, opts: { counters?: CounterSeed[]; days?: number } = {}): Promise<number> {
  await seedAppointments(db, prefectureId, opts.counters);
  return generateSlots(db, prefectureId, localDate(new Date()), opts.days ?? 49);
}

export async function siteId(db: Kysely<DB>, prefectureId: string, code = 'montpellier'): Promise<string> {
  const s = await db.selectFrom('sites').select('id').where('prefecture_id', '=', prefectureId).where('code', '=', code).executeTakeFirstOrThrow();
  return s.id;
}

export interface BulkRequest {
  n: number;
  reason?: string;
  site?: string;
  prefix?: string;
  permitExpiresOn?: string | null;
}

/** Inserts n pending requests of distinct people (one statement). Returns their ids in insertion order. */
export async function insertRequests(db: Kysely<DB>, prefectureId: string, b: BulkRequest): Promise<string[]> {
  const site = await siteId(db, prefectureId, b.site);
  const prefix = b.prefix ?? 'p';
  const tag = String([...prefix].reduce((n, c) => n + c.charCodeAt(0), 0) % 100).padStart(2, '0');
  const rows = Array.from({ length: b.n }, (_, i) => {
    const k = personKeys({ surname: `Nom${prefix}${i}`, givenNames: 'Test', birthDate: '1990-01-01', email: `${prefix}${i}@example.org`, phone: `+336${tag}${String(i).padStart(6, '0')}` });
    if (!k.ok) throw new Error('bad fixture');
    return { i, s: `Nom${prefix}${i}`, e: `${prefix}${i}@example.org`, ik: k.keys.identityKey, ek: k.keys.emailKey, pk: k.keys.phoneKey };
  });
  const res = await sql<{ id: string }>`
    insert into appointment_requests (prefecture_id, reason_code, site_id, surname, given_names, birth_date, permit_expires_on, email, phone,
                                      identity_key, email_key, phone_key)
    select ${prefectureId}::uuid, ${b.reason ?? 'renewal'}, ${site}::uuid, x.s, 'Test', '1990-01-01', ${b.permitExpiresOn ?? null}::date, x.e, x.pk, x.ik, x.ek, x.pk
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(i int, s text, e text, ik text, ek text, pk text)
    order by x.i
    returning id`.execute(db);
  return res.rows.map((r) => r.id);
}

/** Seats held beyond capacity, and people holding two upcoming appointments for one reason (both must be 0). */
export async function invariantViolations(db: Kysely<DB>): Promise<{ overCapacity: number; doubleBooked: number }> {
  const over = await sql<{ n: number }>`
    select count(*)::int as n from (
      select s.id from slots s join appointments a on a.slot_id = s.id
      where a.status in ('offered', 'confirmed', 'checked_in', 'no_show')
      group by s.id, s.capacity having count(*) > s.capacity) x`.execute(db);
  const dbl = await sql<{ n: number }>`
    select count(*)::int as n from (
      select prefecture_id, reason_code, identity_key from appointments where status in ('offered', 'confirmed')
      group by 1, 2, 3 having count(*) > 1) x`.execute(db);
  return { overCapacity: over.rows[0]?.n ?? 0, doubleBooked: dbl.rows[0]?.n ?? 0 };
}
