// How big kiosk.db gets: N pickups (default 100,000) through the store's own repositories
// (order cached, attempt journalled pending → writing → written, report queued, then
// acknowledged), then the size; then retention 91 days after the last one, and the size
// again. Also the integrity check at open (PRAGMA quick_check) at that size.
//   node scripts/run-ts.mjs scripts/measure-db-size.ts [pickups] [dir]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openStore, PRUNE_BATCH, RETENTION_DAYS } from '../store/index.js';

const pickups = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(process.argv[3] ?? tmpdir(), 'kiosk-db-size-'));
const file = join(dir, 'kiosk.db');
let t = Date.parse('2026-01-01T06:00:00.000Z');
const now = () => new Date(t);
const size = () => statSync(file).size + (() => { try { return statSync(`${file}-wal`).size; } catch { return 0; } })();

try {
  const store = openStore(file, { now });
  const started = performance.now();
  for (let i = 0; i < pickups; i++) {
    const cardNumber = `3528${String(i % 10_000).padStart(12, '0')}`;
    const orderId = `o_${i.toString(36).padStart(12, '0')}`;
    const code = i % 4 === 0;
    // A sealed code as the feed brings it: the size of a real one (61 characters), not a real one.
    const sealed = `ksc1.${i.toString(36).padStart(56, 'A')}`;
    store.orders.upsert({
      id: orderId,
      cardNumber,
      payload: code ? { kind: 'kaartservicecode', sealed } : { kind: 'topup', amountCents: 1000 + (i % 50) * 100 },
      createdAt: now().toISOString(),
      expiresAt: new Date(t + 14 * 86_400_000).toISOString(),
    });
    const id = `d_${i.toString(36).padStart(12, '0')}-0000-4000-8000-000000000000`;
    store.deliveries.begin({ id, orderId, cardNumber, cardUid: '04A1B2C3D4E5F6' });
    store.deliveries.markWriting(id);
    store.deliveries.complete(id, code ? { kind: 'kaartservicecode', sealed } : { kind: 'topup', amountCents: 1000, balanceCents: 2500 });
    store.outbox.ack(id);
    t += 60_000; // one pickup a minute
  }
  const writeMs = performance.now() - started;
  store.deliveries.forgetCodes(new Date(t).toISOString());
  store.close(); // checkpoints the WAL
  const full = size();

  const reopened = openStore(file, { now });
  const quickCheckAtOpenMs = reopened.openCheckMs;
  t += (RETENTION_DAYS + 1) * 86_400_000;
  // As the kiosk does it: batches of PRUNE_BATCH rows per table, until nothing is left.
  const pruned = { outbox: 0, deliveries: 0, orders: 0, audit: 0, receipts: 0 };
  let slowestBatchMs = 0;
  let batches = 0;
  const pruneStarted = performance.now();
  for (;;) {
    const batchStarted = performance.now();
    const batch = reopened.retention.prune(new Date(t).toISOString());
    slowestBatchMs = Math.max(slowestBatchMs, performance.now() - batchStarted);
    batches++;
    for (const key of Object.keys(pruned) as (keyof typeof pruned)[]) pruned[key] += batch[key];
    if (Object.values(batch).every((n) => n === 0)) break;
  }
  const pruneMs = performance.now() - pruneStarted;
  reopened.close();
  const afterPrune = size();
  const raw = new Database(file);
  const freePages = raw.pragma('freelist_count', { simple: true }) as number;
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  raw.exec('VACUUM');
  raw.close();
  const vacuumed = size();

  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;
  console.log(JSON.stringify({ pickups, dir, writeSeconds: Math.round(writeMs / 100) / 10, full, fullMiB: mb(full), bytesPerPickup: Math.round(full / pickups), quickCheckAtOpenMs, pruned, pruneMs: Math.round(pruneMs), batches, slowestBatchMs: Math.round(slowestBatchMs), batchRows: PRUNE_BATCH, afterPrune, afterPruneMiB: mb(afterPrune), freeBytesAfterPrune: freePages * pageSize, vacuumed, vacuumedMiB: mb(vacuumed) }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
