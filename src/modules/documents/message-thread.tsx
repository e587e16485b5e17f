// The thread as shown to either side (the applicant's page, and the back-office which reuses
// it), and the form to write a message (multipart, CSRF token in the action URL).
import { formatDateTime } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import type { FormState } from '../../shared/web/forms';
import type { ThreadMessage } from './messages';
import type { ThreadSide } from './tables';
import { ACCEPT_ATTRIBUTE, formatSize, refusalMessage, uploadDisplay } from './upload-form';
import { isRefusalReason } from './refusal';
import { ATTACHMENT_FIELD, MESSAGE_FIELD } from './send-message';

function authorLabel(ctx: RequestContext, viewer: ThreadSide, author: ThreadSide): string {
  if (author === viewer) return ctx.t('documents.author_you');
  return author === 'staff' ? ctx.t('documents.author_prefecture') : ctx.t('documents.author_applicant');
}

export function MessageThread({ ctx, messages, viewer }: { ctx: RequestContext; messages: ThreadMessage[]; viewer: ThreadSide }) {
  if (!messages.length) return <p>{ctx.t('documents.messages_empty')}</p>;
  return (
    <ol class="app-thread fr-mb-4w">
      {messages.map((m) => {
        const unread = m.authorRole !== viewer && (viewer === 'applicant' ? m.readByApplicantAt : m.readByStaffAt) === null;
        return (
          <li class="fr-mb-3w" id={`message-${m.id}`}>
            <article class="fr-card fr-card--no-arrow fr-card--shadow">
              <div class="fr-card__body">
                <div class="fr-card__content">
                  <p class="fr-card__detail">
                    {ctx.t('documents.message_meta', { author: authorLabel(ctx, viewer, m.authorRole), date: formatDateTime(ctx.locale, m.createdAt) })}
                    {unread ? <span class="fr-badge fr-badge--sm fr-badge--new fr-ms-1w">{ctx.t('documents.unread')}</span> : null}
                  </p>
                  <div class="fr-card__desc">
                    {m.body.split(/\n{2,}/).map((para) => (
                      <p>
                        {para.split('\n').flatMap((line, i) => (i === 0 ? [line] : [<br />, line]))}
                      </p>
                    ))}
                  </div>
                  {m.attachments.length ? (
                    <div>
                      <p class="fr-text--sm fr-mb-1v">{ctx.t('documents.attachments_title')}</p>
                      <ul>
                        {m.attachments.map((a) => (
                          <li>
                            {a.scanStatus === 'infected' || a.scanStatus === 'pending' ? (
                              <span>{a.filename}</span>
                            ) : (
                              <a href={`/documents/${a.id}`} download>
                                {a.filename}
                              </a>
                            )}{' '}
                            <span class="fr-text--sm">
                              ({formatSize(ctx, a.size)}) — {ctx.t(`documents.scan_status.${a.scanStatus}`)}
                            </span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ) : null}
                </div>
              </div>
            </article>
          </li>
        );
      })}
    </ol>
  );
}

/** `action` defaults to the applicant's route; the back-office passes its own. */
export function MessageForm({ ctx, dossierId, state, action }: { ctx: RequestContext; dossierId: string; state: FormState; action?: string }) {
  const base = action ?? `/dossiers/${encodeURIComponent(dossierId)}/messages`;
  const url = `${base}${base.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(ctx.csrfToken)}`;
  const error = state.errors[MESSAGE_FIELD];
  const fileError = state.errors[ATTACHMENT_FIELD];
  const fileReason = isRefusalReason(fileError) ? fileError : undefined;
  return (
    <form method="post" action={url} encType="multipart/form-data" noValidate>
      <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
        <label class="fr-label" for={`champ-${MESSAGE_FIELD}`}>
          {ctx.t('documents.message_label')}
          <span class="fr-hint-text">{ctx.t('documents.message_hint')}</span>
        </label>
        <textarea
          class={`fr-input${error ? ' fr-input--error' : ''}`}
          id={`champ-${MESSAGE_FIELD}`}
          name={MESSAGE_FIELD}
          rows={6}
          maxLength={5000}
          required
          aria-required="true"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={`champ-${MESSAGE_FIELD}-messages`}
        >
          {state.values[MESSAGE_FIELD] ?? ''}
        </textarea>
        <div class="fr-messages-group" id={`champ-${MESSAGE_FIELD}-messages`} aria-live="polite">
          {error ? <p class="fr-message fr-message--error">{ctx.t(error)}</p> : null}
        </div>
      </div>
      <div class={`fr-upload-group fr-mb-3w${fileReason ? ' fr-upload-group--error' : ''}`}>
        <label class="fr-label" for={`champ-${ATTACHMENT_FIELD}`}>
          {ctx.t('documents.attachments_label')}
          <span class="fr-hint-text">{ctx.t('documents.upload_hint', { max: uploadDisplay.maxFileMb })}</span>
        </label>
        <input
          class="fr-upload"
          type="file"
          id={`champ-${ATTACHMENT_FIELD}`}
          name={ATTACHMENT_FIELD}
          multiple
          accept={ACCEPT_ATTRIBUTE}
          aria-invalid={fileReason ? 'true' : undefined}
          aria-describedby={`champ-${ATTACHMENT_FIELD}-messages`}
        />
        <div class="fr-messages-group" id={`champ-${ATTACHMENT_FIELD}-messages`} aria-live="polite">
          {fileReason ? <p class="fr-message fr-message--error">{refusalMessage(ctx, fileReason)}</p> : null}
        </div>
      </div>
      <button type="submit" class="fr-btn">
        {ctx.t('documents.send')}
      </button>
    </form>
  );
}
