// Migration 2 of the kiosk store, from a version-1 database with a kiosk's rows: the
// deferred remote status on orders and the sync state table; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './002-sync-state.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

function fromVersion1() {
  const db = files.atVersion(MIGRATIONS, 1);
  seedVersion1(db);
  const before = rowsOf(db);
  expect(migrate(db, [...MIGRATIONS.slice(0, 1), migration])).toEqual({ from: 1, to: 2, applied: [2] });
  return { db, before };
}

describe('kiosk store migration 2: sync state', () => {
  it('is version 2, listed second', () => {
    expect(migration.version).toBe(2);
    expect(MIGRATIONS[1]).toBe(migration);
  });

  it('adds orders.remote_status and the sync_state table, nothing else', () => {
    const { db } = fromVersion1();
    expect(readUserVersion(db)).toBe(2);
    expect(tables(db)).toEqual(['deliveries', 'orders', 'outbox', 'sync_state']);
    expect(columns(db, 'orders').at(-1)).toBe('remote_status');
    expect(columns(db, 'sync_state')).toEqual(['key', 'value']);
    expect(indexes(db)).toHaveLength(5);
  });

  it('keeps every order, delivery and report; existing orders have no remote status', () => {
    const { db, before } = fromVersion1();
    const after = rowsOf(db);
    expect(after.orders).toEqual(before.orders?.map((row) => ({ ...(row as object), remote_status: null })));
    expect(after.deliveries).toEqual(before.deliveries);
    expect(after.outbox).toEqual(before.outbox);
    expect(after.sync_state).toEqual([]);
  });

  it('accepts only a cancelled, expired or delivered verdict as remote status', () => {
    const { db } = fromVersion1();
    for (const status of ['cancelled', 'expired', 'delivered']) {
      db.prepare(`UPDATE orders SET remote_status = ? WHERE id = 'o-writing'`).run(status);
    }
    expect(() => db.prepare(`UPDATE orders SET remote_status = 'pending' WHERE id = 'o-writing'`).run()).toThrow(/CHECK/);
  });

  it('keeps one value per sync_state key, as text', () => {
    const { db } = fromVersion1();
    db.prepare(`INSERT INTO sync_state VALUES ('cursor', '7')`).run();
    expect(() => db.prepare(`INSERT INTO sync_state VALUES ('cursor', '8')`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO sync_state VALUES ('other', X'00')`).run()).toThrow(/cannot store BLOB/);
  });
});
