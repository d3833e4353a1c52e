// Back office migration 1, from an empty database: the feed's tables and constraints.
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { migration } from './001-orders-feed.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

function migrated(): Database.Database {
  const db = files.raw('backoffice.db');
  expect(migrate(db, [migration])).toEqual({ from: 0, to: 1, applied: [1] });
  return db;
}

const order = (id: string, seq: number, overrides: { kind?: string; status?: string } = {}) =>
  `INSERT INTO orders VALUES ('${id}', '3528010012345678', 'a@example.org', '${overrides.kind ?? 'topup'}',
    '{"kind":"topup","amountCents":100}', '${overrides.status ?? 'pending'}', 'x', NULL, 'x', ${seq}, NULL, NULL, NULL, NULL)`;

describe('back office migration 1: orders feed, pickups, kiosks, technicians, e-mail outbox', () => {
  it('is version 1', () => {
    expect(migration.version).toBe(1);
  });

  it('creates the tables and indexes, with the feed sequence at 0', () => {
    const db = migrated();
    expect(readUserVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['counters', 'emails', 'kiosks', 'orders', 'pickups', 'technicians']);
    expect(indexes(db)).toEqual(['emails_unsent', 'orders_conflicts', 'orders_pending_by_expiry', 'pickups_by_order']);
    expect(columns(db, 'orders')).toEqual([
      'id',
      'card_number',
      'email',
      'kind',
      'payload',
      'status',
      'created_at',
      'expires_at',
      'updated_at',
      'seq',
      'picked_up_at',
      'picked_up_by',
      'delivery_id',
      'conflict',
    ]);
    expect(rowsOf(db, ['counters'])).toEqual({ counters: [{ name: 'seq', value: 0 }] });
  });

  it('holds the rows a version-1 back office writes', () => {
    const db = migrated();
    seedVersion1(db);
    const rows = rowsOf(db);
    expect(rows.orders).toHaveLength(4);
    expect(rows.pickups).toHaveLength(2);
    expect(rows.kiosks).toHaveLength(2);
    expect(rows.emails).toHaveLength(2);
  });

  it('gives every order a distinct feed sequence number', () => {
    const db = migrated();
    db.exec(order('o1', 1));
    expect(() => db.exec(order('o2', 1))).toThrow(/UNIQUE constraint failed: orders.seq/);
  });

  it('rejects unknown kinds, statuses and e-mail templates, and a token hash used twice', () => {
    const db = migrated();
    expect(() => db.exec(order('o1', 1, { kind: 'refund' }))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(order('o1', 1, { status: 'lost' }))).toThrow(/CHECK constraint failed/);
    expect(() =>
      db.exec(`INSERT INTO emails (order_id, to_address, template, created_at) VALUES ('o1', 'a@example.org', 'spam', 'x')`),
    ).toThrow(/CHECK constraint failed/);
    db.exec(`INSERT INTO kiosks VALUES ('k1', 'one', 'hash', NULL, NULL)`);
    expect(() => db.exec(`INSERT INTO kiosks VALUES ('k2', 'two', 'hash', NULL, NULL)`)).toThrow(/UNIQUE constraint failed: kiosks.token_hash/);
  });

  it('keys pickup reports by delivery id, so a report sent again is one row', () => {
    const db = migrated();
    const pickup = `INSERT INTO pickups VALUES ('d1', 'o1', 'k1', '3528010012345678', 'topup', 'x', 'x', NULL)`;
    db.exec(pickup);
    expect(() => db.exec(pickup)).toThrow(/UNIQUE constraint failed: pickups.delivery_id/);
  });
});
