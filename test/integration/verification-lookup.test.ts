// Public verification of attestations: pages (/verifier, /verifier/:code) and the API. Only the
// holder's name, the document type and its validity are shown; unknown codes answer a neutral
// 404; input is case- and dash-insensitive; lookups are limited per IP (30 per 10 minutes),
// in memory, in Redis shared by two instances, and still limited when Redis is down.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { HERAULT } from '../../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../../src/modules/prefectures/seed-prefecture';
import { issueAttestation, revokeAttestation, type IssueAttestationInput } from '../../src/modules/verification';
import { build, testConfig } from '../helpers/build';

const DAY = 24 * 3600 * 1000;
let ipCounter = 1;
/** A fresh client address per scenario, so that lookup budgets do not mix. */
const freshIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${(ipCounter++ % 250) + 1}`;

async function issue(app: FastifyInstance, input: Partial<IssueAttestationInput> & { prefectureId: string }) {
  return app.deps.db.transaction().execute((trx) =>
    issueAttestation(trx, {
      kind: 'depot',
      dossierId: null,
      holderName: 'DUPONT Zoë',
      details: { number: '34-2026-000042', category: 'salarie', allowsWork: false },
      validFrom: new Date(Date.now() - DAY),
      validUntil: null,
      publicUrl: app.deps.config.publicUrl,
      ...input,
    }),
  );
}

type Fixture = Awaited<ReturnType<typeof setup>>;
async function setup(t: TestContext) {
  const { app, prefectureId } = await build(t);
  const valid = await issue(app, { prefectureId, holderName: 'NGUYỄN Thị Minh', validUntil: new Date(Date.now() + 90 * DAY), kind: 'prolongation' });
  const open = await issue(app, { prefectureId, holderName: 'محمد علي' });
  const expired = await issue(app, { prefectureId, holderName: 'MARTIN Paul', validFrom: new Date(Date.now() - 200 * DAY), validUntil: new Date(Date.now() - 10 * DAY), kind: 'prolongation' });
  const revoked = await issue(app, { prefectureId, holderName: 'KOWALSKA Anna', kind: 'decision_favorable' });
  await app.deps.db.transaction().execute((trx) => revokeAttestation(trx, prefectureId, revoked.id, 'Décision retirée (secret reason)'));
  const future = await issue(app, { prefectureId, holderName: 'SILVA João', validFrom: new Date(Date.now() + 5 * DAY), validUntil: new Date(Date.now() + 95 * DAY) });
  const gard = await seedPrefecture(app.deps.db, { ...HERAULT, code: '30', name: 'Préfecture du Gard', department_name: 'Gard', hosts: ['gard.sejour.test'], sites: HERAULT.sites.slice(0, 1) });
  const elsewhere = await issue(app, { prefectureId: gard.id, holderName: 'DURAND Gard' });
  return { app, prefectureId, valid, open, expired, revoked, future, elsewhere };
}
// One app for the tests of this file that do not change the limiter's settings.
let shared: Fixture;
const closers: (() => unknown)[] = [];
before(async () => {
  shared = await setup({ after: (fn: () => unknown) => void closers.push(fn) } as unknown as TestContext);
});
after(async () => {
  for (const fn of closers.reverse()) await fn();
});
const fixture = async (_t: TestContext): Promise<Fixture> => shared;

const get = (app: FastifyInstance, url: string, ip = freshIp()) => app.inject({ method: 'GET', url, remoteAddress: ip });
const path = (code: string) => `/verifier/${code}`;

test('a valid code shows the holder, the document type and its validity, nothing else', async (t) => {
  const { app, valid } = await fixture(t);
  assert.match(valid.code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
  assert.equal(valid.verifyUrl, `http://localhost:3000/verifier/${valid.code}`);
  const res = await get(app, path(valid.code));
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /NGUYỄN Thị Minh/);
  assert.match(res.body, /Attestation de prolongation d&#39;instruction|Attestation de prolongation d'instruction/);
  assert.match(res.body, /data-status="valid"/);
  assert.match(res.body, /Document valide/);
  assert.match(res.body, /Valide du .+ au .+\./);
  // Nothing of the details, the dossier or the internal id.
  assert.doesNotMatch(res.body, /34-2026-000042|salarie|allowsWork/);
  assert.doesNotMatch(res.body, new RegExp(valid.id));
  assert.equal(res.headers['x-robots-tag'], 'noindex, nofollow');
  assert.equal(res.headers['cache-control'], 'no-store');
});

