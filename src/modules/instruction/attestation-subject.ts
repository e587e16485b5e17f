// What every attestation issued on a dossier says of its holder and request (the prolongation
// and the favourable decision alike); each caller adds its own details.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { getCategoryKind, pick } from '../dossiers/catalogue/catalogue-queries';
import type { DossierRow } from '../dossiers/dossier-queries';

export async function attestationSubject(trx: Transaction<DB>, d: DossierRow) {
  const offer = await getCategoryKind(trx, d.prefecture_id, d.category_code, d.request_kind);
  return {
    offer,
    holderName: `${d.surname ?? ''} ${d.given_names ?? ''}`.trim() || d.applicant_email,
    details: {
      number: d.number,
      category: d.category_code,
      categoryName: offer ? pick(offer.category.name, 'fr') : d.category_code,
    },
  };
}
