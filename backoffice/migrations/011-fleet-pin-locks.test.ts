// Back office migration 11, from a version-10 database with a back office's rows: an empty
// table of fleet PIN locks; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './011-fleet-pin-locks.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 11: fleet PIN locks', () => {
  it('is version 11, listed eleventh', () => {
    expect(migration.version).toBe(11);
    expect(BACKOFFICE_MIGRATIONS[10]).toBe(migration);
  });

  it('adds technician_pin_locks, empty, and keeps every row', () => {
    const before = BACKOFFICE_MIGRATIONS.slice(0, 10);
    const db = files.atVersion(before.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before);
    const rows = rowsOf(db);
    expect(migrate(db, [...before, migration])).toEqual({ from: 10, to: 11, applied: [11] });
    expect(readUserVersion(db)).toBe(11);
    expect(columns(db, 'technician_pin_locks')).toEqual(['technician_id', 'attempts', 'locks', 'locked_until', 'updated_at']);
    const after = rowsOf(db);
    expect(after.technician_pin_locks).toEqual([]);
    expect({ ...after, technician_pin_locks: undefined }).toEqual({ ...rows, technician_pin_locks: undefined });
  });
});
