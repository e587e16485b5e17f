import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOGUE, type CatalogueData } from '../../src/modules/dossiers/catalogue/catalogue-data';
import { validateCatalogue } from '../../src/modules/dossiers/catalogue/validate-catalogue';

test('the reviewed catalogue is sound: FR/EN/AR texts, known pièces, positive amounts', () => {
  assert.deepEqual(validateCatalogue(CATALOGUE), []);
});

test('the catalogue covers the required categories, students pay the lower stamp', () => {
  const codes = CATALOGUE.categories.map((c) => c.code);
  for (const c of ['vpf_conjoint_francais', 'vpf_parent_enfant_francais', 'vpf_liens_personnels', 'salarie', 'travailleur_temporaire', 'etudiant', 'passeport_talent', 'visiteur', 'carte_resident', 'resident_longue_duree_ue']) {
    assert.ok(codes.includes(c), c);
  }
  const student = CATALOGUE.categories.find((c) => c.code === 'etudiant');
  assert.equal(student?.kinds.renewal?.stampCents, 7500);
  assert.equal(CATALOGUE.categories.find((c) => c.code === 'salarie')?.kinds.first?.stampCents, 22500);
  assert.equal(CATALOGUE.pieces.find((p) => p.code === 'proof_of_address')?.maxAgeMonths, 3);
});

test('the integrity check catches a missing translation, an unknown pièce and a zero amount', () => {
  const broken = structuredClone(CATALOGUE) as CatalogueData;
  const cat = broken.categories[0];
  assert.ok(cat);
  cat.name.ar = '';
  const kind = cat.kinds.first;
  assert.ok(kind);
  kind.stampCents = 0;
  kind.pieces.push({ code: 'no_such_piece', mandatory: true });
  const problems = validateCatalogue(broken);
  assert.ok(problems.some((p) => p.includes('.name.ar')));
  assert.ok(problems.some((p) => p.includes('unknown pièce no_such_piece')));
  assert.ok(problems.some((p) => p.includes('stamp amount')));
});
