// Adds "Mes dossiers" to the applicant's account page (accounts module's ACCOUNT_LINKS,
// once it exists). Until then the link lives on the home page card and in /dossiers itself.
export function registerAccountLink(): void {
  // The accounts module does not export ACCOUNT_LINKS yet.
}
