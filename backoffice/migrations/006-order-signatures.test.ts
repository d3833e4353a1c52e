// Back office migration 6, from a version-5 database with a back office's rows: a signature
// column, empty until the back office signs the orders; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './006-order-signatures.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 6: order signatures', () => {
  it('is version 6, listed sixth', () => {
    expect(migration.version).toBe(6);
    expect(BACKOFFICE_MIGRATIONS[5]).toBe(migration);
  });

  it('adds orders.signature, null for every order, and keeps every row', () => {
    const before5 = BACKOFFICE_MIGRATIONS.slice(0, 5);
    const db = files.atVersion(before5.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before5);
    const rows = rowsOf(db);
    expect(migrate(db, [...before5, migration])).toEqual({ from: 5, to: 6, applied: [6] });
    expect(readUserVersion(db)).toBe(6);
    expect(columns(db, 'orders').at(-1)).toBe('signature');
    const after = rowsOf(db);
    expect(after.orders).toEqual((rows.orders as Record<string, unknown>[]).map((o) => ({ ...o, signature: null })));
    expect({ ...after, orders: undefined }).toEqual({ ...rows, orders: undefined });
  });
});
