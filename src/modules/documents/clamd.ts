// A clamd client (INSTREAM over TCP): "zINSTREAM\0", then chunks each prefixed by their
// length (uint32 BE), then a zero length; clamd answers "stream: OK" or
// "stream: <signature> FOUND" (or "... ERROR"), terminated by \0.
import { connect } from 'node:net';
import type { Readable } from 'node:stream';

export type ScanVerdict = { status: 'clean' } | { status: 'infected'; signature: string };

export class ClamdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClamdError';
  }
}

export function parseClamdUrl(url: string): { host: string; port: number } {
  const u = new URL(url);
  if (u.protocol !== 'tcp:' || !u.hostname || !u.port) throw new ClamdError(`bad clamd URL: ${url}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
}

export function parseClamdReply(reply: string): ScanVerdict {
  const text = reply.replace(/\0/g, '').trim();
  const m = /^(?:stream|[^:]*):\s*(.*)$/.exec(text);
  const verdict = (m?.[1] ?? text).trim();
  if (verdict === 'OK') return { status: 'clean' };
  const found = /^(.+)\s+FOUND$/.exec(verdict);
  if (found?.[1]) return { status: 'infected', signature: found[1].slice(0, 200) };
  throw new ClamdError(`clamd: ${verdict.slice(0, 200) || 'empty reply'}`);
}

const CHUNK = 64 * 1024;

/** Streams the bytes to clamd and returns its verdict; throws ClamdError when clamd cannot answer. */
export async function clamdScan(url: string, data: Readable, timeoutMs = 60_000): Promise<ScanVerdict> {
  const { host, port } = parseClamdUrl(url);
  const socket = connect({ host, port });
  socket.setTimeout(timeoutMs);
  const replyParts: Buffer[] = [];
  const done = new Promise<string>((resolve, reject) => {
    socket.on('data', (d: Buffer) => {
      replyParts.push(d);
      if (d.includes(0)) socket.end();
    });
    socket.on('end', () => resolve(Buffer.concat(replyParts).toString('utf8')));
    socket.on('timeout', () => socket.destroy(new ClamdError('clamd timed out')));
    socket.on('error', (err) => reject(err instanceof ClamdError ? err : new ClamdError(`clamd unreachable: ${err.message}`)));
  });
  // Avoid an unhandled rejection while we are still writing; the promise is awaited below.
  done.catch(() => undefined);
  const write = (buf: Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (socket.destroyed) return reject(new ClamdError('clamd closed the connection'));
      socket.write(buf, (err) => (err ? reject(new ClamdError(`clamd write failed: ${err.message}`)) : resolve()));
    });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await write(Buffer.from('zINSTREAM\0', 'latin1'));
    for await (const chunk of data) {
      const buf = chunk as Buffer;
      for (let i = 0; i < buf.length; i += CHUNK) {
        const part = buf.subarray(i, i + CHUNK);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(part.length);
        await write(Buffer.concat([len, part]));
      }
      // clamd may answer early (size limit exceeded): stop sending.
      if (replyParts.length) break;
    }
    if (!replyParts.length) await write(Buffer.alloc(4));
  } catch (err) {
    socket.destroy();
    data.destroy();
    throw err instanceof ClamdError ? err : new ClamdError(`clamd: ${(err as Error).message}`);
  }
  try {
    return parseClamdReply(await done);
  } finally {
    data.destroy();
  }
}
