// Test setup for the documents module: a temporary DATA_DIR, a small catalogue, dossiers,
// applicants and staff with sessions, multipart bodies built by hand.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';
import { createSession } from '../../src/shared/auth/sessions';

type Closer = { after(fn: () => Promise<void> | void): void };

export async function tempDataDir(t: Closer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sejour-docs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under DATA_DIR (stored documents and temporary files alike). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const L = (s: string) => JSON.stringify({ fr: s, en: s, ar: s });

/** A category with two pièces: test_passeport (PDF/JPEG/PNG) and test_photo (JPEG only). */
export async function seedCatalogue(db: Kysely<DB>, prefectureId: string): Promise<void> {
  await db
    .insertInto('permit_categories')
    .values({ prefecture_id: prefectureId, code: 'test_cat', family: 'test', name: L('Test'), who_for: L('Test') })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('category_request_kinds')
    .values({ prefecture_id: prefectureId, category_code: 'test_cat', request_kind: 'first', who_for: L('Test'), stamp_cents: 7500 })
    .onConflict((oc) => oc.doNothing())
    .execute();
  for (const [code, formats] of [
    ['test_passeport', ['pdf', 'jpeg', 'png']],
    ['test_photo', ['jpeg']],
  ] as const) {
    await db
      .insertInto('catalogue_pieces')
      .values({ prefecture_id: prefectureId, code, name: L(code), description: L(code), formats: [...formats] })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db
      .insertInto('category_pieces')
      .values({ prefecture_id: prefectureId, category_code: 'test_cat', request_kind: 'first', piece_code: code })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

export async function createUser(
  db: Kysely<DB>,
  prefectureId: string,
  role: 'applicant' | 'agent',
  kind: 'web' | 'api' = 'web',
  mfa = role !== 'applicant',
): Promise<TestUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const user = await db
    .insertInto('users')
    .values({ prefecture_id: prefectureId, role, email, password_hash: 'not-used-in-these-tests', email_confirmed_at: new Date() })
    .returning(['id', 'prefecture_id'])
    .executeTakeFirstOrThrow();
  const { token } = await createSession(db, user, kind, mfa);
  return { id: user.id, email, token };
}

export async function createDossier(
  db: Kysely<DB>,
  prefectureId: string,
  applicant: { id: string; email: string },
  state: 'draft' | 'submitted' | 'pieces_requested' = 'draft',
): Promise<string> {
  const filed = state !== 'draft';
  const row = await db
    .insertInto('dossiers')
    .values({
      prefecture_id: prefectureId,
      applicant_id: applicant.id,
      applicant_email: applicant.email,
      category_code: 'test_cat',
      request_kind: 'first',
      state,
      number: filed ? `34-2026-${String(Math.floor(Math.random() * 999999)).padStart(6, '0')}` : null,
      submitted_at: filed ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface FilePart {
  field: string;
  filename: string;
  content: Buffer;
  type?: string;
}

/** A multipart/form-data body, as a browser builds it. */
export function multipart(fields: Record<string, string>, files: FilePart[]): { payload: Buffer; contentType: string } {
  const boundary = `----sejour${randomUUID().replace(/-/g, '')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A browser session: the session cookie plus a CSRF cookie and token read from a page. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly app: FastifyInstance,
    token: string,
  ) {
    this.cookies.set('sejour_sid', token);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), cookie: this.cookieHeader() } });
    for (const c of res.cookies as { name: string; value: string }[]) if (c.name !== 'sejour_flash') this.cookies.set(c.name, c.value);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1]) this.csrf = m[1];
    return res;
  }

  async start(): Promise<this> {
    await this.request({ method: 'GET', url: '/' });
    if (!this.csrf) throw new Error('no CSRF token on the home page');
    return this;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  postForm(url: string, form: Record<string, string> = {}) {
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
    });
  }

  upload(url: string, fields: Record<string, string>, files: FilePart[], opts: { csrf?: boolean } = {}) {
    const body = multipart(fields, files);
    const sep = url.includes('?') ? '&' : '?';
    return this.request({
      method: 'POST',
      url: opts.csrf === false ? url : `${url}${sep}_csrf=${encodeURIComponent(this.csrf)}`,
      headers: { 'content-type': body.contentType },
      payload: body.payload,
    });
  }
}
