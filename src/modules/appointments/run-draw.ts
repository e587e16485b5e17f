// Use case: run a committed draw. One transaction: every allocation, the requests' new status,
// the offer mails and the revealed seed are written together, or nothing is (a draw killed
// half-way leaves no partial allocation). Runs once: the draw row is claimed FOR UPDATE SKIP
// LOCKED and must still be 'committed', so a second instance (or a retried job) does nothing.
// Set-based SQL: a handful of statements whatever the number of requests.
import { createSecretKey } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { allocate, pseudonymousId, urgencyClass, type AllocRequest, type AllocSeat } from './allocator';
import { addDays, isoWeekday } from './calendar';
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
    const pkey = createSecretKey(Buffer.from(pseudonymKey(deps.config.secretKey)));
    const scopeSite = draw.scope.startsWith('site:') ? draw.scope.slice(5) : null;
    const scopeReason = draw.scope.startsWith('reason:') ? draw.scope.slice(7) : null;

    // Pending requests of the scope (filing time is not read).
    let reqQuery = trx
      .selectFrom('appointment_requests as r')
      .innerJoin('appointment_reasons as m', (j) => j.onRef('m.prefecture_id', '=', 'r.prefecture_id').onRef('m.code', '=', 'r.reason_code'))
      .innerJoin('sites as st', 'st.id', 'r.site_id')
      .select(['r.id', 'r.site_id', 'm.counter_type', 'r.urgency', 'r.permit_expires_on', 'r.unavailable_weekdays', 'r.identity_key'])
      .where('r.prefecture_id', '=', pref)
      .where('r.status', '=', 'pending')
      .where('m.channel', '=', 'draw');
    if (scopeSite) reqQuery = reqQuery.where('st.code', '=', scopeSite);
    if (scopeReason) reqQuery = reqQuery.where('r.reason_code', '=', scopeReason);
    const requests = await reqQuery.execute();
    opts.onPhase?.('load requests');

    const penalised = new Set(
      (
        await sql<{ identity_key: string }>`
          select a.identity_key from appointments a join slots s on s.id = a.slot_id
          where a.prefecture_id = ${pref} and a.status = 'no_show'
            and s.starts_at > ${now}::timestamptz - make_interval(months => ${settings.noShowWindowMonths})
          group by a.identity_key having count(*) >= ${settings.noShowThreshold}`.execute(trx)
      ).rows.map((r) => r.identity_key),
    );

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

    const byPid = new Map<string, (typeof requests)[number]>();
    const allocReqs: AllocRequest[] = requests.map((r) => {
      const pid = pseudonymousId(pkey, r.id);
      byPid.set(pid, r);
      return {
        pid,
        pool: `${r.site_id}:${r.counter_type}`,
        cls: urgencyClass({ urgency: r.urgency as UrgencyClass, permitExpiresOn: r.permit_expires_on }, draw.draw_date, settings.urgentWithinDays),
        exp: r.permit_expires_on,
        pen: penalised.has(r.identity_key) ? 1 : 0,
        unavailable: r.unavailable_weekdays,
      };
    });
    const result = allocate(allocReqs, seats, seed);
    opts.onPhase?.('pseudonymise, rank and allocate');
    const confirmBy = new Date(now.getTime() + settings.confirmHours * 3_600_000);

    if (result.allocations.length) {
      const pairs = result.allocations.map((a) => ({ r: (byPid.get(a.pid) as (typeof requests)[number]).id, s: a.slotId, seat: a.seat }));
      const updated = await sql`
        update appointment_requests set status = 'allocated', updated_at = now()
        where id = any (${`{${pairs.map((p) => p.r).join(',')}}`}::uuid[]) and prefecture_id = ${pref} and status = 'pending'`.execute(trx);
      if (Number(updated.numAffectedRows ?? 0) !== pairs.length) throw new Error('Requests changed during the draw; it will run again');
      opts.onPhase?.('update requests');
      const inserted = await sql<{ id: string; request_id: string }>`
        insert into appointments (prefecture_id, request_id, reason_code, identity_key, slot_id, slot_capacity, seat, status, draw_id, confirm_by)
        select r.prefecture_id, r.id, r.reason_code, r.identity_key, s.id, s.capacity, x.seat, 'offered', ${draw.id}::uuid, ${confirmBy}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as x(r uuid, s uuid, seat int)
        join appointment_requests r on r.id = x.r and r.prefecture_id = ${pref}
        join slots s on s.id = x.s and s.prefecture_id = ${pref}
        returning id, request_id`.execute(trx);
      if (inserted.rows.length !== pairs.length) throw new Error('Allocation rows missing; the draw will run again');
      opts.onPhase?.('insert appointments');
      await opts.afterAppointmentsInserted?.();

      if (opts.mails !== false) {
        // Offer mails are composed after commit by durable jobs queued here, in the same
        // transaction (batches of OFFER_MAIL_BATCH appointments): a rolled-back draw sends nothing.
        await sql`
          insert into jobs (kind, payload, prefecture_id, unique_key)
          select ${OFFER_MAILS_JOB}, jsonb_build_object('drawId', ${draw.id}::text, 'batch', b), ${pref}::uuid, ${OFFER_MAILS_JOB} || ':' || ${draw.id}::text || ':' || b
          from generate_series(0, ${Math.ceil(inserted.rows.length / OFFER_MAIL_BATCH) - 1}::int) b`.execute(trx);
        opts.onPhase?.('queue offer mails');
      }
    }

    const inputs: DrawInput[] = allocReqs
      .map((r) => ({ pid: r.pid, cls: r.cls, exp: r.exp, pen: r.pen }))
      .sort((a, b) => (a.pid < b.pid ? -1 : a.pid > b.pid ? 1 : 0));
    await trx
      .updateTable('draws')
      .set({
        status: 'done',
        seed,
        inputs: JSON.stringify(inputs),
        ranked: JSON.stringify(result.ranked),
        seats_offered: seats.length,
        allocations: result.allocations.length,
        done_at: now,
      })
      .where('id', '=', draw.id)
      .where('status', '=', 'committed')
      .execute();
    opts.onPhase?.('reveal');
    return { ran: true, requests: requests.length, seats: seats.length, allocations: result.allocations.length };
  });
}
