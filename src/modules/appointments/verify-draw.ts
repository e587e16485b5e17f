// Use case: anyone can check a revealed draw. The seed must match the commitment published
// before the draw, and the ranking recomputed from the seed and the stored inputs must equal
// the stored ranking.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { firstRankingDifference, rankRequests, seedCommitment } from './allocator';
import { decodeDrawInputs, decodeRanking } from './draw-record';

export type VerifyDrawResult =
  | { ok: true; requests: number; allocations: number }
  | { ok: false; problem: 'not_found' | 'not_revealed' | 'malformed' | 'commitment' | 'ranking'; index?: number; expected?: string | null; stored?: string | null };

export async function verifyDraw(db: Kysely<DB>, drawId: string): Promise<VerifyDrawResult> {
  if (!/^[0-9a-f-]{36}$/i.test(drawId)) return { ok: false, problem: 'not_found' };
  const draw = await db.selectFrom('draws').select(['seed', 'commitment', 'inputs', 'ranked', 'allocations', 'status']).where('id', '=', drawId).executeTakeFirst();
  if (!draw) return { ok: false, problem: 'not_found' };
  if (draw.status !== 'done' || !draw.seed || !draw.inputs || !draw.ranked) return { ok: false, problem: 'not_revealed' };
  if (seedCommitment(draw.seed) !== draw.commitment) return { ok: false, problem: 'commitment' };
  const inputs = decodeDrawInputs(draw.inputs);
  const ranked = decodeRanking(draw.ranked);
  if (!inputs || !ranked) return { ok: false, problem: 'malformed' };
  const index = firstRankingDifference(inputs, draw.seed, ranked);
  if (index >= 0) {
    const expected = rankRequests(inputs, draw.seed).map((r) => r.pid);
    return { ok: false, problem: 'ranking', index, expected: expected[index] ?? null, stored: ranked[index] ?? null };
  }
  return { ok: true, requests: ranked.length, allocations: draw.allocations ?? 0 };
}
