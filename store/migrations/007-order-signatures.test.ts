// Migration 7 of the kiosk store, from a version-6 database with a kiosk's rows: orders get
// a signature column, null for the orders already cached; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion, type Migration } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './007-order-signatures.js';
import { seedVersion2 } from './test-helpers.js';

const files = useTempDb();

describe('kiosk store migration 7: order signatures', () => {
  it('is version 7, listed seventh', () => {
    expect(migration.version).toBe(7);
    expect(MIGRATIONS[6]).toBe(migration);
  });

  it('adds orders.signature, null for every cached order, and keeps every row', () => {
    const before6: readonly Migration[] = MIGRATIONS.slice(0, 6);
    const db = files.atVersion(MIGRATIONS, 2);
    seedVersion2(db);
    migrate(db, before6);
    const before = rowsOf(db);
    expect(migrate(db, [...before6, migration])).toEqual({ from: 6, to: 7, applied: [7] });
    expect(readUserVersion(db)).toBe(7);
    expect(columns(db, 'orders').at(-1)).toBe('signature');
    const after = rowsOf(db);
    expect((before.orders as unknown[]).length).toBeGreaterThan(0);
    expect(after.orders).toEqual((before.orders as Record<string, unknown>[]).map((o) => ({ ...o, signature: null })));
    expect({ ...after, orders: undefined }).toEqual({ ...before, orders: undefined });
  });
});
