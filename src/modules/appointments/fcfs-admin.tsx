// Admin of a counter's first-come-first-served policy (page /agent/rendez-vous/parametrage):
// the form, its parsing, and the use case that saves it and schedules the release moments.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { RequestContext } from '../../shared/web/context';
import { Checkbox, Form, Input, Submit, type FormState } from '../../shared/web/forms';
import { scheduleFcfsReleases, type FcfsPolicy } from './fcfs-schedule';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function fcfsFormValues(p: FcfsPolicy | undefined): Record<string, string> {
  return {
    fcfs_enabled: p?.enabled ? 'on' : '',
    fcfs_window_start: p?.windowStart ?? '09:00',
    fcfs_window_end: p?.windowEnd ?? '17:00',
    fcfs_days_ahead: String(p?.releaseDaysAhead ?? 14),
  };
}

export function parseFcfsForm(v: Record<string, string | undefined>): { errors: Record<string, string>; policy: Omit<FcfsPolicy, 'counterId'> | null } {
  const errors: Record<string, string> = {};
  const start = (v.fcfs_window_start ?? '').trim();
  const end = (v.fcfs_window_end ?? '').trim();
  const ahead = (v.fcfs_days_ahead ?? '').trim();
  if (!TIME.test(start)) errors.fcfs_window_start = 'errors.invalid';
  if (!TIME.test(end)) errors.fcfs_window_end = 'errors.invalid';
  else if (TIME.test(start) && end <= start) errors.fcfs_window_end = 'appointments.error_time_order';
  const days = /^\d{1,3}$/.test(ahead) ? Number(ahead) : NaN;
  if (!(days >= 1 && days <= 120)) errors.fcfs_days_ahead = 'appointments.error_number';
  if (Object.keys(errors).length) return { errors, policy: null };
  return { errors, policy: { enabled: v.fcfs_enabled === 'on', windowStart: start, windowEnd: end, releaseDaysAhead: days } };
}

export async function saveFcfsPolicy(db: Kysely<DB>, prefectureId: string, counterId: string, p: Omit<FcfsPolicy, 'counterId'>, now: Date = new Date()): Promise<void> {
  const values = { enabled: p.enabled, window_start: p.windowStart, window_end: p.windowEnd, release_days_ahead: p.releaseDaysAhead };
  await db
    .insertInto('fcfs_policies')
    .values({ counter_id: counterId, prefecture_id: prefectureId, ...values })
    .onConflict((oc) => oc.column('counter_id').doUpdateSet(values))
    .execute();
  // Release moments not yet passed follow the new window; past ones stay as they were.
  await db.deleteFrom('fcfs_releases').where('counter_id', '=', counterId).where('release_at', '>', now).execute();
  await scheduleFcfsReleases(db, prefectureId, now);
}

export function FcfsPolicyForm({ ctx, action, state }: { ctx: RequestContext; action: string; state: FormState }) {
  const { t } = ctx;
  return (
    <Form ctx={ctx} action={action}>
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">
          {t('appointments.fcfs.admin_legend')}
          <span class="fr-hint-text">{t('appointments.fcfs.admin_hint')}</span>
        </legend>
        <Checkbox ctx={ctx} state={state} name="fcfs_enabled" label={t('appointments.fcfs.admin_enabled')} />
        <Input ctx={ctx} state={state} name="fcfs_window_start" label={t('appointments.fcfs.admin_window_start')} required />
        <Input ctx={ctx} state={state} name="fcfs_window_end" label={t('appointments.fcfs.admin_window_end')} required />
        <Input ctx={ctx} state={state} name="fcfs_days_ahead" label={t('appointments.fcfs.admin_days_ahead')} inputMode="numeric" required />
        <Submit label={t('common.save')} secondary />
      </fieldset>
    </Form>
  );
}
