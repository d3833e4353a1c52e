// Fleet benchmark (npm run bench:fleet): order placed → received by every kiosk of a
// simulated fleet, for the back office and for a floor that pushes the same changes through
// the same kind of live stream without storing anything. Three processes per run: the back
// office (or the floor), the simulated kiosks (one process, every stream), and this driver,
// which places the orders at a fixed rate over the online API. The simulated kiosks behave
// like the sync client: each opens its live stream, pulls once to verify it, then takes the
// pushed pages (and pulls again only after a gap). They read each order id out of a frame
// rather than validating it (the client's zod work is per kiosk, not the back office's);
// floor and back office are read the same way.
//   npm run bench:fleet -- [--kiosks 100,500,1400] [--rates 100,1000] [--seconds 10] [--no-write]
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Pool } from 'undici';
import { openBackOffice } from '../backoffice/server.js';
import { startPgCluster, type PgCluster } from '../test/pg-server.js';
import { newToken } from '../backoffice/db.js';
import { MAX_INTERVAL_MS } from '../backoffice/live.js';

/** The back office; the floor pushing each order as it comes; the floor coalescing as the back office does. */
type Target = 'backoffice' | 'floor' | 'floor-coalesced';
type ToServer = { type: 'measure' } | { type: 'report' } | { type: 'stop' };
type FromServer =
  | { type: 'ready'; url: string; onlineToken: string; tokens: string[] }
  | { type: 'report'; cpuMs: number; wallMs: number; rssPeakMb: number };
type ToKiosks = { type: 'collect' } | { type: 'stop' };
type FromKiosks =
  | { type: 'verified'; ms: number }
  | { type: 'collected'; orders: [string, number, number][]; errors: number; reconnects: number; pulls: number; frames: number };

const now = () => performance.timeOrigin + performance.now();
/** The back office's longest flush interval (backoffice/live.ts, at 1,400 kiosks); the coalescing floor uses it at every size. */
const PUSH_INTERVAL_MS = MAX_INTERVAL_MS;
const send = <T>(message: T) => process.send?.(message);

/** CPU and peak RSS of this process from the `measure` message on. */
function meter() {
  let cpu = process.cpuUsage();
  let wall = now();
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  sampler.unref();
  return {
    start() {
      cpu = process.cpuUsage();
      wall = now();
      rssPeak = process.memoryUsage().rss;
    },
    report(): FromServer {
      const used = process.cpuUsage(cpu);
      return { type: 'report', cpuMs: (used.user + used.system) / 1000, wallMs: now() - wall, rssPeakMb: rssPeak / 2 ** 20 };
    },
  };
}

// ------------------------------------------------------------------ the back office
/** One back-office instance: on SQLite (`databaseUrl` '-') or PostgreSQL; instance 0 registers the kiosks. */
async function backOfficeProcess(dir: string, kiosks: number, databaseUrl: string, index: number, onlineToken: string): Promise<void> {
  const bo = await openBackOffice({
    file: join(dir, 'backoffice.db'),
    onlineToken,
    log: pino({ level: 'silent' }),
    rateLimit: { known: 1e9, unknown: 1e9 },
    emailIntervalMs: 3_600_000,
    ...(databaseUrl === '-'
      ? {}
      : {
          databaseUrl,
          keyFiles: { orderKey: join(dir, 'order-key'), sealKey: join(dir, 'seal-key') },
          watermarkFile: join(dir, `watermark-${index}`),
          instanceId: `bench-${index}`,
        }),
  });
  const tokens: string[] = [];
  for (let i = 0; i < kiosks && index === 0; i++) {
    const token = newToken();
    await bo.store.registerKiosk(`k${i}`, `Kiosk ${i}`, token);
    tokens.push(token);
  }
  const url = await bo.listen(0);
  const m = meter();
  process.on('message', (message: ToServer) => {
    if (message.type === 'measure') m.start();
    else if (message.type === 'report') send(m.report());
    else void bo.close().then(() => process.exit(0));
  });
  send<FromServer>({ type: 'ready', url, onlineToken, tokens });
}

