// Back office migration 11, from a version-10 database with a back office's rows: the
// e-mail outbox is rebuilt with the two new templates and a language column (every row and
// id kept, language null: the older texts), the new ids continue after the old; the Mijn NS
// tables are there and empty, and their checks hold.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, indexes, rowsOf, tables, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './011-mijn-ns.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 11: Mijn NS', () => {
  it('is version 11, listed eleventh', () => {
    expect(migration.version).toBe(11);
    expect(BACKOFFICE_MIGRATIONS[10]).toBe(migration);
  });

  it('rebuilds the outbox with the new templates and a language, keeps every row, and adds the Mijn NS tables', () => {
    const before = BACKOFFICE_MIGRATIONS.slice(0, 10);
    const db = files.atVersion(before.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before);
    const rows = rowsOf(db);
    expect((rows.emails as unknown[]).length).toBe(2);
    expect(migrate(db, [...before, migration])).toEqual({ from: 10, to: 11, applied: [11] });
    expect(readUserVersion(db)).toBe(11);
    expect(columns(db, 'emails').at(-1)).toBe('language');
    const after = rowsOf(db);
    expect(after.emails).toEqual((rows.emails as Record<string, unknown>[]).map((e) => ({ ...e, language: null })));
    for (const table of Object.keys(rows)) if (table !== 'emails') expect(after[table], table).toEqual(rows[table]);
    for (const table of ['card_links', 'claims', 'code_requests', 'journeys', 'link_attempts', 'train_services']) {
      expect(tables(db)).toContain(table);
      expect(after[table], table).toEqual([]);
    }
    expect(indexes(db)).toEqual(expect.arrayContaining(['emails_unsent', 'code_requests_by_card', 'card_links_by_account', 'train_services_by_route', 'claims_waiting', 'claims_by_service']));
    // New e-mails continue after the old ids; the new templates and languages are taken, others refused.
    const id = db
      .prepare(`INSERT INTO emails (order_id, to_address, template, created_at, language) VALUES ('o-9', 'a@example.org', 'code-ready', 'x', 'de') RETURNING id`)
      .pluck()
      .get() as number;
    expect(id).toBeGreaterThan(Math.max(...(rows.emails as { id: number }[]).map((e) => e.id)));
    expect(() => db.exec(`INSERT INTO emails (order_id, to_address, template, created_at, language) VALUES ('o-9', 'a', 'spam', 'x', 'nl')`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO emails (order_id, to_address, template, created_at, language) VALUES ('o-9', 'a', 'ready', 'x', 'es')`)).toThrow(/CHECK/);
    // One claim per card, journey and kind.
    const claim = db.prepare(`INSERT INTO claims (card_number, journey_id, kind, status, claimed_at, claimed_by) VALUES ('1', 'j', 'delay', 'waiting', 'x', 'k1')`);
    claim.run();
    expect(() => claim.run()).toThrow(/UNIQUE/);
  });
});
