import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreTooNewError } from '../sqlite/errors.js';
import { MIGRATIONS } from './migrations.js';
import { assertWellFormed, latestVersion, migrate, readUserVersion, type Migration } from '../sqlite/migrate.js';
import { useTempFiles } from './test-helpers.js';

const files = useTempFiles();

function objects(db: Database.Database, type: 'table' | 'index'): string[] {
  return db
    .prepare<[string], string>(`SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all(type);
}

function columns(db: Database.Database, table: string): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
    .all()
    .map((c) => c.name);
}

describe('the migration list', () => {
  it('is numbered 1, 2, 3... without gaps', () => {
    expect(() => assertWellFormed(MIGRATIONS)).not.toThrow();
    expect(latestVersion(MIGRATIONS)).toBe(MIGRATIONS.length);
  });

  it('a list with a gap is refused before anything runs', () => {
    const db = files.raw();
    const gap: Migration[] = [
      { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x)') },
      { version: 3, name: 'three', up: (d) => d.exec('CREATE TABLE c (x)') },
    ];
    expect(() => migrate(db, gap)).toThrow(/version 3, expected 2/);
    expect(objects(db, 'table')).toEqual([]);
    expect(readUserVersion(db)).toBe(0);
  });
});

describe('the migration runner', () => {
  const steps: Migration[] = [
    { version: 1, name: 'a', up: (d) => d.exec('CREATE TABLE a (x)') },
    { version: 2, name: 'b', up: (d) => d.exec('CREATE TABLE b (x)') },
    { version: 3, name: 'c', up: (d) => d.exec('CREATE TABLE c (x)') },
  ];

  it('brings an empty database to the latest version, one step at a time', () => {
    const db = files.raw();
    expect(migrate(db, steps)).toEqual({ from: 0, to: 3, applied: [1, 2, 3] });
    expect(objects(db, 'table')).toEqual(['a', 'b', 'c']);
    expect(readUserVersion(db)).toBe(3);
  });

  it('applies only the migrations a database has not seen yet', () => {
    const db = files.raw();
    migrate(db, steps.slice(0, 1));
    expect(migrate(db, steps)).toEqual({ from: 1, to: 3, applied: [2, 3] });
    expect(migrate(db, steps)).toEqual({ from: 3, to: 3, applied: [] });
  });

  it('a failing migration leaves the database at the previous version with nothing half-applied', () => {
    const db = files.raw();
    const broken: Migration[] = [
      steps[0]!,
      {
        version: 2,
        name: 'breaks halfway',
        up: (d) => {
          d.exec('CREATE TABLE half (x)');
          d.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(readUserVersion(db)).toBe(1);
    expect(objects(db, 'table')).toEqual(['a']);
  });

  it('a database from a newer build is refused without a write', () => {
    const db = files.raw();
    db.pragma('user_version = 9');
    expect(() => migrate(db, steps)).toThrow(StoreTooNewError);
    expect(readUserVersion(db)).toBe(9);
    expect(objects(db, 'table')).toEqual([]);
  });
});

describe('migration 1: orders, deliveries and the pickup outbox', () => {
  function migrated(): Database.Database {
    const db = files.raw();
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    return db;
  }

  const order = (id: string, card = 'C1') =>
    `INSERT INTO orders VALUES ('${id}', '${card}', '{"kind":"topup","amountCents":500}', 'pending',
      '2025-01-01T00:00:00.000Z', NULL, '2025-01-01T00:00:00.000Z')`;
  const delivery = (id: string, orderId: string, state: string, extra = 'NULL, NULL') =>
    `INSERT INTO deliveries VALUES ('${id}', '${orderId}', 'C1', 'U1', '${state}', ${extra},
      '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`;

  it('creates the three tables with their columns and indexes at version 1', () => {
    const db = migrated();
    expect(readUserVersion(db)).toBe(1);
    expect(objects(db, 'table')).toEqual(['deliveries', 'orders', 'outbox']);
    expect(objects(db, 'index')).toEqual([
      'deliveries_by_card_state',
      'deliveries_by_order',
      'deliveries_one_unsettled_per_order',
      'orders_by_card_status_created',
      'outbox_pending',
    ]);
    expect(columns(db, 'orders')).toEqual([
      'id',
      'card_number',
      'payload',
      'status',
      'created_at',
      'expires_at',
      'updated_at',
    ]);
    expect(columns(db, 'deliveries')).toEqual([
      'id',
      'order_id',
      'card_number',
      'card_uid',
      'state',
      'outcome',
      'failure',
      'created_at',
      'updated_at',
    ]);
    expect(columns(db, 'outbox')).toEqual([
      'id',
      'delivery_id',
      'report',
      'attempts',
      'created_at',
      'last_attempt_at',
      'acked_at',
    ]);
  });

  it('lets an order have only one unsettled delivery, but any number of settled ones', () => {
    const db = migrated();
    db.exec(order('o1'));
    db.exec(delivery('d1', 'o1', 'abandoned', `NULL, 'timeout'`));
    db.exec(delivery('d2', 'o1', 'writing'));
    expect(() => db.exec(delivery('d3', 'o1', 'pending'))).toThrow(/UNIQUE constraint failed/);
    db.exec(`UPDATE deliveries SET state = 'written', outcome = '{"kind":"topup","amountCents":500,"balanceCents":900}' WHERE id = 'd2'`);
    db.exec(delivery('d3', 'o1', 'pending'));
  });

  it('rejects unknown statuses and states, bad JSON and dangling references', () => {
    const db = migrated();
    db.exec(order('o1'));
    expect(() => db.exec(order('o2').replace(`'pending'`, `'lost'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(order('o3').replace('{"kind":"topup","amountCents":500}', '{not json'))).toThrow(
      /CHECK constraint failed/,
    );
    expect(() => db.exec(delivery('d1', 'o1', 'flying'))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(delivery('d1', 'nope', 'pending'))).toThrow(/FOREIGN KEY constraint failed/);
    expect(() =>
      db.exec(`INSERT INTO outbox (delivery_id, report, created_at) VALUES ('nope', '{}', '2025-01-01T00:00:00.000Z')`),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('ties outcome to written/reported and failure to abandoned', () => {
    const db = migrated();
    db.exec(order('o1'));
    expect(() => db.exec(delivery('d1', 'o1', 'written'))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(delivery('d1', 'o1', 'abandoned'))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(delivery('d1', 'o1', 'pending', `NULL, 'why'`))).toThrow(/CHECK constraint failed/);
  });

  it('keeps one outbox row per delivery', () => {
    const db = migrated();
    db.exec(order('o1'));
    db.exec(delivery('d1', 'o1', 'written', `'{"kind":"topup","amountCents":500,"balanceCents":900}', NULL`));
    const add = `INSERT INTO outbox (delivery_id, report, created_at) VALUES ('d1', '{}', '2025-01-01T00:00:00.000Z')`;
    db.exec(add);
    expect(() => db.exec(add)).toThrow(/UNIQUE constraint failed: outbox.delivery_id/);
    expect(db.prepare('SELECT attempts, acked_at FROM outbox').get()).toEqual({ attempts: 0, acked_at: null });
  });

  it('makes the tables STRICT, so a number cannot slip into a text column', () => {
    const db = migrated();
    expect(() =>
      db.exec(`INSERT INTO orders VALUES ('o1', 'C1', '{}', 'pending', 'x', NULL, X'00')`),
    ).toThrow(/cannot store BLOB value in TEXT column/);
  });
});
