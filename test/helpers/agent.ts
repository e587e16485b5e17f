// A browser-like client over app.inject(): keeps cookies, reads the CSRF token from the last
// page's forms and sends it back, follows nothing automatically (tests assert redirects).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class Agent {
  readonly cookies = new Map<string, string>();
  lastHtml = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) this.lastHtml = res.body;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader() } });
    this.keep(res);
    return res;
  }

  /** The CSRF token of the last page rendered. */
  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m?.[1]) throw new Error('No CSRF token on the last page');
    return m[1];
  }

  /** Posts a form as a browser would, with the CSRF token of the last page unless one is given. */
  async post(url: string, form: Record<string, string>, opts: { csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams(form);
    if (opts.csrf !== null) body.set('_csrf', opts.csrf ?? this.csrf());
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.keep(res);
    return res;
  }

  /** GET a page then POST its form: the usual way a person submits. */
  async submit(pageUrl: string, form: Record<string, string>, action = pageUrl): Promise<LightMyRequestResponse> {
    await this.get(pageUrl);
    return this.post(action, form);
  }
}

/** Pulls the first link to `path` out of a mail body. */
export function linkFrom(text: string, path: string): string {
  const m = new RegExp(`https?://[^\\s]+${path.replace(/[/?]/g, (c) => `\\${c}`)}[^\\s]*`).exec(text);
  if (!m) throw new Error(`No link to ${path} in: ${text}`);
  const u = new URL(m[0]);
  return `${u.pathname}${u.search}`;
}
