// The real server started by `npm start` itself (it bundles with scripts/build.mjs, then runs
// the bundle under plain node), on a PGlite DATA_DIR: register and confirm over HTTP, stop npm
// with SIGTERM (as a service manager does: the signal must reach the server, which shuts down
// gracefully and exits 0), start again on the same DATA_DIR, sign in. The bundled server finds
// its locale files, migrations and static assets from the project folder (src/shared/paths.ts).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GOOD_PASSWORD } from '../helpers/accounts-fixtures';
import { reservePort } from '../helpers/port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A browser-ish client over fetch: keeps cookies, reads the CSRF token of the last page. */
class Browser {
  cookies = new Map<string, string>();
  html = '';
  constructor(private readonly base: string) {}
  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string): Promise<Response> {
    const res = await fetch(this.base + path, { redirect: 'manual', headers: { cookie: this.cookieHeader() } });
    this.keep(res);
    this.html = (res.headers.get('content-type') ?? '').startsWith('text/html') ? await res.text() : '';
    return res;
  }
  async post(path: string, form: Record<string, string>): Promise<Response> {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.html);
    assert.ok(m?.[1], 'CSRF token on the last page');
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: m[1] }).toString(),
    });
    this.keep(res);
    return res;
  }
}

function startServer(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // Its own process group, so that cleanup can reach a server left behind by a lost signal.
  const child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitHealthy(base: string, server: ReturnType<typeof startServer>): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy in time: ${server.output()}`);
}

async function stop(server: ReturnType<typeof startServer>): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

test('an account registered over HTTP survives a restart of the server on the same DATA_DIR', { timeout: 240_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sejour-restart-'));
  // Outside the ephemeral range: the port stays unbound for seconds (while npm builds and the
  // server migrates, and between the stop and the restart), and an outgoing connection of a test
  // running beside could take it meanwhile (test/helpers/port.ts).
  const port = await reservePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    SECRET_KEY: 'restart-test-secret-0123456789abcdef012345',
    LOG_LEVEL: 'warn',
    JOB_POLL_MS: '100',
  };
  const running: ReturnType<typeof startServer>[] = [];
  t.after(async () => {
    for (const s of running) {
      try {
        process.kill(-(s.child.pid as number), 'SIGKILL');
      } catch {
        // the whole group is gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  // On a failure, what the servers printed goes with the report.
  try {
    const first = startServer(env);
    running.push(first);
    await waitHealthy(base, first);
    const browser = new Browser(base);
    // Texts, DSFR assets and our own assets come from the project folder, bundle or not.
    await browser.get('/?lang=ar');
    assert.match(browser.html, /<html[^>]*dir="rtl"/);
    assert.match(browser.html, /[\u0600-\u06FF]{3}/, 'Arabic texts from the locale files');
    const css = /href="(\/static\/dsfr\/[^"]+\.css)"/.exec(browser.html)?.[1];
    assert.ok(css, 'a DSFR stylesheet on the page');
    assert.equal((await fetch(base + css)).status, 200);
    await browser.get('/?lang=fr');
    await browser.get('/compte/inscription');
    const reg = await browser.post('/compte/inscription', { email: 'Restart@Example.fr', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    assert.equal(reg.status, 303);
    assert.equal(reg.headers.get('location'), '/compte/inscription/message-envoye');

    // The confirmation link, from the development outbox.
    let link: string | undefined;
    for (const until = Date.now() + 30_000; !link && Date.now() < until; ) {
      await browser.get('/dev/outbox');
      link = /href="(http[^"]+\/compte\/confirmer\?token=[^"]+)"/.exec(browser.html)?.[1];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(link, 'confirmation mail in /dev/outbox');
    const url = new URL(link.replace(/&amp;/g, '&'));
    assert.equal(url.origin, base);
    const confirm = await browser.get(`${url.pathname}${url.search}`);
    assert.equal(confirm.status, 303);
    assert.equal(confirm.headers.get('location'), '/compte/connexion');

    assert.equal(await stop(first), 0, first.output());

    const second = startServer(env);
    running.push(second);
    await waitHealthy(base, second);
    const again = new Browser(base);
    await again.get('/compte/connexion');
    const login = await again.post('/compte/connexion', { email: 'restart@example.fr', password: GOOD_PASSWORD });
    assert.equal(login.status, 303, again.html);
    assert.equal(login.headers.get('location'), '/compte');
    assert.ok(again.cookies.get('sejour_sid'));
    const account = await again.get('/compte');
    assert.equal(account.status, 200);
    assert.match(again.html, /Restart@Example\.fr/);
    assert.equal(await stop(second), 0, second.output());
  } catch (err) {
    running.forEach((s, i) => t.diagnostic(`server ${i + 1} printed:\n${s.output()}`));
    throw err;
  }
});
