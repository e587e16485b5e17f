// DSFR form pieces: each field shows its own error next to it, and ErrorSummary lists
// them all at the top with links to the fields (DSFR / RGAA pattern).
import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../errors';
import type { RequestContext } from './context';

export interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
  /** A message for the whole form (i18n key), e.g. "wrong e-mail or password". */
  formError?: string | undefined;
  formErrorParams?: Record<string, string | number> | undefined;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

export function hasErrors(state: FormState): boolean {
  return Object.keys(state.errors).length > 0 || !!state.formError;
}

const fieldId = (name: string) => `champ-${name}`;

export function Form(props: {
  ctx: RequestContext;
  action: string;
  children: ComponentChildren;
  multipart?: boolean;
  id?: string;
}) {
  return (
    <form
      method="post"
      action={props.action}
      id={props.id}
      noValidate
      {...(props.multipart ? { enctype: 'multipart/form-data' } : {})}
    >
      <input type="hidden" name="_csrf" value={props.ctx.csrfToken} />
      {props.children}
    </form>
  );
}

export function ErrorSummary({ ctx, state, labels }: { ctx: RequestContext; state: FormState; labels: Record<string, string> }) {
  const entries = Object.entries(state.errors);
  if (!entries.length && !state.formError) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="resume-erreurs" tabIndex={-1}>
      <h2 class="fr-alert__title">{ctx.t('common.error_summary_title')}</h2>
      {state.formError ? <p>{ctx.t(state.formError, state.formErrorParams)}</p> : null}
      {entries.length ? (
        <ul>
          {entries.map(([name, key]) => (
            <li>
              <a href={`#${fieldId(name)}`}>
                {labels[name] ?? name} : {ctx.t(key)}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export interface InputProps {
  ctx: RequestContext;
  state: FormState;
  name: string;
  label: string;
  hint?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'number';
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  /** Never echo this field's value back into the page (passwords). */
  secret?: boolean;
  dir?: 'ltr' | 'rtl' | 'auto';
}

export function Input(p: InputProps) {
  const id = fieldId(p.name);
  const error = p.state.errors[p.name];
  const messages = `${id}-messages`;
  return (
    <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {p.label}
        {p.required ? <span aria-hidden="true"> *</span> : null}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </label>
      <input
        class={`fr-input${error ? ' fr-input--error' : ''}`}
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.secret ? '' : (p.state.values[p.name] ?? '')}
        autoComplete={p.autocomplete}
        inputMode={p.inputMode}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={messages}
        dir={p.dir}
      />
      <div class="fr-messages-group" id={messages} aria-live="polite">
        {error ? <p class="fr-message fr-message--error">{p.ctx.t(error)}</p> : null}
      </div>
    </div>
  );
}

export function Checkbox(p: { ctx: RequestContext; state: FormState; name: string; label: string; hint?: string }) {
  const id = fieldId(p.name);
  const error = p.state.errors[p.name];
  const messages = `${id}-messages`;
  return (
    <div class={`fr-checkbox-group${error ? ' fr-checkbox-group--error' : ''}`}>
      <input
        type="checkbox"
        id={id}
        name={p.name}
        value="on"
        checked={p.state.values[p.name] === 'on'}
        aria-describedby={messages}
        aria-invalid={error ? 'true' : undefined}
      />
      <label class="fr-label" for={id}>
        {p.label}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </label>
      <div class="fr-messages-group" id={messages} aria-live="polite">
        {error ? <p class="fr-message fr-message--error">{p.ctx.t(error)}</p> : null}
      </div>
    </div>
  );
}

export function Select(p: {
  ctx: RequestContext;
  state: FormState;
  name: string;
  label: string;
  hint?: string;
  options: { value: string; label: string }[];
  placeholder?: string;
}) {
  const id = fieldId(p.name);
  const error = p.state.errors[p.name];
  const messages = `${id}-messages`;
  const current = p.state.values[p.name] ?? '';
  return (
    <div class={`fr-select-group${error ? ' fr-select-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {p.label}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </label>
      <select
        class={`fr-select${error ? ' fr-select--error' : ''}`}
        id={id}
        name={p.name}
        aria-describedby={messages}
        aria-invalid={error ? 'true' : undefined}
      >
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
      <div class="fr-messages-group" id={messages} aria-live="polite">
        {error ? <p class="fr-message fr-message--error">{p.ctx.t(error)}</p> : null}
      </div>
    </div>
  );
}

export function RadioGroup(p: {
  ctx: RequestContext;
  state: FormState;
  name: string;
  legend: string;
  hint?: string;
  options: { value: string; label: string; hint?: string }[];
}) {
  const id = fieldId(p.name);
  const error = p.state.errors[p.name];
  const messages = `${id}-messages`;
  const current = p.state.values[p.name] ?? '';
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={id}
      aria-labelledby={`${id}-legend ${messages}`}
      role={error ? 'group' : undefined}
    >
      <legend class="fr-fieldset__legend" id={`${id}-legend`}>
        {p.legend}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </legend>
      {p.options.map((o, i) => (
        <div class="fr-fieldset__element">
          <div class="fr-radio-group">
            <input type="radio" id={`${id}-${i}`} name={p.name} value={o.value} checked={o.value === current} />
            <label class="fr-label" for={`${id}-${i}`}>
              {o.label}
              {o.hint ? <span class="fr-hint-text">{o.hint}</span> : null}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group" id={messages} aria-live="polite">
        {error ? <p class="fr-message fr-message--error">{p.ctx.t(error)}</p> : null}
      </div>
    </fieldset>
  );
}

export function Submit({ label, secondary }: { label: string; secondary?: boolean }) {
  return (
    <button type="submit" class={`fr-btn${secondary ? ' fr-btn--secondary' : ''}`}>
      {label}
    </button>
  );
}
