// The forward-only migration runner of every SQLite database of the system. One entry per
// schema version, in order; each runs in its own transaction together with the
// `PRAGMA user_version` bump, so a failure leaves the database at the previous version
// with nothing half-applied. Never edit a shipped migration: add the next one.
import type Database from 'better-sqlite3';
import { StoreTooNewError } from './errors.js';

export interface Migration {
  /** The schema version this migration produces; versions are 1, 2, 3... without gaps. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

/** The highest version in `migrations` (0 for none). */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Throws unless the list is 1, 2, 3... in order. */
export function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i} ("${m.name}") has version ${m.version}, expected ${i + 1}`);
    }
  });
}

export function readUserVersion(db: Database.Database): number {
  const v = db.pragma('user_version', { simple: true });
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new Error(`unexpected PRAGMA user_version result: ${String(v)}`);
  }
  return v;
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/**
 * Bring `db` up to the latest version. A database newer than the list is refused with
 * StoreTooNewError before anything is written.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): MigrationResult {
  assertWellFormed(migrations);
  const latest = latestVersion(migrations);
  const from = readUserVersion(db);
  if (from > latest) throw new StoreTooNewError(from, latest);

  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      // Re-read inside the write transaction: another connection may have migrated meanwhile.
      const current = readUserVersion(db);
      if (current >= m.version) return;
      if (current !== m.version - 1) {
        throw new Error(`cannot apply migration ${m.version} to a database at version ${current}`);
      }
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }).immediate();
  }
  return { from, to: readUserVersion(db), applied };
}
