// Opening a SQLite database of the system (the kiosk store, the back office): the
// connection, the schema version check, the durability settings and the migrations, with
// every failure named by its file.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreCorruptError, StoreTooNewError, classifySqliteError } from './errors.js';
import { latestVersion, migrate, readUserVersion, type Migration, type MigrationResult } from './migrate.js';

/** Connection settings; exported so tests can assert them. */
export const BUSY_TIMEOUT_MS = 5_000;

/** Structural: pino, console-like adapters or a test spy all fit. */
export interface SqliteLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
}

/**
 * WAL (readers never block the writer, a commit is one append), synchronous=FULL (the WAL
 * is synced on every commit, so a journalled step survives a power cut) and foreign keys.
 * Called only after the schema version check: WAL mode writes the header.
 */
export function applyDurabilitySettings(db: Database.Database): { journalMode: unknown } {
  const journalMode = db.pragma('journal_mode = WAL', { simple: true });
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed, not left in free space (codes, PIN hashes).
  db.pragma('secure_delete = ON');
  return { journalMode };
}

/** Logs a corruption error (once, where it is classified) and hands it back. */
export function logCorrupt(error: unknown, file: string, logger: SqliteLogger, what: string): unknown {
  if (error instanceof StoreCorruptError) {
    logger.error({ file, code: error.code, err: error.message }, `${what}: database is corrupt`);
  }
  return error;
}

export interface OpenedDatabase {
  readonly db: Database.Database;
  readonly migration: MigrationResult;
}

/** What an operator should do when a database cannot be opened; part of the error's message. */
export interface OpenAdvice {
  /** The file is damaged or not a database (StoreCorruptError). */
  readonly corrupt: string;
  /** The file is from a newer build (StoreTooNewError). */
  readonly tooNew: string;
}

/** For a database whose owner says nothing more specific. */
export const DEFAULT_OPEN_ADVICE: OpenAdvice = {
  corrupt: 'Restore it from a backup, or move it aside to start with an empty database.',
  tooNew: 'It was written by a newer version of this software: run that version (or a newer one).',
};

export interface OpenDatabaseOptions {
  readonly migrations: readonly Migration[];
  readonly logger: SqliteLogger;
  /** Names the database in log lines ("store", "back office"). */
  readonly what: string;
  /** What to do when it cannot be opened; DEFAULT_OPEN_ADVICE if not given. */
  readonly advice?: OpenAdvice;
}

/**
 * Opens `file` (creating its folder), refuses a database from a newer build before
 * anything is written (StoreTooNewError), turns on WAL and FULL sync and migrates it.
 * A damaged file or one that is not a database fails with StoreCorruptError. Both leave
 * the file exactly as it was, and their message names the file and says what to do.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions): OpenedDatabase {
  const { migrations, logger, what } = options;
  const advice = options.advice ?? DEFAULT_OPEN_ADVICE;
  if (file !== ':memory:' && !file.startsWith('file:')) {
    // Readable by its owner only: the folder 0700 when made here, the file 0600 before SQLite
    // opens it (its -wal and -shm take the file's mode), an existing looser one tightened.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      if (existsSync(file)) chmodSync(file, 0o600);
      else closeSync(openSync(file, 'a', 0o600));
    } catch {
      // (A file we may not change is reported by the open below, naming it.)
    }
  }

  /** Every failure names the file; a damaged one also says what to do. */
  const explain = (error: unknown): unknown => {
    const classified = classifySqliteError(error, file, `It was left unchanged. ${advice.corrupt}`);
    if (classified instanceof Database.SqliteError) {
      return new Error(`database ${file} could not be opened (${classified.code}: ${classified.message})`, { cause: classified });
    }
    return logCorrupt(classified, file, logger, what);
  };

  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw explain(error);
  }
  try {
    // Connection-only settings first; nothing below writes until the version is known.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const fileVersion = readUserVersion(db); // a non-database file fails here (SQLITE_NOTADB)
    const known = latestVersion(migrations);
    if (fileVersion > known) throw new StoreTooNewError(fileVersion, known, { file, advice: advice.tooNew });

    const { journalMode } = applyDurabilitySettings(db);
    if (journalMode !== 'wal' && !db.memory) logger.warn({ file, journalMode }, `${what}: WAL journal mode not available`);

    const migration = migrate(db, migrations);
    if (migration.applied.length > 0) {
      logger.info({ file, from: migration.from, to: migration.to, applied: migration.applied }, `${what}: schema migrated`);
    }
    return { db, migration };
  } catch (error) {
    db.close();
    if (error instanceof StoreTooNewError) {
      logger.error(
        { file, fileVersion: error.fileVersion, knownVersion: error.knownVersion },
        `${what}: database is from a newer build; refused`,
      );
    }
    throw explain(error);
  }
}