// ------------------------------------------------------------------ the floor
/**
 * Takes an order and writes it to every stream as a page: nothing stored, nothing read back.
 * With `intervalMs` 0 each order goes at once in a page of its own; otherwise the orders of
 * an interval go in one page, as the back office's live feed coalesces them.
 */
async function floorProcess(kiosks: number, intervalMs: number): Promise<void> {
  const onlineToken = newToken();
  const epoch = randomBytes(16).toString('base64url');
  const streams = new Set<ServerResponse>();
  let seq = 0;
  let pushed = 0;
  let waiting: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  let lastFlush = 0;
  const flush = () => {
    timer = null;
    lastFlush = Date.now();
    const frame = Buffer.from(`event: page\ndata: {"from":"${pushed}","changes":[${waiting.join(',')}],"cursor":"${seq}","more":false,"head":"${seq}","epoch":"${epoch}"}\n\n`);
    pushed = seq;
    waiting = [];
    for (const stream of streams) stream.write(frame);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url.startsWith('/v1/kiosk/events')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(`event: changes\ndata: {"cursor":"${seq}","epoch":"${epoch}"}\n\n`);
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (url.startsWith('/v1/kiosk/changes')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"changes":[],"cursor":"${seq}","more":false,"head":"${seq}","epoch":"${epoch}"}`);
      return;
    }
    if (req.method === 'POST' && url === '/v1/online/orders') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const order = JSON.parse(body) as { cardNumber: string; amountCents: number };
        const id = `o_${randomBytes(12).toString('base64url')}`;
        const from = seq++;
        const at = new Date().toISOString();
        const change = JSON.stringify({
          orderId: id,
          status: 'pending',
          cardNumber: order.cardNumber,
          serial: seq,
          version: seq,
          change: randomBytes(16).toString('base64url'),
          voidSerials: null,
          payload: { kind: 'topup', amountCents: order.amountCents },
          signature: randomBytes(64).toString('base64url'),
          createdAt: at,
          expiresAt: at,
        });
        void from;
        waiting.push(change);
        if (intervalMs === 0) flush();
        else timer ??= setTimeout(flush, Math.max(0, lastFlush + intervalMs - Date.now()));
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const m = meter();
  process.on('message', (message: ToServer) => {
    if (message.type === 'measure') m.start();
    else if (message.type === 'report') send(m.report());
    else process.exit(0);
  });
  send<FromServer>({ type: 'ready', url: `http://127.0.0.1:${port}`, onlineToken, tokens: Array.from({ length: kiosks }, () => 'floor') });
}

// ------------------------------------------------------------------ the simulated kiosks
/** Kiosk i streams from instance i mod n (`urls`, comma-separated), as behind a load balancer. */
async function kiosksProcess(urls: string, tokensFile: string): Promise<void> {
  const targets = urls.split(',').map((u) => new URL(u));
  const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as string[];
  const n = tokens.length;
  const bytes = Math.ceil(n / 8);
  // Per order: which kiosks have it (a bit each), how many, and when the last one got it.
  const seen = new Map<string, { bits: Uint8Array; count: number; last: number }>();
  let errors = 0;
  let reconnects = 0;
  let pulls = 0;
  let frames = 0;
  let verifiedCount = 0;
  const started = now();
  const ORDER_ID = /"orderId":"([^"]+)"/g;

  const idsOf = (text: string): string[] => [...text.matchAll(ORDER_ID)].map((m) => m[1] as string);
  // Every kiosk gets the same frame: its order ids are read out once.
  const pages = new Map<string, { from: number; to: number; ids: string[] }>();
  const pageOf = (frame: string) => {
    // Two instances may each send a page from the same cursor: the key has both ends and the size.
    const at2 = frame.lastIndexOf('"cursor":"');
    const to = Number(frame.slice(at2 + 10, frame.indexOf('"', at2 + 10)));
    const key = `${frame.slice(0, 40)}|${to}|${frame.length}`;
    let page = pages.get(key);
    if (!page) {
      if (pages.size > 10_000) pages.clear();
      page = { from: Number(/"from":"(\d+)"/.exec(frame.slice(0, 60))?.[1] ?? NaN), to, ids: idsOf(frame) };
      pages.set(key, page);
    }
    return page;
  };
  const record = (kiosk: number, text: string, at: number) => mark(kiosk, idsOf(text), at);
  const mark = (kiosk: number, ids: readonly string[], at: number) => {
    for (const id of ids) {
      let entry = seen.get(id);
      if (!entry) seen.set(id, (entry = { bits: new Uint8Array(bytes), count: 0, last: 0 }));
      const byte = kiosk >> 3;
      const bit = 1 << (kiosk & 7);
      if ((entry.bits[byte] as number) & bit) continue;
      entry.bits[byte] = (entry.bits[byte] as number) | bit;
      entry.count++;
      entry.last = at;
    }
  };

  function connect(kiosk: number, state: { cursor: number; verified: boolean; pulling: boolean }): void {
    const token = tokens[kiosk] as string;
    const target = targets[kiosk % targets.length] as URL;
    const url = target.origin;
    const pull = () => {
      if (state.pulling) return;
      state.pulling = true;
      pulls++;
      const req = httpRequest(`${url}/v1/kiosk/changes?cursor=${state.cursor}&limit=5000`, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          state.pulling = false;
          try {
            const page = JSON.parse(body) as { cursor: string; more: boolean };
            record(kiosk, body, now());
            state.cursor = Math.max(state.cursor, Number(page.cursor));
            if (!state.verified) {
              state.verified = true;
              if (++verifiedCount === n) send<FromKiosks>({ type: 'verified', ms: now() - started });
            }
            if (page.more) pull();
            else drain();
          } catch {
            errors++;
          }
        });
      });
      req.on('error', () => {
        state.pulling = false;
        errors++;
      });
      req.end();
    };
    const queue: { from: number; to: number; ids: string[] }[] = [];
    const apply = (page: { from: number; to: number; ids: string[] }, at: number): boolean => {
      if (page.to <= state.cursor) return true;
      if (page.from > state.cursor) {
        pull();
        return false;
      }
      mark(kiosk, page.ids, at);
      state.cursor = page.to;
      return true;
    };
    // After a pull: the pages that waited, applied now (so counted as received now).
    function drain(): void {
      while (queue.length > 0 && !state.pulling) if (!apply(queue.shift() as { from: number; to: number; ids: string[] }, now())) break;
    }
    // The stream over a raw socket (the request written by hand, the chunked body scanned
    // as it comes): a simulated kiosk must cost far less than the back office it measures.
    const socket = connectTcp({ host: target.hostname, port: Number(target.port) });
    socket.setNoDelay(true);
    socket.write(`GET /v1/kiosk/events HTTP/1.1\r\nhost: ${target.host}\r\nauthorization: Bearer ${token}\r\naccept: text/event-stream\r\n\r\n`);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      const at = now();
      buffer += chunk.toString('latin1');
      let start: number;
      while ((start = buffer.indexOf('event: ')) >= 0) {
        const end = buffer.indexOf('\n\n', start);
        if (end < 0) break;
        const frame = buffer.slice(start, end);
        buffer = buffer.slice(end + 2);
        if (frame.startsWith('event: changes')) {
          if (!state.verified) pull();
          continue;
        }
        frames++;
        // As the sync client: a page that comes during a pull waits for it (in order, up to 256).
        if (!state.verified || state.pulling) {
          if (queue.length < 256) queue.push(pageOf(frame));
          continue;
        }
        apply(pageOf(frame), at);
      }
    });
    socket.on('error', () => {
      errors++;
    });
    socket.on('close', () => {
      if (stopping) return;
      reconnects++;
      setTimeout(() => connect(kiosk, { ...state, verified: false, pulling: false }), 200);
    });
  }

  let stopping = false;
  for (let i = 0; i < n; i++) {
    connect(i, { cursor: 0, verified: false, pulling: false });
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
  }
  process.on('message', (message: ToKiosks) => {
    if (message.type === 'collect') {
      const orders = [...seen].map(([id, e]): [string, number, number] => [id, e.count, e.last]);
      send<FromKiosks>({ type: 'collected', orders, errors, reconnects, pulls, frames });
    } else {
      stopping = true;
      process.exit(0);
    }
  });
}

