// CLI commands of the appointments module (registered in src/cli.ts).
import type { Command } from '../../cli';
import { verifyDraw } from './verify-draw';

export const drawVerifyCommand: Command = {
  summary: 'Recompute a revealed draw from its seed and stored inputs; non-zero exit on any difference',
  usage: 'draw:verify <drawId>',
  async run({ database, args }) {
    const id = args[0];
    if (!id) {
      console.error('Usage: npm run cli -- draw:verify <drawId>');
      return 2;
    }
    const res = await verifyDraw(database.db, id);
    if (res.ok) {
      process.stdout.write(`Draw ${id}: OK — seed matches the commitment, ranking of ${res.requests} requests recomputed identically (${res.allocations} allocations).\n`);
      return 0;
    }
    switch (res.problem) {
      case 'not_found':
        console.error(`Draw ${id}: not found`);
        return 1;
      case 'not_revealed':
        console.error(`Draw ${id}: not run yet (seed not revealed)`);
        return 1;
      case 'malformed':
        console.error(`Draw ${id}: MISMATCH — the stored inputs or ranking are not in the published format`);
        return 1;
      case 'commitment':
        console.error(`Draw ${id}: MISMATCH — SHA-256(seed) differs from the published commitment`);
        return 1;
      case 'ranking':
        console.error(`Draw ${id}: MISMATCH at rank ${(res.index ?? 0) + 1}: expected ${res.expected ?? '(none)'}, stored ${res.stored ?? '(none)'}`);
        return 1;
    }
  },
};
