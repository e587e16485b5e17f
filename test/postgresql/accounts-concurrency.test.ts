// PostgreSQL server only: two registrations racing for one address (different case) — the
// unique index users_email_ci lets exactly one through; the other gets the clear 409.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, openTestDatabase } from '../helpers/build';
import { registerApplicant } from '../../src/modules/accounts/register-applicant';
import { AppError } from '../../src/shared/errors';

test('racing registrations for one e-mail in two cases: one account, one 409', { skip: process.env.SEJOUR_TEST_DB !== 'postgresql' && 'PostgreSQL server only' }, async (t) => {
  const database = await openTestDatabase(t, 'postgresql');
  const { app, prefectureId } = await build(t, { database });
  const env = { db: app.deps.db, publicUrl: 'http://localhost' };
  for (let round = 0; round < 5; round++) {
    const email = `race${round}@example.fr`;
    const results = await Promise.allSettled(
      [email, email.toUpperCase(), `Race${round}@Example.fr`].map((e) =>
        registerApplicant(env, { prefectureId, locale: 'fr', email: e, password: 'un cheval bleu mange', checkConfirm: false, proofOfWork: true }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1, `round ${round}`);
    for (const r of refused) {
      assert.ok(r.reason instanceof AppError, String(r.reason));
      assert.equal(r.reason.code, 'conflict');
      assert.deepEqual(r.reason.fields, { email: 'accounts.err_email_taken' });
    }
    const rows = await app.deps.db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email)).execute();
    assert.equal(rows.length, 1);
    const mails = await app.deps.db.selectFrom('mails').select('id').where((eb) => eb(eb.fn('lower', ['to_address']), '=', email)).execute();
    assert.equal(mails.length, 1, 'no mail for the refused ones');
  }
});
