import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDictionaries, negotiateLocale, translator, formatDateTime } from '../../src/shared/i18n';

test('every text exists in French, English and Arabic with the same placeholders', () => {
  const d = loadDictionaries();
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const key of Object.keys(d.fr)) {
    for (const l of ['en', 'ar'] as const) {
      assert.ok(d[l][key] !== undefined, `${l} is missing ${key}`);
      assert.equal(placeholders(d[l][key]!), placeholders(d.fr[key]!), `${l} ${key} placeholders differ`);
    }
  }
  for (const l of ['en', 'ar'] as const) for (const key of Object.keys(d[l])) assert.ok(d.fr[key] !== undefined, `fr is missing ${key} (present in ${l})`);
});

test('a missing key throws outside production', () => {
  assert.throws(() => translator('fr', true)('no.such.key'));
  assert.equal(translator('fr', false)('no.such.key'), 'no.such.key');
});

test('Accept-Language negotiation falls back to French', () => {
  assert.equal(negotiateLocale('ar-MA,ar;q=0.9,fr;q=0.8'), 'ar');
  assert.equal(negotiateLocale('de-DE,en;q=0.5'), 'en');
  assert.equal(negotiateLocale('de-DE'), 'fr');
  assert.equal(negotiateLocale(undefined), 'fr');
});

test('times are shown in Europe/Paris', () => {
  // 2026-07-01T10:00Z is 12:00 in Paris (summer time)
  assert.match(formatDateTime('fr', new Date('2026-07-01T10:00:00Z')), /12:00/);
});
