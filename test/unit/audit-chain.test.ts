import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalJson, contentJson, GENESIS_HASH, rowHash, toJsonData, type AuditContent } from '../../src/modules/audit/chain';

test('canonical JSON: sorted keys at every depth, no whitespace, same bytes whatever the key order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: true } }), '{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}');
  assert.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }));
  assert.equal(canonicalJson('a"b\n'), '"a\\"b\\n"');
  assert.throws(() => canonicalJson(Number.NaN));
});

test('toJsonData: what jsonb will give back (Dates as ISO strings, undefined dropped); arrays refused', () => {
  assert.deepEqual(toJsonData({ at: new Date('2026-01-01T00:00:00Z'), gone: undefined, n: 1 }), { at: '2026-01-01T00:00:00.000Z', n: 1 });
  assert.throws(() => toJsonData([1, 2]));
});

const content: AuditContent = {
  prefectureId: '00000000-0000-0000-0000-000000000001',
  seq: 1,
  entityType: 'dossier',
  entityId: '00000000-0000-0000-0000-000000000002',
  actorId: null,
  actorRole: 'system',
  action: 'dossier.submit',
  stateBefore: 'draft',
  stateAfter: 'submitted',
  details: { number: '34-2026-000001' },
  createdAt: '2026-01-01T00:00:00.000Z',
};

test('row hash = sha256(prev_hash || canonical JSON of the content), sensitive to every field and to the previous hash', () => {
  const expected = createHash('sha256').update(GENESIS_HASH + contentJson(content)).digest('hex');
  assert.equal(rowHash(GENESIS_HASH, content), expected);
  const base = rowHash(GENESIS_HASH, content);
  const changes: Partial<AuditContent>[] = [
    { seq: 2 },
    { actorId: '00000000-0000-0000-0000-000000000003' },
    { actorRole: 'agent' },
    { action: 'dossier.withdraw' },
    { stateBefore: null },
    { stateAfter: 'withdrawn' },
    { details: { number: '34-2026-000002' } },
    { createdAt: '2026-01-01T00:00:00.001Z' },
    { entityId: '00000000-0000-0000-0000-000000000004' },
    { prefectureId: '00000000-0000-0000-0000-000000000005' },
  ];
  for (const c of changes) assert.notEqual(rowHash(GENESIS_HASH, { ...content, ...c }), base, JSON.stringify(c));
  assert.notEqual(rowHash('f'.repeat(64), content), base);
});
