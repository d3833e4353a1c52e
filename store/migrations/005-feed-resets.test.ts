// Migration 5 of the kiosk store, from a version-4 database with a kiosk's rows: the
// feed_resets log, empty; every other row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion, type Migration } from '../../sqlite/migrate.js';
import { columns, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { MIGRATIONS } from '../migrations.js';
import { migration } from './005-feed-resets.js';
import { seedVersion2 } from './test-helpers.js';

const files = useTempDb();

function fromVersion4() {
  const before4: readonly Migration[] = MIGRATIONS.slice(0, 4);
  const db = files.atVersion(MIGRATIONS, 2);
  seedVersion2(db);
  migrate(db, before4);
  const before = rowsOf(db);
  expect(migrate(db, [...before4, migration])).toEqual({ from: 4, to: 5, applied: [5] });
  return { db, before };
}

describe('kiosk store migration 5: feed resets', () => {
  it('is version 5, listed fifth', () => {
    expect(migration.version).toBe(5);
    expect(MIGRATIONS[4]).toBe(migration);
  });

  it('adds the feed_resets table, empty, and keeps every row', () => {
    const { db, before } = fromVersion4();
    expect(readUserVersion(db)).toBe(5);
    expect(tables(db)).toContain('feed_resets');
    expect(columns(db, 'feed_resets')).toEqual(['id', 'at', 'reason', 'old_epoch', 'new_epoch', 'old_cursor', 'head']);
    expect(rowsOf(db)).toEqual({ ...before, feed_resets: [] });
  });

  it('accepts only the known reasons', () => {
    const { db } = fromVersion4();
    const insert = db.prepare(`INSERT INTO feed_resets (at, reason, old_epoch, new_epoch, old_cursor, head) VALUES ('2026-12-01T10:00:00.000Z', ?, NULL, 'e2', '42', '7')`);
    for (const reason of ['epoch', 'rewound', 'anchor', 'legacy']) insert.run(reason);
    expect(() => insert.run('other')).toThrow(/CHECK/);
  });
});
