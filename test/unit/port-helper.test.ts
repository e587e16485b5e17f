// test/helpers/port.ts: ports for servers started a while after the choice are taken below the
// kernel's ephemeral range, where no outgoing connection gets its local port (a port from
// listen(0) can be taken by one, and the server's listen then fails with EADDRINUSE).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { test } from 'node:test';
import { reservePort } from '../helpers/port';

test('reservePort: free ports of 127.0.0.1, below the range outgoing connections take theirs from', async (t) => {
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  // What the port must avoid: an outgoing connection's local port, taken from that range, blocks a listen.
  const peer = createServer((s) => s.end());
  await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
  t.after(() => peer.close());
  const address = peer.address();
  const out = connect(typeof address === 'object' && address ? address.port : 0, '127.0.0.1');
  await new Promise((r) => out.once('connect', r));
  t.after(() => out.destroy());
  assert.ok((out.localPort ?? 0) >= low, 'outgoing connections take ports of the ephemeral range');
  const blocked = createServer();
  const code = await new Promise((r) => {
    blocked.once('error', (e: NodeJS.ErrnoException) => r(e.code));
    blocked.listen(out.localPort, '127.0.0.1', () => blocked.close(() => r('listening')));
  });
  assert.equal(code, 'EADDRINUSE');

  const ports = await Promise.all(Array.from({ length: 20 }, () => reservePort()));
  for (const port of ports) {
    assert.ok(port >= 10_000 && port < low, `${port} is below ${low}`);
    const srv = createServer();
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((r) => srv.close(r));
  }
});