// ------------------------------------------------------------------ the driver
interface RunResult {
  target: Target;
  kiosks: number;
  rate: number;
  placed: number;
  reachedAll: number;
  p50: number;
  p95: number;
  max: number;
  cpuPercent: number;
  rssPeakMb: number;
  errors: number;
  reconnects: number;
  pulls: number;
  verifyMs: number;
}

function once<T>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${type}' from the child within ${timeoutMs} ms`)), timeoutMs);
    const on = (message: { type: string }) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(message as T);
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before '${type}'`)));
  });
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Where the back office keeps its orders: its SQLite file, or a fresh database of the bench's PostgreSQL. */
type Engine = { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly cluster: PgCluster };

async function run(target: Target, kiosks: number, rate: number, seconds: number, engine: Engine = { kind: 'sqlite' }, instances = 1): Promise<RunResult> {
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(dbDir, 'bench-fleet-'));
  const databaseUrl = target === 'backoffice' && engine.kind === 'postgres' ? await engine.cluster.newDatabase() : '-';
  const onlineToken = newToken();
  const servers: ChildProcess[] = [];
  let sims: ChildProcess | null = null;
  try {
    // Instance 0 first: it migrates, makes the key files and registers the kiosks.
    const readies: Extract<FromServer, { type: 'ready' }>[] = [];
    for (let index = 0; index < (target === 'backoffice' ? instances : 1); index++) {
      const role =
        target === 'backoffice'
          ? ['--role-backoffice', dir, String(kiosks), databaseUrl, String(index), onlineToken]
          : ['--role-floor', String(kiosks), target === 'floor' ? '0' : String(PUSH_INTERVAL_MS)];
      const server = fork(self, role, { stdio: 'inherit' });
      servers.push(server);
      readies.push(await once<Extract<FromServer, { type: 'ready' }>>(server, 'ready'));
    }
    const ready = readies[0] as Extract<FromServer, { type: 'ready' }>;
    const tokensFile = join(dir, 'tokens.json');
    writeFileSync(tokensFile, JSON.stringify(ready.tokens), { mode: 0o600 });
    sims = fork(self, ['--role-kiosks', readies.map((r) => r.url).join(','), tokensFile], { stdio: 'inherit' });
    const verified = await once<Extract<FromKiosks, { type: 'verified' }>>(sims, 'verified');
    await new Promise((r) => setTimeout(r, 500));
    for (const server of servers) server.send({ type: 'measure' } satisfies ToServer);

    // Orders go round-robin to the instances, as a load balancer would send them.
    const pools = readies.map((r) => new Pool(r.url, { connections: 16 }));
    const sentAt = new Map<string, number>();
    let failures = 0;
    const total = rate * seconds;
    const tickMs = 10;
    const perTick = rate / (1000 / tickMs);
    let placed = 0;
    const t0 = now();
    const inflight: Promise<void>[] = [];
    const placeOne = async (i: number) => {
      const at = now();
      try {
        const response = await (pools[i % pools.length] as Pool).request({
          path: '/v1/online/orders',
          method: 'POST',
          headers: { authorization: `Bearer ${onlineToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'topup', cardNumber: `3528${String(i % 100_000).padStart(12, '0')}`, email: 'bench@example.org', amountCents: 100 + (i % 1000) }),
        });
        const text = await response.body.text();
        if (response.statusCode !== 201) {
          failures++;
          return;
        }
        sentAt.set((JSON.parse(text) as { id: string }).id, at);
      } catch {
        failures++;
      }
    };
    while (placed < total) {
      const due = Math.min(total, Math.floor(((now() - t0) / tickMs + 1) * perTick));
      while (placed < due) inflight.push(placeOne(placed++));
      await new Promise((r) => setTimeout(r, tickMs));
    }
    await Promise.all(inflight);
    // Until every order reached every kiosk, or 10 s after the last.
    const deadline = now() + 10_000;
    let collected: Extract<FromKiosks, { type: 'collected' }>;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const c = once<Extract<FromKiosks, { type: 'collected' }>>(sims, 'collected');
      sims.send({ type: 'collect' } satisfies ToKiosks);
      collected = await c;
      const complete = collected.orders.filter(([id, count]) => sentAt.has(id) && count === kiosks).length;
      if (complete === sentAt.size || now() > deadline) break;
    }
    const reports = await Promise.all(
      servers.map((server) => {
        const report = once<Extract<FromServer, { type: 'report' }>>(server, 'report');
        server.send({ type: 'report' } satisfies ToServer);
        return report;
      }),
    );
    const usage = { cpuMs: reports.reduce((t, r) => t + r.cpuMs, 0), wallMs: Math.max(...reports.map((r) => r.wallMs)), rssPeakMb: Math.max(...reports.map((r) => r.rssPeakMb)) };
    await Promise.all(pools.map((pool) => pool.close()));
    const latencies = collected.orders
      .filter(([id, count]) => sentAt.has(id) && count === kiosks)
      .map(([id, , last]) => last - (sentAt.get(id) as number))
      .sort((a, b) => a - b);
    return {
      target,
      kiosks,
      rate,
      placed: sentAt.size,
      reachedAll: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies.at(-1) ?? NaN,
      cpuPercent: (usage.cpuMs / usage.wallMs) * 100,
      rssPeakMb: usage.rssPeakMb,
      errors: collected.errors + failures,
      reconnects: collected.reconnects,
      pulls: collected.pulls,
      verifyMs: verified.ms,
    };
  } finally {
    sims?.kill('SIGKILL');
    for (const server of servers) server.send({ type: 'stop' } satisfies ToServer, () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    for (const server of servers) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/**
 * Where the back office's SQLite file goes. By default a RAM disk: this measures the fan-out,
 * and a commit with synchronous=FULL costs an fsync (6.5 ms on this machine's disk, which
 * alone caps one SQLite instance near 150 orders/s); `--db-dir /tmp` measures with the disk.
 */
const dbDir = arg('db-dir', existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

const ms = (v: number) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US'));

async function main(): Promise<void> {
  if (process.argv[2] === '--role-backoffice') {
    const [dir, kiosks, url, index, token] = process.argv.slice(3) as [string, string, string, string, string];
    return backOfficeProcess(dir, Number(kiosks), url, Number(index), token);
  }
  if (process.argv[2] === '--role-floor') return floorProcess(Number(process.argv[3]), Number(process.argv[4]));
  if (process.argv[2] === '--role-kiosks') return kiosksProcess(process.argv[3] as string, process.argv[4] as string);

  const fleet = arg('kiosks', '100,500,1400').split(',').map(Number);
  const rates = arg('rates', '100,1000').split(',').map(Number);
  const seconds = Number(arg('seconds', '10'));
  const engines = arg('engines', 'sqlite,postgres').split(',');
  const cluster = engines.includes('postgres') ? await startPgCluster() : null;
  // SQLite: one instance (one file, one writer); PostgreSQL: one and two instances on one database.
  const setups: { label: string; engine: Engine; instances: number }[] = [
    ...(engines.includes('sqlite') ? [{ label: 'SQLite, 1 instance', engine: { kind: 'sqlite' } as Engine, instances: 1 }] : []),
    ...(cluster
      ? [
          { label: 'PostgreSQL, 1 instance', engine: { kind: 'postgres', cluster } as Engine, instances: 1 },
          { label: 'PostgreSQL, 2 instances', engine: { kind: 'postgres', cluster } as Engine, instances: 2 },
        ]
      : []),
  ];
  const rows: string[] = [];
  const cell = (r: RunResult) => `${ms(r.p50)} / ${ms(r.p95)}${r.reachedAll < r.placed ? ` (${(r.placed - r.reachedAll).toLocaleString('en-US')} missing)` : ''}`;
  try {
    for (const rate of rates) {
      for (const kiosks of fleet) {
        const floor = await run('floor', kiosks, rate, seconds);
        const coalesced = await run('floor-coalesced', kiosks, rate, seconds);
        const best = [floor, coalesced].filter((f) => f.reachedAll === f.placed).sort((a, b) => a.p95 - b.p95)[0] ?? coalesced;
        for (const setup of setups) {
          const bo = await run('backoffice', kiosks, rate, seconds, setup.engine, setup.instances);
          const row = [
            kiosks.toLocaleString('en-US'),
            rate.toLocaleString('en-US'),
            setup.label,
            `${bo.reachedAll.toLocaleString('en-US')} of ${bo.placed.toLocaleString('en-US')}`,
            cell(bo),
            `${Math.round(bo.cpuPercent)} % / ${Math.round(bo.rssPeakMb)} MB`,
            `${bo.errors} / ${bo.reconnects} / ${bo.pulls - kiosks}`,
            cell(floor),
            cell(coalesced),
            `${Math.round(coalesced.cpuPercent)} % / ${Math.round(coalesced.rssPeakMb)} MB`,
            `${(bo.p50 / best.p50).toFixed(1)}× / ${(bo.p95 / best.p95).toFixed(1)}×`,
          ];
          rows.push(`| ${row.join(' | ')} |`);
          process.stdout.write(`${rows.at(-1)}\n`);
        }
      }
    }
  } finally {
    await cluster?.stop();
  }
  const table = [
    '| kiosks | orders/s | back office | orders reaching every kiosk | p50 / p95 ms | back office CPU / peak RSS | errors / reconnects / extra pulls | floor, each order pushed at once: p50 / p95 ms | floor, coalesced as the back office: p50 / p95 ms | floor CPU / peak RSS (coalesced) | back office ÷ the better floor, p50 / p95 |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  if (!process.argv.includes('--no-write')) writeSection(table, seconds);
}

/** Rewrites the fleet section of docs/performance.md. */
function writeSection(table: string, seconds: number): void {
  const file = join(process.cwd(), 'docs/performance.md');
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const start = '<!-- fleet:start -->';
  const end = '<!-- fleet:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  const load = loadavg().map((v) => v.toFixed(1)).join(' / ');
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, load average ${load} (1 / 5 / 15 min) at the end`;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:fleet\` on ${machine}: for each row, ${seconds} s of orders at the rate shown,`,
    `placed over the online API (16 connections per instance, round-robin over the instances); each back-office instance (SQLite in ${dbDir};`,
    'PostgreSQL: a throwaway cluster on 127.0.0.1 with fsync off, as the tests run it) and the floor (which stores nothing) in a process of',
    'its own, all simulated kiosks in one more (kiosk i streams from instance i mod n). Latency is from the order sent to the last kiosk',
    "having it; CPU (summed over the instances) and peak RSS are the back office's (or the floor's) over the run. \"Extra pulls\" counts",
    "the kiosks' pulls beyond the one each makes to verify its stream. The two floors push the same changes through the same stream",
    'format without storing or reading anything: one page per order at once, or the orders of 25 ms in one page as the back office does.',
    '',
    table,
  ].join('\n');
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`);
  process.stderr.write(`wrote the fleet section of ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
