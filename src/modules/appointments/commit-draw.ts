// Use case: commit to a draw ahead of time. A fresh 32-byte seed is drawn, sealed at rest, and
// its SHA-256 is published (GET /rendez-vous/tirages) before any allocation; the draw's job is
// queued at a random minute inside the préfecture's window. One draw per (préfecture, day,
// scope): a second commit (another instance, a retried job) returns the existing one.
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { enqueueJob } from '../../shared/jobs/queue';
import { newSeed, seedCommitment } from './allocator';
import { drawSeedBox } from './draw-secrets';
import { getSettings } from './settings';

export const DRAW_JOB = 'appointments.draw';

export function drawJobKey(prefectureId: string, drawDate: string, scope: string): string {
  return `${DRAW_JOB}:${prefectureId}:${drawDate}:${scope}`;
}

function minutes(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

export interface CommittedDraw {
  id: string;
  drawDate: string;
  scheduledFor: Date;
  commitment: string;
  created: boolean;
}

export async function commitDraw(
  deps: { db: Kysely<DB>; config: Pick<Config, 'secretKey'> },
  prefectureId: string,
  drawDate: string,
  opts: { scope?: string; scheduledFor?: Date } = {},
): Promise<CommittedDraw> {
  const scope = opts.scope ?? 'all';
  const settings = await getSettings(deps.db, prefectureId);
  return deps.db.transaction().execute(async (trx) => {
    const seed = newSeed();
    let scheduledFor = opts.scheduledFor;
    if (!scheduledFor) {
      const start = minutes(settings.drawWindowStart);
      const minute = start + randomInt(Math.max(1, minutes(settings.drawWindowEnd) - start));
      const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      const row = await sql<{ at: Date }>`
        select (${drawDate}::date + ${time}::time) at time zone p.timezone as at from prefectures p where p.id = ${prefectureId}`.execute(trx);
      scheduledFor = row.rows[0]?.at ?? new Date();
    }
    const inserted = await trx
      .insertInto('draws')
      .values({
        prefecture_id: prefectureId,
        scope,
        draw_date: drawDate,
        scheduled_for: scheduledFor,
        commitment: seedCommitment(seed),
        sealed_seed: drawSeedBox(deps.config.secretKey).seal(seed),
      })
      .onConflict((oc) => oc.columns(['prefecture_id', 'draw_date', 'scope']).doNothing())
      .returning(['id', 'draw_date', 'scheduled_for', 'commitment'])
      .executeTakeFirst();
    const draw =
      inserted ??
      (await trx
        .selectFrom('draws')
        .select(['id', 'draw_date', 'scheduled_for', 'commitment'])
        .where('prefecture_id', '=', prefectureId)
        .where('draw_date', '=', drawDate)
        .where('scope', '=', scope)
        .executeTakeFirstOrThrow());
    await enqueueJob(trx, {
      kind: DRAW_JOB,
      payload: { drawId: draw.id },
      prefectureId,
      runAt: draw.scheduled_for,
      uniqueKey: drawJobKey(prefectureId, drawDate, scope),
    });
    return { id: draw.id, drawDate: draw.draw_date, scheduledFor: draw.scheduled_for, commitment: draw.commitment, created: !!inserted };
  });
}
