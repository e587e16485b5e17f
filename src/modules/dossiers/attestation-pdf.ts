// The attestation de dépôt as a PDF: name, dossier number, category and kind, filing date,
// pièces, verification code with QR, and the plain statement that it neither proves legal
// stay nor allows work. Rendering belongs to src/shared/pdf (renderOfficialPdf).
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import type { CategoryKindDetail } from './catalogue/catalogue-queries';
import type { DossierRow } from './dossier-queries';

export async function renderDepotAttestation(_deps: AppDeps, _dossier: DossierRow, _offer: CategoryKindDetail): Promise<Buffer> {
  // The official PDF renderer and the verification module are not available yet.
  throw new AppError('unavailable', 'dossiers.err_attestation_unavailable');
}
