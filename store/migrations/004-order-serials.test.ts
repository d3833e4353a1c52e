// Migration 4 of the kiosk store, from a version-3 database with a kiosk's rows: orders
// get `serial` and `remote_version` (empty until the feed fills them), the cursor is
// dropped so the next pull starts over; every other row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './004-order-serials.js';
import { seedVersion2 } from './test-helpers.js';

const files = useTempDb();

function fromVersion3() {
  const db = files.atVersion(MIGRATIONS, 3);
  seedVersion2(db);
  db.exec(`INSERT INTO kiosk_settings VALUES ('outOfService', 'technicalFault')`);
  const before = rowsOf(db);
  expect(migrate(db, [...MIGRATIONS.slice(0, 3), migration])).toEqual({ from: 3, to: 4, applied: [4] });
  return { db, before };
}

describe('kiosk store migration 4: order serials and remote versions', () => {
  it('is version 4, listed fourth', () => {
    expect(migration.version).toBe(4);
    expect(MIGRATIONS[3]).toBe(migration);
  });

  it('adds orders.serial and orders.remote_version, empty, and an index by card and serial', () => {
    const { db } = fromVersion3();
    expect(readUserVersion(db)).toBe(4);
    expect(columns(db, 'orders')).toEqual(expect.arrayContaining(['serial', 'remote_version', 'remote_status']));
    expect(indexes(db)).toContain('orders_card_serial');
    const orders = db.prepare<[], { serial: number | null; remote_version: number | null }>('SELECT serial, remote_version FROM orders').all();
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.serial === null && o.remote_version === null)).toBe(true);
  });

  it('keeps every order, delivery, report and setting, and drops the cursor so the feed is read again', () => {
    const { db, before } = fromVersion3();
    const after = rowsOf(db);
    for (const table of ['deliveries', 'outbox', 'kiosk_settings', 'technicians', 'audit_log']) expect(after[table]).toEqual(before[table]);
    expect(after.orders).toEqual((before.orders as Record<string, unknown>[]).map((o) => ({ ...o, serial: null, remote_version: null })));
    expect(after.sync_state).toEqual([]);
  });
});
