// Account pages: server-rendered DSFR, no JavaScript needed, every text in the locale files.
import type { ComponentChildren } from 'preact';
import type { RequestContext } from '../../shared/web/context';
import { Checkbox, ErrorSummary, Form, Input, Submit, hasErrors, type FormState } from '../../shared/web/forms';
import { Layout } from '../../shared/web/layout';
import { AltchaWidget } from '../../shared/web/altcha-widget';

function Narrow({ children }: { children: ComponentChildren }) {
  return (
    <div class="fr-grid-row fr-grid-row--center">
      <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">{children}</div>
    </div>
  );
}

function RequiredHint({ ctx }: { ctx: RequestContext }) {
  return <p class="fr-hint-text fr-mb-2w">{ctx.t('common.required_hint')}</p>;
}

export function RegisterPage({ ctx, state }: { ctx: RequestContext; state: FormState }) {
  const { t } = ctx;
  const labels = { email: t('accounts.field_email'), password: t('accounts.field_password'), password_confirm: t('accounts.field_password_confirm') };
  return (
    <Layout ctx={ctx} title={t('accounts.register_title')} hasErrors={hasErrors(state)}>
      <Narrow>
        <h1>{t('accounts.register_title')}</h1>
        <p>{t('accounts.register_intro', { prefecture: ctx.prefecture.name })}</p>
        <ErrorSummary ctx={ctx} state={state} labels={labels} />
        <RequiredHint ctx={ctx} />
        <Form ctx={ctx} action="/compte/inscription">
          <Input ctx={ctx} state={state} name="email" type="email" label={labels.email} hint={t('accounts.field_email_hint')} autocomplete="email" required dir="ltr" />
          <Input ctx={ctx} state={state} name="password" type="password" label={labels.password} hint={t('accounts.field_password_hint')} autocomplete="new-password" required secret />
          <Input ctx={ctx} state={state} name="password_confirm" type="password" label={labels.password_confirm} autocomplete="new-password" required secret />
          <AltchaWidget ctx={ctx} noscriptKey="accounts.register_pow_noscript" />
          <Submit label={t('accounts.register_submit')} />
        </Form>
        <hr class="fr-mt-4w" />
        <p>
          {t('accounts.register_have_account')}{' '}
          <a class="fr-link" href="/compte/connexion">
            {t('accounts.login_title')}
          </a>
        </p>
      </Narrow>
    </Layout>
  );
}

