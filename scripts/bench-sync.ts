// Sync benchmarks (npm run bench:sync): the back office runs in a child process with
// BENCH_ORDERS pending orders (default 1,000,000); this process is the kiosk, so its
// peak RSS is the kiosk's. Prints a Markdown table for docs/performance.md.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createBackOffice } from '../backoffice/server.js';
import { newToken } from '../backoffice/db.js';
import Database from 'better-sqlite3';
import pino from 'pino';
import type { CardCodec } from '../hardware/card-layout.js';
import type { CardReader } from '../hardware/card-reader.js';
import { createMaintenance } from '../kiosk/maintenance.js';
import { openStore } from '../store/index.js';
import { createSyncClient } from '../sync/client.js';

const N = Number(process.env.BENCH_ORDERS ?? 1_000_000);
/**
 * The share of the orders still open (pending), in percent. Below 100 the rest is history
 * (cancelled, expired, picked up) and only the initial sync of a new kiosk is measured:
 * BENCH_ORDERS=10000000 BENCH_OPEN_PERCENT=11 is a country's feed after a while.
 */
const OPEN_PERCENT = Number(process.env.BENCH_OPEN_PERCENT ?? 100);
const statusOf = (i: number) => (i % 100 < OPEN_PERCENT ? 'pending' : (['cancelled', 'expired', 'delivered'] as const)[i % 3]);
const CARDS = Math.max(1, Math.floor(N / 4));
const cardOf = (i: number) => `3528${String(i % CARDS).padStart(12, '0')}`;
const quiet = { warn() {}, error() {}, info() {} };

type ToChild = { type: 'changes'; n: number } | { type: 'bytes' } | { type: 'stop' };
type FromChild = { type: 'ready'; url: string; token: string; onlineToken: string; seedMs: number } | { type: 'done' } | { type: 'bytes'; bytes: number };

