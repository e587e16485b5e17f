// Self-hosted ALTCHA proof of work (no third party): the server hands out signed challenges,
// the widget (served from our origin, /static/altcha/…) solves one in a Web Worker and posts
// the payload in the form field "altcha". Each solved challenge is accepted once (table
// altcha_spent). Without JavaScript there is no payload: the filing is accepted but held for
// staff review (signal no_pow) — nobody is locked out.
import { readFileSync } from 'node:fs';
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { hmac } from './tokens';
import { projectPath } from '../paths';

const ALGORITHM = 'SHA-256';
const TTL_MS = 30 * 60_000;

export interface AltchaDifficulty {
  cost: number;
  min: number;
  max: number;
}

/** Test runs use a trivial difficulty; production a ~1 s solve on a mid-range phone. */
export function altchaDifficulty(env: string): AltchaDifficulty {
  return env === 'test' ? { cost: 1, min: 10, max: 200 } : { cost: 20, min: 5_000, max: 25_000 };
}

function secrets(secretKey: string) {
  return { hmacSignatureSecret: hmac(secretKey, 'altcha-signature-v1'), hmacKeySignatureSecret: hmac(secretKey, 'altcha-key-signature-v1') };
}

export async function createAltchaChallenge(secretKey: string, difficulty: AltchaDifficulty, now = Date.now()): Promise<Challenge> {
  return createChallenge({
    algorithm: ALGORITHM,
    cost: difficulty.cost,
    counter: randomInt(difficulty.min, difficulty.max),
    deriveKey,
    expiresAt: new Date(now + TTL_MS),
    ...secrets(secretKey),
  });
}

function parsePayload(payload: string): { challenge: Challenge; solution: Solution } | null {
  if (!payload || payload.length > 4000) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { challenge?: Challenge; solution?: Solution };
    if (!parsed.challenge?.parameters || typeof parsed.challenge.signature !== 'string' || !parsed.solution) return null;
    return { challenge: parsed.challenge, solution: parsed.solution };
  } catch {
    return null;
  }
}

/** True when the payload solves a challenge we signed, not expired and never used before. */
export async function verifyAltcha(db: Kysely<DB>, secretKey: string, payload: string | undefined): Promise<boolean> {
  const parsed = payload ? parsePayload(payload) : null;
  if (!parsed) return false;
  let verified: boolean;
  try {
    const result = await verifySolution({ challenge: parsed.challenge, solution: parsed.solution, deriveKey, ...secrets(secretKey) });
    verified = result.verified;
  } catch {
    verified = false;
  }
  if (!verified) return false;
  const signature = String(parsed.challenge.signature);
  const expires = parsed.challenge.parameters.expiresAt;
  const spent = await db
    .insertInto('altcha_spent')
    .values({ signature: signature.slice(0, 200), expires_at: new Date(typeof expires === 'number' ? expires * (expires < 1e12 ? 1000 : 1) : Date.now() + TTL_MS) })
    .onConflict((oc) => oc.column('signature').doNothing())
    .returning('signature')
    .executeTakeFirst();
  await db.deleteFrom('altcha_spent').where('expires_at', '<', new Date(Date.now() - 24 * 3_600_000)).execute();
  return !!spent;
}

// Widget assets, served from our origin (CSP: 'self' only).
function altchaFile(rel: string): string {
  return readFileSync(projectPath('node_modules', 'altcha', rel), 'utf8');
}

let assets: Record<string, { type: string; body: string }> | null = null;
export function altchaAssets(): Record<string, { type: string; body: string }> {
  assets ??= {
    'altcha.js': { type: 'text/javascript; charset=utf-8', body: altchaFile('dist/external/altcha.min.js') },
    'altcha.css': { type: 'text/css; charset=utf-8', body: altchaFile('dist/external/altcha.css') },
    'sha-worker.js': { type: 'text/javascript; charset=utf-8', body: altchaFile('dist/workers/sha.js') },
    'boot.js': {
      type: 'text/javascript; charset=utf-8',
      body: "globalThis.$altcha.algorithms.set('SHA-256', () => new Worker('/static/altcha/sha-worker.js'));\n",
    },
  };
  return assets;
}
