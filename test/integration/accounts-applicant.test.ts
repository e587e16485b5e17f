// Applicant accounts through the real pages: registration, confirmation, login, logout,
// duplicates in another case, CSRF, field errors on every form, reset, e-mail change,
// password change, deletion.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from '../helpers/build';
import { Agent, linkFrom } from '../helpers/agent';
import { GOOD_PASSWORD, OTHER_PASSWORD, insertApplicant, lastMailTo, loginAs, mailsTo, text } from '../helpers/accounts-fixtures';
import { verifyPassword } from '../../src/shared/security/passwords';
import { ACCOUNT_LINKS } from '../../src/modules/accounts/account-links';

describe('applicant accounts (pages)', () => {
  let app: FastifyInstance;
  let prefectureId: string;
  const closers: (() => Promise<void> | void)[] = [];
  before(async () => {
    ({ app, prefectureId } = await build({ after: (fn) => closers.push(fn) }));
  });
  after(async () => {
    for (const fn of closers.reverse()) await fn();
  });

  const userByEmail = (email: string) =>
    app.deps.db.selectFrom('users').selectAll().where('prefecture_id', '=', prefectureId).where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();

  test('register → confirmation mail → confirm link → login → /compte → logout', async () => {
    const agent = new Agent(app, { 'accept-language': 'en-GB,en;q=0.9' });
    const form = await agent.get('/compte/inscription');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="password_confirm"/);
    const res = await agent.post('/compte/inscription', { email: 'Amina.Benali@Example.fr', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    assert.equal(res.statusCode, 303);
    const check = await agent.get(String(res.headers.location));
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check your mailbox/);

    const user = await userByEmail('amina.benali@example.fr');
    assert.ok(user);
    assert.equal(user.email, 'Amina.Benali@Example.fr');
    assert.equal(user.role, 'applicant');
    assert.equal(user.locale, 'en', 'the request locale is stored');
    assert.equal(user.email_confirmed_at, null);
    assert.match(user.password_hash, /^\$argon2id\$/);
    assert.ok(await verifyPassword(user.password_hash, GOOD_PASSWORD));

    // Not confirmed yet: login is refused with a resend form.
    await agent.get('/compte/connexion');
    const early = await agent.post('/compte/connexion', { email: 'amina.benali@example.fr', password: GOOD_PASSWORD });
    assert.equal(early.statusCode, 403);
    assert.match(early.body, /confirm your e-mail address/);
    assert.match(early.body, /action="\/compte\/renvoyer-confirmation"/);
    assert.equal(agent.cookies.get('sejour_sid'), undefined);

    await app.deps.jobs.drain();
    const mail = await lastMailTo(app, 'Amina.Benali@Example.fr');
    assert.equal(mail.status, 'outbox');
    assert.equal(mail.locale, 'en');
    assert.equal(mail.subject, 'Confirm your e-mail address');
    const link = linkFrom(mail.text_body, '/compte/confirmer?token=');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const stored = await app.deps.db.selectFrom('account_tokens').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, token, 'only the hash is stored');
    const ttl = new Date(stored.expires_at).getTime() - new Date(stored.created_at).getTime();
    assert.ok(Math.abs(ttl - 24 * 3600 * 1000) < 5000, 'valid 24 hours');

    const confirm = await agent.get(link);
    assert.equal(confirm.statusCode, 303);
    assert.equal(confirm.headers.location, '/compte/connexion');
    const loginPage = await agent.get('/compte/connexion');
    assert.match(loginPage.body, /Your e-mail address is confirmed/);
    assert.ok((await userByEmail('amina.benali@example.fr'))?.email_confirmed_at);

    // The link works once.
    const again = await agent.get(link);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /expired or has already been used/);

    const before = agent.cookies.get('sejour_sid');
    await agent.get('/compte/connexion');
    const login = await agent.post('/compte/connexion', { email: 'AMINA.BENALI@example.fr', password: GOOD_PASSWORD });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/compte');
    const cookie = login.cookies.find((c) => c.name === 'sejour_sid');
    assert.ok(cookie && cookie.value !== before);
    assert.equal(cookie.httpOnly, true);
    assert.equal(String(cookie.sameSite).toLowerCase(), 'lax');
    assert.equal(cookie.maxAge, undefined, 'ends with the browser');
    assert.equal(cookie.expires, undefined);
    assert.ok(!/Secure/i.test(String(login.headers['set-cookie'])), 'no Secure flag over http');

    const account = await agent.get('/compte');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Amina\.Benali@Example\.fr/);
    assert.match(account.body, /action="\/compte\/email"/);
    assert.match(account.body, /action="\/compte\/mot-de-passe"/);
    assert.match(account.body, /action="\/compte\/supprimer"/);

    const sessionsBefore = await app.deps.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    assert.equal(sessionsBefore.length, 1);
    const out = await agent.post('/compte/deconnexion', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/');
    assert.equal(agent.cookies.get('sejour_sid'), undefined, 'cookie cleared');
    assert.equal((await app.deps.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).length, 0);
    const home = await agent.get('/');
    assert.match(home.body, /You are signed out/);
    const gone = await agent.get('/compte');
    assert.equal(gone.statusCode, 303);
    assert.equal(gone.headers.location, '/compte/connexion?next=%2Fcompte');
  });

  test('the same e-mail in another case is refused with a clear field message; nothing is created', async () => {
    await insertApplicant(app, prefectureId, 'fatou@example.fr');
    const agent = new Agent(app);
    const res = await agent.submit('/compte/inscription', { email: 'FATOU@Example.FR', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /fr-input-group--error/);
    assert.match(text(res.body), /Un compte existe déjà avec cette adresse électronique/);
    assert.match(res.body, /value="FATOU@Example.FR"/, 'the e-mail is kept');
    assert.doesNotMatch(res.body, new RegExp(GOOD_PASSWORD), 'the password is never echoed');
    const rows = await app.deps.db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', 'fatou@example.fr')).execute();
    assert.equal(rows.length, 1);
    assert.equal((await mailsTo(app, 'FATOU@Example.FR')).length, 0);
  });

  test('the confirmation link expires after 24 hours (410) and the resend form sends a new one', async () => {
    const agent = new Agent(app);
    await agent.submit('/compte/inscription', { email: 'late@example.fr', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    const link = linkFrom((await lastMailTo(app, 'late@example.fr')).text_body, '/compte/confirmer?token=');
    const user = await userByEmail('late@example.fr');
    await app.deps.db.updateTable('account_tokens').set({ expires_at: new Date(Date.now() - 1000), created_at: new Date(Date.now() - 25 * 3600 * 1000) }).where('user_id', '=', user!.id).execute();
    const res = await agent.get(link);
    assert.equal(res.statusCode, 410);
    assert.match(text(res.body), /Ce lien a expiré ou a déjà été utilisé/);
    assert.equal((await userByEmail('late@example.fr'))?.email_confirmed_at, null);
    // Unknown or malformed tokens: same page.
    assert.equal((await agent.get('/compte/confirmer?token=nope')).statusCode, 410);
    assert.equal((await agent.get('/compte/confirmer')).statusCode, 410);

    await agent.get('/compte/connexion');
    const login = await agent.post('/compte/connexion', { email: 'late@example.fr', password: GOOD_PASSWORD });
    assert.equal(login.statusCode, 403);
    const resend = await agent.post('/compte/renvoyer-confirmation', { email: 'late@example.fr' });
    assert.equal(resend.statusCode, 303);
    assert.equal((await mailsTo(app, 'late@example.fr')).length, 2);
    const fresh = linkFrom((await lastMailTo(app, 'late@example.fr')).text_body, '/compte/confirmer?token=');
    assert.notEqual(fresh, link);
    assert.equal((await agent.get(fresh)).statusCode, 303);
    await loginAs(app, 'late@example.fr', GOOD_PASSWORD);
    // Resending for an unknown address answers the same and sends nothing.
    const unknown = await agent.post('/compte/renvoyer-confirmation', { email: 'nobody@example.fr' }, { csrf: agent.csrf() });
    assert.equal(unknown.statusCode, 303);
    assert.equal((await mailsTo(app, 'nobody@example.fr')).length, 0);
  });

  test('login redirects only to a safe local next', async () => {
    const u = await insertApplicant(app, prefectureId, 'next@example.fr');
    for (const [next, expected] of [
      ['/dossiers?x=1', '/dossiers?x=1'],
      ['//evil.example/', '/compte'],
      ['https://evil.example/', '/compte'],
      ['/\\evil.example', '/compte'],
    ] as const) {
      const agent = new Agent(app);
      const page = await agent.get(`/compte/connexion?next=${encodeURIComponent(next)}`);
      const res = await agent.post('/compte/connexion', { email: u.email, password: u.password, next });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, expected, next);
      if (expected !== '/compte') assert.match(page.body, /name="next"/);
    }
  });

  test('missing or forged CSRF tokens are refused (403) and change nothing', async () => {
    const agent = new Agent(app);
    await agent.get('/compte/inscription');
    const form = { email: 'csrf@example.fr', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD };
    assert.equal((await agent.post('/compte/inscription', form, { csrf: null })).statusCode, 403);
    assert.equal((await agent.post('/compte/inscription', form, { csrf: 'forged-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode, 403);
    // A token from another browser does not fit this one's cookie either.
    const other = new Agent(app);
    await other.get('/compte/inscription');
    assert.equal((await agent.post('/compte/inscription', form, { csrf: other.csrf() })).statusCode, 403);
    assert.equal(await userByEmail('csrf@example.fr'), undefined);
    assert.equal((await mailsTo(app, 'csrf@example.fr')).length, 0);

    const u = await insertApplicant(app, prefectureId, 'csrf2@example.fr');
    const logged = await loginAs(app, u.email, u.password);
    await logged.get('/compte');
    const change = { current_password: u.password, new_password: OTHER_PASSWORD, new_password_confirm: OTHER_PASSWORD };
    const missing = await logged.post('/compte/mot-de-passe', change, { csrf: null });
    assert.equal(missing.statusCode, 403);
    assert.match(text(missing.body), /Le formulaire a expiré/);
    assert.equal((await logged.post('/compte/mot-de-passe', change, { csrf: 'forged-token-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' })).statusCode, 403);
    // A valid token of the anonymous page (before login) is bound to no session: refused.
    assert.equal((await logged.post('/compte/mot-de-passe', change, { csrf: other.csrf() })).statusCode, 403);
    const row = await userByEmail(u.email);
    assert.ok(await verifyPassword(row!.password_hash, u.password), 'password unchanged');
    assert.equal((await mailsTo(app, u.email)).length, 0);
  });

  test('invalid input on every form re-renders it with field errors and a 4xx', async () => {
    const u = await insertApplicant(app, prefectureId, 'forms@example.fr');
    const anon = new Agent(app);
    const check = async (agent: Agent, page: string, action: string, form: Record<string, string>, status: number, pattern: RegExp, shown = action) => {
      await agent.get(page);
      const res = await agent.post(action, form);
      assert.equal(res.statusCode, status, `${action} ${JSON.stringify(form)}: ${res.statusCode}`);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /resume-erreurs/, `${action}: error summary`);
      assert.match(text(res.body), pattern, `${action} ${JSON.stringify(form)}`);
      assert.ok(res.body.includes(`action="${shown}"`), 'the form is shown again');
    };
    // Registration
    await check(anon, '/compte/inscription', '/compte/inscription', {}, 400, /Ce champ est obligatoire/);
    await check(anon, '/compte/inscription', '/compte/inscription', { email: 'pas-une-adresse', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD }, 400, /Saisissez une adresse électronique valide/);
    await check(anon, '/compte/inscription', '/compte/inscription', { email: 'a@example.fr', password: 'court', password_confirm: 'court' }, 400, /au moins 12 caractères/);
    await check(anon, '/compte/inscription', '/compte/inscription', { email: 'a@example.fr', password: 'password1234', password_confirm: 'password1234' }, 400, /trop courant/);
    await check(anon, '/compte/inscription', '/compte/inscription', { email: 'a@example.fr', password: GOOD_PASSWORD, password_confirm: OTHER_PASSWORD }, 400, /ne sont pas identiques/);
    assert.equal(await userByEmail('a@example.fr'), undefined);
    // Login
    await check(anon, '/compte/connexion', '/compte/connexion', {}, 400, /Ce champ est obligatoire/);
    await check(anon, '/compte/connexion', '/compte/connexion', { email: 'x', password: 'y' }, 400, /adresse électronique valide/);
    await check(anon, '/compte/connexion', '/compte/connexion', { email: u.email, password: 'mauvais mot de passe' }, 401, /Adresse électronique ou mot de passe incorrect/);
    await check(anon, '/compte/connexion', '/compte/connexion', { email: 'inconnu@example.fr', password: 'mauvais mot de passe' }, 401, /Adresse électronique ou mot de passe incorrect/);
    // Resend, forgotten password, reset
    await check(anon, '/compte/connexion', '/compte/renvoyer-confirmation', { email: 'nope' }, 400, /adresse électronique valide/, '/compte/connexion');
    await check(anon, '/compte/mot-de-passe-oublie', '/compte/mot-de-passe-oublie', { email: '' }, 400, /Ce champ est obligatoire/);
    await anon.get('/compte/mot-de-passe-oublie');
    await anon.post('/compte/mot-de-passe-oublie', { email: u.email });
    const resetLink = linkFrom((await lastMailTo(app, u.email)).text_body, '/compte/reinitialiser?token=');
    const token = new URL(resetLink, 'http://x').searchParams.get('token')!;
    await check(anon, resetLink, '/compte/reinitialiser', { token, password: GOOD_PASSWORD, password_confirm: OTHER_PASSWORD }, 400, /ne sont pas identiques/);
    await check(anon, resetLink, '/compte/reinitialiser', { token, password: 'azerty123456', password_confirm: 'azerty123456' }, 400, /trop courant/);
    await anon.get(resetLink);
    const badToken = await anon.post('/compte/reinitialiser', { token: 'x'.repeat(43), password: OTHER_PASSWORD, password_confirm: OTHER_PASSWORD });
    assert.equal(badToken.statusCode, 410);
    // Account page forms
    const logged = await loginAs(app, u.email, u.password);
    await check(logged, '/compte', '/compte/email', { new_email: 'nope', email_password: u.password }, 400, /adresse électronique valide/);
    await check(logged, '/compte', '/compte/email', { new_email: 'new@example.fr', email_password: 'mauvais mot de passe' }, 400, /Le mot de passe actuel est incorrect/);
    await check(logged, '/compte', '/compte/email', { new_email: 'FORMS@example.fr', email_password: u.password }, 400, /déjà l’adresse de votre compte/);
    await insertApplicant(app, prefectureId, 'taken@example.fr');
    await check(logged, '/compte', '/compte/email', { new_email: 'Taken@Example.fr', email_password: u.password }, 409, /Un compte existe déjà/);
    await check(logged, '/compte', '/compte/mot-de-passe', {}, 400, /Ce champ est obligatoire/);
    await check(logged, '/compte', '/compte/mot-de-passe', { current_password: 'mauvais mot de passe', new_password: OTHER_PASSWORD, new_password_confirm: OTHER_PASSWORD }, 400, /actuel est incorrect/);
    await check(logged, '/compte', '/compte/mot-de-passe', { current_password: u.password, new_password: 'court', new_password_confirm: 'court' }, 400, /au moins 12 caractères/);
    await check(logged, '/compte', '/compte/mot-de-passe', { current_password: u.password, new_password: 'forms-forms-forms', new_password_confirm: 'forms-forms-forms' }, 400, /ne doit pas contenir votre adresse/);
    await check(logged, '/compte', '/compte/supprimer', { delete_password: u.password }, 400, /Cochez la case/);
    await check(logged, '/compte', '/compte/supprimer', { delete_password: 'mauvais mot de passe', delete_confirm: 'on' }, 400, /actuel est incorrect/);
    // Tampered bodies (repeated fields arrive as arrays) are bad input, not a crash.
    await logged.get('/compte');
    const tampered = await app.inject({
      method: 'POST',
      url: '/compte/email',
      headers: { cookie: [...logged.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(logged.csrf())}&new_email=a%40b.fr&new_email=c%40d.fr&email_password=x`,
    });
    assert.equal(tampered.statusCode, 400);
    const still = await userByEmail(u.email);
    assert.ok(still && (await verifyPassword(still.password_hash, u.password)));
  });

  test('forgotten password: same answer for any address; the link (1 h, once) sets a new password and ends every session', async () => {
    const u = await insertApplicant(app, prefectureId, 'reset@example.fr');
    const phone = await loginAs(app, u.email, u.password);
    const laptop = await loginAs(app, u.email, u.password);
    const anon = new Agent(app);
    await anon.get('/compte/mot-de-passe-oublie');
    const known = await anon.post('/compte/mot-de-passe-oublie', { email: 'RESET@example.fr' });
    const knownPage = await anon.get(String(known.headers.location));
    const unknown = await anon.post('/compte/mot-de-passe-oublie', { email: 'personne@example.fr' });
    const unknownPage = await anon.get(String(unknown.headers.location));
    assert.equal(known.statusCode, 303);
    assert.equal(unknown.statusCode, known.statusCode);
    assert.equal(unknown.headers.location, known.headers.location);
    assert.match(text(knownPage.body), /Si un compte existe pour cette adresse/);
    assert.equal(text(unknownPage.body).replace(/value="[^"]*"/g, ''), text(knownPage.body).replace(/value="[^"]*"/g, ''));
    assert.equal((await mailsTo(app, 'personne@example.fr')).length, 0);

    const mail = await lastMailTo(app, u.email);
    const link = linkFrom(mail.text_body, '/compte/reinitialiser?token=');
    const tok = await app.deps.db.selectFrom('account_tokens').selectAll().where('user_id', '=', u.id).where('purpose', '=', 'reset-password').executeTakeFirstOrThrow();
    const ttl = new Date(tok.expires_at).getTime() - new Date(tok.created_at).getTime();
    assert.ok(Math.abs(ttl - 3600 * 1000) < 5000, 'valid 1 hour');

    const page = await anon.get(link);
    assert.equal(page.statusCode, 200);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const done = await anon.post('/compte/reinitialiser', { token, password: OTHER_PASSWORD, password_confirm: OTHER_PASSWORD });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/compte/connexion');
    assert.equal((await app.deps.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).length, 0, 'all sessions ended');
    for (const agent of [phone, laptop]) {
      const res = await agent.get('/compte');
      assert.equal(res.statusCode, 303, 'signed out everywhere');
    }
    assert.equal((await anon.get(link)).statusCode, 410, 'the link works once');
    await loginAs(app, u.email, OTHER_PASSWORD);
    const old = new Agent(app);
    await old.get('/compte/connexion');
    assert.equal((await old.post('/compte/connexion', { email: u.email, password: u.password })).statusCode, 401);
  });

  test('change of e-mail: link to the new address, applied when clicked, uniqueness checked again', async () => {
    const u = await insertApplicant(app, prefectureId, 'move@example.fr');
    const agent = await loginAs(app, u.email, u.password);
    await agent.get('/compte');
    const res = await agent.post('/compte/email', { new_email: 'Moved@Example.fr', email_password: u.password });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/compte');
    assert.equal((await userByEmail('move@example.fr'))?.email, 'move@example.fr', 'not changed before the click');
    const toNew = await lastMailTo(app, 'Moved@Example.fr');
    const notice = await lastMailTo(app, 'move@example.fr');
    assert.match(notice.text_body, /Moved@Example\.fr/);
    const link = linkFrom(toNew.text_body, '/compte/email/confirmer?token=');
    const ok = await agent.get(link);
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/compte');
    const page = await agent.get('/compte');
    assert.match(page.body, /Moved@Example\.fr/);
    assert.match(text(page.body), /Votre adresse électronique a été changée/);
    assert.equal((await agent.get(link)).statusCode, 410);
    await loginAs(app, 'moved@example.fr', u.password);

    // Someone takes the address between the request and the click: refused.
    await agent.get('/compte');
    await agent.post('/compte/email', { new_email: 'race@example.fr', email_password: u.password });
    const raceLink = linkFrom((await lastMailTo(app, 'race@example.fr')).text_body, '/compte/email/confirmer?token=');
    await insertApplicant(app, prefectureId, 'RACE@example.fr');
    const refused = await agent.get(raceLink);
    assert.equal(refused.statusCode, 409);
    assert.match(text(refused.body), /désormais utilisée par un autre compte/);
    assert.equal((await app.deps.db.selectFrom('users').select('email').where('id', '=', u.id).executeTakeFirstOrThrow()).email, 'Moved@Example.fr');
  });

  test('change of password ends the other sessions and keeps this one', async () => {
    const u = await insertApplicant(app, prefectureId, 'pw@example.fr');
    const other = await loginAs(app, u.email, u.password);
    const agent = await loginAs(app, u.email, u.password);
    await agent.get('/compte');
    const res = await agent.post('/compte/mot-de-passe', { current_password: u.password, new_password: OTHER_PASSWORD, new_password_confirm: OTHER_PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal((await agent.get('/compte')).statusCode, 200);
    assert.equal((await other.get('/compte')).statusCode, 303);
    assert.equal((await app.deps.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).length, 1);
    const row = await userByEmail(u.email);
    assert.ok(await verifyPassword(row!.password_hash, OTHER_PASSWORD));
    assert.match((await lastMailTo(app, u.email)).subject, /mot de passe a été changé/);
  });

  test('account deletion removes the user, its sessions and links, and signs out', async () => {
    const u = await insertApplicant(app, prefectureId, 'bye@example.fr');
    const other = await loginAs(app, u.email, u.password);
    const agent = await loginAs(app, u.email, u.password);
    await agent.get('/compte');
    await agent.post('/compte/email', { new_email: 'bye2@example.fr', email_password: u.password });
    await agent.get('/compte');
    const res = await agent.post('/compte/supprimer', { delete_password: u.password, delete_confirm: 'on' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    assert.equal(agent.cookies.get('sejour_sid'), undefined);
    assert.match(text((await agent.get('/')).body), /Votre compte a été supprimé/);
    assert.equal(await userByEmail(u.email), undefined);
    assert.equal((await app.deps.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).length, 0);
    assert.equal((await app.deps.db.selectFrom('account_tokens').select('id').where('user_id', '=', u.id).execute()).length, 0);
    assert.equal((await other.get('/compte')).statusCode, 303);
    const login = new Agent(app);
    await login.get('/compte/connexion');
    assert.equal((await login.post('/compte/connexion', { email: u.email, password: u.password })).statusCode, 401);
  });

  test('other modules add links to the account page through ACCOUNT_LINKS', async () => {
    const u = await insertApplicant(app, prefectureId, 'links@example.fr');
    const agent = await loginAs(app, u.email, u.password);
    ACCOUNT_LINKS.push({ href: '/test-link', labelKey: 'accounts.account_title' });
    try {
      const page = await agent.get('/compte');
      assert.match(page.body, /href="\/test-link"/);
    } finally {
      ACCOUNT_LINKS.splice(ACCOUNT_LINKS.findIndex((l) => l.href === '/test-link'), 1);
    }
  });

  test('pages render in English and Arabic (rtl)', async () => {
    for (const [lang, title] of [
      ['en', 'Create an account'],
      ['ar', 'إنشاء حساب'],
    ] as const) {
      const res = await app.inject(`/compte/inscription?lang=${lang}`);
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(title));
    }
    assert.match((await app.inject('/compte/connexion?lang=ar')).body, /dir="rtl"/);
  });
});

test('over HTTPS (secureCookies) the session cookie is Secure, HttpOnly, SameSite=Lax, without Max-Age', async (t) => {
  const { app, prefectureId } = await build(t, { config: { secureCookies: true } });
  const u = await insertApplicant(app, prefectureId, 'secure@example.fr');
  const agent = new Agent(app);
  await agent.get('/compte/connexion');
  const res = await agent.post('/compte/connexion', { email: u.email, password: u.password });
  assert.equal(res.statusCode, 303);
  const raw = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('sejour_sid='));
  assert.ok(raw);
  assert.match(String(raw), /; Secure/);
  assert.match(String(raw), /; HttpOnly/);
  assert.match(String(raw), /; SameSite=Lax/);
  assert.doesNotMatch(String(raw), /Max-Age|Expires/i);
});