async function backOfficeProcess(dir: string): Promise<void> {
  const onlineToken = newToken();
  const bo = createBackOffice({ file: join(dir, 'backoffice.db'), onlineToken, log: pino({ level: 'silent' }), rateLimit: { known: 1e9, unknown: 1e9 } });
  // What the changes feed sent, in bytes (the kiosk's download).
  let changesBytes = 0;
  bo.app.addHook('onSend', async (request, _reply, payload) => {
    if (request.url.startsWith('/v1/kiosk/changes') && typeof payload === 'string') changesBytes += Buffer.byteLength(payload);
    return payload;
  });
  const t0 = performance.now();
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
  // Seeded in bulk, as placeOrder would leave them but without its per-order work: each with
  // a serial (unique, so unique per card), its change in feed_log, and a signature of the
  // right form (the bench kiosk pins no order key, so it is not verified: that cost is not
  // in these figures).
  const insert = bo.db.db.prepare(
    `INSERT INTO orders (id, card_number, email, kind, payload, status, created_at, expires_at, updated_at, seq, serial, signature)
     VALUES (?, ?, 'bench@example.org', 'topup', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const logChange = bo.db.db.prepare('INSERT INTO feed_log (seq, change_id) VALUES (?, ?)');
  const signature = 's'.repeat(86);
  bo.db.db.transaction(() => {
    for (let i = 1; i <= N; i++) {
      insert.run(`o${i}`, cardOf(i), `{"kind":"topup","amountCents":${100 + (i % 5000)}}`, statusOf(i), now, expires, now, i, i, signature);
      logChange.run(i, `change-${i}`);
    }
    bo.db.db.prepare(`UPDATE counters SET value = ? WHERE name = 'seq'`).run(N);
  })();
  const seedMs = performance.now() - t0;
  const token = newToken();
  bo.db.registerKiosk('bench', 'Bench kiosk', token);
  const url = await bo.listen(0);
  const send = (m: FromChild) => process.send?.(m);
  process.on('message', (m: ToChild) => {
    if (m.type === 'bytes') {
      send({ type: 'bytes', bytes: changesBytes });
      changesBytes = 0;
      return;
    }
    if (m.type === 'stop') {
      void bo.close().then(() => process.exit(0));
      return;
    }
    // 1,000 changes: half new orders, 30% cancelled, 20% picked up at another kiosk
    const at = new Date().toISOString();
    for (let i = 0; i < m.n; i++) {
      if (i % 10 < 5) bo.db.placeOrder({ kind: 'topup', cardNumber: cardOf(i * 7919), email: 'b@example.org', amountCents: 500 });
      else if (i % 10 < 8) bo.db.cancelOrder(`o${1 + i * 13}`);
      else bo.db.recordPickup('other', { deliveryId: `bench-${i}`, orderId: `o${2 + i * 13}`, cardNumber: cardOf(2 + i * 13), deliveredAt: at, kind: 'topup' });
    }
    bo.notify();
    send({ type: 'done' });
  });
  send({ type: 'ready', url, token, onlineToken, seedMs });
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));

async function main(): Promise<void> {
  if (process.argv[2] === '--backoffice') return backOfficeProcess(process.argv[3] as string);
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const child = fork(fileURLToPath(import.meta.url), ['--backoffice', dir], { stdio: 'inherit' });
  const next = () => new Promise<FromChild>((resolve) => child.once('message', (m: FromChild) => resolve(m)));
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('back office did not start');
  process.stderr.write(`back office seeded with ${N} orders in ${(ready.seedMs / 1000).toFixed(1)} s\n`);

  const store = openStore(join(dir, 'kiosk.db'));
  let applied = 0;
  const client = createSyncClient({ baseUrl: ready.url, token: ready.token, store, logger: quiet, live: true, onApplied: () => applied++ });

  // 1. initial sync
  const rssBefore = process.memoryUsage().rss;
  let t = performance.now();
  await client.syncNow();
  const initialMs = performance.now() - t;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const pages = applied;
  const pending = store.orders.countByStatus().pending;
  const open = Array.from({ length: 100 }, (_, i) => i).filter((i) => i < OPEN_PERCENT).length;
  const expected = OPEN_PERCENT >= 100 ? N : Math.floor(N / 100) * open + Math.min(N % 100, open);
  if (pending !== expected) throw new Error(`expected ${expected} pending orders, got ${pending}`);
  const bytesOf = async () => {
    child.send({ type: 'bytes' } satisfies ToChild);
    const m = await next();
    return m.type === 'bytes' ? m.bytes : NaN;
  };
  const downloaded = await bytesOf();

  // 1b. the floor of an initial sync, in the same run: the same pages fetched and parsed,
  // each change written to the same table of a store of the same schema, one transaction
  // per page with its cursor, and nothing else (no validation, no rules, no re-formatting).
  const floorMs = await floorInitialSync(ready.url, ready.token, join(dir, 'floor.db'));
  const floorBytes = await bytesOf();
  if (OPEN_PERCENT < 100) {
    // A country's feed with its history: only the new kiosk's initial sync is measured.
    const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
    const kioskBytes = size(join(dir, 'kiosk.db')) + size(join(dir, 'kiosk.db-wal'));
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    process.stdout.write(
      `| Initial sync of a new kiosk: ${N.toLocaleString('en')} orders in the feed, ${pending.toLocaleString('en')} open (${OPEN_PERCENT} %) | ` +
        `${(initialMs / 1000).toFixed(1)} s, ${mb(downloaded)} downloaded, ${pending.toLocaleString('en')} rows kept in ${mb(kioskBytes)} (kiosk.db + WAL), peak RSS ${peakRssMb.toFixed(0)} MB; ` +
        `floor ${(floorMs / 1000).toFixed(1)} s (${mb(floorBytes)}): ${(initialMs / floorMs).toFixed(2)}× the floor |\n`,
    );
    await client.stop();
    store.close();
    child.send({ type: 'stop' } satisfies ToChild);
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
    return;
  }

  // 2. incremental sync of 1,000 changes
  child.send({ type: 'changes', n: 1000 } satisfies ToChild);
  await next();
  t = performance.now();
  await client.syncNow();
  const incrementalMs = performance.now() - t;

  // 3. by-card lookup with N orders
  const lookups: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const card = cardOf(Math.floor(Math.random() * N));
    const s = performance.now();
    store.orders.offeredForCard(card);
    lookups.push(performance.now() - s);
  }

  // 3b. the status /health answers with N orders cached, against counting the orders table
  // (what it did before store migration 8), both in this run
  const idleReader: CardReader = {
    name: 'bench reader',
    state: () => ({ status: 'ready' }),
    subscribe: () => () => {},
    card: () => null,
    restart: async () => {},
    close: async () => {},
  };
  const maintenance = createMaintenance({
    store,
    reader: idleReader,
    codec: {} as CardCodec,
    log: pino({ level: 'silent' }),
    now: () => new Date(),
    version: 'bench',
    dataDir: dir,
  });
  const statusMs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    if (maintenance.status().store.pendingOrders < 1) throw new Error('the status counted no pending orders');
    statusMs.push(performance.now() - s);
  }
  maintenance.close();
  const raw = new Database(join(dir, 'kiosk.db'), { readonly: true });
  const countTable = raw.prepare('SELECT status, count(*) AS n FROM orders GROUP BY status');
  const countMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    countTable.all();
    countMs.push(performance.now() - s);
  }
  raw.close();

  // 4. order created (online API) -> offered at the kiosk, through the live stream
  client.start();
  const deadline = Date.now() + 5000;
  while (!client.status().liveConnected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const card = cardOf(i * 31);
    const s = performance.now();
    const response = await fetch(`${ready.url}/v1/online/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ready.onlineToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'topup', cardNumber: card, email: 'b@example.org', amountCents: 700 }),
    });
    const { id } = (await response.json()) as { id: string };
    while (!store.orders.offeredForCard(card).some((o) => o.id === id)) await new Promise((r) => setTimeout(r, 1));
    latencies.push(performance.now() - s);
  }
  await client.stop();
  store.close();
  child.send({ type: 'stop' } satisfies ToChild);
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });

  const rows = [
    ['Order created → offered on the kiosk (live stream, 100 orders)', `p50 ${ms(pct(latencies, 50))} ms, p95 ${ms(pct(latencies, 95))} ms`],
    [
      `Initial sync of ${N.toLocaleString('en')} pending orders (${pages} pages)`,
      `${(initialMs / 1000).toFixed(1)} s, peak RSS ${peakRssMb.toFixed(0)} MB (RSS before ${(rssBefore / 1048576).toFixed(0)} MB); floor ${(floorMs / 1000).toFixed(1)} s: ${(initialMs / floorMs).toFixed(2)}× the floor`,
    ],
    ['Incremental sync of 1,000 changes (500 new, 300 cancelled, 200 picked up elsewhere)', `${ms(incrementalMs)} ms`],
    [`By-card lookup (offeredForCard) with ${N.toLocaleString('en')} orders, 2,000 lookups`, `p50 ${ms(pct(lookups, 50))} ms, p95 ${ms(pct(lookups, 95))} ms`],
    [
      `Status for \`/health\` with ${N.toLocaleString('en')} orders cached (counts kept by triggers), 200 calls`,
      `p50 ${ms(pct(statusMs, 50))} ms, p95 ${ms(pct(statusMs, 95))} ms (counting the orders table instead, as before: p50 ${ms(pct(countMs, 50))} ms, p95 ${ms(pct(countMs, 95))} ms)`,
    ],
  ];
  const table = `| Measurement | Result |\n|---|---|\n${rows.map((r) => `| ${r[0]} | ${r[1]} |`).join('\n')}\n`;
  process.stdout.write(table);
  writeSection(table);
}

