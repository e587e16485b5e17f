// Upload benchmark: a real Séjour server (child process) receives 50 concurrent uploads of
// 10 MB files over real HTTP; prints the throughput and the server's peak memory (target:
// peak RSS below 300 MB, since uploads are streamed and never held whole in memory).
//
//   npx tsx bench/uploads.ts                       PGlite in a temporary DATA_DIR (deleted at the end)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/sejour_bench npx tsx bench/uploads.ts
//                                                  a PostgreSQL server (its database is migrated and seeded)
//   UPLOADS=50 FILE_MB=10 KIND=pdf|jpeg            the defaults
//   RUNNER=tsx                                     the server from its sources through tsx (npm run dev),
//                                                  instead of the bundle that npm start runs
//
// The server runs with NODE_ENV=development (demo applicant), LOG_LEVEL=warn, JOBS=false, and
// UPLOAD_MAX_DOSSIER_MB large enough for every upload to land in one draft dossier.
// Peak RSS is the kernel's high-water mark of the server process (/proc/<pid>/status VmHWM),
// read after the uploads; VmRSS is also polled every 50 ms to show the memory before and during.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS } from '../src/modules/accounts/seed-demo-accounts';
import { reservePort } from '../test/helpers/port';

const UPLOADS = Number(process.env.UPLOADS ?? 50);
const FILE_BYTES = Math.round(Number(process.env.FILE_MB ?? 10) * 1_000_000);
const KIND = process.env.KIND === 'jpeg' ? 'jpeg' : 'pdf';
const TARGET_MB = 300;
const MiB = 1024 * 1024;

/** A valid PDF of exactly `size` bytes: one page whose content stream is padded with comment bytes. */
export function bigPdf(size: number): Buffer {
  const build = (filler: number) => {
    const content = `BT /F1 12 Tf 72 720 Td (Benchmark) Tj ET\n%${'x'.repeat(filler)}\n`;
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    ];
    let out = '%PDF-1.7\n';
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(out.length);
      out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = out.length;
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return out;
  };
  const overhead = build(0).length;
  // The /Length and offsets grow by a few digits with the filler: adjust until exact.
  let filler = size - overhead;
  let text = build(filler);
  while (text.length !== size) {
    filler += size - text.length;
    text = build(filler);
  }
  return Buffer.from(text, 'latin1');
}

/** A valid baseline JPEG of about `size` bytes: an 8×8 grey frame whose entropy-coded data is padded. */
export function bigJpeg(size: number): Buffer {
  const seg = (marker: number, body: Buffer) => {
    const h = Buffer.from([0xff, marker, 0, 0]);
    h.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([h, body]);
  };
  const head = Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    seg(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
    seg(0xc4, Buffer.concat([Buffer.from([0]), Buffer.alloc(16, 0), Buffer.from([0])])),
    seg(0xda, Buffer.from([1, 1, 0, 0, 63, 0])),
  ]);
  const tail = Buffer.from([0xff, 0xd9]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x5a), tail]);
}

function multipartHead(boundary: string, filename: string, type: string): Buffer {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichiers"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
}

async function procStatus(pid: number): Promise<{ rss: number; hwm: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function http(
  base: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: Buffer | Buffer[]; agent?: Agent } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: opts.headers, agent: opts.agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const body = opts.body === undefined ? [] : Array.isArray(opts.body) ? opts.body : [opts.body];
    for (const b of body) req.write(b);
    req.end();
  });
}

