// The page frame: DSFR header (République Française block, service name), an account and
// language bar that works without JavaScript, skip links, main content, DSFR footer.
import type { ComponentChildren } from 'preact';
import { LOCALES, type Locale } from '../i18n';
import type { RequestContext } from './context';

const LANGUAGE_NAMES: Record<Locale, string> = { fr: 'Français', en: 'English', ar: 'العربية' };

export function withLang(path: string, lang: Locale): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

export interface LayoutProps {
  ctx: RequestContext;
  title: string;
  /** Set when the page shows form errors: the title then starts with "Erreur". */
  hasErrors?: boolean;
  children: ComponentChildren;
}

export function Layout({ ctx, title, hasErrors, children }: LayoutProps) {
  const { t, user } = ctx;
  const fullTitle = `${hasErrors ? `${t('common.error_prefix')} ` : ''}${title} - ${t('common.service_name')}`;
  const staff = user && user.role !== 'applicant';
  return (
    <html lang={ctx.locale} dir={ctx.dir} data-fr-scheme="light">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="format-detection" content="telephone=no" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href="/static/dsfr/dsfr.min.css" />
        <link rel="stylesheet" href="/static/dsfr/utility/icons/icons.min.css" />
        <link rel="stylesheet" href="/static/app/app.css" />
        <link rel="icon" href="/static/dsfr/favicon/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label={t('common.skiplinks_label')}>
            <ul class="fr-skiplinks__list">
              <li>
                <a class="fr-link" href="#contenu">
                  {t('common.skip_to_content')}
                </a>
              </li>
              <li>
                <a class="fr-link" href="#pied-de-page">
                  {t('common.skip_to_footer')}
                </a>
              </li>
            </ul>
          </nav>
        </div>
        <header role="banner" class="fr-header">
          <div class="fr-header__body">
            <div class="fr-container">
              <div class="fr-header__body-row">
                <div class="fr-header__brand fr-enlarge-link">
                  <div class="fr-header__brand-top">
                    <div class="fr-header__logo">
                      <p class="fr-logo" lang="fr">
                        République
                        <br />
                        Française
                      </p>
                    </div>
                  </div>
                  <div class="fr-header__service">
                    <a href={staff ? '/agent' : '/'} title={`${t('common.home')} - ${t('common.service_name')}`}>
                      <p class="fr-header__service-title">{t('common.service_name')}</p>
                    </a>
                    <p class="fr-header__service-tagline" lang="fr">
                      {ctx.prefecture.name}
                    </p>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </header>
        <nav class="app-bar" aria-label={t('common.account_nav_label')}>
          <div class="fr-container app-bar__row">
            <ul class="app-bar__links" aria-label={t('common.language')}>
              {LOCALES.map((l) => (
                <li>
                  <a
                    href={withLang(ctx.path, l)}
                    lang={l}
                    hrefLang={l}
                    aria-current={l === ctx.locale ? 'true' : undefined}
                    class="fr-link fr-link--sm"
                  >
                    {LANGUAGE_NAMES[l]}
                  </a>
                </li>
              ))}
            </ul>
            <ul class="app-bar__links">
              {user ? (
                <>
                  <li>
                    <a class="fr-link fr-link--sm" href={staff ? '/agent' : '/compte'}>
                      {staff ? t('common.staff_home') : t('common.my_account')}
                    </a>
                  </li>
                  <li>
                    <form method="post" action="/compte/deconnexion" class="app-inline-form">
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <button type="submit" class="fr-link fr-link--sm app-link-button">
                        {t('common.logout')}
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a class="fr-link fr-link--sm" href="/compte/connexion">
                      {t('common.login')}
                    </a>
                  </li>
                  <li>
                    <a class="fr-link fr-link--sm" href="/compte/inscription">
                      {t('common.register')}
                    </a>
                  </li>
                </>
              )}
            </ul>
          </div>
        </nav>
        <main id="contenu" role="main" tabIndex={-1}>
          <div class="fr-container fr-my-4w">
            {ctx.flash ? (
              <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
                <p>{t(ctx.flash)}</p>
              </div>
            ) : null}
            {children}
          </div>
        </main>
        <footer class="fr-footer" role="contentinfo" id="pied-de-page">
          <div class="fr-container">
            <div class="fr-footer__body">
              <div class="fr-footer__brand fr-enlarge-link">
                <a href="/" title={`${t('common.home')} - ${t('common.service_name')}`}>
                  <p class="fr-logo" lang="fr">
                    République
                    <br />
                    Française
                  </p>
                </a>
              </div>
              <div class="fr-footer__content">
                <p class="fr-footer__content-desc">{t('common.footer_desc', { prefecture: ctx.prefecture.name })}</p>
                <p class="fr-footer__content-desc">
                  {t('common.footer_contact')}{' '}
                  <a href={`mailto:${ctx.prefecture.contact_email}`} dir="ltr">
                    {ctx.prefecture.contact_email}
                  </a>
                </p>
              </div>
            </div>
            <div class="fr-footer__bottom">
              <ul class="fr-footer__bottom-list">
                <li class="fr-footer__bottom-item">
                  <a class="fr-footer__bottom-link" href="/accessibilite">
                    {t('common.accessibility_status')}
                  </a>
                </li>
              </ul>
            </div>
          </div>
        </footer>
        <script type="module" src="/static/dsfr/dsfr.module.min.js"></script>
        <script src="/static/app/app.js" defer></script>
      </body>
    </html>
  );
}
