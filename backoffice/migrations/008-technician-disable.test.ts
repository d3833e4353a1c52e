// Back office migration 8, from a version-7 database with a back office's rows: technicians
// get disabled_at, null (enabled) for every one there; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './008-technician-disable.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 8: technicians can be disabled', () => {
  it('is version 8, listed eighth', () => {
    expect(migration.version).toBe(8);
    expect(BACKOFFICE_MIGRATIONS[7]).toBe(migration);
  });

  it('adds technicians.disabled_at, null for every technician, and keeps every row', () => {
    const before7 = BACKOFFICE_MIGRATIONS.slice(0, 7);
    const db = files.atVersion(before7.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before7);
    const rows = rowsOf(db);
    expect((rows.technicians as unknown[]).length).toBeGreaterThan(0);
    expect(migrate(db, [...before7, migration])).toEqual({ from: 7, to: 8, applied: [8] });
    expect(readUserVersion(db)).toBe(8);
    expect(columns(db, 'technicians').at(-1)).toBe('disabled_at');
    const after = rowsOf(db);
    expect(after.technicians).toEqual((rows.technicians as Record<string, unknown>[]).map((t) => ({ ...t, disabled_at: null })));
    expect({ ...after, technicians: undefined }).toEqual({ ...rows, technicians: undefined });
  });
});
