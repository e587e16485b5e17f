// Test setup for the instruction module: a small catalogue (first request and renewal), staff
// of each role with TOTP-verified sessions, and dossiers filed for real (files uploaded through
// the documents routes, submission through the dossiers use case).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';
import { submitDossier } from '../../src/modules/dossiers/submit-dossier';
import { createSession } from '../../src/shared/auth/sessions';
import { jpeg, pdf } from './documents-fixtures';
import { Browser } from './documents-setup';

const L = (s: string) => JSON.stringify({ fr: s, en: s, ar: s });

/** Category test_cat (first request and renewal) with two mandatory pièces: test_passeport (PDF/JPEG/PNG) and test_photo (JPEG). */
export async function seedInstructionCatalogue(db: Kysely<DB>, prefectureId: string): Promise<void> {
  await db.insertInto('permit_categories').values({ prefecture_id: prefectureId, code: 'test_cat', family: 'test', name: L('Catégorie test'), who_for: L('Test') }).onConflict((oc) => oc.doNothing()).execute();
  for (const kind of ['first', 'renewal'] as const) {
    await db
      .insertInto('category_request_kinds')
      .values({ prefecture_id: prefectureId, category_code: 'test_cat', request_kind: kind, who_for: L('Test'), stamp_cents: 22500 })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  for (const [code, formats] of [
    ['test_passeport', ['pdf', 'jpeg', 'png']],
    ['test_photo', ['jpeg']],
  ] as const) {
    await db.insertInto('catalogue_pieces').values({ prefecture_id: prefectureId, code, name: L(code), description: L(code), formats: [...formats] }).onConflict((oc) => oc.doNothing()).execute();
    for (const kind of ['first', 'renewal'] as const) {
      await db.insertInto('category_pieces').values({ prefecture_id: prefectureId, category_code: 'test_cat', request_kind: kind, piece_code: code }).onConflict((oc) => oc.doNothing()).execute();
    }
  }
}

export interface StaffUser {
  id: string;
  email: string;
  web: Browser;
  bearer: Record<string, string>;
}

export async function createStaff(app: FastifyInstance, prefectureId: string, role: 'agent' | 'supervisor' | 'admin', headers: Record<string, string> = {}): Promise<StaffUser> {
  const db = app.deps.db;
  const email = `${role}-${randomUUID().slice(0, 8)}@prefecture.test`;
  const user = await db
    .insertInto('users')
    .values({ prefecture_id: prefectureId, role, email, display_name: `${role} ${email.slice(role.length + 1, role.length + 5)}`, password_hash: 'unused', email_confirmed_at: new Date() })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const web = await createSession(db, user, 'web', true);
  const api = await createSession(db, user, 'api', true);
  const browser = new Browser(app, web.token);
  if (headers.host) {
    const request = browser.request.bind(browser);
    browser.request = (opts) => request({ ...opts, headers: { ...(opts.headers ?? {}), ...headers } });
  }
  await browser.start();
  return { id: user.id, email, web: browser, bearer: { authorization: `Bearer ${api.token}`, ...headers } };
}

export interface Applicant {
  id: string;
  email: string;
  web: Browser;
  bearer: Record<string, string>;
}

export async function createApplicant(app: FastifyInstance, prefectureId: string): Promise<Applicant> {
  const db = app.deps.db;
  const email = `demandeur-${randomUUID().slice(0, 8)}@exemple.test`;
  const user = await db
    .insertInto('users')
    .values({ prefecture_id: prefectureId, role: 'applicant', email, password_hash: 'unused', email_confirmed_at: new Date() })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const web = await createSession(db, user, 'web');
  const api = await createSession(db, user, 'api');
  return { id: user.id, email, web: await new Browser(app, web.token).start(), bearer: { authorization: `Bearer ${api.token}` } };
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** A dossier filed for real: identity, one file per pièce uploaded by the applicant, submitted. */
export async function fileDossier(
  app: FastifyInstance,
  prefectureId: string,
  opts: { kind?: 'first' | 'renewal'; postalCode?: string; permitExpiresInDays?: number; applicant?: Applicant } = {},
): Promise<{ dossierId: string; applicant: Applicant; number: string }> {
  const db = app.deps.db;
  const applicant = opts.applicant ?? (await createApplicant(app, prefectureId));
  const kind = opts.kind ?? 'first';
  const expires = kind === 'renewal' ? day(opts.permitExpiresInDays ?? 90) : null;
  const row = await db
    .insertInto('dossiers')
    .values({
      prefecture_id: prefectureId,
      applicant_id: applicant.id,
      applicant_email: applicant.email,
      category_code: 'test_cat',
      request_kind: kind,
      surname: 'BENALI',
      given_names: 'Amina',
      birth_date: '1990-04-21',
      birth_place: 'Oujda, Maroc',
      nationality: 'marocaine',
      agdref_number: kind === 'renewal' ? '3412345678' : null,
      current_permit_number: kind === 'renewal' ? 'FR1234567' : null,
      current_permit_expires_on: expires,
      late_reason: kind === 'renewal' && (opts.permitExpiresInDays ?? 90) < 60 ? 'Rendez-vous introuvable' : null,
      address_line: '12 rue de la Loge',
      postal_code: opts.postalCode ?? '34000',
      city: 'Montpellier',
      phone: '06 12 34 56 78',
      ephoto_code: 'ABCD1234EFGH5678IJKL90',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const up1 = await applicant.web.upload(`/dossiers/${row.id}/pieces/test_passeport/documents`, {}, [{ field: 'fichiers', filename: 'passeport.pdf', content: pdf(), type: 'application/pdf' }]);
  const up2 = await applicant.web.upload(`/dossiers/${row.id}/pieces/test_photo/documents`, {}, [{ field: 'fichiers', filename: 'photo.jpg', content: jpeg(), type: 'image/jpeg' }]);
  for (const up of [up1, up2]) if (up.statusCode !== 303 || String(up.headers.location).includes('erreur')) throw new Error(`upload refused: ${up.statusCode} ${String(up.headers.location)}`);
  const res = await submitDossier({ db, publicUrl: app.deps.config.publicUrl }, { prefecture: { id: prefectureId, code: '34' }, applicantId: applicant.id, dossierId: row.id, sworn: true });
  return { dossierId: row.id, applicant, number: res.number };
}

export async function dossierRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
