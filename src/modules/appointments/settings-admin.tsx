// Admin of the appointment service's settings (page /agent/rendez-vous/parametrage): the draw
// window (the draw runs at a random minute inside it), the horizon, the confirmation delay,
// the urgency window and the no-show rule. Form, parsing and the use case that saves them.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { RequestContext } from '../../shared/web/context';
import { Form, Input, Submit, type FormState } from '../../shared/web/forms';
import type { AppointmentSettings } from './settings';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const NUMBERS = {
  horizon_days: ['horizonDays', 1, 366],
  min_lead_hours: ['minLeadHours', 0, 720],
  confirm_hours: ['confirmHours', 1, 720],
  urgent_within_days: ['urgentWithinDays', 0, 365],
  no_show_threshold: ['noShowThreshold', 1, 100],
  no_show_window_months: ['noShowWindowMonths', 1, 120],
} as const;
type NumberField = keyof typeof NUMBERS;

export const SETTINGS_FIELDS = ['draw_window_start', 'draw_window_end', ...(Object.keys(NUMBERS) as NumberField[])] as const;

export function settingsFormValues(s: AppointmentSettings): Record<string, string> {
  const v: Record<string, string> = { draw_window_start: s.drawWindowStart, draw_window_end: s.drawWindowEnd };
  for (const [field, [key]] of Object.entries(NUMBERS)) v[field] = String(s[key]);
  return v;
}

export function parseSettingsForm(v: Record<string, string | undefined>): { errors: Record<string, string>; settings: AppointmentSettings | null } {
  const errors: Record<string, string> = {};
  const start = (v.draw_window_start ?? '').trim();
  const end = (v.draw_window_end ?? '').trim();
  if (!TIME.test(start)) errors.draw_window_start = 'errors.invalid';
  if (!TIME.test(end)) errors.draw_window_end = 'errors.invalid';
  else if (TIME.test(start) && end <= start) errors.draw_window_end = 'appointments.error_time_order';
  const out: Partial<AppointmentSettings> = { drawWindowStart: start, drawWindowEnd: end };
  for (const [field, [key, min, max]] of Object.entries(NUMBERS)) {
    const raw = (v[field] ?? '').trim();
    const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) errors[field] = 'appointments.error_number';
    else out[key] = n;
  }
  return Object.keys(errors).length ? { errors, settings: null } : { errors, settings: out as AppointmentSettings };
}

export async function saveSettings(db: Kysely<DB>, prefectureId: string, s: AppointmentSettings): Promise<void> {
  const values = {
    draw_window_start: s.drawWindowStart,
    draw_window_end: s.drawWindowEnd,
    horizon_days: s.horizonDays,
    min_lead_hours: s.minLeadHours,
    confirm_hours: s.confirmHours,
    urgent_within_days: s.urgentWithinDays,
    no_show_threshold: s.noShowThreshold,
    no_show_window_months: s.noShowWindowMonths,
    updated_at: new Date(),
  };
  await db
    .insertInto('appointment_settings')
    .values({ prefecture_id: prefectureId, ...values })
    .onConflict((oc) => oc.column('prefecture_id').doUpdateSet(values))
    .execute();
}

export function SettingsForm({ ctx, action, state }: { ctx: RequestContext; action: string; state: FormState }) {
  const { t } = ctx;
  return (
    <Form ctx={ctx} action={action}>
      <fieldset class="fr-fieldset" id="reglages">
        <legend class="fr-fieldset__legend">
          {t('appointments.settings.legend')}
          <span class="fr-hint-text">{t('appointments.settings.hint')}</span>
        </legend>
        {SETTINGS_FIELDS.map((f) => (
          <Input ctx={ctx} state={state} name={f} label={t(`appointments.settings.${f}`)} required {...(f.startsWith('draw_') ? {} : { inputMode: 'numeric' as const })} />
        ))}
        <Submit label={t('common.save')} />
      </fieldset>
    </Form>
  );
}
