// The PostgreSQL engine beyond the store contract (backoffice/store.test.ts): its migrations
// (schema_migrations, once when instances start together, a newer database refused), the
// key files every instance must share, and the standalone back office on
// BACKOFFICE_DATABASE_URL. On a throwaway cluster this file starts itself.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePgCluster } from '../test/pg-cluster.js';
import { BACKOFFICE_PG_MIGRATIONS } from './migrations-pg.js';
import { assertWellFormedPg, type PgMigration } from './pg-migrate.js';
import { openPgStore } from './pg-store.js';
import { SERIAL_GAP } from './db.js';
import type { BackOfficeStore } from './store.js';

const pgCluster = usePgCluster();
const root = fileURLToPath(new URL('..', import.meta.url));
const options = { now: () => new Date(), pickupWindowMs: 86_400_000 };

let dir: string;
const opened: BackOfficeStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bo-pg-'));
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});
const keys = (d = dir) => ({ orderKeyFile: join(d, 'order-key'), sealKeyFile: join(d, 'seal-key') });
async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the PostgreSQL migrations', () => {
  it('are numbered 1, 2, 3... and list every file of backoffice/migrations-pg/ in order', async () => {
    expect(() => assertWellFormedPg(BACKOFFICE_PG_MIGRATIONS)).not.toThrow();
    const files = readdirSync(join(root, 'backoffice/migrations-pg')).filter((n) => /^\d{3}-[a-z0-9-]+\.ts$/.test(n) && !n.endsWith('.test.ts')).sort();
    expect(files.length).toBe(BACKOFFICE_PG_MIGRATIONS.length);
    for (const [i, name] of files.entries()) {
      const module = (await import(`./migrations-pg/${name.replace(/\.ts$/, '.js')}`)) as { migration: PgMigration };
      expect(module.migration, name).toBe(BACKOFFICE_PG_MIGRATIONS[i]);
      expect(module.migration.version, name).toBe(Number(name.slice(0, 3)));
    }
  });

  it('run once when several instances start together on a new database; all of them then share it', async () => {
    const url = await pgCluster.cluster.newDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPgStore(url, { ...options, ...keys() })));
    opened.push(...stores);
    expect(stores.filter((s) => s.created).length).toBe(1);
    expect(new Set(stores.map((s) => s.epoch)).size).toBe(1);
    const rows = await query<{ version: number; name: string }>(url, 'SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(BACKOFFICE_PG_MIGRATIONS.map((m) => m.version));
    const again = await openPgStore(url, { ...options, ...keys() });
    opened.push(again);
    expect(again.created).toBe(false);
  });

  it('refuses a database migrated by a newer back office', async () => {
    const url = await pgCluster.cluster.newDatabase();
    opened.push(await openPgStore(url, { ...options, ...keys() }));
    await query(url, `INSERT INTO schema_migrations (version, name) VALUES (${BACKOFFICE_PG_MIGRATIONS.length + 1}, 'from the future')`);
    await expect(openPgStore(url, { ...options, ...keys() })).rejects.toThrow(/older than the one that last used the database/);
  });
});

