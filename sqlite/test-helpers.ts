// Test support for SQLite databases and their migrations (the kiosk store's and the back
// office's): raw connections on files in a fresh temp dir, a database brought to a given
// version, and readable views of a schema and its rows.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { migrate, readUserVersion, type Migration } from './migrate.js';
import type { SqliteLogger } from './open.js';

export interface TempDb {
  readonly dir: string;
  path(name?: string): string;
  /** A raw better-sqlite3 connection (foreign keys on, as every opened database has them), closed after the test. */
  raw(name?: string): Database.Database;
  /** A raw connection to a database brought to `version` by the first migrations of `list`. */
  atVersion(list: readonly Migration[], version: number, name?: string): Database.Database;
  /** Registers something to close after the test. */
  onCleanup(close: () => void): void;
}

/** Registers beforeEach/afterEach: every test gets its own directory, removed afterwards. */
export function useTempDb(): TempDb {
  let dir = '';
  let closers: (() => void)[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-sqlite-'));
    closers = [];
  });
  afterEach(() => {
    for (const close of closers.reverse()) {
      try {
        close();
      } catch {
        // already closed
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const path = (name = 'test.db') => join(dir, name);
  const raw = (name?: string) => {
    const db = new Database(path(name));
    db.pragma('foreign_keys = ON');
    closers.push(() => db.close());
    return db;
  };
  return {
    get dir() {
      return dir;
    },
    path,
    raw,
    atVersion(list, version, name) {
      const db = raw(name);
      migrate(db, list.slice(0, version));
      if (readUserVersion(db) !== version) throw new Error(`could not bring the database to version ${version}`);
      return db;
    },
    onCleanup(close) {
      closers.push(close);
    },
  };
}

export function tables(db: Database.Database): string[] {
  return db
    .prepare<[], string>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all();
}

export function indexes(db: Database.Database): string[] {
  return db
    .prepare<[], string>(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all();
}

export function columns(db: Database.Database, table: string): string[] {
  return db
    .prepare<[string], { name: string }>(`SELECT name FROM pragma_table_info(?)`)
    .all(table)
    .map((c) => c.name);
}

/** Every row of every table (sqlite_sequence aside), in rowid order: what a migration must keep. */
export function rowsOf(db: Database.Database, only?: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of only ?? tables(db)) {
    out[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
  }
  return out;
}

/** Size and hash of a file: "left exactly as it was". */
export function fingerprint(path: string): { size: number; sha256: string } {
  return { size: statSync(path).size, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

export interface LogEntry {
  level: 'warn' | 'error' | 'info';
  obj: Record<string, unknown>;
  msg: string;
}

/** A logger that keeps what it was told. */
export function spyLogger(): SqliteLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => entries.push({ level: 'error', obj, msg }),
    info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
  };
}
