// Following a filed dossier: the status page's timeline (a date for every state reached, through
// the card's production and hand-over), what to do next and by when, an e-mail without personal
// data at each change, read-only after filing except the pièces the préfecture asked for, the
// renewal window, and 404 for everything of another applicant (pages and API).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { transition, type DossierEvent } from '../../src/modules/dossiers/lifecycle';
import { formatDateTime, translator } from '../../src/shared/i18n';
import { formatCode } from '../../src/modules/verification';
import { createSession } from '../../src/shared/auth/sessions';
import { Agent } from '../helpers/agent';
import { build } from '../helpers/build';
import { jpeg, pdf } from '../helpers/documents-fixtures';
import { Browser, filesUnder, multipart, tempDataDir } from '../helpers/documents-setup';
import { pdfToText } from '../helpers/pdf-text';

const fr = translator('fr');
const DAY = 86400_000;

/** The page's visible text: tags removed, entities decoded, spaces collapsed. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;|\u00a0|\u202f/g, ' ')
    .replace(/\s+/g, ' ');
}

const norm = (s: string) => s.replace(/\u00a0|\u202f/g, ' ').replace(/\s+/g, ' ');

async function setup(t: Parameters<typeof build>[0]) {
  const dataDir = await tempDataDir(t);
  const { app, prefectureId } = await build(t, { config: { dataDir } });
  return { app, prefectureId, dataDir, db: app.deps.db };
}

async function applicant(app: FastifyInstance, prefectureId: string, email: string) {
  const user = await app.deps.db
    .insertInto('users')
    .values({ prefecture_id: prefectureId, role: 'applicant', email, password_hash: 'not-used', email_confirmed_at: new Date() })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const web = await createSession(app.deps.db, user, 'web');
  const api = await createSession(app.deps.db, user, 'api');
  const browser = await new Browser(app, web.token).start();
  const agent = new Agent(app);
  agent.cookies.set('sejour_sid', web.token);
  return { id: user.id, email, browser, agent, bearer: { authorization: `Bearer ${api.token}` } };
}
type Who = Awaited<ReturnType<typeof applicant>>;

const identity = (expires: string, over: Record<string, string> = {}) => ({
  surname: 'HADDAD',
  givenNames: 'Yasmine',
  birthDate: '1988-02-11',
  birthPlace: 'Tunis, Tunisie',
  nationality: 'tunisienne',
  agdrefNumber: '3498765432',
  currentPermitNumber: 'FR7654321',
  currentPermitExpiresOn: expires,
  addressLine: '3 place de la Comédie',
  postalCode: '34000',
  city: 'Montpellier',
  phone: '06 98 76 54 32',
  ephotoCode: 'ZXCV1234BNMA5678QWER90',
  ...over,
});

const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

/** A draft renewal (salarié) with its identity saved through the API. */
async function draft(app: FastifyInstance, who: Who, over: Record<string, string> = {}, expires = inDays(100)): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: who.bearer, payload: { category: 'salarie', kind: 'renewal' } });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const put = await app.inject({ method: 'PUT', url: `/api/v1/dossiers/${id}/identity`, headers: who.bearer, payload: identity(expires, over) });
  assert.equal(put.statusCode, 200, put.body);
  return id;
}

/** Uploads a real PDF to a pièce through the API. */
async function upload(app: FastifyInstance, who: Who, id: string, piece: string, content = pdf()) {
  const body = multipart({}, [{ field: 'fichiers', filename: `${piece}.pdf`, content }]);
  return app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/${id}/pieces/${piece}/documents`,
    headers: { ...who.bearer, 'content-type': body.contentType },
    payload: body.payload,
  });
}

async function fileDossier(app: FastifyInstance, prefectureId: string, who: Who, id: string): Promise<string> {
  const pieces = await app.deps.db
    .selectFrom('category_pieces')
    .select('piece_code')
    .where('prefecture_id', '=', prefectureId)
    .where('category_code', '=', 'salarie')
    .where('request_kind', '=', 'renewal')
    .where('mandatory', '=', true)
    .execute();
  for (const p of pieces) assert.equal((await upload(app, who, id, p.piece_code)).statusCode, 201);
  const res = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/submit`, headers: who.bearer, payload: { sworn: true } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().number as string;
}

