// Back office migration 2, from a version-1 database with a back office's rows: the
// kiosks' audit logs; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './002-kiosk-audit.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

function fromVersion1() {
  const db = files.atVersion(BACKOFFICE_MIGRATIONS, 1, 'backoffice.db');
  seedVersion1(db);
  const before = rowsOf(db);
  expect(migrate(db, [...BACKOFFICE_MIGRATIONS.slice(0, 1), migration])).toEqual({ from: 1, to: 2, applied: [2] });
  return { db, before };
}

const entry = (kiosk: string, localId: number) =>
  `INSERT INTO kiosk_audit VALUES ('${kiosk}', ${localId}, '2026-11-21T10:00:00.000Z', 'T-0001', 'outOfService', 'technicalFault', '2026-11-21T10:00:01.000Z')`;

describe("back office migration 2: kiosks' maintenance audit logs", () => {
  it('is version 2, listed second', () => {
    expect(migration.version).toBe(2);
    expect(BACKOFFICE_MIGRATIONS[1]).toBe(migration);
  });

  it('adds the kiosk_audit table and its index, nothing else', () => {
    const { db } = fromVersion1();
    expect(readUserVersion(db)).toBe(2);
    expect(tables(db)).toEqual(['counters', 'emails', 'kiosk_audit', 'kiosks', 'orders', 'pickups', 'technicians']);
    expect(columns(db, 'kiosk_audit')).toEqual(['kiosk_id', 'local_id', 'at', 'actor', 'action', 'detail', 'received_at']);
    expect(indexes(db)).toContain('kiosk_audit_at');
  });

  it('keeps every order, the feed sequence, pickups, kiosks, technicians and e-mails', () => {
    const { db, before } = fromVersion1();
    const after = rowsOf(db);
    expect(after).toEqual({ ...before, kiosk_audit: [] });
    expect(after.counters).toEqual([{ name: 'seq', value: 6 }]);
  });

  it('records an entry once per kiosk and local id, and only for a known kiosk', () => {
    const { db } = fromVersion1();
    db.exec(entry('k1', 12));
    db.exec(entry('k2', 12));
    expect(() => db.exec(entry('k1', 12))).toThrow(/UNIQUE constraint failed: kiosk_audit.kiosk_id, kiosk_audit.local_id/);
    expect(() => db.exec(entry('k9', 1))).toThrow(/FOREIGN KEY constraint failed/);
  });
});
