// Every text shown to a person lives in locale files: src/shared/i18n/locales/<lang>.json
// for shared texts and src/modules/<module>/locales/<lang>.json for a module's texts
// (keys prefixed by the module's folder name). No text is hard-coded in templates.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../paths';

export const LOCALES = ['fr', 'en', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';
export const RTL_LOCALES: ReadonlySet<Locale> = new Set(['ar']);

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

type Dict = Record<string, string>;

const SHARED_DIR = projectPath('src', 'shared', 'i18n', 'locales');
const MODULES_DIR = projectPath('src', 'modules');

function flatten(obj: unknown, prefix: string, out: Dict): Dict {
  if (typeof obj === 'string') {
    out[prefix] = obj;
  } else if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

export function loadDictionaries(): Record<Locale, Dict> {
  const dicts = { fr: {}, en: {}, ar: {} } as Record<Locale, Dict>;
  for (const locale of LOCALES) {
    flatten(JSON.parse(readFileSync(join(SHARED_DIR, `${locale}.json`), 'utf8')), '', dicts[locale]);
    for (const mod of readdirSync(MODULES_DIR)) {
      const file = join(MODULES_DIR, mod, 'locales', `${locale}.json`);
      if (existsSync(file)) flatten(JSON.parse(readFileSync(file, 'utf8')), mod, dicts[locale]);
    }
  }
  return dicts;
}

let cache: Record<Locale, Dict> | null = null;
export function dictionaries(): Record<Locale, Dict> {
  cache ??= loadDictionaries();
  return cache;
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** A missing key is a bug: it throws outside production so tests catch it, and shows the key in production. */
export function translator(locale: Locale, strict = process.env.NODE_ENV !== 'production'): Translate {
  const dict = dictionaries()[locale];
  const fallback = dictionaries()[DEFAULT_LOCALE];
  return (key, params) => {
    let text = dict[key] ?? fallback[key];
    if (text === undefined) {
      if (strict) throw new Error(`Missing translation key: ${key}`);
      return key;
    }
    if (params) {
      text = text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] !== undefined ? String(params[name]) : m));
    }
    return text;
  };
}

/** Picks a locale from Accept-Language (e.g. "ar-MA,ar;q=0.9,fr;q=0.8"). */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.find((r) => isLocale(r.lang))?.lang as Locale | undefined ?? DEFAULT_LOCALE;
}

const TZ = 'Europe/Paris';
const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB', ar: 'ar-MA' };

/** Dates and times are always shown in Europe/Paris, whatever the server's zone. */
export function formatDateTime(locale: Locale, d: Date): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: TZ, dateStyle: 'long', timeStyle: 'short', numberingSystem: 'latn' }).format(d);
}
export function formatDate(locale: Locale, d: Date | string): string {
  const date = typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: TZ, dateStyle: 'long', numberingSystem: 'latn' }).format(date);
}