async function staffMoves(app: FastifyInstance, id: string, event: DossierEvent, set?: Parameters<typeof transition>[4]['set']) {
  const role = event.startsWith('decide') ? 'supervisor' : 'agent';
  await app.deps.db.transaction().execute(async (trx) => {
    const d = await trx.selectFrom('dossiers').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    await transition(trx, d, event, { role, id: null }, { publicUrl: app.deps.config.publicUrl, ...(set ? { set } : {}) });
  });
}

test('the status page follows every state with its date, says what to do next and by when, and mails each change without personal data', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const who = await applicant(app, prefectureId, 'yasmine@example.org');
  const id = await draft(app, who);
  const number = await fileDossier(app, prefectureId, who, id);
  const stamp = norm(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', numberingSystem: 'latn' }).format(225));

  const mailsTo = async () => db.selectFrom('mails').select(['subject', 'text_body', 'html_body']).where('to_address', '=', who.email).orderBy('created_at').execute();
  const page = async () => {
    const res = await who.agent.get(`/dossiers/${id}`);
    assert.equal(res.statusCode, 200);
    return { html: res.body, text: text(res.body) };
  };
  /** Every state reached is on the timeline with its date (a <time> per event), the last one current. */
  const expectTimeline = async (html: string) => {
    const events = await db.selectFrom('dossier_events').select(['to_state', 'created_at']).where('dossier_id', '=', id).orderBy('id').execute();
    const times = [...html.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(times, events.map((e) => e.created_at.toISOString()));
    for (const e of events) assert.ok(text(html).includes(fr(`dossiers.state.${e.to_state}`)), e.to_state);
    const current = /aria-current="step"[^>]*>([^<]*)</.exec(html)?.[1] ?? '';
    assert.ok(text(current).startsWith(fr(`dossiers.state.${events.at(-1)?.to_state}`)), current);
  };

  let p = await page();
  assert.ok(p.text.includes(fr('dossiers.next.wait')));
  assert.ok(p.text.includes(fr('dossiers.next.silence')));
  assert.ok(p.text.includes(`${fr('dossiers.state.card_ready')} — ${fr('dossiers.timeline_not_yet')}`), 'the steps to come are shown');
  await expectTimeline(p.html);

  await staffMoves(app, id, 'start_review');
  p = await page();
  await expectTimeline(p.html);
  assert.ok(p.text.includes(fr('dossiers.next.wait')));

  // The préfecture asks for a pièce, with a deadline: the page says which one and by when.
  const deadline = inDays(21);
  // Payslips again, and tax notices, which the salarié list does not hold.
  await staffMoves(app, id, 'request_pieces', { requested_pieces: ['payslips', 'tax_notices'], pieces_deadline: deadline });
  p = await page();
  await expectTimeline(p.html);
  const when = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(`${deadline}T12:00:00Z`));
  assert.ok(p.text.includes(norm(fr('dossiers.next.pieces_deadline', { deadline: when }))), `deadline ${when} in: ${p.text.slice(0, 2000)}`);
  assert.match(p.html, new RegExp(`href="/dossiers/${id}/pieces/payslips"`));
  const detail = (await app.inject({ url: `/api/v1/dossiers/${id}`, headers: who.bearer })).json();
  assert.deepEqual(detail.nextSteps, [{ code: 'pieces_deadline', params: { deadline: when } }]);
  assert.equal(detail.piecesDeadline, deadline);
  assert.deepEqual(detail.requestedPieces, ['payslips', 'tax_notices']);
  assert.deepEqual(detail.pieces.find((p: { code: string }) => p.code === 'tax_notices'), { code: 'tax_notices', mandatory: true, files: [], missing: true }, 'the pièce asked for outside the list is in the API too');

  // Read-only except the pièce asked for: another pièce refuses files, old files stay.
  const other = await upload(app, who, id, 'passport');
  assert.equal(other.statusCode, 409, other.body);
  const oldFile = await db.selectFrom('documents').select('id').where('dossier_id', '=', id).where('piece_code', '=', 'payslips').executeTakeFirstOrThrow();
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/documents/${oldFile.id}`, headers: who.bearer })).statusCode, 409);
  const passportPage = await who.agent.get(`/dossiers/${id}/pieces/passport`);
  assert.doesNotMatch(passportPage.body, /enctype="multipart\/form-data"/);
  assert.ok(text(passportPage.body).includes(fr('dossiers.read_only')));
  const identityEdit = await app.inject({ method: 'PUT', url: `/api/v1/dossiers/${id}/identity`, headers: who.bearer, payload: identity(inDays(100), { surname: 'AUTRE' }) });
  assert.equal(identityEdit.statusCode, 409);
  // Answering before adding the file is refused; after, through the API.
  assert.equal((await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/resubmit`, headers: who.bearer })).statusCode, 400);
  // A wrong file sent, then removed (allowed: added since the request), then the right one; both audited.
  const wrong = await upload(app, who, id, 'payslips');
  assert.equal(wrong.statusCode, 201, wrong.body);
  const wrongId = (await db.selectFrom('documents').select('id').where('dossier_id', '=', id).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/documents/${wrongId}`, headers: who.bearer })).statusCode, 204);
  assert.equal((await upload(app, who, id, 'payslips')).statusCode, 201);
  const trail = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', id).where('action', 'like', 'documents.%').orderBy('seq').execute();
  assert.deepEqual(
    trail.map((r) => [r.action, r.actor_id, r.state_before, (r.details as { pieceCode: string }).pieceCode]),
    [
      ['documents.files_added', who.id, 'pieces_requested', 'payslips'],
      ['documents.file_deleted', who.id, 'pieces_requested', 'payslips'],
      ['documents.files_added', who.id, 'pieces_requested', 'payslips'],
    ],
  );
  assert.equal((trail[1]?.details as { documentId: string }).documentId, wrongId);
  assert.equal((await upload(app, who, id, 'tax_notices')).statusCode, 201);
  const answered = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/resubmit`, headers: who.bearer });
  assert.equal(answered.statusCode, 200, answered.body);
  assert.equal(answered.json().state, 'resubmitted');
  assert.equal((await upload(app, who, id, 'payslips')).statusCode, 409, 'read-only again once answered');
  p = await page();
  await expectTimeline(p.html);

  // The new pièce is reviewed (back under review), then the decision.
  await staffMoves(app, id, 'start_review');
  await staffMoves(app, id, 'decide_favourable', { decided_at: new Date() });
  p = await page();
  await expectTimeline(p.html);
  assert.ok(p.text.includes(norm(fr('dossiers.next.stamp', { amount: stamp }))), p.text);
  for (const [event, next] of [
    ['start_card_production', fr('dossiers.next.stamp', { amount: stamp })],
    ['mark_card_ready', fr('dossiers.next.card_ready', { amount: stamp })],
    ['hand_over', fr('dossiers.next.done')],
  ] as const) {
    await staffMoves(app, id, event);
    p = await page();
    await expectTimeline(p.html);
    assert.ok(p.text.includes(norm(next)), `${event}: ${next}`);
  }
  assert.ok(!p.text.includes(fr('dossiers.timeline_not_yet')), 'nothing left to come once handed over');
  const states = (await db.selectFrom('dossier_events').select('to_state').where('dossier_id', '=', id).orderBy('id').execute()).map((e) => e.to_state);
  assert.deepEqual(states, ['draft', 'submitted', 'under_review', 'pieces_requested', 'resubmitted', 'under_review', 'decided_favourable', 'card_in_production', 'card_ready', 'handed_over']);

  // One e-mail per change (9 after the draft), each pointing at the page and carrying no personal data.
  const mails = await mailsTo();
  assert.equal(mails.length, 9);
  for (const m of mails) {
    assert.ok(m.text_body.includes(`/dossiers/${id}`));
    for (const secret of ['HADDAD', 'Yasmine', number, 'Comédie', '3498765432', 'salari']) {
      assert.ok(!m.text_body.includes(secret) && !m.html_body.includes(secret) && !m.subject.includes(secret), `${secret} in a status mail`);
    }
  }
});