describe('cross-instance notifications (LISTEN/NOTIFY)', () => {
  it("tells a store of another instance's committed feed changes, not of its own, and listens again after its connection broke", async () => {
    const url = await pgCluster.cluster.newDatabase();
    const a = await openPgStore(url, { ...options, ...keys() });
    const b = await openPgStore(url, { ...options, ...keys(), listenRetryMs: 50 });
    opened.push(a, b);
    let toldA = 0;
    let toldB = 0;
    a.onChange(() => toldA++);
    b.onChange(() => toldB++);
    await new Promise((r) => setTimeout(r, 200)); // both LISTENing
    const order = { kind: 'topup' as const, cardNumber: '3528010012345678', email: 'a@example.org', amountCents: 100 };
    await a.placeOrder(order);
    await expect.poll(() => toldB, { timeout: 3000 }).toBe(1);
    expect(toldA).toBe(0);
    // a transaction without a feed change (a quarantined pickup of an unknown order) notifies nobody
    await a.recordPickup('k1', { deliveryId: 'd-1', orderId: 'o_unknown', cardNumber: order.cardNumber, deliveredAt: new Date().toISOString(), kind: 'topup' });
    await a.registerKiosk('k1', 'Kiosk 1', 'token-of-k1-xxxxxxxxxxxxxxxxxx');
    await new Promise((r) => setTimeout(r, 200));
    expect(toldB).toBe(1);
    // B's LISTEN connection is cut (a failover of the database, a proxy): B listens again and
    // tells its streams once, since it may have missed something meanwhile
    const killed = await query<{ ok: boolean }>(
      url,
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()`,
    );
    expect(killed.length).toBe(2);
    await expect.poll(() => toldB, { timeout: 3000 }).toBe(2);
    await a.placeOrder(order);
    await expect.poll(() => toldB, { timeout: 3000 }).toBe(3);
  });
});

describe('a restored or replaced PostgreSQL database', () => {
  const order = { kind: 'topup' as const, cardNumber: '3528010012345678', email: 'a@example.org', amountCents: 100 };
  const withMark = (d = dir) => ({ ...options, ...keys(), watermarkFile: join(d, 'watermark') });

  it('is noticed by the watermark in the data dir: one new serial generation, even when two instances start on it together', async () => {
    const live = await pgCluster.cluster.newDatabase();
    const first = await openPgStore(live, withMark());
    await first.placeOrder(order);
    await first.placeOrder(order);
    await first.close();
    // the backup: a copy of the database as it is now (head 2)
    const backupName = `${new URL(live).pathname.slice(1)}_backup`;
    await query(pgCluster.cluster.url, `CREATE DATABASE ${backupName} TEMPLATE ${new URL(live).pathname.slice(1)}`);
    const again = await openPgStore(live, withMark());
    for (let i = 0; i < 3; i++) await again.placeOrder(order); // serials 3..5 handed out
    // a second instance with its own data dir, whose watermark saw head 5 too
    const otherDir = mkdtempSync(join(tmpdir(), 'bo-pg-other-'));
    const otherMark = { ...options, ...keys(), watermarkFile: join(otherDir, 'watermark') };
    opened.push(await openPgStore(live, otherMark));
    expect(await again.serialGeneration()).toBe(0);
    await again.close();
    for (const s of opened.splice(0)) await s.close();
    try {
      // the database restored from the backup (head 2), both instances start on it together
      const restored = new URL(live);
      restored.pathname = `/${backupName}`;
      const stores = await Promise.all([openPgStore(restored.href, withMark()), openPgStore(restored.href, otherMark)]);
      opened.push(...stores);
      expect(await stores[0]?.serialGeneration()).toBe(1);
      const next = await stores[0]?.placeOrder(order);
      const change = (await stores[0]?.changesSince(2, 10))?.changes.find((c) => c.orderId === next?.id);
      expect(change).toMatchObject({ serial: 2 + SERIAL_GAP + 1, voidSerials: [3, 2 + SERIAL_GAP] });
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('another database at the URL (another epoch than the watermark) opens a new generation too', async () => {
    const first = await openPgStore(await pgCluster.cluster.newDatabase(), withMark());
    await first.placeOrder(order);
    await first.close();
    const replaced = await openPgStore(await pgCluster.cluster.newDatabase(), withMark());
    opened.push(replaced);
    expect(await replaced.serialGeneration()).toBe(1);
  });

  it("a kiosk naming a change the database lacks opens one generation, not one per instance it asks", async () => {
    const url = await pgCluster.cluster.newDatabase();
    const stores = await Promise.all([openPgStore(url, { ...options, ...keys() }), openPgStore(url, { ...options, ...keys() })]);
    opened.push(...stores);
    await stores[0]?.placeOrder(order);
    for (const s of stores) expect((await s.changesSince(1, 10, 'aChangeOfAnotherDatabase'))?.anchorSeq).toBeNull();
    expect(await stores[1]?.serialGeneration()).toBe(1);
  });

  it('a database that is where the watermark left it opens none', async () => {
    const url = await pgCluster.cluster.newDatabase();
    const first = await openPgStore(url, withMark());
    await first.placeOrder(order);
    await first.close();
    const again = await openPgStore(url, withMark());
    opened.push(again);
    expect(await again.serialGeneration()).toBe(0);
    expect(statSync(join(dir, 'watermark')).mode & 0o777).toBe(0o600);
  });
});

describe('what PostgreSQL answers', () => {
  it('is checked row by row: a row that is not what the schema says fails loudly instead of reaching a kiosk', async () => {
    const url = await pgCluster.cluster.newDatabase();
    const store = await openPgStore(url, { ...options, ...keys() });
    opened.push(store);
    const order = await store.placeOrder({ kind: 'topup', cardNumber: '3528010012345678', email: 'a@example.org', amountCents: 100 });
    await query(url, `UPDATE orders SET payload = '["not", "an", "object"]'::jsonb WHERE id = '${order.id}'`);
    await expect(store.changesSince(0, 10)).rejects.toThrow(/expected record|Invalid input/);
    await query(url, `UPDATE orders SET payload = '{"kind":"topup","amountCents":100}'::jsonb, serial = 1 WHERE id = '${order.id}'`);
    await query(
      url,
      `INSERT INTO technicians (id, card_number, salt, hash, params) VALUES ('T-1', '9999000012340001', 'aa', 'bb', '{"N": 1}'::jsonb)`,
    );
    await expect(store.technicians()).rejects.toThrow();
    expect((await store.changesSince(0, 10)).changes).toHaveLength(1);
  });
});

describe('the key files on PostgreSQL', () => {
  it('are made 0600 by the first instance; an instance with other keys refuses to start', async () => {
    const url = await pgCluster.cluster.newDatabase();
    const first = await openPgStore(url, { ...options, ...keys() });
    opened.push(first);
    for (const file of Object.values(keys())) expect(statSync(file).mode & 0o777).toBe(0o600);
    const other = mkdtempSync(join(tmpdir(), 'bo-pg-other-'));
    try {
      await expect(openPgStore(url, { ...options, ...keys(other) })).rejects.toThrow(/order signing key is not the one/);
      // the same order key but another seal master
      await expect(openPgStore(url, { ...options, orderKeyFile: keys().orderKeyFile, sealKeyFile: keys(other).sealKeyFile })).rejects.toThrow(
        /seal master is not the one/,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    const second = await openPgStore(url, { ...options, ...keys() });
    opened.push(second);
    expect(second.orderPublicKey).toBe(first.orderPublicKey);
    expect(second.cardSealKey('3528010012345678').equals(first.cardSealKey('3528010012345678'))).toBe(true);
  });
});

describe('the standalone back office on BACKOFFICE_DATABASE_URL', () => {
  it('keeps its kiosks and technicians in PostgreSQL, the key files in its data dir, and no SQLite file', async () => {
    const url = await pgCluster.cluster.newDatabase();
    const run = (args: string[], input?: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile(
          process.execPath,
          [join(root, 'scripts/run-ts.mjs'), 'backoffice/main.ts', ...args],
          { cwd: root, env: { ...process.env, BACKOFFICE_DATA_DIR: dir, BACKOFFICE_DATABASE_URL: url } },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        );
        child.stdin?.end(input ?? '');
      });
    const added = await run(['add-kiosk', 'utrecht-12', 'Utrecht Centraal 12']);
    expect(added).toMatch(/kiosk utrecht-12 registered/);
    await run(['add-technician', 'T-0002', '9999000012340002'], '246801\n');
    expect(await query(url, 'SELECT id, name FROM kiosks')).toEqual([{ id: 'utrecht-12', name: 'Utrecht Centraal 12' }]);
    expect((await query<{ id: string }>(url, 'SELECT id FROM technicians')).map((t) => t.id)).toEqual(['T-0002']);
    const orderKey = (await run(['order-key'])).trim();
    expect(added).toContain(orderKey);
    expect(readdirSync(dir).sort()).toEqual(['order-key', 'seal-key', 'watermark']);
    await expect(
      promisify(execFile)(process.execPath, [join(root, 'scripts/run-ts.mjs'), 'backoffice/main.ts', 'order-key'], {
        cwd: root,
        env: { ...process.env, BACKOFFICE_DATA_DIR: dir, BACKOFFICE_DATABASE_URL: 'mysql://nope' },
      }),
    ).rejects.toThrow(/must be a postgres/);
  }, 60_000);
});
