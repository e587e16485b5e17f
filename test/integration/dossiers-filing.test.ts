import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../src/shared/errors';
import { createSession } from '../../src/shared/auth/sessions';
import { hashPassword } from '../../src/shared/security/passwords';
import { transition } from '../../src/modules/dossiers/lifecycle';
import { purgeStaleDrafts } from '../../src/modules/dossiers/purge-stale-drafts';
import { Agent } from '../helpers/agent';
import { build } from '../helpers/build';

let app: FastifyInstance;
let prefectureId: string;

async function applicant(email: string, prefecture = prefectureId, headers: Record<string, string> = {}) {
  const user = await app.deps.db
    .insertInto('users')
    .values({ prefecture_id: prefecture, role: 'applicant', email, password_hash: await hashPassword('correct horse battery staple'), email_confirmed_at: new Date() })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const web = await createSession(app.deps.db, user, 'web');
  const api = await createSession(app.deps.db, user, 'api');
  const agent = new Agent(app, headers);
  agent.cookies.set('sejour_sid', web.token);
  return { id: user.id, agent, bearer: { authorization: `Bearer ${api.token}`, ...headers } };
}

/** Attaches a (pretend) checked file to a pièce, as the documents module would after an upload. */
async function attach(dossierId: string, pieceCode: string, prefecture = prefectureId) {
  await app.deps.db
    .insertInto('documents')
    .values({
      prefecture_id: prefecture,
      dossier_id: dossierId,
      piece_code: pieceCode,
      uploader_role: 'applicant',
      filename: `${pieceCode}.pdf`,
      mime: 'application/pdf',
      size: 1234,
      sha256: randomBytes(32).toString('hex'),
      storage_key: randomBytes(16).toString('hex'),
      scan_status: 'clean',
    })
    .execute();
}

const identity = (over: Record<string, string> = {}): Record<string, string> => ({
  surname: 'BEN ALI',
  given_names: 'Amina',
  birth_date: '1990-04-21',
  birth_place: 'Oujda, Maroc',
  nationality: 'marocaine',
  agdref_number: '3412345678',
  current_permit_number: 'FR1234567',
  current_permit_expires_on: new Date(Date.now() + 100 * 86400_000).toISOString().slice(0, 10),
  address_line: '12 rue de la Loge',
  postal_code: '34000',
  city: 'Montpellier',
  phone: '06 12 34 56 78',
  ephoto_code: 'ABCD1234EFGH5678IJKL90',
  ...over,
});

async function mandatoryPieces(category: string, kind: string): Promise<string[]> {
  const rows = await app.deps.db
    .selectFrom('category_pieces')
    .select('piece_code')
    .where('prefecture_id', '=', prefectureId)
    .where('category_code', '=', category)
    .where('request_kind', '=', kind as 'renewal')
    .where('mandatory', '=', true)
    .execute();
  return rows.map((r) => r.piece_code);
}

async function dossier(id: string) {
  return app.deps.db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** A draft with its identity saved, through the API. */
async function apiDraft(who: Awaited<ReturnType<typeof applicant>>, category = 'salarie', kind = 'renewal', over: Record<string, string> = {}) {
  const created = await app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: who.bearer, payload: { category, kind } });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const i = identity(over);
  const put = await app.inject({
    method: 'PUT',
    url: `/api/v1/dossiers/${id}/identity`,
    headers: who.bearer,
    payload: {
      surname: i.surname,
      givenNames: i.given_names,
      birthDate: i.birth_date,
      birthPlace: i.birth_place,
      nationality: i.nationality,
      agdrefNumber: i.agdref_number,
      currentPermitNumber: i.current_permit_number,
      currentPermitExpiresOn: i.current_permit_expires_on,
      addressLine: i.address_line,
      postalCode: i.postal_code,
      city: i.city,
      phone: i.phone,
      ephotoCode: i.ephoto_code,
      ...(i.late_reason ? { lateReason: i.late_reason } : {}),
    },
  });
  return { id, put };
}

