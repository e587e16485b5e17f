// Demo accounts for a newcomer's first run (never in production). Staff still enrol TOTP
// at first login; `npm run cli -- totp-code <secret>` prints a code for the secret shown.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { hashPassword } from '../../shared/security/passwords';

export const DEMO_ACCOUNTS = [
  { email: 'demandeur@demo.sejour.local', password: 'demo-demandeur-2026', role: 'applicant' as const, display_name: 'Amina Demo' },
  { email: 'agent@demo.sejour.local', password: 'demo-agent-2026!', role: 'agent' as const, display_name: 'Agent Demo' },
  { email: 'superviseur@demo.sejour.local', password: 'demo-superviseur-2026', role: 'supervisor' as const, display_name: 'Superviseur Demo' },
  { email: 'admin@demo.sejour.local', password: 'demo-admin-2026!', role: 'admin' as const, display_name: 'Admin Demo' },
];

export async function seedDemoAccounts(db: Kysely<DB>, prefectureId: string) {
  const created: { email: string; password: string; role: string }[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const res = await db
      .insertInto('users')
      .values({
        prefecture_id: prefectureId,
        role: a.role,
        email: a.email,
        display_name: a.display_name,
        password_hash: await hashPassword(a.password),
        email_confirmed_at: new Date(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) created.push({ email: a.email, password: a.password, role: a.role });
  }
  return created;
}
