// A TCP port on 127.0.0.1 for a server that is started a while after the port is chosen (a
// child process that builds, opens its database and migrates before it listens; or a server
// stopped and started again on the same port).
//
// A port from listen(0) is taken from the kernel's ephemeral range, the range every outgoing
// connection also takes its local port from. While the port is not bound (between the choice
// and the listen, or between a stop and the next start), any connection opened by a test running
// beside (a PostgreSQL pool, Redis, SMTP) can get it as its local port, and the server's
// listen then fails with EADDRINUSE. Ports below the ephemeral range are never handed out that
// way, so the port is chosen there, at random, and checked free by binding it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && low > 12_000) return low;
  } catch {
    // not Linux: the IANA dynamic range starts at 49152, and Linux's default at 32768
  }
  return 32_768;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free port of 127.0.0.1 outside the ephemeral range (see above). */
export async function reservePort(): Promise<number> {
  const low = 10_000;
  const high = ephemeralLow() - 1;
  for (let i = 0; i < 50; i++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port found between ${low} and ${high}`);
}
