import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/shared/errors';
import { isValidAgdref, parseIdentity, postalPrefix } from '../../src/modules/dossiers/identity';
import { availableEvents, nextState, TRANSITIONS } from '../../src/modules/dossiers/lifecycle';
import { formatDossierNumber, DOSSIER_NUMBER } from '../../src/modules/dossiers/numbering';
import { renewalWindow } from '../../src/modules/dossiers/renewal-window';
import { DOSSIER_STATES } from '../../src/modules/dossiers/tables';

const base = {
  surname: 'BEN ALI',
  given_names: 'Amina',
  birth_date: '1990-04-21',
  birth_place: 'Oujda, Maroc',
  nationality: 'marocaine',
  agdref_number: '3412345678',
  current_permit_number: 'FR1234567',
  current_permit_expires_on: '2026-09-30',
  address_line: '12 rue de la Loge',
  postal_code: '34000',
  city: 'Montpellier',
  phone: '06 12 34 56 78',
  ephoto_code: 'ABCD1234EFGH5678IJKL90',
};

function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    return err.fields;
  }
  assert.fail('expected a validation error');
}

test('AGDREF numbers are exactly 10 digits, and required for renewals', () => {
  assert.ok(isValidAgdref('3412345678'));
  for (const bad of ['341234567', '34123456789', '34123456a8', '']) assert.ok(!isValidAgdref(bad), bad);
  const rules = { kind: 'renewal' as const, prefectureCode: '34', today: '2026-05-01' };
  assert.equal(fieldsOf(() => parseIdentity({ ...base, agdref_number: '123' }, rules)).agdref_number, 'dossiers.err_agdref');
  assert.equal(fieldsOf(() => parseIdentity({ ...base, agdref_number: '' }, rules)).agdref_number, 'dossiers.err_agdref_required');
  // Spaces are tolerated as typed from the card.
  assert.equal(parseIdentity({ ...base, agdref_number: '34 1234 5678' }, rules).identity.agdref_number, '3412345678');
  // Not required for a first request.
  assert.equal(parseIdentity({ ...base, agdref_number: '' }, { ...rules, kind: 'first' }).identity.agdref_number, null);
});

test('the address must be in the département (34xxx for Hérault)', () => {
  const rules = { kind: 'first' as const, prefectureCode: '34', today: '2026-05-01' };
  assert.equal(fieldsOf(() => parseIdentity({ ...base, postal_code: '75001' }, rules)).postal_code, 'dossiers.err_postal_code_department');
  assert.equal(fieldsOf(() => parseIdentity({ ...base, postal_code: '3400' }, rules)).postal_code, 'dossiers.err_postal_code');
  assert.equal(postalPrefix('2A'), '20');
  assert.equal(postalPrefix('974'), '974');
});

test('renewal window: from the 120th to the 60th day before expiry; later is late', () => {
  assert.deepEqual(renewalWindow('2026-09-30', '2026-05-01'), { opensOn: '2026-06-02', closesOn: '2026-08-01', timing: 'early' });
  assert.equal(renewalWindow('2026-09-30', '2026-06-02').timing, 'in_window');
  assert.equal(renewalWindow('2026-09-30', '2026-08-01').timing, 'in_window');
  assert.equal(renewalWindow('2026-09-30', '2026-08-02').timing, 'late');
  assert.equal(renewalWindow('2026-09-30', '2026-10-01').timing, 'expired');
});

test('a late renewal is flagged and needs a reason', () => {
  const rules = { kind: 'renewal' as const, prefectureCode: '34', today: '2026-09-01' };
  assert.equal(fieldsOf(() => parseIdentity(base, rules)).late_reason, 'dossiers.err_late_reason');
  const ok = parseIdentity({ ...base, late_reason: 'Aucun rendez-vous disponible' }, rules);
  assert.equal(ok.identity.late_renewal, true);
  assert.equal(ok.window?.timing, 'late');
  const inTime = parseIdentity({ ...base, late_reason: 'ignored' }, { ...rules, today: '2026-07-01' });
  assert.equal(inTime.identity.late_renewal, false);
  assert.equal(inTime.identity.late_reason, null);
});

test('dossier numbers: préfecture-year-6 digits', () => {
  assert.equal(formatDossierNumber('34', 2026, 123), '34-2026-000123');
  assert.match(formatDossierNumber('2A', 2026, 1), DOSSIER_NUMBER);
});

test('the lifecycle table: only listed states, applicants act only on their own dossier, staff decide', () => {
  for (const rule of Object.values(TRANSITIONS)) {
    for (const s of [...rule.from, rule.to]) assert.ok(DOSSIER_STATES.includes(s), s);
  }
  const owner = { role: 'applicant' as const, id: 'u1' };
  const draft = { state: 'draft' as const, applicant_id: 'u1' };
  assert.deepEqual(nextState(draft, 'submit', owner), { ok: true, to: 'submitted' });
  assert.deepEqual(nextState(draft, 'submit', { role: 'applicant', id: 'u2' }), { ok: false, reason: 'forbidden' });
  assert.deepEqual(nextState(draft, 'decide_favourable', { role: 'supervisor', id: 's' }), { ok: false, reason: 'illegal' });
  assert.deepEqual(nextState({ ...draft, state: 'under_review' }, 'decide_favourable', owner), { ok: false, reason: 'forbidden' });
  assert.deepEqual(availableEvents({ ...draft, state: 'submitted' }, owner), ['withdraw']);
  assert.deepEqual(availableEvents({ ...draft, state: 'pieces_requested' }, owner).sort(), ['resubmit', 'withdraw']);
  assert.deepEqual(availableEvents({ ...draft, state: 'handed_over' }, { role: 'admin', id: 'a' }), []);
});
