// Migration 1 of the kiosk store, from an empty database: the three tables, their indexes
// and the constraints the delivery journal relies on.
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { migration } from './001-orders-deliveries-outbox.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

function migrated(): Database.Database {
  const db = files.raw();
  expect(migrate(db, [migration])).toEqual({ from: 0, to: 1, applied: [1] });
  return db;
}

const order = (id: string, card = 'C1') =>
  `INSERT INTO orders VALUES ('${id}', '${card}', '{"kind":"topup","amountCents":500}', 'pending',
    '2025-01-01T00:00:00.000Z', NULL, '2025-01-01T00:00:00.000Z')`;
const delivery = (id: string, orderId: string, state: string, extra = 'NULL, NULL') =>
  `INSERT INTO deliveries VALUES ('${id}', '${orderId}', 'C1', 'U1', '${state}', ${extra},
    '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`;

describe('kiosk store migration 1: orders, deliveries and the pickup outbox', () => {
  it('is version 1', () => {
    expect(migration.version).toBe(1);
  });

  it('creates the three tables with their columns and indexes', () => {
    const db = migrated();
    expect(readUserVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['deliveries', 'orders', 'outbox']);
    expect(indexes(db)).toEqual([
      'deliveries_by_card_state',
      'deliveries_by_order',
      'deliveries_one_unsettled_per_order',
      'orders_by_card_status_created',
      'outbox_pending',
    ]);
    expect(columns(db, 'orders')).toEqual(['id', 'card_number', 'payload', 'status', 'created_at', 'expires_at', 'updated_at']);
    expect(columns(db, 'deliveries')).toEqual([
      'id',
      'order_id',
      'card_number',
      'card_uid',
      'state',
      'outcome',
      'failure',
      'created_at',
      'updated_at',
    ]);
    expect(columns(db, 'outbox')).toEqual(['id', 'delivery_id', 'report', 'attempts', 'created_at', 'last_attempt_at', 'acked_at']);
  });

  it('holds the rows a version-1 kiosk writes: orders in every status, deliveries in every state, reports', () => {
    const db = migrated();
    seedVersion1(db);
    const rows = rowsOf(db, ['orders', 'deliveries', 'outbox']);
    expect(rows.orders).toHaveLength(6);
    expect(rows.deliveries).toHaveLength(4);
    expect(rows.outbox).toEqual([
      expect.objectContaining({ delivery_id: 'd-reported', attempts: 2, acked_at: expect.any(String) }),
      expect.objectContaining({ delivery_id: 'd-written', attempts: 0, acked_at: null, last_attempt_at: null }),
    ]);
  });

  it('lets an order have only one unsettled delivery, but any number of settled ones', () => {
    const db = migrated();
    db.exec(order('o1'));
    db.exec(delivery('d1', 'o1', 'abandoned', `NULL, 'timeout'`));
    db.exec(delivery('d2', 'o1', 'writing'));
    expect(() => db.exec(delivery('d3', 'o1', 'pending'))).toThrow(/UNIQUE constraint failed/);
    db.exec(`UPDATE deliveries SET state = 'written', outcome = '{"kind":"topup","amountCents":500,"balanceCents":900}' WHERE id = 'd2'`);
    db.exec(delivery('d3', 'o1', 'pending'));
  });

  it('rejects unknown statuses and states, bad JSON and dangling references', () => {
    const db = migrated();
    db.exec(order('o1'));
    expect(() => db.exec(order('o2').replace(`'pending'`, `'lost'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(order('o3').replace('{"kind":"topup","amountCents":500}', '{not json'))).toThrow(
      /CHECK constraint failed/,
    );
    expect(() => db.exec(delivery('d1', 'o1', 'flying'))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(delivery('d1', 'nope', 'pending'))).toThrow(/FOREIGN KEY constraint failed/);
    expect(() =>
      db.exec(`INSERT INTO outbox (delivery_id, report, created_at) VALUES ('nope', '{}', '2025-01-01T00:00:00.000Z')`),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('ties outcome to written/reported and failure to abandoned', () => {
    const db = migrated();
    db.exec(order('o1'));
    expect(() => db.exec(delivery('d1', 'o1', 'written'))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(delivery('d1', 'o1', 'abandoned'))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(delivery('d1', 'o1', 'pending', `NULL, 'why'`))).toThrow(/CHECK constraint failed/);
  });

  it('keeps one outbox row per delivery', () => {
    const db = migrated();
    db.exec(order('o1'));
    db.exec(delivery('d1', 'o1', 'written', `'{"kind":"topup","amountCents":500,"balanceCents":900}', NULL`));
    const add = `INSERT INTO outbox (delivery_id, report, created_at) VALUES ('d1', '{}', '2025-01-01T00:00:00.000Z')`;
    db.exec(add);
    expect(() => db.exec(add)).toThrow(/UNIQUE constraint failed: outbox.delivery_id/);
    expect(db.prepare('SELECT attempts, acked_at FROM outbox').get()).toEqual({ attempts: 0, acked_at: null });
  });

  it('makes the tables STRICT, so a number cannot slip into a text column', () => {
    const db = migrated();
    expect(() => db.exec(`INSERT INTO orders VALUES ('o1', 'C1', '{}', 'pending', 'x', NULL, X'00')`)).toThrow(
      /cannot store BLOB value in TEXT column/,
    );
  });
});
