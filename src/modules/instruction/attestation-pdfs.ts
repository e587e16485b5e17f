// The PDFs of the attestations this module issues (prolongation d'instruction, décision
// favorable), rendered on demand from the attestation row by src/shared/pdf, with the QR code
// and the verification code. Texts come from the locale files (French: an official document).
import { renderOfficialPdf } from '../../shared/pdf/official-pdf';
import { formatDate, formatDateTime, translator } from '../../shared/i18n';
import { verifyUrl, type Attestation } from '../verification';

export async function renderAttestationPdf(a: Attestation, opts: { prefectureName: string; publicUrl: string }): Promise<Buffer> {
  const t = translator('fr');
  const d = a.details as Record<string, string | number | boolean | null | undefined>;
  const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const fields: [string, string][] = [
    [t('instruction.pdf.holder'), a.holderName],
    [t('instruction.pdf.birth_date'), d.birthDate ? formatDate('fr', s(d.birthDate)) : ''],
    [t('instruction.pdf.nationality'), s(d.nationality)],
    [t('instruction.pdf.number'), s(d.number)],
    [t('instruction.pdf.category'), s(d.categoryName)],
  ];
  const paragraphs: string[] = [];
  if (a.kind === 'prolongation') {
    fields.push(
      [t('instruction.pdf.agdref'), s(d.agdrefNumber)],
      [t('instruction.pdf.current_permit'), `${s(d.currentPermitNumber)}${d.currentPermitExpiresOn ? ` — ${formatDate('fr', s(d.currentPermitExpiresOn))}` : ''}`],
      [t('instruction.pdf.valid_from'), formatDateTime('fr', a.validFrom)],
      [t('instruction.pdf.valid_until'), a.validUntil ? formatDateTime('fr', a.validUntil) : ''],
      [t('instruction.pdf.work'), d.allowsWork ? t('instruction.pdf.work_yes') : t('instruction.pdf.work_no')],
    );
    paragraphs.push(t('instruction.pdf.prolongation_body'), d.allowsWork ? t('instruction.pdf.prolongation_work_yes') : t('instruction.pdf.prolongation_work_no'));
  } else {
    fields.push([t('instruction.pdf.decided_on'), formatDateTime('fr', a.validFrom)]);
    paragraphs.push(t('instruction.pdf.favourable_body'));
  }
  const url = verifyUrl(opts.publicUrl, a.code);
  return renderOfficialPdf({
    prefectureName: opts.prefectureName,
    title: t(`instruction.pdf.title_${a.kind}`),
    fields,
    paragraphs,
    qr: { url, caption: t('instruction.pdf.qr_caption'), code: a.code },
    footer: t('instruction.pdf.footer'),
  });
}
