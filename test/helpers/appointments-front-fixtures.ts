// Appointments front fixtures: applicant and staff sessions, the Hérault appointment service
// with walk-in rules, and a solved proof of work as the widget would post it.
import type { FastifyInstance } from 'fastify';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { setupAppointments } from './appointments-core-fixtures';
import { Agent } from './agent';
import { seedWalkInRules } from '../../src/modules/appointments/walk-in';
import { createSession, SESSION_COOKIE } from '../../src/shared/auth/sessions';

let n = 0;

/** A signed-in browser. Accounts are 30 days old unless `newAccount` (a new account is a weak risk signal). */
export async function signedIn(
  app: FastifyInstance,
  prefectureId: string,
  opts: { role?: 'applicant' | 'agent'; email?: string; newAccount?: boolean } = {},
): Promise<{ agent: Agent; userId: string; token: string }> {
  const role = opts.role ?? 'applicant';
  const email = opts.email ?? `person${++n}-${Date.now()}@example.org`;
  const created = opts.newAccount ? new Date() : new Date(Date.now() - 30 * 86_400_000);
  const user = await app.deps.db
    .insertInto('users')
    .values({ prefecture_id: prefectureId, role, email, password_hash: 'unused', email_confirmed_at: created, created_at: created })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = await createSession(app.deps.db, { id: user.id, prefecture_id: prefectureId }, 'web', role !== 'applicant');
  const agent = new Agent(app);
  agent.cookies.set(SESSION_COOKIE, session.token);
  return { agent, userId: user.id, token: session.token };
}

export async function setupFront(app: FastifyInstance, prefectureId: string): Promise<void> {
  await setupAppointments(app.deps.db, prefectureId);
  await seedWalkInRules(app.deps.db, prefectureId);
}

/** What the ALTCHA widget posts in the "altcha" field once it solved our challenge. */
export async function solvedAltcha(app: FastifyInstance): Promise<string> {
  const res = await app.inject('/rendez-vous/altcha-challenge');
  const challenge = res.json() as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('no solution');
  return Buffer.from(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution })).toString('base64');
}
