// Demo and reference data. Reference data (the Hérault préfecture and its sites) is created
// on first start and by `npm run cli -- seed`; demo accounts only outside production.
import type { AppDeps } from './shared/deps';
import { HERAULT } from './modules/prefectures/seed-data';
import { seedPrefecture } from './modules/prefectures/seed-prefecture';
import { DEMO_ACCOUNTS, seedDemoAccounts } from './modules/accounts/seed-demo-accounts';
import { ensureCatalogue } from './modules/dossiers/catalogue/ensure-catalogue';
import { seedAppointmentService } from './modules/appointments/seed-appointments';

export interface SeedResult {
  prefectureCreated: boolean;
  demoAccounts: { email: string; password: string; role: string }[];
}

export async function seed(deps: Pick<AppDeps, 'db' | 'config'>, { demo }: { demo: boolean }): Promise<SeedResult> {
  const prefecture = await seedPrefecture(deps.db, HERAULT);
  await ensureCatalogue(deps.db, prefecture.id);
  await seedAppointmentService(deps.db, prefecture.id);
  const demoAccounts = demo ? await seedDemoAccounts(deps.db, prefecture.id) : [];
  return { prefectureCreated: prefecture.created, demoAccounts };
}

export async function isEmpty(deps: Pick<AppDeps, 'db'>): Promise<boolean> {
  const row = await deps.db.selectFrom('prefectures').select('id').limit(1).executeTakeFirst();
  return !row;
}

export { DEMO_ACCOUNTS };
