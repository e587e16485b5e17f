// Pure rules of the instruction module.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonthsToDay, deadlinePassed, earnsProlongation, mayWorkOn } from '../../src/modules/instruction/casework-rules';
import { allAccepted, defaultRequested } from '../../src/modules/instruction/dossier-pieces';
import { deadlineError } from '../../src/modules/instruction/request-pieces';
import { parseReview } from '../../src/modules/instruction/review-piece';
import { siteCodeFor } from '../../src/modules/instruction/site-mapping';

test('postal code → instructing site (Hérault): Béziers, Lodève, Montpellier otherwise', () => {
  assert.equal(siteCodeFor('34', '34500'), 'beziers');
  assert.equal(siteCodeFor('34', '34300'), 'beziers');
  assert.equal(siteCodeFor('34', '34700'), 'lodeve');
  assert.equal(siteCodeFor('34', '34800'), 'lodeve');
  assert.equal(siteCodeFor('34', '34000'), 'montpellier');
  assert.equal(siteCodeFor('34', null), 'montpellier');
  assert.equal(siteCodeFor('30', '30000'), null);
});

test('months are calendar months, clamped to the month’s end', () => {
  assert.equal(addMonthsToDay('2026-01-15', 1), '2026-02-15');
  assert.equal(addMonthsToDay('2026-01-31', 1), '2026-02-28');
  assert.equal(addMonthsToDay('2026-11-30', 3), '2027-02-28');
});

test('prolongation only for a renewal filed on or before the permit’s expiry', () => {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const filed = new Date('2026-05-10T10:00:00Z');
  assert.equal(earnsProlongation({ request_kind: 'renewal', current_permit_expires_on: '2026-05-10', submitted_at: filed }, day), true);
  assert.equal(earnsProlongation({ request_kind: 'renewal', current_permit_expires_on: '2026-05-09', submitted_at: filed }, day), false);
  assert.equal(earnsProlongation({ request_kind: 'first', current_permit_expires_on: '2026-09-01', submitted_at: filed }, day), false);
});

test('review input: accepted; rejected needs a known reason, other needs a text', () => {
  assert.deepEqual(parseReview({ decision: 'accepted', reason: 'illegible' }), { ok: true, status: 'accepted', reason: null, reasonText: null });
  assert.equal(parseReview({ decision: 'maybe' }).ok, false);
  assert.equal(parseReview({ decision: 'rejected', reason: 'ugly' }).ok, false);
  assert.deepEqual(parseReview({ decision: 'rejected', reason: 'other', reasonText: '  ' }), { ok: false, errors: { reason_text: 'instruction.err_reason_text_required' } });
  assert.deepEqual(parseReview({ decision: 'rejected', reason: 'expired' }), { ok: true, status: 'rejected', reason: 'expired', reasonText: null });
});

test('deadline of a request for pièces: after today, within six months, a real date', () => {
  assert.equal(deadlineError('2026-06-01', '2026-05-01'), null);
  assert.equal(deadlineError('2026-05-01', '2026-05-01'), 'instruction.err_deadline_past');
  assert.equal(deadlineError('2026-12-01', '2026-05-01'), 'instruction.err_deadline_far');
  assert.equal(deadlineError('2026-02-30', '2026-01-01'), 'instruction.err_deadline_invalid');
  assert.equal(deadlineError(undefined, '2026-01-01'), 'instruction.err_deadline_invalid');
  assert.equal(deadlinePassed({ state: 'pieces_requested', pieces_deadline: '2026-05-01' }, '2026-05-02'), true);
  assert.equal(deadlinePassed({ state: 'pieces_requested', pieces_deadline: '2026-05-01' }, '2026-05-01'), false);
  assert.equal(deadlinePassed({ state: 'under_review', pieces_deadline: '2026-05-01' }, '2026-06-01'), false);
});

test('who may act; which pièces a request lists; when a dossier is complete', () => {
  assert.equal(mayWorkOn({ assigned_to: 'a' }, { id: 'a', role: 'agent' }), true);
  assert.equal(mayWorkOn({ assigned_to: 'b' }, { id: 'a', role: 'agent' }), false);
  assert.equal(mayWorkOn({ assigned_to: null }, { id: 's', role: 'supervisor' }), true);
  const pieces = [
    { code: 'a', status: 'accepted' as const, mandatory: true, files: [], requested: false },
    { code: 'b', status: 'rejected' as const, mandatory: true, files: [], requested: false },
    { code: 'c', status: 'missing' as const, mandatory: true, files: [], requested: false },
    { code: 'd', status: 'missing' as const, mandatory: false, files: [], requested: false },
  ];
  assert.deepEqual(defaultRequested(pieces), ['b', 'c']);
  assert.equal(allAccepted(pieces), false);
  assert.equal(allAccepted([pieces[0] as (typeof pieces)[number], pieces[3] as (typeof pieces)[number]]), true);
});
