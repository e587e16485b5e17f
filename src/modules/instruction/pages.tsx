// The staff dossier page: everything about one dossier and every casework action, each a plain
// form (works without JavaScript). A form with errors is re-rendered with them (4xx).
import { formatDate, formatDateTime } from '../../shared/i18n';
import type { RequestContext } from '../../shared/web/context';
import { ErrorSummary, type FormState } from '../../shared/web/forms';
import { Layout } from '../../shared/web/layout';
import { MessageForm, MessageThread } from '../documents/message-thread';
import { pick } from '../dossiers/catalogue/catalogue-queries';
import { availableEvents } from '../dossiers/lifecycle';
import { formatAmount } from '../dossiers/pages';
import { mayReassign, mayWorkOn, OPEN_STATES, REVIEW_STATES, type StaffActor } from './casework-rules';
import { CLOSE_REASONS } from './decide-dossier';
import { allAccepted, defaultRequested } from './dossier-pieces';
import type { Casework } from './load-casework';
import { PieceSection } from './piece-section';

export type FormName = 'review' | 'request' | 'unfavourable' | 'close' | 'note' | 'reassign' | 'message';

export interface PageForm {
  name: FormName;
  piece?: string;
  state: FormState;
}

function Field({ ctx, id, name, label, hint, error, type = 'text', value, textarea }: { ctx: RequestContext; id: string; name: string; label: string; hint?: string; error?: string | undefined; type?: string; value: string; textarea?: boolean }) {
  return (
    <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {label}
        {hint ? <span class="fr-hint-text">{hint}</span> : null}
      </label>
      {textarea ? (
        <textarea class={`fr-input${error ? ' fr-input--error' : ''}`} id={id} name={name} rows={5} aria-invalid={error ? 'true' : undefined} aria-describedby={`${id}-messages`}>
          {value}
        </textarea>
      ) : (
        <input class={`fr-input${error ? ' fr-input--error' : ''}`} id={id} name={name} type={type} value={value} aria-invalid={error ? 'true' : undefined} aria-describedby={`${id}-messages`} />
      )}
      <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
        {error ? <p class="fr-message fr-message--error">{ctx.t(error)}</p> : null}
      </div>
    </div>
  );
}

function Action({ ctx, action, label, secondary }: { ctx: RequestContext; action: string; label: string; secondary?: boolean }) {
  return (
    <form method="post" action={action} class="fr-mb-2w">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <button type="submit" class={`fr-btn${secondary ? ' fr-btn--secondary' : ''}`}>
        {label}
      </button>
    </form>
  );
}

