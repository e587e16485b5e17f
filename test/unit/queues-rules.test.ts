// Pure parts of the queues module: CSV quoting, the pagination cursor, the query schema,
// deadline urgency.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, toCsv } from '../../src/modules/queues/csv';
import { decodeCursor, encodeCursor } from '../../src/modules/queues/cursor';
import { urgency } from '../../src/modules/queues/deadline';
import { queueHref, queueQuerySchema } from '../../src/modules/queues/queue-filters';

test('CSV cells are quoted when needed, quotes doubled, formulas defused; BOM and CRLF', () => {
  assert.equal(csvCell('simple'), 'simple');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('il a dit "oui"'), '"il a dit ""oui"""');
  assert.equal(csvCell('deux\nlignes'), '"deux\nlignes"');
  assert.equal(csvCell(' espace'), '" espace"');
  assert.equal(csvCell('=SOMME(A1)'), "'=SOMME(A1)");
  assert.equal(csvCell('-1+2'), "'-1+2");
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(0.5), '0.5');
  assert.equal(csvCell(-3), '-3', 'numbers are not formulas');
  assert.equal(toCsv(['a', 'b'], [[1, 'x,y']]), '\uFEFFa,b\r\n1,"x,y"\r\n');
});

test('cursors round-trip with microseconds and refuse anything else', () => {
  const c = { at: '2026-04-01T10:00:00.000300Z', id: '0b6f1b1e-4a4b-4c1a-9c51-3f3f3f3f3f3f' };
  assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  assert.equal(decodeCursor('bm9wZQ'), null);
  assert.equal(decodeCursor(Buffer.from(`${c.at}|${c.id}|x`).toString('base64url')), null);
  assert.equal(decodeCursor(Buffer.from(`2026-04-01|${c.id}`).toString('base64url')), null);
});

test('the query schema: defaults, empty fields ignored, search kinds checked', () => {
  const q = queueQuerySchema.parse({ category: '', q: '  ', late: '' });
  assert.equal(q.queue, 'new');
  assert.equal(q.scope, 'all');
  assert.equal(q.by, 'name');
  assert.equal(q.late, false);
  assert.equal(q.q, undefined);
  assert.equal(queueQuerySchema.parse({ late: '1' }).late, true);
  assert.equal(queueQuerySchema.safeParse({ by: 'number', q: '34-2026-00' }).success, true);
  assert.equal(queueQuerySchema.safeParse({ by: 'number', q: '34%' }).success, false);
  assert.equal(queueQuerySchema.safeParse({ by: 'agdref', q: '123456789' }).success, false);
  assert.equal(queueQuerySchema.safeParse({ from: '2026-02-29' }).success, false);
  assert.equal(queueHref('/agent/dossiers', queueQuerySchema.parse({ queue: 'review', q: 'li', late: '1' }), { scope: 'mine' }), '/agent/dossiers?queue=review&scope=mine&late=1&q=li&by=name');
});

test('urgency of a deadline', () => {
  assert.equal(urgency(-1), 'past');
  assert.equal(urgency(0), 'soon');
  assert.equal(urgency(7), 'soon');
  assert.equal(urgency(8), 'near');
});
