// Use case: run a committed draw. One transaction: every allocation, the requests' new status,
// the offer mails and the revealed seed are written together, or nothing is (a draw killed
// half-way leaves no partial allocation). Runs once: the draw row is claimed FOR UPDATE SKIP
// LOCKED and must still be 'committed', so a second instance (or a retried job) does nothing.
// Set-based SQL: a handful of statements whatever the number of requests.
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { allocate, pseudonymiser, urgencyClass, type AllocRequest, type AllocSeat } from './allocator';
import { addDays, isoWeekday } from './calendar';
import { encodeDrawInputs, encodeRanking } from './draw-record';
import { drawSeedBox, pseudonymKey } from './draw-secrets';
import { getSettings } from './settings';
import { OFFER_MAIL_BATCH, OFFER_MAILS_JOB } from './offer-mails';
import type { DrawInput, UrgencyClass } from './tables';

export interface RunDrawResult {
  ran: boolean;
  requests: number;
  seats: number;
  allocations: number;
}

export interface RunDrawOptions {
  now?: Date;
  /** Tests only: called inside the transaction once the appointments are inserted. */
  afterAppointmentsInserted?: () => void | Promise<void>;
  /** Send offer mails (default true). */
  mails?: boolean;
  /** Benchmarks: called at the end of each phase. */
  onPhase?: (phase: string) => void;
}

type Deps = { db: Kysely<DB>; config: Pick<Config, 'secretKey' | 'publicUrl'> };

const ALL_DAYS_OK: readonly number[] = Object.freeze([]);
const NOT_RUN: RunDrawResult = { ran: false, requests: 0, seats: 0, allocations: 0 };