test('expired, revoked and not-yet-valid codes show that status with dates, never the revocation reason', async (t) => {
  const { app, expired, revoked, future, open } = await fixture(t);
  const e = await get(app, path(expired.code));
  assert.equal(e.statusCode, 200);
  assert.match(e.body, /data-status="expired"/);
  assert.match(e.body, /A expiré le \d/);
  assert.match(e.body, /MARTIN Paul/);

  const r = await get(app, path(revoked.code));
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /data-status="revoked"/);
  assert.match(r.body, /Révoqué le \d/);
  assert.doesNotMatch(r.body, /secret reason|Décision retirée/);

  const f = await get(app, path(future.code));
  assert.match(f.body, /data-status="not_yet_valid"/);

  const o = await get(app, path(open.code));
  assert.match(o.body, /data-status="valid"/);
  assert.match(o.body, /Valide depuis le/);
  assert.match(o.body, /<bdi>محمد علي<\/bdi>/);
});

test('an unknown, malformed or other préfecture’s code answers a neutral 404 that reveals nothing', async (t) => {
  const { app, elsewhere, valid } = await fixture(t);
  const unknown = await get(app, path('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ'));
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /Aucun document ne correspond à ce code/);
  const malformed = await get(app, path('hello'));
  assert.equal(malformed.statusCode, 404);
  const otherPrefecture = await get(app, path(elsewhere.code));
  assert.equal(otherPrefecture.statusCode, 404);
  assert.doesNotMatch(otherPrefecture.body, /DURAND/);
  // Same answer whatever the reason, apart from the echoed input.
  const strip = (html: string, code: string) => html.replaceAll(code, 'CODE');
  assert.equal(strip(unknown.body, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ'), strip(otherPrefecture.body, elsewhere.code));
  // One character changed in a real code is unknown too.
  const typo = valid.code.slice(0, -1) + (valid.code.endsWith('0') ? '1' : '0');
  assert.equal((await get(app, path(typo))).statusCode, 404);
  // The Gard préfecture's host finds its own attestation.
  const onGardHost = await app.inject({ method: 'GET', url: path(elsewhere.code), headers: { host: 'gard.sejour.test' }, remoteAddress: freshIp() });
  assert.equal(onGardHost.statusCode, 200);
  assert.match(onGardHost.body, /DURAND Gard/);
});

test('codes are read case- and dash-insensitively, with spaces, and O/I/L read as 0/1', async (t) => {
  const { app, valid } = await fixture(t);
  const raw = valid.code.replaceAll('-', '');
  const variants = [raw.toLowerCase(), raw.match(/.{1,5}/g)?.join(' ') ?? raw, valid.code.toLowerCase().replaceAll('-', '--'), raw.replaceAll('0', 'o').replaceAll('1', 'l')];
  for (const v of variants) {
    const res = await get(app, `/verifier?code=${encodeURIComponent(v)}`);
    assert.equal(res.statusCode, 200, v);
    assert.match(res.body, /NGUYỄN Thị Minh/, v);
  }
  const api = await get(app, `/api/v1/verifications/${raw.toLowerCase()}`);
  assert.equal(api.statusCode, 200);
});

test('the form: blank page, empty code is a field error (400), the form posts to itself by GET', async (t) => {
  const { app } = await fixture(t);
  const page = await get(app, '/verifier');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<form method="get" action="\/verifier"/);
  assert.match(page.body, /<label class="fr-label" for="champ-code">/);
  const empty = await get(app, '/verifier?code=');
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Saisissez le code de vérification/);
  assert.match(empty.body, /aria-invalid="true"/);
});

test('pages exist in English and Arabic (right to left)', async (t) => {
  const { app, revoked } = await fixture(t);
  const en = await get(app, `${path(revoked.code)}?lang=en`);
  assert.match(en.body, /Revoked document/);
  assert.match(en.body, /Certificate of favourable decision/);
  const ar = await get(app, `${path(revoked.code)}?lang=ar`);
  assert.match(ar.body, /<html lang="ar" dir="rtl"/);
  assert.match(ar.body, /وثيقة ملغاة/);
  assert.match(ar.body, /شهادة قرار بالموافقة/);
  const unknownAr = await get(app, '/verifier/AAAA?lang=ar');
  assert.equal(unknownAr.statusCode, 404);
  assert.match(unknownAr.body, /لا توجد وثيقة تطابق هذا الرمز/);
});

