// Opening any database of the system (sqlite/open.ts): the folder, the durability settings,
// the migrations, and the files it refuses — left exactly as they were, with a message that
// names the file and says what to do.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreCorruptError, StoreTooNewError } from './errors.js';
import type { Migration } from './migrate.js';
import { BUSY_TIMEOUT_MS, DEFAULT_OPEN_ADVICE, openDatabase, type OpenAdvice } from './open.js';
import { fingerprint, spyLogger, tables, useTempDb } from './test-helpers.js';

const files = useTempDb();

const MIGRATIONS: Migration[] = [
  { version: 1, name: 'notes', up: (d) => d.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT') },
  { version: 2, name: 'tags', up: (d) => d.exec('CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes (id), tag TEXT NOT NULL) STRICT') },
];

const ADVICE: OpenAdvice = { corrupt: 'Call the help desk (corrupt).', tooNew: 'Call the help desk (too new).' };

function open(path: string, advice?: OpenAdvice) {
  const logger = spyLogger();
  const opened = openDatabase(path, { migrations: MIGRATIONS, logger, what: 'notes', ...(advice ? { advice } : {}) });
  files.onCleanup(() => opened.db.close());
  return { ...opened, logger };
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('opening a database', () => {
  it('creates the file and its folder and migrates it, logging the migration', () => {
    const path = join(files.dir, 'a', 'b', 'notes.db');
    const { db, migration, logger } = open(path);
    expect(existsSync(path)).toBe(true);
    expect(migration).toEqual({ from: 0, to: 2, applied: [1, 2] });
    expect(tables(db)).toEqual(['notes', 'tags']);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'info', msg: 'notes: schema migrated' }));
  });

  it('ATTACK (issue 11): the database, its WAL and its folder are readable by its owner only (were 0644)', () => {
    const path = join(files.dir, 'private', 'notes.db');
    const { db } = open(path);
    db.prepare("INSERT INTO notes (text) VALUES ('x')").run();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    expect((statSync(dirname(path)).mode & 0o777).toString(8)).toBe('700');
    // An existing file of a looser mode is tightened when opened.
    db.close();
    chmodSync(path, 0o644);
    open(path).db.close();
    expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
  });

  it('hands back a connection in WAL mode with synchronous=FULL, foreign keys and a busy timeout', () => {
    const { db } = open(files.path());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(() => db.exec("INSERT INTO tags VALUES (42, 'x')")).toThrow(/FOREIGN KEY/);
  });

  it('opens an up-to-date database without migrating or logging it again', () => {
    open(files.path()).db.close();
    const { migration, logger } = open(files.path());
    expect(migration).toEqual({ from: 2, to: 2, applied: [] });
    expect(logger.entries).toEqual([]);
  });

  it('works in memory, without a WAL warning', () => {
    const { db, logger } = open(':memory:');
    expect(tables(db)).toEqual(['notes', 'tags']);
    expect(logger.entries.filter((e) => e.level === 'warn')).toEqual([]);
  });
});

describe('a database from a newer build', () => {
  function newer(): string {
    const path = files.path('newer.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES ('keep me')`);
    db.pragma('user_version = 7');
    db.close();
    return path;
  }

  it('is refused with StoreTooNewError naming the file, and its bytes are left unchanged', () => {
    const path = newer();
    const before = fingerprint(path);
    const logger = spyLogger();
    const error = failure(() => openDatabase(path, { migrations: MIGRATIONS, logger, what: 'notes', advice: ADVICE }));
    expect(error).toBeInstanceOf(StoreTooNewError);
    expect(error).toMatchObject({ fileVersion: 7, knownVersion: 2, file: path });
    expect((error as Error).message).toBe(
      `database ${path} has schema version 7, newer than this build knows (2); it was refused and left unchanged. ${ADVICE.tooNew}`,
    );
    expect(fingerprint(path)).toEqual(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'notes: database is from a newer build; refused', obj: expect.objectContaining({ file: path }) }),
    );
  });

  it('says what to do even when its owner gave no advice', () => {
    const path = newer();
    expect((failure(() => open(path)) as Error).message).toContain(DEFAULT_OPEN_ADVICE.tooNew);
  });
});

describe('a file that is damaged or not a database', () => {
  it('a file of text is refused with StoreCorruptError (SQLITE_NOTADB) naming the file, and left unchanged', () => {
    const path = files.path('notes.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const before = fingerprint(path);
    const logger = spyLogger();
    const error = failure(() => openDatabase(path, { migrations: MIGRATIONS, logger, what: 'notes', advice: ADVICE }));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error).toMatchObject({ code: 'SQLITE_NOTADB', file: path });
    expect((error as Error).cause).toBeInstanceOf(Database.SqliteError);
    expect((error as Error).message).toBe(
      `database ${path} is corrupt or not a database (SQLITE_NOTADB: file is not a database). It was left unchanged. ${ADVICE.corrupt}`,
    );
    expect(fingerprint(path)).toEqual(before);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'error', msg: 'notes: database is corrupt' }));
  });

  it('a database whose schema page is damaged is refused with StoreCorruptError (SQLITE_CORRUPT), and left unchanged', () => {
    const path = files.path('damaged.db');
    open(path).db.close();
    const bytes = readFileSync(path);
    bytes.fill(0xab, 100, bytes.readUInt16BE(16)); // page 1 after its 100-byte header
    writeFileSync(path, bytes);
    const before = fingerprint(path);
    const error = failure(() => open(path));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_CORRUPT/), file: path });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain(DEFAULT_OPEN_ADVICE.corrupt);
    expect(fingerprint(path)).toEqual(before);
  });

  it('a path that cannot be opened at all fails with an error naming it', () => {
    const path = files.path('a-folder.db');
    mkdirSync(path);
    const error = failure(() => open(path));
    expect(error).not.toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toMatch(new RegExp(`^database ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} could not be opened \\(SQLITE_CANTOPEN`));
  });
});
