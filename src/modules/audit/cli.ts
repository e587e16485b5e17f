// CLI command of the audit module (registered in src/cli.ts): checks the hash chain of the
// audit log; exit code 1 naming the first altered, inserted or removed row.
import type { Command } from '../../cli';
import { verifyAuditChain } from './verify-audit-chain';

export const auditVerifyCommand: Command = {
  summary: 'Check the audit log hash chain of every préfecture; non-zero exit on the first broken row',
  usage: 'audit:verify [--prefecture <code>]',
  async run({ database, flags }) {
    const { values } = flags({ prefecture: { type: 'string' } });
    let prefectureId: string | undefined;
    if (values.prefecture) {
      const p = await database.db.selectFrom('prefectures').select('id').where('code', '=', values.prefecture).executeTakeFirst();
      if (!p) {
        console.error(`Préfecture ${values.prefecture}: not found`);
        return 2;
      }
      prefectureId = p.id;
    }
    const report = await verifyAuditChain(database.db, prefectureId);
    if (report.ok) {
      process.stdout.write(`Audit log: OK — ${report.rows} rows, every hash recomputed and chained.\n`);
      return 0;
    }
    console.error(`Audit log: BROKEN at row ${report.firstBadId ?? '(none)'} (préfecture ${report.prefectureId}): ${report.reason}`);
    return 1;
  },
};
