// Back office migration 4, from a version-3 database with a back office's rows: the feed
// epoch, random per database; every row kept.
import { describe, expect, it } from 'vitest';
import { epochSchema } from '../../protocol/kiosk-api.js';
import { migrate, readUserVersion, type Migration } from '../../sqlite/migrate.js';
import { rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './004-feed-epoch.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

/** Migrations 1..3 as listed (3 is the card ledger's; a stand-in until it is listed). */
const before: readonly Migration[] = [
  ...BACKOFFICE_MIGRATIONS.slice(0, 2),
  BACKOFFICE_MIGRATIONS[2]?.version === 3 ? (BACKOFFICE_MIGRATIONS[2] as Migration) : { version: 3, name: 'stand-in', up() {} },
];

function fromVersion3(name = 'backoffice.db') {
  const db = files.atVersion(before.slice(0, 1), 1, name);
  seedVersion1(db);
  migrate(db, before);
  const rows = rowsOf(db);
  expect(migrate(db, [...before, migration])).toEqual({ from: 3, to: 4, applied: [4] });
  return { db, rows };
}

describe('back office migration 4: feed epoch', () => {
  it('is version 4, listed fourth', () => {
    expect(migration.version).toBe(4);
    if (BACKOFFICE_MIGRATIONS.length >= 4) expect(BACKOFFICE_MIGRATIONS[3]).toBe(migration);
  });

  it('adds backoffice_meta with one epoch, and keeps every row', () => {
    const { db, rows } = fromVersion3();
    expect(readUserVersion(db)).toBe(4);
    expect(tables(db)).toContain('backoffice_meta');
    const after = rowsOf(db);
    expect({ ...after, backoffice_meta: undefined }).toEqual({ ...rows, backoffice_meta: undefined });
    expect(after.backoffice_meta).toEqual([{ key: 'epoch', value: expect.any(String) }]);
    expect(epochSchema.safeParse((after.backoffice_meta?.[0] as { value: string }).value).success).toBe(true);
  });

  it('makes a different epoch for every database', () => {
    const epoch = (name: string) => fromVersion3(name).db.prepare(`SELECT value FROM backoffice_meta WHERE key = 'epoch'`).pluck().get();
    expect(epoch('a.db')).not.toBe(epoch('b.db'));
  });
});
