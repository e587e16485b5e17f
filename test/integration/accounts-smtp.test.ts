// A real SMTP server receives the confirmation mail: smtp-server on 127.0.0.1:0, the app
// configured with SMTP_URL, registration through the pages in Arabic, jobs drained.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { build } from '../helpers/build';
import { Agent, linkFrom } from '../helpers/agent';
import { GOOD_PASSWORD } from '../helpers/accounts-fixtures';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) in a header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

function header(block: string, name: string): string {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return m?.[1]?.trim() ?? '';
}

/** The decoded text/plain part of a MIME message. */
function textPart(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts) {
    const [head = '', ...rest] = part.split(/\r?\n\r?\n/);
    if (!/content-type:\s*text\/plain/i.test(head)) continue;
    const body = rest.join('\n\n').replace(/\r?\n--[^\r\n]+--\s*$/, '');
    const enc = header(head, 'Content-Transfer-Encoding').toLowerCase();
    if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (enc === 'quoted-printable') {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  }
  throw new Error(`no text/plain part in:\n${raw}`);
}

test('the confirmation mail reaches a real SMTP server, in the applicant’s language, with the link', async (t) => {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as AddressInfo;

  const { app } = await build(t, { config: { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Séjour <no-reply@sejour.test>' } });
  const agent = new Agent(app);
  await agent.get('/compte/inscription?lang=ar');
  const res = await agent.post('/compte/inscription', { email: 'Layla@Example.ma', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
  assert.equal(res.statusCode, 303);
  assert.equal(received.length, 0, 'nothing is sent before the job runs');
  await app.deps.jobs.drain();

  assert.equal(received.length, 1);
  const mail = received[0]!;
  assert.deepEqual(mail.to.map((a) => a.toLowerCase()), ['layla@example.ma']);
  assert.equal(mail.from, 'no-reply@sejour.test');
  const headEnd = mail.raw.search(/\r?\n\r?\n/);
  const head = mail.raw.slice(0, headEnd);
  assert.equal(decodeWords(header(head, 'Subject')), 'أكّد بريدك الإلكتروني');
  assert.equal(header(head, 'Content-Language'), 'ar');
  const body = textPart(mail.raw);
  assert.match(body, /لتأكيد بريدك الإلكتروني/);
  const link = linkFrom(body, '/compte/confirmer?token=');
  const row = await app.deps.db.selectFrom('mails').select(['status', 'delivered_at']).executeTakeFirstOrThrow();
  assert.equal(row.status, 'sent');
  assert.ok(row.delivered_at);

  // The link from the received mail confirms the account.
  const confirm = await agent.get(link);
  assert.equal(confirm.statusCode, 303);
  assert.equal(confirm.headers.location, '/compte/connexion');
  const user = await app.deps.db.selectFrom('users').select('email_confirmed_at').where('email', '=', 'Layla@Example.ma').executeTakeFirstOrThrow();
  assert.ok(user.email_confirmed_at);
});
