// Back office migration 7, from a version-6 database with a back office's rows: audit
// entries get actor_known (1 for the entries already there); every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './007-audit-arrival.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 7: audit in order of arrival', () => {
  it('is version 7, listed seventh', () => {
    expect(migration.version).toBe(7);
    expect(BACKOFFICE_MIGRATIONS[6]).toBe(migration);
  });

  it('adds kiosk_audit.actor_known (1 for existing entries) and keeps every row', () => {
    const before6 = BACKOFFICE_MIGRATIONS.slice(0, 6);
    const db = files.atVersion(before6.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before6);
    db.prepare(`INSERT INTO kiosk_audit VALUES ('k1', 1, '2026-11-21T10:00:00.000Z', 'T-0001', 'login', NULL, '2026-11-21T10:00:01.000Z')`).run();
    const rows = rowsOf(db);
    expect(migrate(db, [...before6, migration])).toEqual({ from: 6, to: 7, applied: [7] });
    expect(readUserVersion(db)).toBe(7);
    expect(columns(db, 'kiosk_audit').at(-1)).toBe('actor_known');
    const after = rowsOf(db);
    expect(after.kiosk_audit).toEqual((rows.kiosk_audit as Record<string, unknown>[]).map((a) => ({ ...a, actor_known: 1 })));
    expect({ ...after, kiosk_audit: undefined }).toEqual({ ...rows, kiosk_audit: undefined });
  });
});