async function waitForServer(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await http(base, 'GET', '/healthz')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not answer /healthz within 2 minutes');
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sejour-bench-uploads-'));
  const port = await reservePort();
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JOBS: 'false',
    UPLOAD_MAX_FILE_MB: String(Math.max(10, Math.ceil(FILE_BYTES / MiB) + 1)),
    UPLOAD_MAX_DOSSIER_MB: String(Math.ceil((UPLOADS * FILE_BYTES) / MiB) + 100),
  };
  const database = env.DATABASE_URL ? 'PostgreSQL server' : `PGlite in ${dataDir}`;
  if (env.DATABASE_URL) {
    // Migrations, the Hérault and the demo accounts, on a database that may already hold them.
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'seed'], { env, stdio: 'inherit' });
    if (seeded.status !== 0) throw new Error('seeding the PostgreSQL database failed');
  }
  // The server as `npm start` runs it: the bundle of scripts/build.mjs under plain node
  // (RUNNER=tsx: the sources through tsx, as `npm run dev` does, for comparison).
  const viaTsx = process.env.RUNNER === 'tsx';
  if (!viaTsx) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building the server bundle failed');
  }
  // scripts/start.sh execs node on the bundle with npm start's memory settings: the child's pid is
  // the server's.
  const start = () =>
    viaTsx
      ? spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
      : spawn('sh', ['scripts/start.sh'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async (c: ChildProcess) => {
    if (c.exitCode !== null) return;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  };
  if (!env.DATABASE_URL) {
    // First start: PGlite creates its database (initdb), migrations and seed run. That one-off
    // start is not what a running server looks like, so the measured server is a second start.
    const first = start();
    await waitForServer(base, first).finally(() => stop(first));
  }
  const child = start();
  const pid = child.pid as number;
  let peakPolled = 0;
  let poller: NodeJS.Timeout | undefined;
  try {
    await waitForServer(base, child);
    const idle = await procStatus(pid);

    const demo = DEMO_ACCOUNTS.find((a) => a.role === 'applicant');
    if (!demo) throw new Error('no demo applicant');
    const json = { 'content-type': 'application/json' };
    const login = await http(base, 'POST', '/api/v1/sessions', { headers: json, body: Buffer.from(JSON.stringify({ email: demo.email, password: demo.password })) });
    if (login.status !== 201) throw new Error(`login: ${login.status} ${login.body}`);
    const auth = { authorization: `Bearer ${(JSON.parse(login.body) as { token: string }).token}` };
    const created = await http(base, 'POST', '/api/v1/dossiers', {
      headers: { ...json, ...auth },
      body: Buffer.from(JSON.stringify({ category: 'salarie', kind: 'first' })),
    });
    if (created.status !== 201) throw new Error(`draft dossier: ${created.status} ${created.body}`);
    const dossierId = (JSON.parse(created.body) as { id: string }).id;

    const file = KIND === 'pdf' ? bigPdf(FILE_BYTES) : bigJpeg(FILE_BYTES);
    const type = KIND === 'pdf' ? 'application/pdf' : 'image/jpeg';
    const agent = new Agent({ keepAlive: false, maxSockets: UPLOADS });
    poller = setInterval(() => {
      procStatus(pid)
        .then((s) => (peakPolled = Math.max(peakPolled, s.rss)))
        .catch(() => undefined);
    }, 50);

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: UPLOADS }, async (_, i) => {
        const boundary = `----sejourbench${randomUUID().replace(/-/g, '')}`;
        const head = multipartHead(boundary, `piece-${i}.${KIND === 'pdf' ? 'pdf' : 'jpg'}`, type);
        const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
        const t0 = performance.now();
        const res = await http(base, 'POST', `/api/v1/dossiers/${dossierId}/pieces/passport/documents`, {
          agent,
          headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + file.length + tail.length) },
          body: [head, file, tail],
        });
        return { status: res.status, body: res.body, ms: performance.now() - t0 };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(poller);
    const after = await procStatus(pid);
    peakPolled = Math.max(peakPolled, after.rss);

    const ok = results.filter((r) => r.status === 201);
    const failed = results.filter((r) => r.status !== 201);
    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const mb = (ok.length * FILE_BYTES) / 1_000_000;
    const list = await http(base, 'GET', `/api/v1/dossiers/${dossierId}/documents`, { headers: auth });
    const stored = (JSON.parse(list.body) as { documents: unknown[] }).documents.length;

    const lines = [
      `Séjour upload benchmark (${database}, Node ${process.version}, server ${viaTsx ? 'src/server.ts through tsx' : 'scripts/start.sh on dist/server.mjs (npm start)'})`,
      `  ${UPLOADS} concurrent uploads of ${(FILE_BYTES / 1_000_000).toFixed(1)} MB ${KIND.toUpperCase()} files over HTTP, 1 file per request`,
      `  accepted: ${ok.length}/${UPLOADS}, documents recorded: ${stored}${failed.length ? `, first failure: ${failed[0]?.status} ${failed[0]?.body.slice(0, 200)}` : ''}`,
      `  wall time: ${seconds.toFixed(2)} s`,
      `  throughput: ${(mb / seconds).toFixed(1)} MB/s, ${(ok.length / seconds).toFixed(2)} uploads/s`,
      `  latency per upload: median ${(pct(50) / 1000).toFixed(2)} s, p95 ${(pct(95) / 1000).toFixed(2)} s, max ${((latencies.at(-1) ?? 0) / 1000).toFixed(2)} s`,
      `  server RSS: ${(idle.rss / MiB).toFixed(0)} MiB idle before the uploads, ${(peakPolled / MiB).toFixed(0)} MiB highest polled during (+${((peakPolled - idle.rss) / MiB).toFixed(0)} MiB for the uploads)`,
      `  server peak RSS (VmHWM, whole life of the process): ${(after.hwm / MiB).toFixed(0)} MiB — target below ${TARGET_MB} MB: ${after.hwm < TARGET_MB * 1_000_000 ? 'met' : 'NOT MET'}`,
    ];
    console.log(lines.join('\n'));
    if (failed.length) process.exitCode = 1;
  } finally {
    if (poller) clearInterval(poller);
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