test('a withdrawn request shows nothing to come; the messages link counts unread messages', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const who = await applicant(app, prefectureId, 'sami@example.org');
  const id = await draft(app, who);
  await fileDossier(app, prefectureId, who, id);
  let page = await who.agent.get(`/dossiers/${id}`);
  assert.match(page.body, new RegExp(`href="/dossiers/${id}/messages"`));
  assert.ok(text(page.body).includes(fr('dossiers.messages_link')));
  await db
    .insertInto('dossier_messages')
    .values({ prefecture_id: prefectureId, dossier_id: id, author_role: 'staff', body: 'Bonjour', read_by_staff_at: new Date() })
    .execute();
  page = await who.agent.get(`/dossiers/${id}`);
  assert.ok(text(page.body).includes(fr('dossiers.messages_link_unread', { n: 1 })));
  // "My dossiers" (page and API) counts them per dossier too; a dossier without any shows none.
  const quiet = await draft(app, who);
  const listed = async () => {
    const list = await who.agent.get('/dossiers');
    const api = await app.inject({ method: 'GET', url: '/api/v1/dossiers', headers: who.bearer });
    const unread = new Map((api.json() as { dossiers: { id: string; unreadMessages: number }[] }).dossiers.map((d) => [d.id, d.unreadMessages]));
    return { html: list.body, unread };
  };
  let mine = await listed();
  assert.equal(mine.unread.get(id), 1);
  assert.equal(mine.unread.get(quiet), 0);
  assert.equal([...mine.html.matchAll(/data-unread="(\d+)"/g)].map((m) => m[1]).join(), '1', 'one badge, on the dossier with the message');
  assert.ok(text(mine.html).includes(fr('dossiers.list_unread', { n: 1 })));
  await who.agent.get(`/dossiers/${id}/messages`);
  page = await who.agent.get(`/dossiers/${id}`);
  assert.ok(!text(page.body).includes(fr('dossiers.messages_link_unread', { n: 1 })), 'read once the thread is opened');
  mine = await listed();
  assert.equal(mine.unread.get(id), 0);
  assert.doesNotMatch(mine.html, /data-unread=/);

  const withdrawn = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/withdraw`, headers: who.bearer });
  assert.equal(withdrawn.statusCode, 200);
  page = await who.agent.get(`/dossiers/${id}`);
  const body = text(page.body);
  assert.ok(body.includes(fr('dossiers.state.withdrawn')));
  assert.ok(!body.includes(fr('dossiers.timeline_not_yet')));
  assert.ok(body.includes(fr('dossiers.next.none')));
});

test('renewals: the 120th–60th day window is explained; a late one is flagged and told lateness for lack of appointments is not penalised', async (t) => {
  const { app, prefectureId } = await setup(t);
  const who = await applicant(app, prefectureId, 'late@example.org');
  const inWindow = await draft(app, who);
  const page = text((await who.agent.get(`/dossiers/${inWindow}/identite`)).body);
  assert.ok(page.includes(fr('dossiers.window_rule')));
  assert.match(fr('dossiers.window_rule'), /120e et le 60e jour/);
  assert.ok(page.includes(fr('dossiers.window_title')));

  const late = await draft(app, who, { lateReason: 'Aucun rendez-vous disponible en préfecture' }, inDays(20));
  const latePage = text((await who.agent.get(`/dossiers/${late}/identite`)).body);
  assert.ok(latePage.includes(fr('dossiers.window_late_not_penalised')));
  await fileDossier(app, prefectureId, who, late);
  const status = text((await who.agent.get(`/dossiers/${late}`)).body);
  assert.ok(status.includes(fr('dossiers.next.late_not_penalised')));
  const api = (await app.inject({ url: `/api/v1/dossiers/${late}`, headers: who.bearer })).json();
  assert.equal(api.lateRenewal, true);
  assert.equal(api.identity.lateReason, 'Aucun rendez-vous disponible en préfecture');
  assert.ok(api.nextSteps.some((s: { code: string }) => s.code === 'late_not_penalised'));
  // On time: no lateness message.
  await fileDossier(app, prefectureId, who, inWindow);
  assert.ok(!text((await who.agent.get(`/dossiers/${inWindow}`)).body).includes(fr('dossiers.next.late_not_penalised')));
});

test('adding a file to a draft counts as a change: the purge warning is cleared and the 3 months start again', async (t) => {
  const { app, prefectureId, db } = await setup(t);
  const who = await applicant(app, prefectureId, 'purge@example.org');
  const id = await draft(app, who);
  const old = new Date(Date.now() - 80 * DAY);
  await db.updateTable('dossiers').set({ updated_at: old, purge_warned_at: new Date(Date.now() - DAY) }).where('id', '=', id).execute();
  assert.equal((await upload(app, who, id, 'passport')).statusCode, 201);
  const d = await db.selectFrom('dossiers').select(['updated_at', 'purge_warned_at']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(d.purge_warned_at, null);
  assert.ok(d.updated_at.getTime() > Date.now() - DAY);
});

test("another applicant's dossier, documents, attestation and messages answer 404, pages and API", async (t) => {
  const { app, prefectureId, db, dataDir } = await setup(t);
  const owner = await applicant(app, prefectureId, 'owner@example.org');
  const id = await draft(app, owner);
  assert.equal((await upload(app, owner, id, 'passport', Buffer.from(jpeg({ exif: true })))).statusCode, 201);
  await fileDossier(app, prefectureId, owner, id);
  const doc = await db.selectFrom('documents').select('id').where('dossier_id', '=', id).executeTakeFirstOrThrow();
  const msg = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/messages`, headers: owner.bearer, payload: { message: 'Bonjour' } });
  assert.equal(msg.statusCode, 201);
  // The owner reaches all of it.
  const att = await owner.agent.get(`/dossiers/${id}/attestation-de-depot.pdf`);
  assert.equal(att.statusCode, 200);
  assert.equal(att.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.equal((await app.inject({ url: `/api/v1/dossiers/${id}/attestation-de-depot.pdf`, headers: owner.bearer })).statusCode, 200);
  // Issued at filing, verifiable by its code, and written in the audit log with the filing.
  const issued = await db.selectFrom('attestations').select(['kind', 'holder_name', 'verification_code']).where('dossier_id', '=', id).execute();
  assert.deepEqual(issued.map((a) => [a.kind, a.holder_name]), [['depot', 'HADDAD Yasmine']]);
  const verify = await app.inject({ url: `/verifier/${issued[0]!.verification_code}` });
  assert.equal(verify.statusCode, 200);
  // What it says: holder, number, request, date, pièces, code (printed and under the QR code), and that it proves no legal stay.
  const printed = pdfToText(att.rawPayload);
  if (printed !== null) {
    const d = await db.selectFrom('dossiers').select(['number', 'submitted_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const code = formatCode(issued[0]!.verification_code);
    for (const expected of [
      'HADDAD Yasmine',
      d.number as string,
      `Salarié — ${fr('dossiers.kind.renewal')}`,
      formatDateTime('fr', new Date(d.submitted_at as Date)),
      `Passeport (${fr('dossiers.piece_n_files', { n: 2 })})`,
      code,
      `/verifier/${code}`,
      fr('dossiers.att_not_proof'),
    ]) {
      assert.ok(norm(printed).includes(norm(expected)), `« ${expected} » in the attestation de dépôt:\n${printed}`);
    }
  }
  const audit = await db.selectFrom('audit_log').select(['action', 'entity_type']).where('entity_id', '=', id).execute();
  assert.ok(audit.some((a) => a.action === 'dossier.submit' && a.entity_type === 'dossier'), JSON.stringify(audit));
  assert.equal((await owner.agent.get(`/documents/${doc.id}`)).statusCode, 200);

  const other = await applicant(app, prefectureId, 'other@example.org');
  for (const url of [
    `/dossiers/${id}`,
    `/dossiers/${id}/attestation-de-depot.pdf`,
    `/dossiers/${id}/messages`,
    `/dossiers/${id}/retrait`,
    `/documents/${doc.id}`,
    `/dossiers/${id}/pieces/passport`,
  ]) {
    assert.equal((await other.agent.get(url)).statusCode, 404, `page ${url}`);
  }
  assert.equal((await other.browser.postForm(`/dossiers/${id}/retrait`, { confirm: 'yes' })).statusCode, 404);
  assert.equal((await other.browser.postForm(`/dossiers/${id}/renvoyer`)).statusCode, 404);
  assert.equal((await other.browser.upload(`/dossiers/${id}/messages`, { message: 'intrus' }, [])).statusCode, 404);
  for (const [method, url] of [
    ['GET', `/api/v1/dossiers/${id}`],
    ['GET', `/api/v1/dossiers/${id}/attestation-de-depot.pdf`],
    ['GET', `/api/v1/dossiers/${id}/documents`],
    ['GET', `/api/v1/dossiers/${id}/messages`],
    ['GET', `/api/v1/documents/${doc.id}/content`],
    ['DELETE', `/api/v1/documents/${doc.id}`],
    ['POST', `/api/v1/dossiers/${id}/withdraw`],
    ['POST', `/api/v1/dossiers/${id}/resubmit`],
  ] as const) {
    const res = await app.inject({ method, url, headers: other.bearer });
    assert.equal(res.statusCode, 404, `API ${method} ${url}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', url);
  }
  const intrude = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/messages`, headers: other.bearer, payload: { message: 'intrus' } });
  assert.equal(intrude.statusCode, 404);
  const messages = await db.selectFrom('dossier_messages').select('body').where('dossier_id', '=', id).execute();
  assert.deepEqual(messages.map((m) => m.body), ['Bonjour']);
  assert.equal((await db.selectFrom('dossiers').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state, 'submitted');
  assert.ok((await filesUnder(dataDir)).length > 0);

  // The operations are in the OpenAPI document under the dossiers tag.
  const openapi = (await app.inject('/api/openapi.json')).json();
  for (const [path, method] of [
    ['/api/v1/catalogue', 'get'],
    ['/api/v1/dossiers', 'post'],
    ['/api/v1/dossiers/{id}/identity', 'put'],
    ['/api/v1/dossiers/{id}/pieces/{pieceCode}/documents', 'post'],
    ['/api/v1/dossiers/{id}/submit', 'post'],
    ['/api/v1/dossiers/{id}/resubmit', 'post'],
    ['/api/v1/dossiers/{id}/withdraw', 'post'],
    ['/api/v1/dossiers/{id}/attestation-de-depot.pdf', 'get'],
    ['/api/v1/dossiers/{id}/messages', 'post'],
    ['/api/v1/documents/{id}/content', 'get'],
  ] as const) {
    assert.deepEqual(openapi.paths[path]?.[method]?.tags, ['dossiers'], `${method} ${path}`);
  }
});
