// The ALTCHA proof-of-work widget for any form (appointment filing and registration): assets from
// our origin, the challenge from GET /rendez-vous/altcha-challenge, the solution posted in the
// field "altcha". Without JavaScript nothing shows but a note; the server then treats the post
// as unproven (verifyAltcha → false) and decides what that means (a review flag, never a refusal).
import type { RequestContext } from './context';

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'altcha-widget': { challenge: string; name: string; language?: string };
    }
  }
}

export function AltchaWidget({ ctx, noscriptKey }: { ctx: RequestContext; noscriptKey: string }) {
  return (
    <div class="fr-mb-3w">
      <link rel="stylesheet" href="/static/altcha/altcha.css" />
      <altcha-widget challenge="/rendez-vous/altcha-challenge" name="altcha" language={ctx.locale}></altcha-widget>
      <noscript>
        <p class="fr-text--sm">{ctx.t(noscriptKey)}</p>
      </noscript>
      <script type="module" src="/static/altcha/altcha.js"></script>
      <script type="module" src="/static/altcha/boot.js"></script>
    </div>
  );
}
