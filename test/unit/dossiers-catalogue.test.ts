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

test('every category offers a renewal and a change of status, and a first request unless its law rules one out', () => {
  // The two resident cards follow years of stay under another titre: no first request (see the data file).
  const noFirst = new Set(['carte_resident', 'resident_longue_duree_ue']);
  for (const c of CATALOGUE.categories) {
    assert.ok(c.kinds.renewal, `${c.code}: renewal`);
    assert.ok(c.kinds.change_of_status, `${c.code}: change of status`);
    assert.equal(!!c.kinds.first, !noFirst.has(c.code), `${c.code}: first request`);
  }
  assert.equal(CATALOGUE.categories.find((c) => c.code === 'etudiant')?.kinds.change_of_status?.stampCents, 7500, 'students pay the lower stamp whatever the kind');
});

test('the pièces the issue names are asked where they belong, mandatory', () => {
  const mandatory = (category: string, kind: 'first' | 'renewal' | 'change_of_status') =>
    (CATALOGUE.categories.find((c) => c.code === category)?.kinds[kind]?.pieces ?? []).filter((p) => p.mandatory).map((p) => p.code);
  for (const category of CATALOGUE.categories) {
    for (const [kind, def] of Object.entries(category.kinds)) {
      const codes = (def?.pieces ?? []).filter((p) => p.mandatory).map((p) => p.code);
      assert.ok(codes.includes('passport') && codes.includes('proof_of_address'), `${category.code} ${kind}: passport and proof of address`);
      if (kind !== 'first') assert.ok(codes.includes('current_permit'), `${category.code} ${kind}: current permit`);
    }
  }
  assert.ok(mandatory('salarie', 'renewal').includes('payslips') && mandatory('salarie', 'renewal').includes('employer_attestation'));
  assert.ok(mandatory('etudiant', 'first').includes('enrolment_certificate') && mandatory('etudiant', 'first').includes('proof_of_resources'));
  assert.ok(mandatory('vpf_conjoint_francais', 'first').includes('marriage_certificate') && mandatory('vpf_conjoint_francais', 'first').includes('spouse_french_nationality'));
  assert.ok(mandatory('carte_resident', 'change_of_status').includes('cir_attestation') && mandatory('carte_resident', 'change_of_status').includes('tax_notices'));
});
