// Back office migration 12, from a version-11 database with a back office's rows: an empty
// table of fleet PIN locks; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './012-fleet-pin-locks.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 12: fleet PIN locks', () => {
  it('is version 12, listed twelfth', () => {
    expect(migration.version).toBe(12);
    expect(BACKOFFICE_MIGRATIONS[11]).toBe(migration);
  });

  it('adds technician_pin_locks, empty, and keeps every row', () => {
    const before = BACKOFFICE_MIGRATIONS.slice(0, 11);
    const db = files.atVersion(before.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before);
    const rows = rowsOf(db);
    expect(migrate(db, [...before, migration])).toEqual({ from: 11, to: 12, applied: [12] });
    expect(readUserVersion(db)).toBe(12);
    expect(columns(db, 'technician_pin_locks')).toEqual(['technician_id', 'attempts', 'locks', 'locked_until', 'updated_at']);
    const after = rowsOf(db);
    expect(after.technician_pin_locks).toEqual([]);
    expect({ ...after, technician_pin_locks: undefined }).toEqual({ ...rows, technician_pin_locks: undefined });
  });
});
