// Use case: bring a préfecture's upcoming slots in line with its calendar (weekly hours, slot
// length, agents, public holidays, closures) over the draw horizon and the first-come-first-
// served reach, and schedule the FCFS release moments. Run by the daily job and right after an
// admin changes counters, hours or closures, so that a closure added today is never offered.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { localDate } from './calendar';
import { fcfsReach, scheduleFcfsReleases } from './fcfs-schedule';
import { generateSlots, removeStaleSlots } from './generate-slots';
import { getSettings } from './settings';

export async function refreshSlots(db: Kysely<DB>, prefectureId: string, now: Date = new Date()): Promise<{ created: number; removed: number }> {
  const settings = await getSettings(db, prefectureId);
  const today = localDate(now);
  const days = Math.max(settings.horizonDays + 7, (await fcfsReach(db, prefectureId)) + 2);
  const removed = await removeStaleSlots(db, prefectureId, today, days, now);
  const created = await generateSlots(db, prefectureId, today, days);
  await scheduleFcfsReleases(db, prefectureId, now);
  return { created, removed };
}
