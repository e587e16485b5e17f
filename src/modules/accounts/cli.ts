// CLI commands of the accounts module (registered in src/cli.ts):
//   create-staff --prefecture 34 --email x --role agent|supervisor|admin --name "…" [--password …]
//   totp-code <base32-secret>   (development helper: the current code for a secret)
import type { Command } from '../../cli';
import { migrate } from '../../db/migrate';
import { AppError } from '../../shared/errors';
import { translator } from '../../shared/i18n';
import { totpCode } from '../../shared/security/totp';
import { createStaff } from './create-staff';

const out = (s: string) => process.stdout.write(`${s}\n`);

export const createStaffCommand: Command = {
  summary: 'Create a staff account (agent, supervisor or admin); prints a generated password when none is given',
  usage: 'create-staff --prefecture 34 --email agent@example.fr --role agent|supervisor|admin --name "Prénom Nom" [--password …]',
  async run(ctx) {
    let flags;
    try {
      flags = ctx.flags({
        prefecture: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        password: { type: 'string' },
      }).values;
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      console.error(`Usage: npm run cli -- ${createStaffCommand.usage}`);
      return 2;
    }
    await migrate(ctx.database);
    try {
      const res = await createStaff(ctx.database.db, {
        prefectureCode: flags.prefecture,
        email: flags.email,
        role: flags.role,
        name: flags.name,
        password: flags.password,
      });
      out(`Created ${res.role} ${res.email} (${res.prefectureName}).`);
      if (res.generated) out(`Password (shown once, give it to the person through a safe channel): ${res.password}`);
      out('Two-factor authentication is set up at the first login (/agent/double-authentification).');
      return 0;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const t = translator('en', false);
      console.error(`Not created: ${t(err.messageKey)}`);
      for (const [field, key] of Object.entries(err.fields)) console.error(`  --${field}: ${t(key)}`);
      console.error(`Usage: npm run cli -- ${createStaffCommand.usage}`);
      return 2;
    }
  },
};

export const totpCodeCommand: Command = {
  summary: 'Print the current TOTP code for a base32 secret (development helper for the demo)',
  usage: 'totp-code <base32-secret>',
  noDatabase: true,
  async run({ args }) {
    const secret = args.join('').replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z2-7]+=*$/.test(secret) || secret.length < 16) {
      console.error('Give the base32 secret shown on the enrolment page, e.g. npm run cli -- totp-code "JBSW Y3DP EHPK 3PXP"');
      return 2;
    }
    out(totpCode(secret));
    return 0;
  },
};
