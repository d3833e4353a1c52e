// Migration 8 of the kiosk store: order counts per status, filled from the cached orders and
// then kept equal to a count of the table through every insert, status change and delete.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion, type Migration } from '../../sqlite/migrate.js';
import { rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './008-order-counts.js';
import { seedVersion2 } from './test-helpers.js';

const files = useTempDb();

type Db = Parameters<Migration['up']>[0];
const counted = (db: Db) =>
  Object.fromEntries((db.prepare('SELECT status, count(*) AS n FROM orders GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
const kept = (db: Db) =>
  Object.fromEntries(
    (db.prepare('SELECT status, n FROM order_counts WHERE n > 0').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );

describe('kiosk store migration 8: order counts', () => {
  it('is version 8, listed eighth', () => {
    expect(migration.version).toBe(8);
    expect(MIGRATIONS[7]).toBe(migration);
  });

  it('starts from the orders already cached, and keeps every row', () => {
    const before7: readonly Migration[] = MIGRATIONS.slice(0, 7);
    const db = files.atVersion(MIGRATIONS, 2);
    seedVersion2(db);
    migrate(db, before7);
    const before = rowsOf(db);
    expect(migrate(db, [...before7, migration])).toEqual({ from: 7, to: 8, applied: [8] });
    expect(readUserVersion(db)).toBe(8);
    expect(Object.keys(counted(db)).length).toBeGreaterThan(2);
    expect(kept(db)).toEqual(counted(db));
    const after = rowsOf(db);
    expect({ ...after, order_counts: undefined }).toEqual({ ...before, order_counts: undefined });
  });

  it('follows 2,000 random inserts, status changes (to the same status too) and deletes', () => {
    const db = files.atVersion(MIGRATIONS, MIGRATIONS.length);
    const statuses = ['pending', 'delivered', 'cancelled', 'expired'] as const;
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const insert = db.prepare(
      `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at) VALUES (?, '3528010012345678', '{}', ?, 't', NULL, 't')`,
    );
    const setStatus = db.prepare('UPDATE orders SET status = ? WHERE id = ?');
    const remove = db.prepare('DELETE FROM orders WHERE id = ?');
    const ids: string[] = [];
    db.transaction(() => {
    for (let i = 0; i < 2000; i++) {
      const op = random(10);
      if (op < 5 || ids.length === 0) {
        const id = `o${i}`;
        insert.run(id, statuses[random(4)]);
        ids.push(id);
      } else if (op < 9) {
        setStatus.run(statuses[random(4)], ids[random(ids.length)]);
      } else {
        const [id] = ids.splice(random(ids.length), 1);
        remove.run(id);
      }
    }
    })();
    expect(Object.values(counted(db)).reduce((a, b) => a + b, 0)).toBe(ids.length);
    expect(kept(db)).toEqual(counted(db));
  });
});
