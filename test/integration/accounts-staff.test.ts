// Staff: accounts created on the command line, TOTP enrolment before any /agent page, codes
// usable once, TOTP throttling, the staff home, the API refusing staff without TOTP.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from '../helpers/build';
import { Agent } from '../helpers/agent';
import { loginAs, text } from '../helpers/accounts-fixtures';
import { createStaff } from '../../src/modules/accounts/create-staff';
import { STAFF_LINKS } from '../../src/modules/accounts/staff-links';
import { createSession } from '../../src/shared/auth/sessions';
import { totpCode } from '../../src/shared/security/totp';
import { openDatabase } from '../../src/db/database';
import { verifyPassword } from '../../src/shared/security/passwords';

const PASSWORD = 'agent phrase de passe 2026';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function secretFrom(html: string): string {
  const m = /<code class="app-code totp-secret" dir="ltr">([A-Z2-7 ]+)<\/code>/.exec(html);
  assert.ok(m?.[1], 'the secret is shown');
  return m[1].replace(/ /g, '');
}

describe('staff accounts', () => {
  let app: FastifyInstance;
  const closers: (() => Promise<void> | void)[] = [];
  before(async () => {
    ({ app } = await build({ after: (fn) => closers.push(fn) }));
  });
  after(async () => {
    for (const fn of closers.reverse()) await fn();
  });

  const staff = (email: string, role: 'agent' | 'supervisor' | 'admin' = 'agent') =>
    createStaff(app.deps.db, { prefectureCode: '34', email, role, name: 'Camille Martin', password: PASSWORD });

  test('a staff account without 2FA is sent to enrolment from /agent and from any /agent/* page; the API answers 403', async () => {
    const s = await staff('agent1@herault.gouv.fr');
    const agent = await loginAs(app, s.email, PASSWORD, '/agent/double-authentification');
    for (const url of ['/agent', '/agent/', '/agent/rendez-vous/parametrage', '/agent/dossiers', '/agent/nimporte-quoi?x=1']) {
      const res = await agent.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/agent/double-authentification', url);
    }
    // A direct session not verified by TOTP: same.
    const { token } = await createSession(app.deps.db, { id: s.id, prefecture_id: (await app.deps.db.selectFrom('users').select('prefecture_id').where('id', '=', s.id).executeTakeFirstOrThrow()).prefecture_id }, 'web', false);
    const direct = await app.inject({ url: '/agent', headers: { cookie: `sejour_sid=${token}` } });
    assert.equal(direct.statusCode, 303);
    assert.equal(direct.headers.location, '/agent/double-authentification');

    const api = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: s.email, password: PASSWORD } });
    assert.equal(api.statusCode, 403);
    assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
    assert.match(api.json().detail, /double authentification/);
    assert.equal((await app.deps.db.selectFrom('sessions').select('id').where('user_id', '=', s.id).where('kind', '=', 'api').execute()).length, 0);
  });

  test('enrolment shows the secret and a QR code; a valid code opens /agent; the code is refused a second time', async () => {
    const s = await staff('agent2@herault.gouv.fr', 'supervisor');
    const agent = await loginAs(app, s.email, PASSWORD, '/agent/double-authentification');
    const page = await agent.get('/agent/double-authentification');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="[^"]+"/);
    const secret = secretFrom(page.body);
    const row = await app.deps.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', s.id).executeTakeFirstOrThrow();
    assert.ok(row.totp_secret && !row.totp_secret.includes(secret), 'stored sealed, not in clear');
    assert.equal(app.deps.secrets.open(row.totp_secret), secret);
    assert.equal(row.totp_enabled_at, null);
    // Reloading shows the same secret (not a new one each time).
    assert.equal(secretFrom((await agent.get('/agent/double-authentification')).body), secret);

    const wrongCode = totpCode(secret, Date.now() - 10 * 60_000);
    const wrong = await agent.post('/agent/double-authentification', { code: wrongCode });
    assert.equal(wrong.statusCode, 401);
    assert.match(text(wrong.body), /Ce code n’est pas valable/);
    const code = totpCode(secret);
    const ok = await agent.post('/agent/double-authentification', { code: `${code.slice(0, 3)} ${code.slice(3)}` });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/agent');
    const home = await agent.get('/agent');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Camille Martin/);
    assert.match(home.body, /Préfecture de l(&#39;|')Hérault/);
    assert.match(home.body, /Superviseur/);
    assert.ok((await app.deps.db.selectFrom('users').select('totp_enabled_at').where('id', '=', s.id).executeTakeFirstOrThrow()).totp_enabled_at);
    assert.equal((await agent.get('/agent/double-authentification')).statusCode, 303, 'already verified');

    // Next login: only the code field, no secret; the same code is refused (step already used).
    const again = await loginAs(app, s.email, PASSWORD, '/agent/double-authentification');
    const codePage = await again.get('/agent/double-authentification');
    assert.doesNotMatch(codePage.body, /totp-secret|data:image/);
    const reused = await again.post('/agent/double-authentification', { code });
    assert.equal(reused.statusCode, 401);
    assert.match(text(reused.body), /déjà été utilisé/);
    assert.equal((await again.get('/agent')).statusCode, 303);
    // The next step's code works.
    const next = await again.post('/agent/double-authentification', { code: totpCode(secret, Date.now() + 30_000) });
    assert.equal(next.statusCode, 303);
    assert.equal((await again.get('/agent')).statusCode, 200);
  });

  test('invalid TOTP input re-renders with field errors; wrong codes are throttled (429 with the wait)', async () => {
    const s = await staff('agent3@herault.gouv.fr');
    const agent = await loginAs(app, s.email, PASSWORD, '/agent/double-authentification');
    const secret = secretFrom((await agent.get('/agent/double-authentification')).body);
    const empty = await agent.post('/agent/double-authentification', {});
    assert.equal(empty.statusCode, 400);
    assert.match(text(empty.body), /Ce champ est obligatoire/);
    assert.match(empty.body, /totp-secret/, 'enrolment details shown again');
    const letters = await agent.post('/agent/double-authentification', { code: 'abcdef' });
    assert.equal(letters.statusCode, 400);
    assert.match(text(letters.body), /6 chiffres/);
    for (let i = 0; i < 5; i++) {
      const res = await agent.post('/agent/double-authentification', { code: totpCode(secret, Date.now() - (20 + i) * 60_000) });
      assert.equal(res.statusCode, 401);
    }
    const blocked = await agent.post('/agent/double-authentification', { code: totpCode(secret) });
    assert.equal(blocked.statusCode, 429);
    assert.match(text(blocked.body), /patientez 1[45] minute/);
    assert.equal((await app.deps.db.selectFrom('users').select('totp_enabled_at').where('id', '=', s.id).executeTakeFirstOrThrow()).totp_enabled_at, null);
    assert.equal((await agent.get('/agent')).statusCode, 303);
  });

  test('applicants cannot open staff pages; STAFF_LINKS appear on the staff home by role', async () => {
    const s = await staff('admin@herault.gouv.fr', 'admin');
    const agent = await loginAs(app, s.email, PASSWORD, '/agent/double-authentification');
    const secret = secretFrom((await agent.get('/agent/double-authentification')).body);
    await agent.post('/agent/double-authentification', { code: totpCode(secret) });
    // API: enrolled staff need the code; with it they get a token.
    const noCode = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: s.email, password: PASSWORD } });
    assert.equal(noCode.statusCode, 400);
    assert.deepEqual(noCode.json().errors.map((e: { field: string }) => e.field), ['totp']);
    const withCode = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: s.email, password: PASSWORD, totp: totpCode(secret, Date.now() + 30_000) } });
    assert.equal(withCode.statusCode, 201, withCode.body);
    const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${withCode.json().token}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().role, 'admin');
    assert.equal(me.json().totpEnabled, true);
    STAFF_LINKS.push({ href: '/agent/test-admin', labelKey: 'accounts.role_admin', roles: ['admin'] }, { href: '/agent/test-agent', labelKey: 'accounts.role_agent', roles: ['agent'] });
    try {
      const home = await agent.get('/agent');
      assert.match(home.body, /href="\/agent\/test-admin"/);
      assert.doesNotMatch(home.body, /href="\/agent\/test-agent"/);
    } finally {
      STAFF_LINKS.splice(0, STAFF_LINKS.length, ...STAFF_LINKS.filter((l) => !l.href.startsWith('/agent/test-')));
    }
    // /compte for staff leads to /agent.
    assert.equal((await agent.get('/compte')).headers.location, '/agent');
    const anon = new Agent(app);
    const res = await anon.get('/agent');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/compte/connexion?next=%2Fagent');
  });

  test('createStaff refuses bad input and duplicates', async () => {
    await assert.rejects(createStaff(app.deps.db, { prefectureCode: '99', email: 'nope', role: 'boss', name: '', password: 'short' }), (err: { code: string; fields: Record<string, string> }) => {
      assert.equal(err.code, 'validation');
      assert.deepEqual(Object.keys(err.fields).sort(), ['email', 'name', 'password', 'prefecture', 'role']);
      return true;
    });
    await staff('dup@herault.gouv.fr');
    await assert.rejects(staff('DUP@herault.gouv.fr'), (err: { code: string }) => err.code === 'conflict');
    const generated = await createStaff(app.deps.db, { prefectureCode: '34', email: 'gen@herault.gouv.fr', role: 'agent', name: 'Gen' });
    assert.equal(generated.generated, true);
    assert.ok(generated.password.length >= 20);
  });
});

