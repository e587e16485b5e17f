import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { clamdScan, ClamdError } from '../../src/modules/documents/clamd';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** A tiny clamd: reads zINSTREAM and the length-prefixed chunks, answers like clamd does. */
async function fakeClamd(t: { after(fn: () => Promise<void>): void }, answer?: (data: Buffer) => string): Promise<{ url: string; received: Buffer[] }> {
  const received: Buffer[] = [];
  const server: Server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    let commandSeen = false;
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!commandSeen) {
        const end = buf.indexOf(0);
        if (end === -1) return;
        assert.equal(buf.subarray(0, end).toString(), 'zINSTREAM');
        commandSeen = true;
        buf = buf.subarray(end + 1);
      }
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len === 0) {
          const data = Buffer.concat(chunks);
          received.push(data);
          const reply = answer ? answer(data) : data.includes(Buffer.from('EICAR-STANDARD')) ? 'stream: Eicar-Signature FOUND' : 'stream: OK';
          socket.end(`${reply}\0`);
          return;
        }
        if (buf.length < 4 + len) return;
        chunks.push(buf.subarray(4, 4 + len));
        buf = buf.subarray(4 + len);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `tcp://127.0.0.1:${address.port}`, received };
}

test('clamd INSTREAM: a clean file is clean, EICAR is infected, the whole stream is sent', async (t) => {
  const clamd = await fakeClamd(t);
  const big = Buffer.alloc(200_000, 0x61);
  assert.deepEqual(await clamdScan(clamd.url, Readable.from([big])), { status: 'clean' });
  assert.equal(clamd.received[0]?.length, big.length);
  assert.deepEqual(await clamdScan(clamd.url, Readable.from([Buffer.from(`%PDF-1.4 ${EICAR}`)])), {
    status: 'infected',
    signature: 'Eicar-Signature',
  });
});

test('clamd errors and an unreachable clamd are errors, never "clean"', async (t) => {
  const clamd = await fakeClamd(t, () => 'INSTREAM size limit exceeded. ERROR');
  await assert.rejects(clamdScan(clamd.url, Readable.from([Buffer.from('x')])), ClamdError);
  await assert.rejects(clamdScan('tcp://127.0.0.1:1', Readable.from([Buffer.from('x')])), ClamdError);
});
