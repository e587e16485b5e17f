// First-come-first-served pieces of the filing form: the chosen published slot, carried as a
// hidden field, or a message when it is gone (the filing then fails on it, nothing is saved).
import { formatDateTime } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import type { FormState } from '../../shared/web/forms';
import type { FcfsSlot } from './fcfs-slots';

export function FcfsSlotChoice({ ctx, state, slot }: { ctx: RequestContext; state: FormState; slot: FcfsSlot | null }) {
  const wanted = state.values.slot_id;
  if (!wanted) return null;
  const error = state.errors.slot_id ?? (slot ? null : 'appointments.fcfs.err_slot_gone');
  return (
    <div id="champ-slot_id" class={`fr-callout fr-mb-3w${error ? ' fr-callout--pink-tuile' : ''}`}>
      <input type="hidden" name="slot_id" value={wanted} />
      {slot && !error ? (
        <p class="fr-callout__text">
          {ctx.t('appointments.fcfs.chosen', { when: formatDateTime(ctx.locale, slot.starts_at), counter: slot.counter_name, site: slot.site_name })}
        </p>
      ) : (
        <p class="fr-callout__text fr-message--error">
          {ctx.t(error ?? 'appointments.fcfs.err_slot_gone')} <a href="/rendez-vous/creneaux-libres">{ctx.t('appointments.fcfs.see_slots')}</a>
        </p>
      )}
    </div>
  );
}