test('CLI: create-staff (generated password printed, bad input refused) and totp-code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sejour-cli-'));
  const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: dir, SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789', LOG_LEVEL: 'silent', DATABASE_URL: '' };
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, encoding: 'utf8', cwd: ROOT });
  // On failure, say how the command ended (exit code or signal) and what it printed.
  const ended = (r: ReturnType<typeof cli>) => `status ${r.status}, signal ${r.signal}, error ${r.error?.message}\n${r.stdout}\n${r.stderr}`;
  try {
    const seeded = cli('seed');
    assert.equal(seeded.status, 0, ended(seeded));
    const created = cli('create-staff', '--prefecture', '34', '--email', 'cli@herault.gouv.fr', '--role', 'agent', '--name', 'Agent CLI');
    assert.equal(created.status, 0, ended(created));
    const m = /Password \(shown once[^:]*\): (\S+)/.exec(created.stdout);
    assert.ok(m?.[1], created.stdout);
    const bad = cli('create-staff', '--prefecture', '34', '--email', 'bad', '--role', 'king', '--name', 'X');
    assert.equal(bad.status, 2, ended(bad));
    assert.match(bad.stderr, /--role: The role must be agent, supervisor or admin/);
    assert.match(bad.stderr, /--email: Enter a valid e-mail address/);
    const dup = cli('create-staff', '--prefecture', '34', '--email', 'CLI@herault.gouv.fr', '--role', 'agent', '--name', 'Again', '--password', PASSWORD);
    assert.equal(dup.status, 2, ended(dup));
    assert.match(dup.stderr, /already exists/);
    const before = Date.now();
    const code = cli('totp-code', 'JBSW Y3DP EHPK 3PXP');
    assert.equal(code.status, 0, ended(code));
    const expected = new Set([totpCode('JBSWY3DPEHPK3PXP', before), totpCode('JBSWY3DPEHPK3PXP', Date.now())]);
    assert.ok(expected.has(code.stdout.trim()), code.stdout);
    const notBase32 = cli('totp-code', 'not base32!');
    assert.equal(notBase32.status, 2, ended(notBase32));
    // totp-code never opens the database (a running server holds PGlite's files).
    const noDb = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'totp-code', 'JBSWY3DPEHPK3PXP'], { env: { ...env, DATA_DIR: '/dev/null/nowhere' }, encoding: 'utf8', cwd: ROOT });
    assert.equal(noDb.status, 0, ended(noDb));
    assert.match(noDb.stdout, /^\d{6}\n$/);
    return openDatabase({ database: { kind: 'pglite', dataDir: `${dir}/pglite` } }).then(async (database) => {
      try {
        const row = await database.db.selectFrom('users').selectAll().where('email', '=', 'cli@herault.gouv.fr').executeTakeFirstOrThrow();
        assert.equal(row.role, 'agent');
        assert.equal(row.display_name, 'Agent CLI');
        assert.ok(await verifyPassword(row.password_hash, m[1]!));
      } finally {
        await database.close();
      }
    });
  } finally {
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 2000).unref();
  }
});
