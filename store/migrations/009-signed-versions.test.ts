// Kiosk store migration 9: the signed version beside each kept signature, and the feed read
// again from 0 so that every order comes signed with its version.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion, type Migration } from '../../sqlite/migrate.js';
import { rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './009-signed-versions.js';
import { seedVersion2 } from './test-helpers.js';

const files = useTempDb();

describe('kiosk store migration 9: signed versions', () => {
  it('is version 9, listed ninth', () => {
    expect(migration.version).toBe(9);
    expect(MIGRATIONS[8]).toBe(migration);
  });

  it('adds signed_version (empty), keeps every row, and sends the feed back to 0 without an anchor', () => {
    const before9: readonly Migration[] = MIGRATIONS.slice(0, 8);
    const db = files.atVersion(MIGRATIONS, 2);
    seedVersion2(db);
    migrate(db, before9);
    db.prepare(`INSERT INTO sync_state (key, value) VALUES ('cursor', '812') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    db.prepare(`INSERT INTO sync_state (key, value) VALUES ('anchor', 'change-812') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    db.prepare(`INSERT INTO sync_state (key, value) VALUES ('epoch', 'epoch-of-bo') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    const before = rowsOf(db);
    expect(migrate(db, [...before9, migration])).toEqual({ from: 8, to: 9, applied: [9] });
    expect(readUserVersion(db)).toBe(9);
    const after = rowsOf(db);
    const orders = after.orders as Record<string, unknown>[];
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.signed_version === null)).toBe(true);
    expect(orders.map(({ signed_version: _, ...o }) => o)).toEqual(before.orders);
    const state = Object.fromEntries((after.sync_state as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    expect(state).toMatchObject({ cursor: '0', epoch: 'epoch-of-bo' });
    expect(state.anchor).toBeUndefined();
    expect({ ...after, orders: undefined, sync_state: undefined }).toEqual({ ...before, orders: undefined, sync_state: undefined });
  });
});