describe('dossiers', () => {
  before(async () => {
    const built = await build({ after: (fn: () => unknown) => void after.push(fn) });
    app = built.app;
    prefectureId = built.prefectureId;
  });
  const after: (() => unknown)[] = [];
  test.after(async () => {
    for (const fn of after.reverse()) await fn();
  });

  test('the whole filing flow through the pages, refusal while a pièce is missing, then submission', async () => {
    const amina = await applicant('amina@example.org');
    const a = amina.agent;
    const list = await a.get('/dossiers');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /href="\/dossiers\/nouveau"/);

    await a.get('/dossiers/nouveau');
    const noKind = await a.post('/dossiers/nouveau', {});
    assert.equal(noKind.statusCode, 400);
    const q1 = await a.post('/dossiers/nouveau', { kind: 'renewal' });
    assert.equal(q1.statusCode, 303);
    assert.equal(q1.headers.location, '/dossiers/nouveau?demande=renewal');
    const q2page = await a.get('/dossiers/nouveau?demande=renewal');
    assert.match(q2page.body, /value="salarie"/);
    assert.doesNotMatch(q2page.body, /value="resident_longue_duree_ue"[^>]*>[^]*value="resident_longue_duree_ue"/);
    // Only the categories offering the chosen kind: the resident cards have no first request.
    assert.match(q2page.body, /value="carte_resident"/);
    const firstPage = await a.get('/dossiers/nouveau?demande=first');
    assert.match(firstPage.body, /value="salarie"/);
    assert.doesNotMatch(firstPage.body, /value="carte_resident"|value="resident_longue_duree_ue"/);
    assert.equal((await a.post('/dossiers/nouveau', { kind: 'first', category: 'carte_resident' })).statusCode, 400, 'refused if forced');
    const created = await a.post('/dossiers/nouveau', { kind: 'renewal', category: 'salarie' });
    assert.equal(created.statusCode, 303);
    const id = /^\/dossiers\/([0-9a-f-]{36})\/identite$/.exec(String(created.headers.location))?.[1];
    assert.ok(id, String(created.headers.location));

    await a.get(`/dossiers/${id}/identite`);
    const bad = await a.post(`/dossiers/${id}/identite`, identity({ agdref_number: '12345', postal_code: '75001' }));
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /10 chiffres/);
    assert.match(bad.body, /département/);
    assert.equal((await dossier(id)).surname, null, 'nothing saved on bad input');
    const ok = await a.post(`/dossiers/${id}/identite`, identity());
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/dossiers/${id}/pieces/passport`);
    // Saved at this step: reopened later, the form holds what was typed, and the draft's page offers to resume.
    const reopened = await a.get(`/dossiers/${id}/identite`);
    for (const [name, value] of Object.entries(identity())) assert.match(reopened.body, new RegExp(`name="${name}"[^>]*value="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"|value="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*name="${name}"`), name);
    const draftPage = await a.get(`/dossiers/${id}`);
    assert.match(draftPage.body, new RegExp(`<a class="fr-btn" href="/dossiers/${id}/recapitulatif">Reprendre ma demande</a>`));
    // Missing identity fields a renewal needs (current permit number and expiry): refused, named.
    const noPermit = await a.post(`/dossiers/${id}/identite`, identity({ current_permit_number: '', current_permit_expires_on: '' }));
    assert.equal(noPermit.statusCode, 400);
    for (const field of ['current_permit_number', 'current_permit_expires_on']) {
      assert.match(noPermit.body, new RegExp(`<div class="fr-input-group fr-input-group--error">(?:(?!</div>).)*name="${field}"`, 's'), field);
    }
    assert.equal((await dossier(id)).current_permit_number, 'FR1234567', 'the saved value stays');

    const piece = await a.get(`/dossiers/${id}/pieces/passport`);
    assert.equal(piece.statusCode, 200);
    assert.match(piece.body, new RegExp(`action="/dossiers/${id}/pieces/passport/documents\\?_csrf=`));
    assert.equal((await a.get(`/dossiers/${id}/pieces/no_such_piece`)).statusCode, 404);

    // Refused while mandatory pièces have no file: listed, nothing changes.
    await a.get(`/dossiers/${id}/recapitulatif`);
    const refused = await a.post(`/dossiers/${id}/deposer`, { sworn: 'on' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Pièces obligatoires sans fichier/);
    assert.match(refused.body, new RegExp(`href="/dossiers/${id}/pieces/payslips"`));
    let d = await dossier(id);
    assert.equal(d.state, 'draft');
    assert.equal(d.number, null);
    assert.equal((await app.deps.db.selectFrom('dossier_counters').selectAll().execute()).length, 0, 'no number consumed');

    const mandatory = await mandatoryPieces('salarie', 'renewal');
    for (const code of mandatory.filter((c) => c !== 'payslips')) await attach(id, code);
    await a.get(`/dossiers/${id}/recapitulatif`);
    const stillMissing = await a.post(`/dossiers/${id}/deposer`, { sworn: 'on' });
    assert.equal(stillMissing.statusCode, 400);
    assert.match(stillMissing.body, /pieces\/payslips/);
    assert.doesNotMatch(stillMissing.body, /<li><a href="\/dossiers\/[^"]+\/pieces\/passport">Passeport<\/a><\/li>/);
    await attach(id, 'payslips');

    await a.get(`/dossiers/${id}/recapitulatif`);
    const unsworn = await a.post(`/dossiers/${id}/deposer`, {});
    assert.equal(unsworn.statusCode, 400);
    assert.equal((await dossier(id)).state, 'draft');
    const filed = await a.post(`/dossiers/${id}/deposer`, { sworn: 'on' });
    assert.equal(filed.statusCode, 303);
    d = await dossier(id);
    assert.equal(d.state, 'submitted');
    assert.match(String(d.number), new RegExp(`^34-${new Date().getFullYear()}-000001$`));
    assert.ok(d.submitted_at && d.sworn_at);

    const status = await a.get(`/dossiers/${id}`);
    assert.equal(status.statusCode, 200);
    assert.match(status.body, new RegExp(String(d.number)));
    assert.match(status.body, /Retirer ma demande/);
    // Read-only after submission.
    const edit = await a.get(`/dossiers/${id}/identite`);
    assert.equal(edit.statusCode, 303);
    await a.get(`/dossiers/${id}`);
    const again = await a.post(`/dossiers/${id}/identite`, identity({ surname: 'OTHER' }));
    assert.equal(again.statusCode, 409);
    assert.equal((await dossier(id)).surname, 'BEN ALI');

    const events = await app.deps.db.selectFrom('dossier_events').select(['event', 'to_state']).where('dossier_id', '=', id).orderBy('id').execute();
    assert.deepEqual(events.map((e) => e.event), ['create', 'submit']);
    const mails = await app.deps.db.selectFrom('mails').select(['to_address', 'text_body']).where('to_address', '=', 'amina@example.org').execute();
    assert.equal(mails.length, 1);
    assert.ok(mails[0]?.text_body.includes(`/dossiers/${id}`));
    assert.ok(!mails[0]?.text_body.includes('BEN ALI') && !mails[0]?.text_body.includes(String(d.number)), 'no personal data in the mail');

    // Withdraw, with confirmation.
    const confirm = await a.get(`/dossiers/${id}/retrait`);
    assert.equal(confirm.statusCode, 200);
    const withdrawn = await a.post(`/dossiers/${id}/retrait`, { confirm: 'yes' });
    assert.equal(withdrawn.statusCode, 303);
    assert.equal((await dossier(id)).state, 'withdrawn');

    // Every page renders in English and Arabic (a missing text would fail).
    const { id: draftId } = await apiDraft(amina, 'vpf_conjoint_francais', 'renewal');
    for (const lang of ['en', 'ar']) {
      for (const url of ['/dossiers', '/dossiers/nouveau', '/dossiers/nouveau?demande=change_of_status', `/dossiers/${id}`, `/dossiers/${draftId}`, `/dossiers/${draftId}/identite`, `/dossiers/${draftId}/pieces/marriage_certificate`, `/dossiers/${draftId}/recapitulatif`]) {
        const res = await a.get(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res.statusCode, 200, `${lang} ${url}`);
      }
    }
    const openapi = (await app.inject('/api/openapi.json')).json();
    assert.ok(openapi.paths['/api/v1/dossiers/{id}/submit']);
  });

  test("another applicant's and another préfecture's dossiers answer 404, pages and API", async () => {
    const owner = await applicant('owner@example.org');
    const { id } = await apiDraft(owner);
    const other = await applicant('other@example.org');
    for (const url of [`/dossiers/${id}`, `/dossiers/${id}/identite`, `/dossiers/${id}/pieces/passport`, `/dossiers/${id}/recapitulatif`]) {
      assert.equal((await other.agent.get(url)).statusCode, 404, url);
    }
    assert.equal((await other.agent.get('/dossiers/not-a-uuid')).statusCode, 404);
    assert.equal((await app.inject({ url: `/api/v1/dossiers/${id}`, headers: other.bearer })).statusCode, 404);
    const steal = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: other.bearer, payload: { sworn: true } });
    assert.equal(steal.statusCode, 404);
    assert.equal((await app.inject({ url: `/api/v1/dossiers/${id}`, headers: owner.bearer })).statusCode, 200);

    const gard = await app.deps.db
      .insertInto('prefectures')
      .values({ code: '30', name: 'Préfecture du Gard', department_name: 'Gard', contact_email: 'contact@gard.test', hosts: ['gard.test'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const nimes = await applicant('nimes@example.org', gard.id, { host: 'gard.test' });
    assert.equal((await nimes.agent.get(`/dossiers/${id}`)).statusCode, 404);
    assert.equal((await app.inject({ url: `/api/v1/dossiers/${id}`, headers: nimes.bearer })).statusCode, 404);
    // The Gard gets its own catalogue on first use, and its own numbering.
    const cat = await app.inject({ url: '/api/v1/catalogue', headers: { host: 'gard.test' } });
    assert.equal(cat.statusCode, 200);
    assert.ok(cat.json().categories.length >= 10);
    const owned = await app.inject({ url: '/api/v1/dossiers', headers: nimes.bearer });
    assert.deepEqual(owned.json().dossiers, []);
  });

  test('numbers are gap-free per préfecture and year; illegal transitions change nothing', async () => {
    const who = await applicant('numbers@example.org');
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { id, put } = await apiDraft(who, 'etudiant', 'renewal');
      assert.equal(put.statusCode, 200, put.body);
      for (const code of await mandatoryPieces('etudiant', 'renewal')) await attach(id, code);
      const res = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: who.bearer, payload: { sworn: true } });
      assert.equal(res.statusCode, 200, res.body);
      numbers.push(res.json().number);
    }
    const [n1, n2] = numbers.map((n) => Number(n.slice(-6)));
    assert.equal(n2, (n1 ?? 0) + 1);
    assert.equal(new Set(numbers).size, 2);
    for (const n of numbers) assert.match(n, /^34-\d{4}-\d{6}$/);

    // A refused submission (missing pièce) consumes no number.
    const { id: incomplete } = await apiDraft(who, 'etudiant', 'renewal');
    const refused = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${incomplete}/submit`, headers: who.bearer, payload: { sworn: true } });
    assert.equal(refused.statusCode, 400);
    assert.ok(refused.json().errors.some((e: { field: string }) => e.field === 'pieces.enrolment_certificate'));
    const { id: draftId } = await apiDraft(who, 'etudiant', 'renewal');
    for (const code of await mandatoryPieces('etudiant', 'renewal')) await attach(draftId, code);
    const third = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${draftId}/submit`, headers: who.bearer, payload: { sworn: true } });
    assert.equal(Number(third.json().number.slice(-6)), (n2 ?? 0) + 1);

    // Deciding a draft is illegal: refused, nothing changes.
    const before = await dossier(incomplete);
    const mailsBefore = await app.deps.db.selectFrom('mails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await assert.rejects(
      app.deps.db.transaction().execute((trx) =>
        transition(trx, before, 'decide_favourable', { role: 'supervisor', id: null }, { publicUrl: 'http://localhost' }),
      ),
      (err: unknown) => err instanceof AppError && err.code === 'conflict',
    );
    // An applicant cannot decide their own filed dossier either.
    const filed = await dossier(draftId);
    await assert.rejects(
      app.deps.db.transaction().execute((trx) => transition(trx, filed, 'decide_favourable', { role: 'applicant', id: who.id }, { publicUrl: 'http://x' })),
      (err: unknown) => err instanceof AppError && err.code === 'conflict',
    );
    // A stale state (someone else moved it first) is refused too.
    await assert.rejects(
      app.deps.db.transaction().execute((trx) =>
        transition(trx, { ...filed, state: 'resubmitted' }, 'start_review', { role: 'agent', id: null }, { publicUrl: 'http://x' }),
      ),
      (err: unknown) => err instanceof AppError && err.code === 'conflict',
    );
    assert.deepEqual(await dossier(incomplete), before);
    assert.equal((await dossier(draftId)).state, 'submitted');
    const mailsAfter = await app.deps.db.selectFrom('mails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(mailsAfter.n), Number(mailsBefore.n));
    // A legal back-office transition works and lands on the timeline.
    await app.deps.db.transaction().execute((trx) => transition(trx, filed, 'start_review', { role: 'agent', id: null }, { publicUrl: 'http://x' }));
    const page = await who.agent.get(`/dossiers/${draftId}`);
    assert.match(page.body, /En cours d&#39;examen|En cours d'examen/);
  });

  test('a late renewal is accepted, flagged, and requires a reason', async () => {
    const who = await applicant('late@example.org');
    const soon = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    const { id, put } = await apiDraft(who, 'salarie', 'renewal', { current_permit_expires_on: soon });
    assert.equal(put.statusCode, 400);
    assert.ok(put.json().errors.some((e: { field: string }) => e.field === 'late_reason'));
    const page = await who.agent.get(`/dossiers/${id}/identite`);
    assert.match(page.body, /manque de rendez-vous/);
    const { id: id2, put: put2 } = await apiDraft(who, 'salarie', 'renewal', { current_permit_expires_on: soon, late_reason: 'Pas de rendez-vous disponible' });
    assert.equal(put2.statusCode, 200, put2.body);
    for (const code of await mandatoryPieces('salarie', 'renewal')) await attach(id2, code);
    const res = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id2}/submit`, headers: who.bearer, payload: { sworn: true } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().lateRenewal, true);
    const d = await dossier(id2);
    assert.equal(d.late_renewal, true);
    assert.equal(d.late_reason, 'Pas de rendez-vous disponible');
  });

  test('drafts untouched for 3 months are deleted, after a warning e-mail 2 weeks before', async () => {
    const who = await applicant('purge@example.org');
    const { id: stale } = await apiDraft(who, 'visiteur', 'first');
    const { id: fresh } = await apiDraft(who, 'visiteur', 'first');
    const { id: filedOld } = await apiDraft(who, 'visiteur', 'first');
    for (const code of await mandatoryPieces('visiteur', 'first')) await attach(filedOld, code);
    const sub = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${filedOld}/submit`, headers: who.bearer, payload: { sworn: true } });
    assert.equal(sub.statusCode, 200, sub.body);
    const DAY = 86400_000;
    const now = new Date();
    const touched = new Date(now.getTime() - 80 * DAY); // warned: less than 2 weeks before its 3 months

    await app.deps.db.updateTable('dossiers').set({ updated_at: touched }).where('id', 'in', [stale, filedOld]).execute();
    await app.deps.db.updateTable('dossiers').set({ updated_at: new Date(now.getTime() - 10 * DAY) }).where('id', '=', fresh).execute();
    await app.deps.db.deleteFrom('mails').execute();

    // The stale draft holds two files: their stored copies go with it, and only theirs.
    await attach(stale, 'passport');
    await attach(stale, 'photo');
    const keysOf = async (id: string) => (await app.deps.db.selectFrom('documents').select('storage_key').where('dossier_id', '=', id).execute()).map((r) => r.storage_key).sort();
    const staleKeys = await keysOf(stale);
    const keptKeys = await keysOf(filedOld);
    assert.equal(staleKeys.length, 2);
    const removed: string[] = [];
    const env = { db: app.deps.db, publicUrl: 'http://localhost:3000', deleteStoredFiles: async (keys: string[]) => void removed.push(...keys) };
    assert.deepEqual(await purgeStaleDrafts(env, now), { warned: 1, deleted: 0 });
    const mails = await app.deps.db.selectFrom('mails').select(['to_address', 'subject', 'text_body']).execute();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.to_address, 'purge@example.org');
    assert.match(mails[0]?.subject ?? '', /supprimée/);
    assert.ok(mails[0]?.text_body.includes(`/dossiers/${stale}`));
    // Running again the same day warns nobody twice.
    assert.deepEqual(await purgeStaleDrafts(env, now), { warned: 0, deleted: 0 });
    // 3 months after the last change, and at least 2 weeks after the warning: deleted.
    const later = new Date(now.getTime() + 15 * DAY);
    const res = await purgeStaleDrafts(env, later);
    assert.equal(res.deleted, 1);
    const left = await app.deps.db.selectFrom('dossiers').select('id').where('applicant_id', '=', who.id).execute();
    assert.deepEqual(left.map((r) => r.id).sort(), [fresh, filedOld].sort());
    assert.deepEqual(removed.sort(), staleKeys);
    assert.deepEqual(await keysOf(filedOld), keptKeys);
    assert.deepEqual(await keysOf(stale), []);
    // The daily job is registered and scheduled.
    const job = await app.deps.db.selectFrom('jobs').select('unique_key').where('kind', '=', 'dossiers.purge_drafts').executeTakeFirst();
    assert.ok(job);
  });

  test("deleting an account deletes its drafts and keeps its filed dossiers, with the applicant's identity", async () => {
    const who = await applicant('leaving@example.org');
    const { id: draft } = await apiDraft(who, 'visiteur', 'first');
    const { id: filed } = await apiDraft(who, 'visiteur', 'first');
    for (const code of await mandatoryPieces('visiteur', 'first')) await attach(filed, code);
    assert.equal((await app.inject({ method: 'POST', url: `/api/v1/dossiers/${filed}/submit`, headers: who.bearer, payload: { sworn: true } })).statusCode, 200);
    await app.deps.db.deleteFrom('users').where('id', '=', who.id).execute();
    assert.equal(await app.deps.db.selectFrom('dossiers').select('id').where('id', '=', draft).executeTakeFirst(), undefined);
    const kept = await dossier(filed);
    assert.equal(kept.applicant_id, null);
    assert.equal(kept.surname, 'BEN ALI');
    assert.equal(kept.applicant_email, 'leaving@example.org');
  });
});