export async function runDraw(deps: Deps, drawId: string, opts: RunDrawOptions = {}): Promise<RunDrawResult> {
  const now = opts.now ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const draw = await trx
      .selectFrom('draws')
      .selectAll()
      .where('id', '=', drawId)
      .where('status', '=', 'committed')
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!draw) return NOT_RUN;
    const pref = draw.prefecture_id;
    const settings = await getSettings(trx, pref);
    const seed = drawSeedBox(deps.config.secretKey).open(draw.sealed_seed);
    const scopeSite = draw.scope.startsWith('site:') ? draw.scope.slice(5) : null;
    const scopeReason = draw.scope.startsWith('reason:') ? draw.scope.slice(7) : null;

    // Pending requests of the scope (filing time is not read), each with its no-show penalty:
    // repeated no-shows over the configured window rank after the others of the class.
    const requests = (
      await sql<{ id: string; site_id: string; counter_type: string; urgency: UrgencyClass; permit_expires_on: string | null; unavailable_weekdays: string; pen: number }>`
        with penalised as (
          select a.identity_key from appointments a join slots s on s.id = a.slot_id
          where a.prefecture_id = ${pref} and a.status = 'no_show'
            and s.starts_at > ${now}::timestamptz - make_interval(months => ${settings.noShowWindowMonths})
          group by a.identity_key having count(*) >= ${settings.noShowThreshold})
        select r.id, r.site_id, m.counter_type, r.urgency, r.permit_expires_on,
               array_to_string(r.unavailable_weekdays, '') as unavailable_weekdays,
               case when r.identity_key in (select identity_key from penalised) then 1 else 0 end as pen
        from appointment_requests r
        join appointment_reasons m on m.prefecture_id = r.prefecture_id and m.code = r.reason_code
        join sites st on st.id = r.site_id
        where r.prefecture_id = ${pref} and r.status = 'pending' and m.channel = 'draw'
          and (${scopeSite}::text is null or st.code = ${scopeSite}::text)
          and (${scopeReason}::text is null or r.reason_code = ${scopeReason}::text)`.execute(trx)
    ).rows;
    opts.onPhase?.('load requests');

    // Free seats over the horizon, from the minimum lead time on.
    const earliest = new Date(now.getTime() + settings.minLeadHours * 3_600_000);
    const lastDate = addDays(draw.draw_date, settings.horizonDays);
    const seatRows = (
      await sql<{ slot_id: string; seat: number; site_id: string; type: string; starts_ms: number; local_date: string; site_code: string }>`
        select s.id as slot_id, g.seat, c.site_id, c.type, (extract(epoch from s.starts_at) * 1000)::float8 as starts_ms,
               s.local_date, st.code as site_code
        from slots s
        join counters c on c.id = s.counter_id and c.active
          -- Counters under a first-come-first-served policy publish their slots instead.
          and not exists (select 1 from fcfs_policies f where f.counter_id = c.id and f.enabled)
        join sites st on st.id = c.site_id
        cross join lateral generate_series(1, s.capacity) as g(seat)
        where s.prefecture_id = ${pref} and s.starts_at >= ${earliest} and s.local_date <= ${lastDate}::date
          and not exists (
            select 1 from appointments a
            where a.slot_id = s.id and a.seat = g.seat and a.status in ('offered', 'confirmed', 'checked_in', 'no_show'))`.execute(trx)
    ).rows.filter((s) => !scopeSite || s.site_code === scopeSite);
    opts.onPhase?.('load no-shows and free seats');
    const seats: AllocSeat[] = seatRows.map((s) => ({
      slotId: s.slot_id,
      seat: s.seat,
      pool: `${s.site_id}:${s.type}`,
      startsAt: Number(s.starts_ms),
      weekday: isoWeekday(s.local_date),
    }));

    const pseudonym = pseudonymiser(pseudonymKey(deps.config.secretKey));
    const requestIds = new Map<string, string>();
    const allocReqs: AllocRequest[] = requests.map((r) => {
      const pid = pseudonym(r.id);
      requestIds.set(pid, r.id);
      return {
        pid,
        pool: `${r.site_id}:${r.counter_type}`,
        cls: urgencyClass({ urgency: r.urgency, permitExpiresOn: r.permit_expires_on }, draw.draw_date, settings.urgentWithinDays),
        exp: r.permit_expires_on,
        pen: Number(r.pen),
        unavailable: r.unavailable_weekdays === '' ? ALL_DAYS_OK : [...r.unavailable_weekdays].map(Number),
      };
    });
    opts.onPhase?.('pseudonymise');

    const result = allocate(allocReqs, seats, seed);
    opts.onPhase?.('rank and allocate');
    const confirmBy = new Date(now.getTime() + settings.confirmHours * 3_600_000);

    // The published record (inputs in draw order, ranking), encoded while the server works.
    let record: { inputs: string; ranked: string } | null = null;
    const encodeRecord = () => {
      const inputOf = new Map(allocReqs.map((r) => [r.pid, r]));
      const inputs: DrawInput[] = result.ranked.map((pid) => {
        const r = inputOf.get(pid) as AllocRequest;
        return { pid, cls: r.cls, exp: r.exp, pen: r.pen };
      });
      return { inputs: encodeDrawInputs(inputs), ranked: encodeRanking(result.ranked) };
    };

    if (result.allocations.length) {
      // The requests become allocated (only those still pending: one cancelled meanwhile makes the
      // count differ and the whole draw roll back, to run again), then their offers are inserted.
      const list = (values: readonly (string | number)[]) => `{${values.join(',')}}`;
      const requestIdList = list(result.allocations.map((a) => requestIds.get(a.pid) as string));
      const updating = sql`
        update appointment_requests set status = 'allocated', updated_at = now()
        where id = any (${requestIdList}::uuid[]) and prefecture_id = ${pref} and status = 'pending'`.execute(trx);
      // Meanwhile (the statement runs on the server's core): the rest of the statements' input.
      const slotList = list(result.allocations.map((a) => a.slotId));
      const seatList = list(result.allocations.map((a) => a.seat));
      record = encodeRecord();
      const updated = await updating;
      if (Number(updated.numAffectedRows ?? 0) !== result.allocations.length) throw new Error('Requests changed during the draw; it will run again');
      opts.onPhase?.('update requests');
      const inserted = await sql`
        insert into appointments (prefecture_id, request_id, reason_code, identity_key, slot_id, slot_capacity, seat, status, draw_id, confirm_by)
        select r.prefecture_id, r.id, r.reason_code, r.identity_key, s.id, s.capacity, x.seat, 'offered', ${draw.id}::uuid, ${confirmBy}::timestamptz
        from unnest(${requestIdList}::uuid[], ${slotList}::uuid[], ${seatList}::int[]) as x(r, s, seat)
        join appointment_requests r on r.id = x.r and r.prefecture_id = ${pref}
        join slots s on s.id = x.s and s.prefecture_id = ${pref}`.execute(trx);
      if (Number(inserted.numAffectedRows ?? 0) !== result.allocations.length) throw new Error('Allocation rows missing; the draw will run again');
      opts.onPhase?.('insert offers');
      await opts.afterAppointmentsInserted?.();

      if (opts.mails !== false) {
        // Offer mails are composed after commit by durable jobs queued here, in the same
        // transaction (batches of OFFER_MAIL_BATCH appointments): a rolled-back draw sends nothing.
        await sql`
          insert into jobs (kind, payload, prefecture_id, unique_key)
          select ${OFFER_MAILS_JOB}, jsonb_build_object('drawId', ${draw.id}::text, 'batch', b), ${pref}::uuid, ${OFFER_MAILS_JOB} || ':' || ${draw.id}::text || ':' || b
          from generate_series(0, ${Math.ceil(result.allocations.length / OFFER_MAIL_BATCH) - 1}::int) b`.execute(trx);
        opts.onPhase?.('queue offer mails');
      }
    }

    // Revealed: the seed, the inputs and the ranking.
    record ??= encodeRecord();
    await sql`
      update draws set status = 'done', seed = ${seed}, inputs = ${record.inputs}, ranked = ${record.ranked},
                       requests = ${result.ranked.length}::int,
                       seats_offered = ${seats.length}::int, allocations = ${result.allocations.length}::int, done_at = ${now}::timestamptz
      where id = ${draw.id}::uuid and status = 'committed'`.execute(trx);
    opts.onPhase?.('reveal');
    return { ran: true, requests: requests.length, seats: seats.length, allocations: result.allocations.length };
  });
}
