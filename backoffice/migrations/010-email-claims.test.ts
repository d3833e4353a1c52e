// Back office migration 10, from a version-9 database with a back office's rows: e-mails get
// claimed_by and claimed_at, null (unclaimed) for every one there; every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './010-email-claims.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 10: e-mail claims', () => {
  it('is version 10, listed tenth', () => {
    expect(migration.version).toBe(10);
    expect(BACKOFFICE_MIGRATIONS[9]).toBe(migration);
  });

  it('adds emails.claimed_by and claimed_at, null for every e-mail, and keeps every row', () => {
    const before = BACKOFFICE_MIGRATIONS.slice(0, 9);
    const db = files.atVersion(before.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before);
    const rows = rowsOf(db);
    expect((rows.emails as unknown[]).length).toBeGreaterThan(0);
    expect(migrate(db, [...before, migration])).toEqual({ from: 9, to: 10, applied: [10] });
    expect(readUserVersion(db)).toBe(10);
    expect(columns(db, 'emails').slice(-2)).toEqual(['claimed_by', 'claimed_at']);
    const after = rowsOf(db);
    expect(after.emails).toEqual((rows.emails as Record<string, unknown>[]).map((e) => ({ ...e, claimed_by: null, claimed_at: null })));
    expect({ ...after, emails: undefined }).toEqual({ ...rows, emails: undefined });
  });
});
