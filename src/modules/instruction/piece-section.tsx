// The pièces of the staff dossier page: each pièce with its files (inline preview: images as
// <img>, PDF in an <object> with a link fallback, both from the staff preview route) and its
// review form. Field ids are unique per pièce (several forms on one page).
import { formatDateTime } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import type { FormState } from '../../shared/web/forms';
import { pick } from '../dossiers/catalogue/catalogue-queries';
import type { CaseworkPiece } from './dossier-pieces';
import { REJECTION_REASONS } from './tables';

const BADGE: Record<CaseworkPiece['status'], string> = {
  accepted: 'fr-badge--success',
  rejected: 'fr-badge--error',
  to_review: 'fr-badge--new',
  missing: 'fr-badge--warning',
};

export function previewUrl(dossierId: string, documentId: string): string {
  return `/agent/dossiers/${dossierId}/documents/${documentId}`;
}

function FilePreview({ ctx, dossierId, f }: { ctx: RequestContext; dossierId: string; f: CaseworkPiece['files'][number] }) {
  const url = previewUrl(dossierId, f.id);
  const servable = f.scanStatus === 'clean' || f.scanStatus === 'not_scanned';
  return (
    <li class="fr-mb-2w" data-document={f.id}>
      <p class="fr-mb-1v">
        {servable ? (
          <a href={`${url}?telecharger=1`} download>
            {f.filename}
          </a>
        ) : (
          <span>{f.filename}</span>
        )}{' '}
        <span class="fr-text--sm">
          — {formatDateTime(ctx.locale, f.createdAt)} — {ctx.t(`instruction.scan.${f.scanStatus}`)}
        </span>
      </p>
      {servable && f.mime.startsWith('image/') ? <img class="app-preview" src={url} alt={ctx.t('instruction.preview_alt', { name: f.filename })} /> : null}
      {servable && f.mime === 'application/pdf' ? (
        <object class="app-preview app-preview--pdf" data={url} type="application/pdf" aria-label={ctx.t('instruction.preview_alt', { name: f.filename })}>
          <p>
            <a href={url}>{ctx.t('instruction.preview_open', { name: f.filename })}</a>
          </p>
        </object>
      ) : null}
    </li>
  );
}

export function PieceSection(p: { ctx: RequestContext; dossierId: string; pieces: CaseworkPiece[]; canReview: boolean; form: { piece: string; state: FormState } | null }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <section class="fr-mb-6w" aria-labelledby="titre-pieces" id="pieces">
      <h2 id="titre-pieces">{t('instruction.pieces_title')}</h2>
      {p.pieces.map((piece) => {
        const state = p.form?.piece === piece.code ? p.form.state : { values: {}, errors: {} };
        const base = `revue-${piece.code}`;
        const err = (k: string) => state.errors[k];
        return (
          <article class="fr-mb-4w app-piece" id={`piece-${piece.code}`} data-piece={piece.code} data-status={piece.status}>
            <h3 class="fr-h5">
              {pick(piece.name, ctx.locale)}{' '}
              <span class={`fr-badge fr-badge--sm ${BADGE[piece.status]}`}>{t(`instruction.piece_status.${piece.status}`)}</span>
              {piece.requested ? <span class="fr-badge fr-badge--sm fr-badge--info fr-ms-1w">{t('instruction.piece_requested')}</span> : null}
            </h3>
            {piece.review?.status === 'rejected' ? (
              <p class="fr-text--sm">
                {t('instruction.rejected_because', { reason: t(`instruction.reason.${piece.review.reason ?? 'other'}`) })}
                {piece.review.reasonText ? ` — ${piece.review.reasonText}` : ''}
              </p>
            ) : null}
            {piece.files.length ? (
              <ul class="app-files">
                {piece.files.map((f) => (
                  <FilePreview ctx={ctx} dossierId={p.dossierId} f={f} />
                ))}
              </ul>
            ) : (
              <p>{t('instruction.no_file')}</p>
            )}
            {p.canReview && piece.files.length ? (
              <form method="post" action={`/agent/dossiers/${p.dossierId}/pieces/${piece.code}/revue`} noValidate>
                <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                <fieldset class={`fr-fieldset${err('decision') ? ' fr-fieldset--error' : ''}`} id={`${base}-decision`} aria-labelledby={`${base}-legend`}>
                  <legend class="fr-fieldset__legend" id={`${base}-legend`}>
                    {t('instruction.review_legend', { piece: pick(piece.name, ctx.locale) })}
                  </legend>
                  {(['accepted', 'rejected'] as const).map((v) => (
                    <div class="fr-fieldset__element fr-fieldset__element--inline">
                      <div class="fr-radio-group">
                        <input type="radio" id={`${base}-${v}`} name="decision" value={v} checked={state.values.decision === v} />
                        <label class="fr-label" for={`${base}-${v}`}>
                          {t(`instruction.review_${v}`)}
                        </label>
                      </div>
                    </div>
                  ))}
                  <div class="fr-messages-group" aria-live="polite">
                    {err('decision') ? <p class="fr-message fr-message--error">{t(err('decision') as string)}</p> : null}
                  </div>
                </fieldset>
                <div class={`fr-select-group${err('reason') ? ' fr-select-group--error' : ''}`}>
                  <label class="fr-label" for={`${base}-reason`}>
                    {t('instruction.reason_label')}
                  </label>
                  <select class="fr-select" id={`${base}-reason`} name="reason" aria-describedby={`${base}-reason-messages`}>
                    <option value="">{t('instruction.reason_placeholder')}</option>
                    {REJECTION_REASONS.map((r) => (
                      <option value={r} selected={state.values.reason === r}>
                        {t(`instruction.reason.${r}`)}
                      </option>
                    ))}
                  </select>
                  <div class="fr-messages-group" id={`${base}-reason-messages`} aria-live="polite">
                    {err('reason') ? <p class="fr-message fr-message--error">{t(err('reason') as string)}</p> : null}
                  </div>
                </div>
                <div class={`fr-input-group${err('reason_text') ? ' fr-input-group--error' : ''}`}>
                  <label class="fr-label" for={`${base}-text`}>
                    {t('instruction.reason_text_label')}
                    <span class="fr-hint-text">{t('instruction.reason_text_hint')}</span>
                  </label>
                  <input class="fr-input" id={`${base}-text`} name="reason_text" type="text" maxLength={1000} value={state.values.reason_text ?? ''} aria-describedby={`${base}-text-messages`} />
                  <div class="fr-messages-group" id={`${base}-text-messages`} aria-live="polite">
                    {err('reason_text') ? <p class="fr-message fr-message--error">{t(err('reason_text') as string)}</p> : null}
                  </div>
                </div>
                <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">
                  {t('instruction.review_submit')}
                </button>
              </form>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