test('API: holder, kind, status and dates only; unknown → 404 problem; documented in OpenAPI', async (t) => {
  const { app, valid, revoked } = await fixture(t);
  const res = await get(app, `/api/v1/verifications/${valid.code}`);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(Object.keys(body).sort(), ['holderName', 'kind', 'revokedAt', 'status', 'validFrom', 'validUntil']);
  assert.equal(body.holderName, 'NGUYỄN Thị Minh');
  assert.equal(body.kind, 'prolongation');
  assert.equal(body.status, 'valid');
  assert.equal(body.revokedAt, null);
  assert.ok(!Number.isNaN(Date.parse(body.validUntil)));

  const r = (await get(app, `/api/v1/verifications/${revoked.code}`)).json();
  assert.equal(r.status, 'revoked');
  assert.ok(r.revokedAt);

  const missing = await get(app, '/api/v1/verifications/ZZZZZZZZZZZZZZZZZZZZ');
  assert.equal(missing.statusCode, 404);
  assert.match(String(missing.headers['content-type']), /application\/problem\+json/);
  assert.doesNotMatch(missing.body, /NGUY|DUPONT/);

  const spec = (await app.inject('/api/openapi.json')).json();
  assert.deepEqual(spec.paths['/api/v1/verifications/{code}'].get.tags, ['verification']);
});

async function exhaust(app: FastifyInstance, ip: string, code: string, n = 30) {
  for (let i = 0; i < n; i++) {
    const res = await get(app, i % 2 ? path(code) : `/api/v1/verifications/${code}`, ip);
    assert.equal(res.statusCode, 200, `lookup ${i + 1} of ${n}`);
  }
}

test('the 31st lookup from one IP within 10 minutes gets a 429 page (pages and API share the budget) revealing nothing', async (t) => {
  const { app, valid } = await fixture(t);
  const ip = freshIp();
  await exhaust(app, ip, valid.code);
  const page = await get(app, path(valid.code), ip);
  assert.equal(page.statusCode, 429);
  assert.match(page.body, /Trop de vérifications/);
  assert.match(page.body, /Réessayez dans \d+ minute/);
  assert.doesNotMatch(page.body, /NGUY|data-status/);
  assert.ok(Number(page.headers['retry-after']) > 0);
  // An unknown code is limited the same way: the answer does not tell codes apart.
  const unknown = await get(app, path('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ'), ip);
  assert.equal(unknown.statusCode, 429);
  const api = await get(app, `/api/v1/verifications/${valid.code}`, ip);
  assert.equal(api.statusCode, 429);
  assert.match(String(api.headers['content-type']), /application\/problem\+json/);
  assert.doesNotMatch(api.body, /NGUY/);
  // The blank form is not a lookup; another address is not affected.
  assert.equal((await get(app, '/verifier', ip)).statusCode, 200);
  assert.equal((await get(app, path(valid.code))).statusCode, 200);
});

test('with Redis down, lookups are still limited (counted in memory), never let through', async (t) => {
  const { app, prefectureId } = await build(t, { config: { redisUrl: 'redis://127.0.0.1:1' } });
  const a = await issue(app, { prefectureId });
  const ip = freshIp();
  await exhaust(app, ip, a.code);
  assert.equal((await get(app, path(a.code), ip)).statusCode, 429);
});

const redisUrl = process.env.REDIS_URL;
test('with Redis, two instances share one budget per IP', { skip: redisUrl ? false : 'REDIS_URL not set' }, async (t) => {
  const first = await build(t, { config: { redisUrl: redisUrl ?? null } });
  const second = await buildApp(testConfig({ redisUrl: redisUrl ?? null }), { database: first.database, logger: false });
  t.after(() => second.close());
  await second.ready();
  const a = await issue(first.app, { prefectureId: first.prefectureId });
  const ip = freshIp();
  for (let i = 0; i < 30; i++) assert.equal((await get(i % 2 ? first.app : second, path(a.code), ip)).statusCode, 200, `lookup ${i + 1}`);
  assert.equal((await get(first.app, path(a.code), ip)).statusCode, 429);
  assert.equal((await get(second, path(a.code), ip)).statusCode, 429);
});
