import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailKey, identityKey, nameTokens, normalizePhone, personKeys } from '../../src/modules/appointments/identity';

test('e-mail key: case, +tags and Gmail dots do not make a new person', () => {
  assert.equal(emailKey('Name+x@gmail.com'), emailKey('name@gmail.com'));
  assert.equal(emailKey('n.a.me@gmail.com'), 'name@gmail.com');
  assert.equal(emailKey('N.A.Me+resell@GoogleMail.com'), 'name@gmail.com');
  assert.equal(emailKey('  Jean.Dupont+rdv@Orange.fr '), 'jean.dupont@orange.fr');
  // Dots matter outside Gmail.
  assert.notEqual(emailKey('jean.dupont@orange.fr'), emailKey('jeandupont@orange.fr'));
  assert.equal(emailKey('not-an-address'), null);
  assert.equal(emailKey('+tag@gmail.com'), null);
});

test('identity key: name order, accents, case, spaces and hyphens do not matter; birth date does', () => {
  const a = identityKey('MARTIN', 'Éloïse', '1990-05-04');
  assert.equal(identityKey('Martin', 'Eloise', '1990-05-04'), a);
  assert.equal(identityKey('Eloise', 'Martin', '1990-05-04'), a, 'swapped surname and given names');
  assert.equal(identityKey('', 'eloise   MARTIN', '1990-05-04'), a);
  assert.notEqual(identityKey('Martin', 'Eloise', '1990-05-05'), a);
  assert.equal(identityKey('Ben-Ali', 'Mohamed Amine', '1985-01-01'), identityKey('BEN ALI', 'Amine Mohamed', '1985-01-01'));
  assert.equal(identityKey("N'Diaye", 'Fatou', '2000-02-29'), identityKey('N DIAYE', 'FATOU', '2000-02-29'));
  assert.deepEqual(nameTokens('Œuvre Straße'), ['oeuvre', 'strasse']);
  assert.equal(identityKey('Nguyễn', 'Thị Ánh', '1999-09-09'), identityKey('NGUYEN', 'THI ANH', '1999-09-09'));
});

test('phone key: E.164 with France by default', () => {
  assert.equal(normalizePhone('06 12 34 56 78'), '+33612345678');
  assert.equal(normalizePhone('06.12.34.56.78'), '+33612345678');
  assert.equal(normalizePhone('+33 6 12 34 56 78'), '+33612345678');
  assert.equal(normalizePhone('+33 (0)6 12 34 56 78'), '+33612345678');
  assert.equal(normalizePhone('0033612345678'), '+33612345678');
  assert.equal(normalizePhone('+212 6 12 34 56 78'), '+212612345678');
  assert.equal(normalizePhone('12345'), null);
  assert.equal(normalizePhone('06 12 34'), null);
  assert.equal(normalizePhone('+33 6 12 34 56 78 9'), null);
});

test('personKeys gives the three keys or the fields to correct', () => {
  const ok = personKeys({ surname: 'Martin', givenNames: 'Éloïse', birthDate: '1990-05-04', email: 'E.Martin+x@gmail.com', phone: '0612345678' });
  assert.ok(ok.ok);
  if (ok.ok) assert.deepEqual(ok.keys, { identityKey: 'eloise martin|1990-05-04', emailKey: 'emartin@gmail.com', phoneKey: '+33612345678' });
  const bad = personKeys({ surname: ' - ', givenNames: '', birthDate: '04/05/1990', email: 'x', phone: '1' });
  assert.ok(!bad.ok);
  if (!bad.ok) assert.deepEqual(Object.keys(bad.errors).sort(), ['birth_date', 'email', 'phone', 'surname']);
});
