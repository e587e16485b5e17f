// Queues test helpers: staff of any role with a verified session, and filed dossiers written
// straight to the database with the fields the back-office lists read (names with accents,
// states, sites, filing instants) plus their dossier_events rows.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';
import { ensureCatalogue } from '../../src/modules/dossiers/catalogue/ensure-catalogue';
import type { DossierState, RequestKind } from '../../src/modules/dossiers/tables';
import { createSession } from '../../src/shared/auth/sessions';

export interface Staff {
  id: string;
  token: string;
  apiToken: string;
}

export async function createStaffUser(db: Kysely<DB>, prefectureId: string, role: 'applicant' | 'agent' | 'supervisor' | 'admin', name = 'Agent Test'): Promise<Staff> {
  const user = await db
    .insertInto('users')
    .values({
      prefecture_id: prefectureId,
      role,
      email: `${role}-${randomUUID().slice(0, 8)}@example.test`,
      display_name: name,
      password_hash: 'not-used-in-these-tests',
      email_confirmed_at: new Date(),
    })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const mfa = role !== 'applicant';
  const web = await createSession(db, user, 'web', mfa);
  const api = await createSession(db, user, 'api', mfa);
  return { id: user.id, token: web.token, apiToken: api.token };
}

export function page(app: FastifyInstance, who: Staff, url: string, host?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: { cookie: `sejour_sid=${who.token}`, ...(host ? { host } : {}) } });
}

export function apiGet(app: FastifyInstance, who: Staff, url: string, host?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${who.apiToken}`, ...(host ? { host } : {}) } });
}

export interface DossierSpec {
  surname?: string;
  givenNames?: string;
  state?: Exclude<DossierState, 'draft'>;
  category?: string;
  kind?: RequestKind;
  submittedAt?: Date;
  siteId?: string | null;
  assignedTo?: string | null;
  agdref?: string | null;
  email?: string;
  late?: boolean;
}

const counters = new Map<string, number>();

/** A filed dossier (catalogue loaded on first use), with its 'submit' event at the filing instant. */
export async function insertDossier(db: Kysely<DB>, prefectureId: string, spec: DossierSpec = {}): Promise<{ id: string; number: string }> {
  if (!counters.has(prefectureId)) {
    await ensureCatalogue(db, prefectureId);
    counters.set(prefectureId, 0);
  }
  const n = (counters.get(prefectureId) ?? 0) + 1;
  counters.set(prefectureId, n);
  const submittedAt = spec.submittedAt ?? new Date();
  const number = `34-${submittedAt.getUTCFullYear()}-${String(n).padStart(6, '0')}`;
  const kind = spec.kind ?? (spec.late ? 'renewal' : 'first');
  const row = await db
    .insertInto('dossiers')
    .values({
      prefecture_id: prefectureId,
      applicant_id: null,
      applicant_email: spec.email ?? `demandeur-${n}@example.test`,
      number,
      state: spec.state ?? 'submitted',
      category_code: spec.category ?? 'salarie',
      request_kind: kind,
      surname: spec.surname ?? 'Martin',
      given_names: spec.givenNames ?? 'Paul',
      agdref_number: spec.agdref ?? null,
      late_renewal: spec.late ?? false,
      late_reason: spec.late ? 'Hospitalisation' : null,
      submitted_at: submittedAt,
      sworn_at: submittedAt,
      site_id: spec.siteId ?? null,
      assigned_to: spec.assignedTo ?? null,
      assigned_at: spec.assignedTo ? submittedAt : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addEvent(db, prefectureId, row.id, 'submit', 'draft', 'submitted', submittedAt);
  return { id: row.id, number };
}

export async function addEvent(db: Kysely<DB>, prefectureId: string, dossierId: string, event: string, from: string, to: DossierState, at: Date): Promise<void> {
  await db
    .insertInto('dossier_events')
    .values({ prefecture_id: prefectureId, dossier_id: dossierId, event, from_state: from, to_state: to, actor_id: null, actor_role: 'system', details: '{}', created_at: at })
    .execute();
}

export async function siteIds(db: Kysely<DB>, prefectureId: string): Promise<Record<string, string>> {
  const rows = await db.selectFrom('sites').select(['id', 'code']).where('prefecture_id', '=', prefectureId).execute();
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

/** A second préfecture (Gard, host gard.test) with one site. */
export async function otherPrefecture(db: Kysely<DB>): Promise<string> {
  const p = await db
    .insertInto('prefectures')
    .values({ code: '30', name: 'Préfecture du Gard', department_name: 'Gard', contact_email: 'etrangers@gard.test', hosts: ['gard.test'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('sites').values({ prefecture_id: p.id, code: 'nimes', name: 'Préfecture de Nîmes', kind: 'prefecture', address: '10 avenue Feuchères', postal_code: '30000', city: 'Nîmes' }).execute();
  return p.id;
}
