// Links shown on the applicant's account page (/compte), under "Mes démarches".
// Other modules push their entry once at start, e.g. in their routes plugin:
//   ACCOUNT_LINKS.push({ href: '/dossiers', labelKey: 'dossiers.my_dossiers' });
// labelKey is an i18n key of the module that adds the link. Pushing the same href twice
// (an app built twice in tests) shows it once.
export interface AccountLink {
  href: string;
  labelKey: string;
}

export const ACCOUNT_LINKS: AccountLink[] = [];

/** The links without duplicates (same href), in the order they were added. */
export function uniqueLinks<T extends { href: string }>(links: T[]): T[] {
  const seen = new Set<string>();
  return links.filter((l) => (seen.has(l.href) ? false : (seen.add(l.href), true)));
}
