import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT_LIMIT, IP_LIMIT, waitFor } from '../../src/modules/accounts/throttle';
import { newPasswordErrors, safeNext } from '../../src/modules/accounts/schemas';
import { groupSecret } from '../../src/modules/accounts/enrol-totp';
import { uniqueLinks } from '../../src/modules/accounts/account-links';

test('throttle: wait until the oldest counted failure leaves the window', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  const ago = (min: number) => new Date(now - min * 60_000);
  assert.equal(waitFor([ago(1), ago(2), ago(3), ago(4)], ACCOUNT_LIMIT, now), 0, 'under the limit');
  assert.equal(waitFor([ago(1), ago(2), ago(3), ago(4), ago(5)], ACCOUNT_LIMIT, now), 10 * 60_000);
  assert.equal(waitFor([ago(0), ago(0), ago(0), ago(0), ago(0)], ACCOUNT_LIMIT, now), 15 * 60_000);
  assert.equal(waitFor([ago(1), ago(2), ago(3), ago(4), ago(16)], ACCOUNT_LIMIT, now), 0, 'the 5th is outside the window');
  assert.ok(IP_LIMIT.failures > ACCOUNT_LIMIT.failures, 'IPs are shared: a higher threshold');
});

test('safeNext keeps local paths only', () => {
  assert.equal(safeNext('/dossiers/12?x=1'), '/dossiers/12?x=1');
  assert.equal(safeNext('/'), '/');
  for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', ' /x', '/a b', 42, undefined, `/${'a'.repeat(600)}`]) {
    assert.equal(safeNext(bad), null, String(bad));
  }
});

test('new passwords: length, common ones, confirmation, e-mail inside', () => {
  assert.deepEqual(newPasswordErrors('un cheval bleu mange', { field: 'p' }), {});
  assert.deepEqual(newPasswordErrors('court', { field: 'p' }), { p: 'accounts.err_password_too_short' });
  assert.deepEqual(newPasswordErrors('password1234', { field: 'p' }), { p: 'accounts.err_password_common' });
  assert.deepEqual(newPasswordErrors('', { field: 'p', confirmField: 'c', confirm: '' }), { p: 'errors.required', c: 'errors.required' });
  assert.deepEqual(newPasswordErrors('un cheval bleu mange', { field: 'p', confirmField: 'c', confirm: 'autre chose' }), { c: 'accounts.err_password_mismatch' });
  assert.deepEqual(newPasswordErrors('amina.benali 2026!', { field: 'p', email: 'Amina.Benali@example.fr' }), { p: 'accounts.err_password_contains_email' });
});

test('TOTP secrets are shown in groups of four; links are listed once', () => {
  assert.equal(groupSecret('JBSWY3DPEHPK3PXPJBSW'), 'JBSW Y3DP EHPK 3PXP JBSW');
  assert.deepEqual(uniqueLinks([{ href: '/a' }, { href: '/b' }, { href: '/a' }]), [{ href: '/a' }, { href: '/b' }]);
});