export function CaseworkPage(p: { ctx: RequestContext; cw: Casework; actor: StaffActor; staff: { id: string; name: string }[]; defaultDeadline: string; form: PageForm | null }) {
  const { ctx, cw, actor } = p;
  const { t } = ctx;
  const d = cw.dossier;
  const base = `/agent/dossiers/${d.id}`;
  const holder = mayWorkOn(d, actor);
  const open = OPEN_STATES.includes(d.state);
  const events = availableEvents(d, actor);
  const st = (name: FormName) => (p.form?.name === name ? p.form.state : { values: {}, errors: {} });
  const name = `${d.surname ?? ''} ${d.given_names ?? ''}`.trim();
  const requestState = st('request');
  const preselected = requestState.values.pieces ? requestState.values.pieces.split(',') : defaultRequested(cw.pieces);
  const hasErrors = !!p.form && (Object.keys(p.form.state.errors).length > 0 || !!p.form.state.formError);
  const identity: [string, string | null][] = [
    ['surname', d.surname],
    ['given_names', d.given_names],
    ['birth_date', d.birth_date ? formatDate(ctx.locale, d.birth_date) : null],
    ['birth_place', d.birth_place],
    ['nationality', d.nationality],
    ['agdref_number', d.agdref_number],
    ['current_permit_number', d.current_permit_number],
    ['current_permit_expires_on', d.current_permit_expires_on ? formatDate(ctx.locale, d.current_permit_expires_on) : null],
    ['address', [d.address_line, d.postal_code, d.city].filter(Boolean).join(', ') || null],
    ['phone', d.phone],
    ['email', d.applicant_email],
    ['ephoto_code', d.ephoto_code],
  ];
  return (
    <Layout ctx={ctx} title={t('instruction.page_title', { number: d.number ?? '' })} hasErrors={hasErrors}>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/agent/dossiers">
          {t('instruction.back_to_queues')}
        </a>
      </p>
      <h1>
        {t('instruction.page_title', { number: d.number ?? '' })} — <bdi>{name}</bdi>
      </h1>
      {p.form ? <ErrorSummary ctx={ctx} state={p.form.state} labels={{}} /> : null}
      <ul class="fr-badges-group fr-mb-2w" aria-label={t('instruction.status_label')}>
        <li>
          <span class="fr-badge fr-badge--info" data-state={d.state}>
            {t(`instruction.state.${d.state}`)}
          </span>
        </li>
        {cw.complete ? (
          <li>
            <span class="fr-badge fr-badge--success">{t('instruction.complete_badge')}</span>
          </li>
        ) : null}
        {cw.deadlinePassed ? (
          <li>
            <span class="fr-badge fr-badge--error" data-flag="deadline-passed">
              {t('instruction.deadline_passed')}
            </span>
          </li>
        ) : null}
        {d.late_renewal ? (
          <li>
            <span class="fr-badge fr-badge--warning">{t('instruction.late_renewal')}</span>
          </li>
        ) : null}
      </ul>
      <dl class="fr-mb-4w">
        <dt class="fr-text--bold">{t('instruction.category')}</dt>
        <dd>{cw.categoryName ? pick(cw.categoryName, ctx.locale) : d.category_code} — {t(`instruction.kind.${d.request_kind}`)}</dd>
        <dt class="fr-text--bold">{t('instruction.filed_on')}</dt>
        <dd>{d.submitted_at ? formatDateTime(ctx.locale, new Date(d.submitted_at)) : '—'}</dd>
        <dt class="fr-text--bold">{t('instruction.site')}</dt>
        <dd data-field="site">{cw.site?.name ?? '—'}</dd>
        <dt class="fr-text--bold">{t('instruction.assignee')}</dt>
        <dd data-field="assignee">{cw.assignee ? cw.assignee.name : t('instruction.unassigned')}</dd>
        {d.state === 'pieces_requested' && d.pieces_deadline ? (
          <>
            <dt class="fr-text--bold">{t('instruction.deadline')}</dt>
            <dd>{formatDate(ctx.locale, d.pieces_deadline)}</dd>
          </>
        ) : null}
        {cw.stampCents !== null ? (
          <>
            <dt class="fr-text--bold">{t('instruction.stamp')}</dt>
            <dd>{formatAmount(ctx.locale, cw.stampCents)}</dd>
          </>
        ) : null}
      </dl>

      <section class="fr-mb-6w" aria-labelledby="titre-affectation" id="affectation">
        <h2 id="titre-affectation">{t('instruction.assignment_title')}</h2>
        {open && !d.assigned_to ? <Action ctx={ctx} action={`${base}/prendre`} label={t('instruction.take')} /> : null}
        {open && d.assigned_to && (d.assigned_to === actor.id || mayReassign(actor)) ? <Action ctx={ctx} action={`${base}/liberer`} label={t('instruction.release')} secondary /> : null}
        {open && mayReassign(actor) ? (
          <form method="post" action={`${base}/reaffecter`} noValidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <div class={`fr-select-group${st('reassign').errors.agent ? ' fr-select-group--error' : ''}`}>
              <label class="fr-label" for="champ-agent">
                {t('instruction.reassign_label')}
              </label>
              <select class="fr-select" id="champ-agent" name="agent" aria-describedby="champ-agent-messages">
                {p.staff.map((s) => (
                  <option value={s.id} selected={s.id === (st('reassign').values.agent ?? d.assigned_to)}>
                    {s.name}
                  </option>
                ))}
              </select>
              <div class="fr-messages-group" id="champ-agent-messages" aria-live="polite">
                {st('reassign').errors.agent ? <p class="fr-message fr-message--error">{t(st('reassign').errors.agent as string)}</p> : null}
              </div>
            </div>
            <button type="submit" class="fr-btn fr-btn--secondary">
              {t('instruction.reassign')}
            </button>
          </form>
        ) : null}
      </section>

      <section class="fr-mb-6w" aria-labelledby="titre-identite">
        <h2 id="titre-identite">{t('instruction.identity_title')}</h2>
        <dl>
          {identity.map(([k, v]) => (
            <>
              <dt class="fr-text--bold">{t(`instruction.identity.${k}`)}</dt>
              <dd class="fr-mb-1w">{v ? <bdi>{v}</bdi> : '—'}</dd>
            </>
          ))}
        </dl>
      </section>

      <PieceSection
        ctx={ctx}
        dossierId={d.id}
        pieces={cw.pieces}
        canReview={holder && REVIEW_STATES.includes(d.state)}
        form={p.form?.name === 'review' && p.form.piece ? { piece: p.form.piece, state: p.form.state } : null}
      />

      {holder && events.includes('request_pieces') ? (
        <section class="fr-mb-6w" aria-labelledby="titre-demande" id="demande">
          <h2 id="titre-demande">{t('instruction.request_title')}</h2>
          <form method="post" action={`${base}/demande-de-pieces`} noValidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <fieldset class={`fr-fieldset${requestState.errors.pieces ? ' fr-fieldset--error' : ''}`} id="champ-pieces" aria-labelledby="champ-pieces-legend">
              <legend class="fr-fieldset__legend" id="champ-pieces-legend">
                {t('instruction.request_pieces_legend')}
              </legend>
              {cw.pieces.map((piece) => (
                <div class="fr-fieldset__element">
                  <div class="fr-checkbox-group">
                    <input type="checkbox" id={`demande-${piece.code}`} name="pieces" value={piece.code} checked={preselected.includes(piece.code)} />
                    <label class="fr-label" for={`demande-${piece.code}`}>
                      {pick(piece.name, ctx.locale)} ({t(`instruction.piece_status.${piece.status}`)})
                    </label>
                  </div>
                </div>
              ))}
              <div class="fr-messages-group" aria-live="polite">
                {requestState.errors.pieces ? <p class="fr-message fr-message--error">{t(requestState.errors.pieces)}</p> : null}
              </div>
            </fieldset>
            <Field ctx={ctx} id="champ-deadline" name="deadline" type="date" label={t('instruction.deadline_label')} hint={t('instruction.deadline_hint')} error={requestState.errors.deadline} value={requestState.values.deadline ?? p.defaultDeadline} />
            <button type="submit" class="fr-btn">
              {t('instruction.request_submit')}
            </button>
          </form>
        </section>
      ) : null}

      {holder && REVIEW_STATES.includes(d.state) && !cw.complete ? (
        <section class="fr-mb-6w" aria-labelledby="titre-complet" id="complet">
          <h2 id="titre-complet">{t('instruction.complete_title')}</h2>
          <p>{allAccepted(cw.pieces) ? t('instruction.complete_ready') : t('instruction.complete_not_ready')}</p>
          {allAccepted(cw.pieces) ? <Action ctx={ctx} action={`${base}/complet`} label={t('instruction.complete_submit')} /> : null}
        </section>
      ) : null}

      {holder && (events.includes('decide_favourable') || events.includes('decide_unfavourable') || events.includes('close')) ? (
        <section class="fr-mb-6w" aria-labelledby="titre-decision" id="decision">
          <h2 id="titre-decision">{t('instruction.decision_title')}</h2>
          {events.includes('decide_favourable') && cw.complete && allAccepted(cw.pieces) ? (
            <Action ctx={ctx} action={`${base}/decision-favorable`} label={t('instruction.favourable_submit')} />
          ) : events.includes('decide_favourable') ? (
            <p>{t('instruction.favourable_needs_complete')}</p>
          ) : null}
          {events.includes('decide_unfavourable') ? (
            <form method="post" action={`${base}/decision-defavorable`} noValidate class="fr-mb-4w">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <Field ctx={ctx} id="champ-motive" name="motive" textarea label={t('instruction.motive_label')} hint={t('instruction.motive_hint')} error={st('unfavourable').errors.motive} value={st('unfavourable').values.motive ?? ''} />
              <button type="submit" class="fr-btn fr-btn--secondary">
                {t('instruction.unfavourable_submit')}
              </button>
            </form>
          ) : null}
          {events.includes('close') ? (
            <form method="post" action={`${base}/classer`} noValidate>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <div class={`fr-select-group${st('close').errors.close_reason ? ' fr-select-group--error' : ''}`}>
                <label class="fr-label" for="champ-close_reason">
                  {t('instruction.close_reason_label')}
                </label>
                <select class="fr-select" id="champ-close_reason" name="close_reason" aria-describedby="champ-close_reason-messages">
                  <option value="">{t('instruction.reason_placeholder')}</option>
                  {CLOSE_REASONS.map((r) => (
                    <option value={r} selected={st('close').values.close_reason === r}>
                      {t(`instruction.close_reason.${r}`)}
                    </option>
                  ))}
                </select>
                <div class="fr-messages-group" id="champ-close_reason-messages" aria-live="polite">
                  {st('close').errors.close_reason ? <p class="fr-message fr-message--error">{t(st('close').errors.close_reason as string)}</p> : null}
                </div>
              </div>
              <Field ctx={ctx} id="champ-close_text" name="close_text" label={t('instruction.close_text_label')} error={st('close').errors.close_text} value={st('close').values.close_text ?? ''} />
              <button type="submit" class="fr-btn fr-btn--tertiary">
                {t('instruction.close_submit')}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}

      {events.includes('mark_card_ready') || events.includes('hand_over') ? (
        <section class="fr-mb-6w" aria-labelledby="titre-titre" id="titre">
          <h2 id="titre-titre">{t('instruction.card_title')}</h2>
          {events.includes('mark_card_ready') && holder ? <Action ctx={ctx} action={`${base}/titre-pret`} label={t('instruction.card_ready_submit')} /> : null}
          {events.includes('hand_over') ? <Action ctx={ctx} action={`${base}/remise`} label={t('instruction.hand_over_submit')} /> : null}
        </section>
      ) : null}

      <section class="fr-mb-6w" aria-labelledby="titre-attestations" id="attestations">
        <h2 id="titre-attestations">{t('instruction.attestations_title')}</h2>
        {cw.attestations.length ? (
          <ul>
            {cw.attestations.map((a) => (
              <li data-attestation={a.id} data-kind={a.kind} data-status={a.status}>
                <a href={`${base}/attestations/${a.id}`}>{t(`instruction.attestation_kind.${a.kind}`)}</a> — {t(`instruction.attestation_status.${a.status}`)}
                {a.validUntil ? ` — ${t('instruction.valid_until', { date: formatDateTime(ctx.locale, a.validUntil) })}` : ''} — <code dir="ltr">{a.code}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('instruction.no_attestation')}</p>
        )}
      </section>

      <section class="fr-mb-6w" aria-labelledby="titre-messages" id="messages">
        <h2 id="titre-messages">{t('instruction.messages_title')}</h2>
        <MessageThread ctx={ctx} messages={cw.messages} viewer="staff" />
        <MessageForm ctx={ctx} dossierId={d.id} state={st('message')} />
      </section>

      <section class="fr-mb-6w" aria-labelledby="titre-notes" id="notes">
        <h2 id="titre-notes">{t('instruction.notes_title')}</h2>
        <p class="fr-text--sm">{t('instruction.notes_intro')}</p>
        {cw.notes.length ? (
          <ul>
            {cw.notes.map((n) => (
              <li class="fr-mb-2w" data-note={n.id}>
                <p class="fr-text--sm fr-mb-1v">{t('instruction.note_meta', { author: n.author ?? '—', date: formatDateTime(ctx.locale, n.createdAt) })}</p>
                <p>{n.body}</p>
              </li>
            ))}
          </ul>
        ) : null}
        <form method="post" action={`${base}/notes`} noValidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Field ctx={ctx} id="champ-note" name="note" textarea label={t('instruction.note_label')} error={st('note').errors.note} value={st('note').values.note ?? ''} />
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('instruction.note_submit')}
          </button>
        </form>
      </section>

      <section class="fr-mb-6w" aria-labelledby="titre-historique" id="historique">
        <h2 id="titre-historique">{t('instruction.history_title')}</h2>
        <div class="fr-table">
          <table>
            <caption class="fr-sr-only">{t('instruction.history_title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('instruction.history_when')}</th>
                <th scope="col">{t('instruction.history_who')}</th>
                <th scope="col">{t('instruction.history_what')}</th>
                <th scope="col">{t('instruction.history_states')}</th>
              </tr>
            </thead>
            <tbody>
              {cw.history.map((h) => (
                <tr data-action={h.action}>
                  <td>{formatDateTime(ctx.locale, h.createdAt)}</td>
                  <td>{h.actorName ?? t(`instruction.role.${h.actorRole}`)}</td>
                  <td>{t(`instruction.action.${h.action.replace(/\./g, '_')}`)}</td>
                  <td>
                    {h.stateBefore ? t(`instruction.state.${h.stateBefore}`) : '—'} → {h.stateAfter ? t(`instruction.state.${h.stateAfter}`) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}
