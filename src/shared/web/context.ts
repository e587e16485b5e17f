// What every request knows once resolved: its préfecture (tenant), the signed-in user,
// the language, a translator and a CSRF token for its forms.
import type { Locale, Translate } from '../i18n';

export interface Prefecture {
  id: string;
  code: string;
  name: string;
  department_name: string;
  contact_email: string;
}

export interface CurrentUser {
  id: string;
  prefecture_id: string;
  role: 'applicant' | 'agent' | 'supervisor' | 'admin';
  email: string;
  display_name: string;
  locale: Locale;
  email_confirmed_at: Date | null;
  totp_enabled_at: Date | null;
}

export interface CurrentSession {
  id: string;
  kind: 'web' | 'api';
  mfaVerified: boolean;
}

export interface RequestContext {
  prefecture: Prefecture;
  user: CurrentUser | null;
  session: CurrentSession | null;
  locale: Locale;
  dir: 'ltr' | 'rtl';
  t: Translate;
  csrfToken: string;
  /** Path and query of this page, for the language switcher and redirects after login. */
  path: string;
  flash: string | null;
}

export function isStaff(user: CurrentUser | null): boolean {
  return !!user && user.role !== 'applicant';
}
