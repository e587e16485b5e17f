// Components the dossiers pages embed: the upload form of one pièce (works without
// JavaScript, several files, phone camera or files; errors shown next to the field) and the
// list of a pièce's files with download and delete buttons.
import type { RequestContext } from '../../shared/web/context';
import type { DossierDocument } from './list-dossier-documents';
import { isRefusalReason, type RefusalReason } from './refusal';

/** Limits shown in hints; set from the configuration when the module starts. */
export const uploadDisplay = { maxFileMb: 10 };

export const ACCEPT_ATTRIBUTE = 'application/pdf,image/jpeg,image/png';

/** The refusal reason carried back in ?erreur= after a refused upload, if it is one we know. */
export function uploadErrorFromQuery(query: unknown): RefusalReason | undefined {
  const v = (query as Record<string, unknown> | undefined)?.erreur;
  return isRefusalReason(v) ? v : undefined;
}

export function uploadFieldId(pieceCode: string): string {
  return `fichiers-${pieceCode}`;
}

export function refusalMessage(ctx: RequestContext, reason: RefusalReason): string {
  return ctx.t(`documents.refused.${reason}`, { max: reason === 'too_many_files' ? 10 : uploadDisplay.maxFileMb });
}

export function formatSize(ctx: RequestContext, bytes: number): string {
  if (bytes < 1024 * 1024) return ctx.t('documents.size_kb', { size: Math.max(1, Math.round(bytes / 1024)) });
  return ctx.t('documents.size_mb', { size: (bytes / (1024 * 1024)).toFixed(1) });
}

export function UploadForm({ ctx, dossierId, pieceCode, error }: { ctx: RequestContext; dossierId: string; pieceCode: string; error?: string | undefined }) {
  const id = uploadFieldId(pieceCode);
  const messages = `${id}-messages`;
  const reason = isRefusalReason(error) ? error : undefined;
  const action = `/dossiers/${encodeURIComponent(dossierId)}/pieces/${encodeURIComponent(pieceCode)}/documents?_csrf=${encodeURIComponent(ctx.csrfToken)}`;
  return (
    <form method="post" action={action} encType="multipart/form-data" class="fr-mb-3w">
      <div class={`fr-upload-group${reason ? ' fr-upload-group--error' : ''}`}>
        <label class="fr-label" for={id}>
          {ctx.t('documents.upload_label')}
          <span class="fr-hint-text">{ctx.t('documents.upload_hint', { max: uploadDisplay.maxFileMb })}</span>
        </label>
        <input
          class="fr-upload"
          type="file"
          id={id}
          name="fichiers"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          aria-describedby={messages}
          aria-invalid={reason ? 'true' : undefined}
        />
        <div class="fr-messages-group" id={messages} aria-live="polite">
          {reason ? (
            <p class="fr-message fr-message--error" role="alert">
              {refusalMessage(ctx, reason)}
            </p>
          ) : null}
        </div>
      </div>
      <button type="submit" class="fr-btn fr-btn--secondary fr-mt-2w">
        {ctx.t('documents.upload_submit')}
      </button>
    </form>
  );
}

/** A pièce's files: download links, scan status, and a delete button while the dossier is editable. */
export function DocumentList({
  ctx,
  dossierId,
  documents,
  editable,
}: {
  ctx: RequestContext;
  dossierId: string;
  documents: DossierDocument[];
  editable: boolean;
}) {
  if (!documents.length) return null;
  return (
    <ul class="fr-mb-2w">
      {documents.map((d) => (
        <li class="fr-mb-1w">
          {d.scanStatus === 'infected' ? (
            <span>{d.filename}</span>
          ) : (
            <a href={`/documents/${d.id}`} download aria-label={ctx.t('documents.download_label', { filename: d.filename, size: formatSize(ctx, d.size) })}>
              {d.filename}
            </a>
          )}{' '}
          <span class="fr-text--sm">
            ({formatSize(ctx, d.size)}) — {ctx.t(`documents.scan_status.${d.scanStatus}`)}
          </span>
          {editable ? (
            <form method="post" action={`/dossiers/${encodeURIComponent(dossierId)}/documents/${d.id}/supprimer`} class="app-inline-form">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />{' '}
              <button type="submit" class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm" aria-label={ctx.t('documents.delete_label', { filename: d.filename })}>
                {ctx.t('documents.delete')}
              </button>
            </form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