export function MessagePage({ ctx, title, paragraphs, links }: { ctx: RequestContext; title: string; paragraphs: string[]; links?: { href: string; label: string }[] }) {
  return (
    <Layout ctx={ctx} title={title}>
      <Narrow>
        <h1>{title}</h1>
        {paragraphs.map((p) => (
          <p>{p}</p>
        ))}
        {links?.length ? (
          <ul class="fr-btns-group fr-btns-group--inline-md">
            {links.map((l) => (
              <li>
                <a class="fr-btn fr-btn--secondary" href={l.href}>
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </Narrow>
    </Layout>
  );
}

export function LoginPage({ ctx, state, next, unconfirmedEmail }: { ctx: RequestContext; state: FormState; next: string | null; unconfirmedEmail?: string | null }) {
  const { t } = ctx;
  const labels = { email: t('accounts.field_email'), password: t('accounts.field_password') };
  return (
    <Layout ctx={ctx} title={t('accounts.login_title')} hasErrors={hasErrors(state)}>
      <Narrow>
        <h1>{t('accounts.login_title')}</h1>
        <ErrorSummary ctx={ctx} state={state} labels={labels} />
        {unconfirmedEmail ? (
          <div class="fr-callout fr-mb-4w">
            <h2 class="fr-callout__title">{t('accounts.unconfirmed_title')}</h2>
            <p class="fr-callout__text">{t('accounts.unconfirmed_help')}</p>
            <Form ctx={ctx} action="/compte/renvoyer-confirmation">
              <input type="hidden" name="email" value={unconfirmedEmail} />
              <Submit label={t('accounts.resend_submit')} secondary />
            </Form>
          </div>
        ) : null}
        <RequiredHint ctx={ctx} />
        <Form ctx={ctx} action="/compte/connexion">
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <Input ctx={ctx} state={state} name="email" type="email" label={labels.email} hint={t('accounts.field_email_hint')} autocomplete="username" required dir="ltr" />
          <Input ctx={ctx} state={state} name="password" type="password" label={labels.password} autocomplete="current-password" required secret />
          <p>
            <a class="fr-link" href="/compte/mot-de-passe-oublie">
              {t('accounts.login_forgot')}
            </a>
          </p>
          <Submit label={t('accounts.login_submit')} />
        </Form>
        <hr class="fr-mt-4w" />
        <p>
          {t('accounts.login_no_account')}{' '}
          <a class="fr-link" href="/compte/inscription">
            {t('accounts.register_title')}
          </a>
        </p>
      </Narrow>
    </Layout>
  );
}

export function ForgotPage({ ctx, state }: { ctx: RequestContext; state: FormState }) {
  const { t } = ctx;
  const labels = { email: t('accounts.field_email') };
  return (
    <Layout ctx={ctx} title={t('accounts.forgot_title')} hasErrors={hasErrors(state)}>
      <Narrow>
        <h1>{t('accounts.forgot_title')}</h1>
        <p>{t('accounts.forgot_intro')}</p>
        <ErrorSummary ctx={ctx} state={state} labels={labels} />
        <Form ctx={ctx} action="/compte/mot-de-passe-oublie">
          <Input ctx={ctx} state={state} name="email" type="email" label={labels.email} hint={t('accounts.field_email_hint')} autocomplete="email" required dir="ltr" />
          <Submit label={t('accounts.forgot_submit')} />
        </Form>
      </Narrow>
    </Layout>
  );
}

export function ResetPage({ ctx, state, token }: { ctx: RequestContext; state: FormState; token: string }) {
  const { t } = ctx;
  const labels = { password: t('accounts.field_new_password'), password_confirm: t('accounts.field_new_password_confirm') };
  return (
    <Layout ctx={ctx} title={t('accounts.reset_title')} hasErrors={hasErrors(state)}>
      <Narrow>
        <h1>{t('accounts.reset_title')}</h1>
        <p>{t('accounts.reset_intro')}</p>
        <ErrorSummary ctx={ctx} state={state} labels={labels} />
        <RequiredHint ctx={ctx} />
        <Form ctx={ctx} action="/compte/reinitialiser">
          <input type="hidden" name="token" value={token} />
          <Input ctx={ctx} state={state} name="password" type="password" label={labels.password} hint={t('accounts.field_password_hint')} autocomplete="new-password" required secret />
          <Input ctx={ctx} state={state} name="password_confirm" type="password" label={labels.password_confirm} autocomplete="new-password" required secret />
          <Submit label={t('accounts.reset_submit')} />
        </Form>
      </Narrow>
    </Layout>
  );
}

export function AccountPage({ ctx, email, state, links }: { ctx: RequestContext; email: string; state: FormState; links: { href: string; labelKey: string }[] }) {
  const { t } = ctx;
  const labels = {
    new_email: t('accounts.field_new_email'),
    email_password: t('accounts.field_current_password'),
    current_password: t('accounts.field_current_password'),
    new_password: t('accounts.field_new_password'),
    new_password_confirm: t('accounts.field_new_password_confirm'),
    delete_password: t('accounts.field_current_password'),
    delete_confirm: t('accounts.delete_confirm_label'),
  };
  return (
    <Layout ctx={ctx} title={t('accounts.account_title')} hasErrors={hasErrors(state)}>
      <h1>{t('accounts.account_title')}</h1>
      <p>
        {t('accounts.account_email')}{' '}
        <strong class="account-email" dir="ltr">
          {email}
        </strong>
      </p>
      <ErrorSummary ctx={ctx} state={state} labels={labels} />

      <section class="fr-mb-6w" aria-labelledby="mes-demarches">
        <h2 id="mes-demarches">{t('accounts.account_links_title')}</h2>
        {/* Other modules add their entries to ACCOUNT_LINKS (src/modules/accounts/account-links.ts). */}
        {links.length ? (
          <ul class="fr-links-group account-links">
            {links.map((l) => (
              <li>
                <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={l.href}>
                  {t(l.labelKey)}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('accounts.account_links_empty')}</p>
        )}
      </section>

      <div class="fr-grid-row fr-grid-row--gutters">
        <section class="fr-col-12 fr-col-md-6" aria-labelledby="changer-email">
          <h2 id="changer-email" class="fr-h4">
            {t('accounts.email_change_title')}
          </h2>
          <p class="fr-text--sm">{t('accounts.email_change_intro')}</p>
          <Form ctx={ctx} action="/compte/email">
            <Input ctx={ctx} state={state} name="new_email" type="email" label={labels.new_email} autocomplete="email" required dir="ltr" />
            <Input ctx={ctx} state={state} name="email_password" type="password" label={labels.email_password} autocomplete="current-password" required secret />
            <Submit label={t('accounts.email_change_submit')} secondary />
          </Form>
        </section>
        <section class="fr-col-12 fr-col-md-6" aria-labelledby="changer-mot-de-passe">
          <h2 id="changer-mot-de-passe" class="fr-h4">
            {t('accounts.password_change_title')}
          </h2>
          <p class="fr-text--sm">{t('accounts.password_change_intro')}</p>
          <Form ctx={ctx} action="/compte/mot-de-passe">
            <Input ctx={ctx} state={state} name="current_password" type="password" label={labels.current_password} autocomplete="current-password" required secret />
            <Input ctx={ctx} state={state} name="new_password" type="password" label={labels.new_password} hint={t('accounts.field_password_hint')} autocomplete="new-password" required secret />
            <Input ctx={ctx} state={state} name="new_password_confirm" type="password" label={labels.new_password_confirm} autocomplete="new-password" required secret />
            <Submit label={t('accounts.password_change_submit')} secondary />
          </Form>
        </section>
      </div>

      <section class="fr-mt-6w" aria-labelledby="supprimer-compte">
        <h2 id="supprimer-compte" class="fr-h4">
          {t('accounts.delete_title')}
        </h2>
        <p class="fr-text--sm">{t('accounts.delete_intro')}</p>
        <Form ctx={ctx} action="/compte/supprimer">
          <Input ctx={ctx} state={state} name="delete_password" type="password" label={labels.delete_password} autocomplete="current-password" required secret />
          <Checkbox ctx={ctx} state={state} name="delete_confirm" label={labels.delete_confirm} />
          <button type="submit" class="fr-btn fr-btn--tertiary fr-mt-2w">
            {t('accounts.delete_submit')}
          </button>
        </Form>
      </section>
    </Layout>
  );
}

export function TotpPage({ ctx, state, enrolment }: { ctx: RequestContext; state: FormState; enrolment: { grouped: string; qrDataUrl: string } | null }) {
  const { t } = ctx;
  const labels = { code: t('accounts.field_totp_code') };
  return (
    <Layout ctx={ctx} title={t('accounts.totp_title')} hasErrors={hasErrors(state)}>
      <Narrow>
        <h1>{t('accounts.totp_title')}</h1>
        <ErrorSummary ctx={ctx} state={state} labels={labels} />
        {enrolment ? (
          <>
            <p>{t('accounts.totp_enrol_intro')}</p>
            <p>
              <img src={enrolment.qrDataUrl} alt={t('accounts.totp_qr_alt')} width={200} height={200} />
            </p>
            <p>{t('accounts.totp_secret_label')}</p>
            <p>
              <code class="app-code totp-secret" dir="ltr">
                {enrolment.grouped}
              </code>
            </p>
            <p>{t('accounts.totp_enrol_then')}</p>
          </>
        ) : (
          <p>{t('accounts.totp_intro')}</p>
        )}
        <Form ctx={ctx} action="/agent/double-authentification">
          <Input
            ctx={ctx}
            state={state}
            name="code"
            label={labels.code}
            hint={t('accounts.field_totp_hint')}
            autocomplete="one-time-code"
            inputMode="numeric"
            required
            dir="ltr"
          />
          <Submit label={t('accounts.totp_submit')} />
        </Form>
      </Narrow>
    </Layout>
  );
}

export function StaffHomePage({ ctx, name, role, links }: { ctx: RequestContext; name: string; role: string; links: { href: string; labelKey: string }[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.staff_title')}>
      <h1>{t('accounts.staff_title')}</h1>
      <p class="fr-text--lead">{t('accounts.staff_welcome', { name })}</p>
      <p>{t('accounts.staff_identity', { role: t(`accounts.role_${role}`), prefecture: ctx.prefecture.name })}</p>
      <section aria-labelledby="outils">
        <h2 id="outils">{t('accounts.staff_links_title')}</h2>
        {/* Other modules add their entries to STAFF_LINKS (src/modules/accounts/staff-links.ts). */}
        {links.length ? (
          <ul class="fr-links-group staff-links">
            {links.map((l) => (
              <li>
                <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={l.href}>
                  {t(l.labelKey)}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('accounts.staff_links_empty')}</p>
        )}
      </section>
    </Layout>
  );
}
