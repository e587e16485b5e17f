// The attestation de dépôt as a PDF: name, dossier number, category and kind, filing date,
// pièces, verification code with QR, and the plain statement that it does not prove legal
// stay. Written in French (an official document shown to third parties); rendered by
// src/shared/pdf from the attestation issued at filing.
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { formatDateTime, translator } from '../../shared/i18n';
import { renderOfficialPdf } from '../../shared/pdf';
import { verifyUrl } from '../verification';
import { findDepotAttestation } from './attestation-port';
import { pick, type CategoryKindDetail } from './catalogue/catalogue-queries';
import { dossierFiles } from './dossier-files';
import type { DossierRow } from './dossier-queries';

export async function renderDepotAttestation(deps: Pick<AppDeps, 'db' | 'config'>, dossier: DossierRow, offer: CategoryKindDetail): Promise<Buffer> {
  const attestation = await findDepotAttestation(deps.db, dossier.prefecture_id, dossier.id);
  if (!attestation || !dossier.number || !dossier.submitted_at) throw new AppError('not_found');
  const prefecture = await deps.db.selectFrom('prefectures').select('name').where('id', '=', dossier.prefecture_id).executeTakeFirstOrThrow();
  const t = translator('fr');
  const files = await dossierFiles(deps.db, dossier.prefecture_id, dossier.id);
  const pieces = offer.pieces
    .map((p) => ({ name: pick(p.name, 'fr'), n: files.filter((f) => f.pieceCode === p.code && f.scanStatus !== 'infected' && f.createdAt <= attestation.createdAt).length }))
    .filter((p) => p.n > 0)
    .map((p) => `${p.name} (${t('dossiers.piece_n_files', { n: p.n })})`);
  return renderOfficialPdf({
    prefectureName: prefecture.name,
    title: t('dossiers.att_title'),
    subtitle: t('dossiers.att_subtitle'),
    fields: [
      [t('dossiers.att_holder'), attestation.holderName],
      [t('dossiers.att_number'), dossier.number],
      [t('dossiers.att_request'), `${pick(offer.category.name, 'fr')} — ${t(`dossiers.kind.${dossier.request_kind}`)}`],
      [t('dossiers.att_filed_on'), formatDateTime('fr', new Date(dossier.submitted_at))],
      [t('dossiers.att_pieces'), pieces.join('\n')],
      [t('dossiers.att_code'), attestation.code],
    ],
    paragraphs: [t('dossiers.att_lead'), t('dossiers.att_not_proof'), ...(dossier.late_renewal ? [t('dossiers.att_late')] : [])],
    qr: { url: verifyUrl(deps.config.publicUrl, attestation.code), caption: t('dossiers.att_qr_caption'), code: attestation.code },
    author: prefecture.name,
  });
}
