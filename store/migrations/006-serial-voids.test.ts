// Migration 6 of the kiosk store, from a version-5 database with a kiosk's rows: card_voids,
// empty; the old anchor (an order id) dropped; every other row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion, type Migration } from '../../sqlite/migrate.js';
import { columns, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './006-serial-voids.js';
import { seedVersion2 } from './test-helpers.js';

const files = useTempDb();

function fromVersion5() {
  const before5: readonly Migration[] = MIGRATIONS.slice(0, 5);
  const db = files.atVersion(MIGRATIONS, 2);
  seedVersion2(db);
  migrate(db, before5);
  db.prepare(`INSERT INTO sync_state (key, value) VALUES ('anchor', 'o-2') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
  const before = rowsOf(db);
  expect(migrate(db, [...before5, migration])).toEqual({ from: 5, to: 6, applied: [6] });
  return { db, before };
}

describe('kiosk store migration 6: serial voids', () => {
  it('is version 6, listed sixth', () => {
    expect(migration.version).toBe(6);
    expect(MIGRATIONS[5]).toBe(migration);
  });

  it('adds card_voids, empty, drops the order-id anchor and keeps every other row', () => {
    const { db, before } = fromVersion5();
    expect(readUserVersion(db)).toBe(6);
    expect(tables(db)).toContain('card_voids');
    expect(columns(db, 'card_voids')).toEqual(['card_number', 'order_id', 'from_serial', 'to_serial']);
    const syncState = (before.sync_state as { key: string }[]).filter((r) => r.key !== 'anchor');
    expect(syncState.length).toBe((before.sync_state as unknown[]).length - 1);
    expect(rowsOf(db)).toEqual({ ...before, sync_state: syncState, card_voids: [] });
  });

  it('refuses a range that ends before it starts', () => {
    const { db } = fromVersion5();
    expect(() => db.prepare(`INSERT INTO card_voids VALUES ('3528010012345678', 'o-1', 10, 9)`).run()).toThrow(/CHECK/);
  });
});
