// Accounts test helpers: confirmed applicants and staff written straight to the database,
// and a browser-like login through the real pages.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/shared/security/passwords';
import { Agent } from './agent';

export const GOOD_PASSWORD = 'ma phrase de passe solide';
export const OTHER_PASSWORD = 'une autre phrase longue';

export async function insertApplicant(
  app: FastifyInstance,
  prefectureId: string,
  email: string,
  opts: { password?: string; confirmed?: boolean } = {},
): Promise<{ id: string; email: string; password: string }> {
  const password = opts.password ?? GOOD_PASSWORD;
  const row = await app.deps.db
    .insertInto('users')
    .values({
      prefecture_id: prefectureId,
      role: 'applicant',
      email,
      password_hash: await hashPassword(password),
      email_confirmed_at: opts.confirmed === false ? null : new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email, password };
}

/** Logs in through GET + POST /compte/connexion; asserts the redirect. */
export async function loginAs(app: FastifyInstance, email: string, password: string, expect = '/compte', headers: Record<string, string> = {}): Promise<Agent> {
  const agent = new Agent(app, headers);
  await agent.get('/compte/connexion');
  const res = await agent.post('/compte/connexion', { email, password });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  assert.equal(res.headers.location, expect);
  assert.ok(agent.cookies.get('sejour_sid'));
  return agent;
}

export async function mailsTo(app: FastifyInstance, to: string) {
  return app.deps.db.selectFrom('mails').selectAll().where('to_address', '=', to).orderBy('created_at').execute();
}

export async function lastMailTo(app: FastifyInstance, to: string) {
  const mails = await mailsTo(app, to);
  const last = mails.at(-1);
  assert.ok(last, `no mail to ${to}`);
  return last;
}

/** The text of the page without tags, entities decoded enough for French apostrophes. */
export function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}
