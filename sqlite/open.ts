// Opening a SQLite database of the system (the kiosk store, the back office): the
// connection, the schema version check, the durability settings and the migrations, with
// every failure named by its file.
import { mkdirSync } from 'node:fs';
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

/**
 * Opens `file` (creating its folder), refuses a database from a newer build before
 * anything is written (StoreTooNewError), turns on WAL and FULL sync and migrates it.
 * A damaged file or one that is not a database fails with StoreCorruptError.
 * `what` names the database in log lines ("store", "back office").
 */
export function openDatabase(
  file: string,
  options: { readonly migrations: readonly Migration[]; readonly logger: SqliteLogger; readonly what: string },
): OpenedDatabase {
  const { migrations, logger, what } = options;
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });

  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw logCorrupt(classifySqliteError(error, file), file, logger, what);
  }
  try {
    // Connection-only settings first; nothing below writes until the version is known.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const fileVersion = readUserVersion(db); // a non-database file fails here (SQLITE_NOTADB)
    const known = latestVersion(migrations);
    if (fileVersion > known) throw new StoreTooNewError(fileVersion, known);

    const { journalMode } = applyDurabilitySettings(db);
    if (journalMode !== 'wal' && !db.memory) logger.warn({ file, journalMode }, `${what}: WAL journal mode not available`);

    const migration = migrate(db, migrations);
    if (migration.applied.length > 0) {
      logger.info({ file, from: migration.from, to: migration.to, applied: migration.applied }, `${what}: schema migrated`);
    }
    return { db, migration };
  } catch (error) {
    db.close();
    const classified = classifySqliteError(error, file);
    if (classified instanceof StoreTooNewError) {
      logger.error(
        { file, fileVersion: classified.fileVersion, knownVersion: classified.knownVersion },
        `${what}: database is from a newer build; refused`,
      );
    }
    throw logCorrupt(classified, file, logger, what);
  }
}
