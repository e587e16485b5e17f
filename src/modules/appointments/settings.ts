// The appointment service's settings of a préfecture (table appointment_settings; defaults
// when the row is absent).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export interface AppointmentSettings {
  drawWindowStart: string;
  drawWindowEnd: string;
  horizonDays: number;
  minLeadHours: number;
  confirmHours: number;
  urgentWithinDays: number;
  noShowThreshold: number;
  noShowWindowMonths: number;
}

export const DEFAULT_SETTINGS: AppointmentSettings = {
  drawWindowStart: '06:00',
  drawWindowEnd: '07:00',
  horizonDays: 42,
  minLeadHours: 72,
  confirmHours: 48,
  urgentWithinDays: 30,
  noShowThreshold: 2,
  noShowWindowMonths: 12,
};

export async function getSettings(db: Kysely<DB> | Transaction<DB>, prefectureId: string): Promise<AppointmentSettings> {
  const row = await db.selectFrom('appointment_settings').selectAll().where('prefecture_id', '=', prefectureId).executeTakeFirst();
  if (!row) return DEFAULT_SETTINGS;
  return {
    drawWindowStart: row.draw_window_start.slice(0, 5),
    drawWindowEnd: row.draw_window_end.slice(0, 5),
    horizonDays: row.horizon_days,
    minLeadHours: row.min_lead_hours,
    confirmHours: row.confirm_hours,
    urgentWithinDays: row.urgent_within_days,
    noShowThreshold: row.no_show_threshold,
    noShowWindowMonths: row.no_show_window_months,
  };
}
