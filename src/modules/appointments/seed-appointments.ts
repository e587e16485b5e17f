// Reference data of the appointment service for a préfecture: counters and their weekly
// hours, reasons and settings. Idempotent (existing rows are left as they are).
//
// Hérault sizing (GET /rendez-vous/capacite shows it live): about 15,000 seats a year outside the
// students' counter, for ~12,000 permits. Seats a week (× ≈ 50.4 open weeks after holidays):
//   Montpellier general    3 agents × 20 min, Mon–Fri 08:40–12:00 (10 slots), Mon–Thu 13:30–14:50 (4) → 198
//   Montpellier hand-over  2 agents × 20 min, Mon–Fri 13:30–15:30 (6 slots)                            →  60
//   Montpellier urgent     1 agent  × 30 min, Mon–Fri 11:00–12:00 (2 slots)                            →  10
//   Béziers general        1 agent  × 20 min, Tue, Thu 09:00–12:00 (9 slots)                           →  18
//   Béziers hand-over      1 agent  × 20 min, Tue, Thu 14:00–15:00 (3 slots)                           →   6
//   Lodève general         1 agent  × 30 min, Wed 09:00–12:00 (6 slots)                                →   6
//   = 298 a week, ≈ 15,000 a year (test/unit/appointments-calendar.test.ts checks 14,500–15,500);
//   Montpellier students   2 agents × 20 min, Mon–Fri 13:30–16:30 (9 slots)                            →  90 (≈ 4,500 a year)
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { CounterType, ReasonChannel, ReasonEligibility } from './tables';

export interface CounterSeed {
  site: string;
  code: string;
  name: string;
  type: CounterType;
  slotMinutes: number;
  agents: number;
  hours: [weekday: number, start: string, end: string][];
}

const weekdays = (days: number[], start: string, end: string): [number, string, string][] => days.map((d) => [d, start, end]);

export const HERAULT_COUNTERS: CounterSeed[] = [
  {
    site: 'montpellier',
    code: 'mtp-general',
    name: 'Montpellier — accueil des étrangers',
    type: 'general',
    slotMinutes: 20,
    agents: 3,
    hours: [...weekdays([1, 2, 3, 4, 5], '08:40', '12:00'), ...weekdays([1, 2, 3, 4], '13:30', '14:50')],
  },
  { site: 'montpellier', code: 'mtp-etudiants', name: 'Montpellier — étudiants', type: 'students', slotMinutes: 20, agents: 2, hours: weekdays([1, 2, 3, 4, 5], '13:30', '16:30') },
  { site: 'montpellier', code: 'mtp-remise', name: 'Montpellier — remise des titres', type: 'handover', slotMinutes: 20, agents: 2, hours: weekdays([1, 2, 3, 4, 5], '13:30', '15:30') },
  { site: 'montpellier', code: 'mtp-urgences', name: 'Montpellier — situations urgentes', type: 'urgent', slotMinutes: 30, agents: 1, hours: weekdays([1, 2, 3, 4, 5], '11:00', '12:00') },
  { site: 'beziers', code: 'bez-general', name: 'Béziers — accueil des étrangers', type: 'general', slotMinutes: 20, agents: 1, hours: weekdays([2, 4], '09:00', '12:00') },
  { site: 'beziers', code: 'bez-remise', name: 'Béziers — remise des titres', type: 'handover', slotMinutes: 20, agents: 1, hours: weekdays([2, 4], '14:00', '15:00') },
  { site: 'lodeve', code: 'lod-general', name: 'Lodève — accueil des étrangers', type: 'general', slotMinutes: 30, agents: 1, hours: weekdays([3], '09:00', '12:00') },
];

export interface ReasonSeed {
  code: string;
  fr: string;
  en: string;
  ar: string;
  counterType: CounterType;
  eligibility: ReasonEligibility;
  channel: ReasonChannel;
}

export const REASONS: ReasonSeed[] = [
  { code: 'first_request', fr: 'Première demande de titre de séjour', en: 'First residence permit application', ar: 'طلب أول لبطاقة الإقامة', counterType: 'general', eligibility: 'any', channel: 'draw' },
  { code: 'renewal', fr: 'Renouvellement de titre de séjour', en: 'Residence permit renewal', ar: 'تجديد بطاقة الإقامة', counterType: 'general', eligibility: 'any', channel: 'draw' },
  { code: 'change_of_status', fr: 'Changement de statut', en: 'Change of status', ar: 'تغيير الوضعية', counterType: 'general', eligibility: 'any', channel: 'draw' },
  { code: 'resident_renewal', fr: 'Renouvellement de la carte de résident de 10 ans (sans rendez-vous)', en: 'Renewal of the 10-year resident card (walk-in)', ar: 'تجديد بطاقة المقيم لمدة 10 سنوات (دون موعد)', counterType: 'general', eligibility: 'any', channel: 'walk_in' },
  { code: 'student', fr: 'Étudiant', en: 'Student', ar: 'طالب', counterType: 'students', eligibility: 'student_permit', channel: 'draw' },
  { code: 'handover', fr: 'Remise du titre et prise d’empreintes', en: 'Card hand-over and fingerprints', ar: 'تسليم البطاقة وأخذ البصمات', counterType: 'handover', eligibility: 'card_ready', channel: 'draw' },
];

export async function seedAppointments(db: Kysely<DB>, prefectureId: string, counters: CounterSeed[] = HERAULT_COUNTERS): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('appointment_settings').values({ prefecture_id: prefectureId }).onConflict((oc) => oc.column('prefecture_id').doNothing()).execute();
    const sites = await trx.selectFrom('sites').select(['id', 'code']).where('prefecture_id', '=', prefectureId).execute();
    const siteId = new Map(sites.map((s) => [s.code, s.id]));
    for (const c of counters) {
      const site = siteId.get(c.site);
      if (!site) continue;
      const inserted = await trx
        .insertInto('counters')
        .values({ prefecture_id: prefectureId, site_id: site, code: c.code, name: c.name, type: c.type, slot_minutes: c.slotMinutes, agents: c.agents })
        .onConflict((oc) => oc.columns(['prefecture_id', 'code']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      await trx
        .insertInto('counter_hours')
        .values(c.hours.map(([weekday, start_time, end_time]) => ({ prefecture_id: prefectureId, counter_id: inserted.id, weekday, start_time, end_time })))
        .execute();
    }
    await trx
      .insertInto('appointment_reasons')
      .values(
        REASONS.map((r, i) => ({
          prefecture_id: prefectureId,
          code: r.code,
          label_fr: r.fr,
          label_en: r.en,
          label_ar: r.ar,
          counter_type: r.counterType,
          eligibility: r.eligibility,
          channel: r.channel,
          position: i,
        })),
      )
      .onConflict((oc) => oc.columns(['prefecture_id', 'code']).doNothing())
      .execute();
  });
}

/** Seeds the Hérault appointment service and generates its slots over the horizon (seed command). */
export async function seedAppointmentService(db: Kysely<DB>, prefectureId: string): Promise<void> {
  await seedAppointments(db, prefectureId);
  const { generateSlots } = await import('./generate-slots');
  const { localDate } = await import('./calendar');
  await generateSlots(db, prefectureId, localDate(new Date()), 49);
}
