// The migration runner on its own, with small made-up migration lists (the kiosk store's
// and the back office's migrations have tests of their own, next to each file).
import { describe, expect, it } from 'vitest';
import { StoreTooNewError } from './errors.js';
import { assertWellFormed, latestVersion, migrate, readUserVersion, type Migration } from './migrate.js';
import { tables, useTempDb } from './test-helpers.js';

const files = useTempDb();

const steps: Migration[] = [
  { version: 1, name: 'a', up: (d) => d.exec('CREATE TABLE a (x)') },
  { version: 2, name: 'b', up: (d) => d.exec('CREATE TABLE b (x)') },
  { version: 3, name: 'c', up: (d) => d.exec('CREATE TABLE c (x)') },
];

describe('a migration list', () => {
  it('is well formed when numbered 1, 2, 3... without gaps; its latest version is the last one', () => {
    expect(() => assertWellFormed(steps)).not.toThrow();
    expect(latestVersion(steps)).toBe(3);
    expect(latestVersion([])).toBe(0);
  });

  it('with a gap is refused before anything runs', () => {
    const db = files.raw();
    const gap: Migration[] = [steps[0]!, { version: 3, name: 'three', up: (d) => d.exec('CREATE TABLE c (x)') }];
    expect(() => migrate(db, gap)).toThrow(/version 3, expected 2/);
    expect(tables(db)).toEqual([]);
    expect(readUserVersion(db)).toBe(0);
  });

  it('out of order or starting at 0 is refused too', () => {
    expect(() => assertWellFormed([steps[1]!, steps[0]!])).toThrow(/\("b"\) has version 2, expected 1/);
    expect(() => assertWellFormed([{ version: 0, name: 'zero', up: () => {} }])).toThrow(/expected 1/);
  });
});

describe('the migration runner', () => {
  it('brings an empty database to the latest version, one step at a time', () => {
    const db = files.raw();
    expect(migrate(db, steps)).toEqual({ from: 0, to: 3, applied: [1, 2, 3] });
    expect(tables(db)).toEqual(['a', 'b', 'c']);
    expect(readUserVersion(db)).toBe(3);
  });

  it('applies only the migrations a database has not seen yet', () => {
    const db = files.raw();
    migrate(db, steps.slice(0, 1));
    expect(migrate(db, steps)).toEqual({ from: 1, to: 3, applied: [2, 3] });
    expect(migrate(db, steps)).toEqual({ from: 3, to: 3, applied: [] });
  });

  it('runs each migration in its own transaction with the version bump: a failure leaves the previous version, nothing half-applied', () => {
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
      steps[2]!,
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(readUserVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['a']);
  });

  it('a database from a newer build is refused with StoreTooNewError, without a write', () => {
    const db = files.raw();
    db.pragma('user_version = 9');
    let caught: unknown;
    try {
      migrate(db, steps);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreTooNewError);
    expect(caught).toMatchObject({ fileVersion: 9, knownVersion: 3 });
    expect(readUserVersion(db)).toBe(9);
    expect(tables(db)).toEqual([]);
  });

  it('a database at the latest version is not written to', () => {
    const db = files.raw();
    migrate(db, steps);
    const changesBefore = db.prepare('SELECT total_changes()').pluck().get();
    const dataVersion = db.pragma('data_version', { simple: true });
    expect(migrate(db, steps)).toEqual({ from: 3, to: 3, applied: [] });
    expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
    expect(db.pragma('data_version', { simple: true })).toBe(dataVersion);
  });
});