/** Fetches the whole feed into a store file with the least work that keeps the same rows. */
async function floorInitialSync(url: string, token: string, file: string): Promise<number> {
  openStore(file).close(); // the same schema, triggers included
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(
    `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at, serial, remote_version, signature)
     VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const cursorSet = db.prepare(`INSERT INTO sync_state (key, value) VALUES ('cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  type Change = { orderId: string; cardNumber: string; payload: unknown; createdAt: string; expiresAt: string | null; serial: number; version: number; signature: string };
  const apply = db.transaction((changes: Change[], cursor: string) => {
    const at = new Date().toISOString();
    for (const c of changes) insert.run(c.orderId, c.cardNumber, JSON.stringify(c.payload), c.createdAt, c.expiresAt, at, c.serial, c.version, c.signature);
    cursorSet.run(cursor);
  });
  const t = performance.now();
  let cursor = '0';
  let closed = '';
  for (;;) {
    const response = await fetch(`${url}/v1/kiosk/changes?cursor=${cursor}&limit=5000${closed}`, { headers: { authorization: `Bearer ${token}` } });
    const page = JSON.parse(await response.text()) as { changes: Change[]; cursor: string; more: boolean; head: string };
    // As the sync client does: a new kiosk asks for the open orders only after its first page.
    if (closed === '') closed = `&closedUpTo=${page.head}`;
    apply(page.changes.filter((c) => (c as { status?: string }).status === 'pending'), page.cursor);
    cursor = page.cursor;
    if (!page.more || page.changes.length === 0) break;
  }
  const elapsed = performance.now() - t;
  db.close();
  return elapsed;
}

/** Rewrites the sync section of docs/performance.md (a full-size run only). */
function writeSection(table: string): void {
  const file = join(process.cwd(), 'docs/performance.md');
  if (N !== 1_000_000 || !existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const start = '<!-- sync:start -->';
  const end = '<!-- sync:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  // How busy the machine was: other processes on these cores slow every figure below.
  const load = loadavg().map((v) => v.toFixed(1)).join(' / ');
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, load average ${load} (1 / 5 / 15 min) at the end`;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:sync\` on ${machine}. The back office runs`,
    'in a child process on 127.0.0.1 with the orders in its SQLite file; this process is the',
    'kiosk (its store on disk, WAL, synchronous=FULL), so the peak RSS is the kiosk\'s.',
    'Pages of 5,000 changes, each applied in one transaction with its cursor.',
    '',
    table,
  ].join('\n');
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${body}${text.slice(b)}`);
  process.stderr.write(`wrote the sync section of ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
