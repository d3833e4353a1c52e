// Back office migration 9, from a version-8 database with a back office's rows: the
// operator console's tables appear, empty, and every row already there is kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './009-operator-console.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 9: the operator console', () => {
  it('is version 9, listed ninth', () => {
    expect(migration.version).toBe(9);
    expect(BACKOFFICE_MIGRATIONS[8]).toBe(migration);
  });

  it('adds operators, their sessions, resolutions and the operator audit, and keeps every row', () => {
    const before = BACKOFFICE_MIGRATIONS.slice(0, 8);
    const db = files.atVersion(before.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before);
    const rows = rowsOf(db);
    expect(migrate(db, [...before, migration])).toEqual({ from: 8, to: 9, applied: [9] });
    expect(readUserVersion(db)).toBe(9);
    expect(tables(db)).toEqual(expect.arrayContaining(['operators', 'operator_sessions', 'conflict_resolutions', 'operator_audit']));
    expect(columns(db, 'operators')).toEqual(['name', 'salt', 'hash', 'params', 'created_at', 'disabled_at']);
    expect(columns(db, 'conflict_resolutions')).toEqual(['subject', 'conflict', 'resolved_at', 'operator', 'note']);
    const after = rowsOf(db);
    for (const table of ['operators', 'operator_sessions', 'conflict_resolutions', 'operator_audit']) expect(after[table]).toEqual([]);
    expect(rowsOf(db, Object.keys(rows))).toEqual(rows);
  });
});
