// Background work of the appointment service, as durable jobs (src/shared/jobs/queue.ts):
//   appointments.daily   per préfecture and local day (unique key): bring slots in line with
//                        the calendar over the horizon and schedule the first-come-first-served
//                        release moments (refresh-slots.ts), commit today's draw (if its window
//                        is still ahead) and tomorrow's, then queue tomorrow's daily run;
//   appointments.draw    runs one committed draw (unique key per préfecture, day and scope);
//   appointments.offer-mails  after a draw: its offer mails, by batches;
//   appointments.expire  every 10 minutes: unconfirmed offers past confirm_by go back to the pool.
import { sql } from 'kysely';
import type { AppDeps } from '../../shared/deps';
import { enqueueJob } from '../../shared/jobs/queue';
import { addDays, localDate } from './calendar';
import { commitDraw, DRAW_JOB } from './commit-draw';
import { expireOffers } from './expire-offers';
import { refreshSlots } from './refresh-slots';
import { OFFER_MAILS_JOB, sendOfferMails } from './offer-mails';
import { runDraw } from './run-draw';
import { getSettings } from './settings';

export const DAILY_JOB = 'appointments.daily';
export const EXPIRE_JOB = 'appointments.expire';
const EXPIRE_EVERY_MS = 10 * 60_000;

type Deps = Pick<AppDeps, 'db' | 'config' | 'log'>;

async function localInstant(deps: Deps, prefectureId: string, date: string, time: string): Promise<Date> {
  const row = await sql<{ at: Date }>`select (${date}::date + ${time}::time) at time zone p.timezone as at from prefectures p where p.id = ${prefectureId}`.execute(deps.db);
  return row.rows[0]?.at ?? new Date();
}

/** The daily routine of one préfecture. */
export async function dailyRoutine(deps: Deps, prefectureId: string, now: Date = new Date()): Promise<{ slots: number; draws: string[] }> {
  const settings = await getSettings(deps.db, prefectureId);
  const today = localDate(now);
  const slots = (await refreshSlots(deps.db, prefectureId, now)).created;
  const draws: string[] = [];
  const windowStart = await localInstant(deps, prefectureId, today, settings.drawWindowStart);
  if (now < windowStart) draws.push((await commitDraw(deps, prefectureId, today)).id);
  draws.push((await commitDraw(deps, prefectureId, addDays(today, 1))).id);
  return { slots, draws };
}

async function queueDaily(deps: Deps, prefectureId: string, date: string, runAt: Date): Promise<void> {
  await enqueueJob(deps.db, { kind: DAILY_JOB, prefectureId, payload: { date }, runAt, uniqueKey: `${DAILY_JOB}:${prefectureId}:${date}` });
}

async function queueExpire(deps: Deps, after: Date): Promise<void> {
  const bucket = Math.floor(after.getTime() / EXPIRE_EVERY_MS) + 1;
  await enqueueJob(deps.db, { kind: EXPIRE_JOB, runAt: new Date(bucket * EXPIRE_EVERY_MS), uniqueKey: `${EXPIRE_JOB}:${bucket}` });
}

export function registerAppointmentJobs(deps: AppDeps): void {
  deps.jobs.register(DRAW_JOB, async (job) => {
    const res = await runDraw(deps, String(job.payload.drawId));
    deps.log.info({ drawId: job.payload.drawId, ...res }, 'appointment draw');
  });
  deps.jobs.register(OFFER_MAILS_JOB, async (job) => {
    await sendOfferMails(deps.db, deps.config.publicUrl, String(job.payload.drawId), Number(job.payload.batch));
  });
  deps.jobs.register(DAILY_JOB, async (job) => {
    if (!job.prefecture_id) return;
    await dailyRoutine(deps, job.prefecture_id);
    const tomorrow = addDays(localDate(new Date()), 1);
    await queueDaily(deps, job.prefecture_id, tomorrow, await localInstant(deps, job.prefecture_id, tomorrow, '00:05'));
  });
  deps.jobs.register(EXPIRE_JOB, async () => {
    const n = await expireOffers(deps.db);
    if (n) deps.log.info({ expired: n }, 'unconfirmed appointment offers expired');
    await queueExpire(deps, new Date());
  });
}

/** At start: make sure every préfecture has today's daily run and the expiry loop is queued. */
export async function scheduleAppointmentJobs(deps: Deps, now: Date = new Date()): Promise<void> {
  const prefectures = await deps.db.selectFrom('prefectures').select('id').execute();
  const today = localDate(now);
  for (const p of prefectures) await queueDaily(deps, p.id, today, now);
  await queueExpire(deps, now);
}
