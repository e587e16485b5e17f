import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipPrefix, isDisposableEmail, needsReview } from '../../src/modules/appointments/abuse';
import { identityKey } from '../../src/modules/appointments/identity';
import { personDigest, signConvocation, verifyConvocation } from '../../src/modules/appointments/token';
import { urgentEligibility } from '../../src/modules/appointments/urgent-rules';
import { walkInDecision, type WalkInRule } from '../../src/modules/appointments/walk-in';

const SECRET = 'unit-secret-key-0123456789abcdef0123456789';
const claims = {
  appointmentId: '3f2a8c1e-9b7d-4e6f-a1b2-c3d4e5f60718',
  personDigest: personDigest(identityKey('Martin', 'Éloïse', '1990-04-02')),
  slotStartsAt: new Date('2026-03-12T08:40:00Z'),
};

test('convocation token: signed, compact, round-trips; every instance derives the same key', () => {
  const token = signConvocation(SECRET, claims);
  assert.ok(token.length <= 130, `token too long for a small QR: ${token.length}`);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(verifyConvocation(SECRET, token), claims);
  // Deterministic key: a token signed by one instance verifies on another (same SECRET_KEY).
  assert.equal(signConvocation(SECRET, claims), token, 'Ed25519 signatures are deterministic for one key');
});

test('convocation token: forged, altered, other key or garbage are refused', () => {
  const token = signConvocation(SECRET, claims);
  assert.equal(verifyConvocation('another-secret-key-0123456789abcdef01234', token), null, 'signed with another key');
  const raw = Buffer.from(token, 'base64url');
  for (const at of [1, 17, 26, 40]) {
    const altered = Buffer.from(raw);
    altered[at] = (altered[at] ?? 0) ^ 1;
    assert.equal(verifyConvocation(SECRET, altered.toString('base64url')), null, `byte ${at} altered`);
  }
  // A payload naming another appointment with the original signature.
  const other = Buffer.from(raw);
  Buffer.from('00000000000000000000000000000001', 'hex').copy(other, 1);
  assert.equal(verifyConvocation(SECRET, other.toString('base64url')), null);
  assert.equal(verifyConvocation(SECRET, ''), null);
  assert.equal(verifyConvocation(SECRET, 'x'.repeat(126)), null);
  assert.equal(verifyConvocation(SECRET, `${token}A`), null);
});

test('person digest follows the normalised identity', () => {
  assert.equal(personDigest(identityKey('MARTIN', 'Eloise', '1990-04-02')), claims.personDigest);
  assert.notEqual(personDigest(identityKey('Martin', 'Éloïse', '1990-04-03')), claims.personDigest);
});

const RULES: WalkInRule[] = [1, 2, 4, 5].map((weekday) => ({ siteId: 'mtp', reasonCode: 'resident_renewal', weekday, start: '08:30', end: '12:00' }));
// Paris is UTC+1 in winter: 09:00 local = 08:00Z.
const at = (date: string, hhmmZ: string) => new Date(`${date}T${hhmmZ}:00Z`);

test('walk-in: 10-year card renewal on weekday mornings except Wednesday, not on public holidays', () => {
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-03-09', '08:00')), { ok: true }, 'Monday 09:00');
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-03-11', '08:00')), { ok: false, refusal: 'weekday' }, 'Wednesday refused');
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-03-12', '10:59')), { ok: true }, 'Thursday 11:59');
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-03-12', '11:00')), { ok: false, refusal: 'hours' }, 'Thursday 12:00');
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-03-12', '07:29')), { ok: false, refusal: 'hours' }, 'Thursday 08:29');
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-03-14', '08:00')), { ok: false, refusal: 'weekday' }, 'Saturday');
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-04-06', '07:00')), { ok: false, refusal: 'holiday' }, 'Easter Monday 2026');
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'renewal', at('2026-03-09', '08:00')), { ok: false, refusal: 'no_rule' });
  assert.deepEqual(walkInDecision(RULES, 'bez', 'resident_renewal', at('2026-03-09', '08:00')), { ok: false, refusal: 'no_rule' });
  assert.deepEqual(
    walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-03-09', '08:00'), [{ siteId: 'mtp', counterId: null, startsOn: '2026-03-09', endsOn: '2026-03-09' }]),
    { ok: false, refusal: 'closed' },
  );
  // Summer time: 08:30 local = 06:30Z.
  assert.deepEqual(walkInDecision(RULES, 'mtp', 'resident_renewal', at('2026-07-06', '06:30')), { ok: true });
});

test('network prefixes: IPv4 /24, IPv6 /48, mapped IPv4', () => {
  assert.equal(ipPrefix('192.0.2.77'), '192.0.2.0/24');
  assert.equal(ipPrefix('::ffff:192.0.2.77'), '192.0.2.0/24');
  assert.equal(ipPrefix('2001:db8:abcd:12::1'), '2001:db8:abcd::/48');
  assert.equal(ipPrefix('2001:0db8:0000:0012:0000:0000:0000:0001'), '2001:db8:0::/48');
  assert.equal(ipPrefix('not an ip'), null);
  assert.equal(ipPrefix(undefined), null);
});

test('review decision: a shared network alone never flags; strong signals do', () => {
  assert.equal(needsReview([]), false);
  assert.equal(needsReview(['ip_cluster']), false);
  assert.equal(needsReview(['new_account']), false);
  assert.equal(needsReview(['ip_cluster', 'new_account']), true);
  for (const s of ['device_cluster', 'account_cluster', 'disposable_email', 'previous_mismatch', 'no_pow'] as const) assert.equal(needsReview([s]), true, s);
  assert.equal(isDisposableEmail('x@yopmail.com'), true);
  assert.equal(isDisposableEmail('x@mail.yopmail.com'), true);
  assert.equal(isDisposableEmail('x@gmail.com'), false);
});

test('urgent channel: open when free seats before expiry cannot cover who needs them, or job at risk', () => {
  const base = { today: '2026-03-01', permitExpiresOn: '2026-03-20', motiveKind: 'permit_expiry' as const };
  assert.deepEqual(urgentEligibility({ ...base, freeSeatsBeforeExpiry: 0, competingBeforeExpiry: 0 }), { ok: true });
  assert.deepEqual(urgentEligibility({ ...base, freeSeatsBeforeExpiry: 10, competingBeforeExpiry: 10 }), { ok: true });
  assert.deepEqual(urgentEligibility({ ...base, freeSeatsBeforeExpiry: 11, competingBeforeExpiry: 10 }), { ok: false, reason: 'slots_available' });
  assert.deepEqual(urgentEligibility({ ...base, permitExpiresOn: null, freeSeatsBeforeExpiry: 0, competingBeforeExpiry: 0 }), { ok: false, reason: 'no_expiry' });
  assert.deepEqual(urgentEligibility({ ...base, permitExpiresOn: '2026-02-01', freeSeatsBeforeExpiry: 99, competingBeforeExpiry: 0 }), { ok: true });
  assert.deepEqual(urgentEligibility({ ...base, motiveKind: 'job_risk', freeSeatsBeforeExpiry: 99, competingBeforeExpiry: 0 }), { ok: true });
});
