// Migration 3 of the kiosk store, from a version-2 database with a kiosk's rows: the
// maintenance tables (technicians' PIN hashes, audit log, kiosk settings); every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './003-maintenance.js';
import { seedVersion2 } from './test-helpers.js';

const files = useTempDb();

function fromVersion2() {
  const db = files.atVersion(MIGRATIONS, 2);
  seedVersion2(db);
  const before = rowsOf(db);
  expect(migrate(db, [...MIGRATIONS.slice(0, 2), migration])).toEqual({ from: 2, to: 3, applied: [3] });
  return { db, before };
}

const technician = (id: string, card: string | null) =>
  `INSERT INTO technicians VALUES ('${id}', ${card === null ? 'NULL' : `'${card}'`}, 'aa', 'bb', '{"N":16384,"r":8,"p":1,"keylen":32}', '2025-03-01T08:00:00.000Z')`;

describe('kiosk store migration 3: maintenance data', () => {
  it('is version 3, listed third', () => {
    expect(migration.version).toBe(3);
    expect(MIGRATIONS[2]).toBe(migration);
  });

  it('adds the technicians, audit_log and kiosk_settings tables and the unsynced-audit index', () => {
    const { db } = fromVersion2();
    expect(readUserVersion(db)).toBe(3);
    expect(tables(db)).toEqual(['audit_log', 'deliveries', 'kiosk_settings', 'orders', 'outbox', 'sync_state', 'technicians']);
    expect(columns(db, 'technicians')).toEqual(['technician_id', 'card_number', 'salt', 'hash', 'params', 'updated_at']);
    expect(columns(db, 'audit_log')).toEqual(['id', 'at', 'actor', 'action', 'detail', 'synced_at']);
    expect(columns(db, 'kiosk_settings')).toEqual(['key', 'value']);
    expect(indexes(db)).toContain('audit_log_unsynced');
  });

  it('keeps every order (with its deferred verdict), delivery, report and the cursor', () => {
    const { db, before } = fromVersion2();
    const after = rowsOf(db);
    for (const table of ['orders', 'deliveries', 'outbox', 'sync_state']) expect(after[table]).toEqual(before[table]);
    expect(after.orders).toContainEqual(expect.objectContaining({ id: 'o-writing', remote_status: 'cancelled' }));
    expect(after.sync_state).toEqual([{ key: 'cursor', value: '42' }]);
    expect(after.technicians).toEqual([]);
    expect(after.audit_log).toEqual([]);
  });

  it('lets a card belong to one technician at most; a technician without a card is allowed', () => {
    const { db } = fromVersion2();
    db.exec(technician('T-1', '3528010000000001'));
    db.exec(technician('T-2', null));
    db.exec(technician('T-3', null));
    expect(() => db.exec(technician('T-4', '3528010000000001'))).toThrow(/UNIQUE constraint failed: technicians.card_number/);
    expect(() => db.exec(technician('T-1', '3528010000000009'))).toThrow(/UNIQUE constraint failed: technicians.technician_id/);
  });

  it('numbers audit entries for ever (a deleted id is never reused) and finds the unsynced ones by index', () => {
    const { db } = fromVersion2();
    const append = db.prepare(`INSERT INTO audit_log (at, actor, action) VALUES ('2025-03-01T08:00:00.000Z', 'T-1', ?) RETURNING id`).pluck();
    expect([append.get('a'), append.get('b')]).toEqual([1, 2]);
    db.exec('DELETE FROM audit_log WHERE id = 2');
    expect(append.get('c')).toBe(3);
    const plan = db
      .prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE synced_at IS NULL ORDER BY id LIMIT 10')
      .all()
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('audit_log_unsynced');
  });

  it('makes the new tables STRICT', () => {
    const { db } = fromVersion2();
    expect(() => db.exec(`INSERT INTO kiosk_settings VALUES ('outOfService', X'00')`)).toThrow(/cannot store BLOB/);
    expect(() => db.exec(`INSERT INTO audit_log (at, actor, action) VALUES ('x', 'T-1', X'00')`)).toThrow(/cannot store BLOB/);
  });
});
