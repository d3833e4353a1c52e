// Back office migration 3, from a version-2 database with a back office's rows: every
// order gets its per-card serial (in the order placed), the counters continue from there.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './003-card-serials.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();
const BRAM = '3528010087654321';

function fromVersion2() {
  const db = files.atVersion(BACKOFFICE_MIGRATIONS, 2, 'backoffice.db');
  seedVersion1(db);
  // A second card, and an order of Anna's placed earlier than o-1 but later on the feed.
  db.prepare(
    `INSERT INTO orders VALUES ('o-5', '${BRAM}', 'bram@example.org', 'topup', '{"kind":"topup","amountCents":100}', 'pending',
       '2026-11-21T11:00:00.000Z', NULL, '2026-11-21T11:00:00.000Z', 7, NULL, NULL, NULL, NULL)`,
  ).run();
  db.prepare(
    `INSERT INTO orders VALUES ('o-0', '3528010012345678', 'anna@example.org', 'topup', '{"kind":"topup","amountCents":100}', 'cancelled',
       '2026-11-20T10:00:00.000Z', NULL, '2026-11-21T11:00:00.000Z', 8, NULL, NULL, NULL, NULL)`,
  ).run();
  db.prepare(`UPDATE counters SET value = 8 WHERE name = 'seq'`).run();
  const before = rowsOf(db);
  expect(migrate(db, [...BACKOFFICE_MIGRATIONS.slice(0, 2), migration])).toEqual({ from: 2, to: 3, applied: [3] });
  return { db, before };
}

describe('back office migration 3: per-card order serials', () => {
  it('is version 3, listed third', () => {
    expect(migration.version).toBe(3);
    expect(BACKOFFICE_MIGRATIONS[2]).toBe(migration);
  });

  it('adds card_counters, orders.serial and its unique index', () => {
    const { db } = fromVersion2();
    expect(readUserVersion(db)).toBeGreaterThanOrEqual(3);
    expect(tables(db)).toContain('card_counters');
    expect(columns(db, 'orders')).toContain('serial');
    expect(indexes(db)).toContain('orders_card_serial');
  });

  it('numbers each card’s orders 1, 2, 3… in the order placed and keeps every other row', () => {
    const { db, before } = fromVersion2();
    const serials = db.prepare<[], { id: string; serial: number }>('SELECT id, serial FROM orders ORDER BY id').all();
    expect(serials).toEqual([
      { id: 'o-0', serial: 1 },
      { id: 'o-1', serial: 2 },
      { id: 'o-2', serial: 3 },
      { id: 'o-3', serial: 4 },
      { id: 'o-4', serial: 5 },
      { id: 'o-5', serial: 1 },
    ]);
    const after = rowsOf(db);
    for (const table of ['pickups', 'kiosks', 'technicians', 'emails', 'counters']) expect(after[table]).toEqual(before[table]);
    expect(after.card_counters).toEqual(
      expect.arrayContaining([
        { card_number: '3528010012345678', last_serial: 5 },
        { card_number: BRAM, last_serial: 1 },
      ]),
    );
  });

  it('refuses a second order with the same serial on one card', () => {
    const { db } = fromVersion2();
    expect(() => db.exec(`UPDATE orders SET serial = 2 WHERE id = 'o-0'`)).toThrow(/UNIQUE constraint failed: orders.card_number, orders.serial/);
  });
});
