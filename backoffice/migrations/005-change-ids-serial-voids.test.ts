// Back office migration 5, from a version-4 database with a back office's rows: a change id
// for every order's current change, card counters in generation 0, no voids; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './005-change-ids-serial-voids.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();
const before = BACKOFFICE_MIGRATIONS.slice(0, 4);

function fromVersion4(name = 'backoffice.db') {
  const db = files.atVersion(before.slice(0, 1), 1, name);
  seedVersion1(db);
  migrate(db, before);
  const rows = rowsOf(db);
  expect(migrate(db, [...before, migration])).toEqual({ from: 4, to: 5, applied: [5] });
  return { db, rows };
}

describe('back office migration 5: change ids and serial voids', () => {
  it('is version 5, listed fifth', () => {
    expect(migration.version).toBe(5);
    expect(BACKOFFICE_MIGRATIONS[4]).toBe(migration);
  });

  it("gives every order's current change a distinct id, and keeps every row", () => {
    const { db, rows } = fromVersion4();
    expect(readUserVersion(db)).toBe(5);
    expect(tables(db)).toContain('feed_log');
    const log = db.prepare('SELECT seq, change_id FROM feed_log ORDER BY seq').all() as { seq: number; change_id: string }[];
    const seqs = (db.prepare('SELECT seq FROM orders ORDER BY seq').pluck().all() as number[]);
    expect(log.map((l) => l.seq)).toEqual(seqs);
    expect(new Set(log.map((l) => l.change_id)).size).toBe(seqs.length);
    for (const l of log) expect(l.change_id).toMatch(/^[0-9a-f]{24}$/);

    const after = rowsOf(db);
    const strip = (orders: unknown) => (orders as Record<string, unknown>[]).map(({ void_from, void_to, ...rest }) => {
      expect({ void_from, void_to }).toEqual({ void_from: null, void_to: null });
      return rest;
    });
    expect(strip(after.orders)).toEqual(rows.orders);
    expect(after.card_counters).toEqual((rows.card_counters as Record<string, unknown>[]).map((c) => ({ ...c, generation: 0 })));
    expect(after.backoffice_meta).toEqual([...(rows.backoffice_meta as unknown[]), { key: 'serial_generation', value: '0' }]);
    expect({ ...after, orders: undefined, card_counters: undefined, backoffice_meta: undefined, feed_log: undefined }).toEqual({
      ...rows,
      orders: undefined,
      card_counters: undefined,
      backoffice_meta: undefined,
    });
  });
});
