// The error classes shared by every SQLite database of the system (the kiosk store and
// the back office) and the classification of SQLite errors. A caller can tell "the
// business rule said no" (conflict) from "this build is too old for the file" (too new)
// from "the file is damaged" (corrupt) from "a row does not parse" (data).
import Database from 'better-sqlite3';

/** A business rule refused the change: order not offered, illegal state change, unknown id. */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
}

/** The database was written by a newer build. It is refused and left exactly as it is. */
export class StoreTooNewError extends Error {
  override name = 'StoreTooNewError';
  /** The database file, when known (always, from openDatabase). */
  readonly file: string | undefined;
  constructor(
    readonly fileVersion: number,
    readonly knownVersion: number,
    options?: { readonly file?: string; readonly advice?: string },
  ) {
    super(
      options?.file === undefined
        ? `database schema version ${fileVersion} is newer than this build knows (${knownVersion}); refusing to open it`
        : `database ${options.file} has schema version ${fileVersion}, newer than this build knows (${knownVersion}); ` +
            `it was refused and left unchanged.${options.advice ? ` ${options.advice}` : ''}`,
    );
    this.file = options?.file;
  }
}

/** SQLite reported SQLITE_CORRUPT* or SQLITE_NOTADB: the file is damaged or not a database. */
export class StoreCorruptError extends Error {
  override name = 'StoreCorruptError';
  /** The SQLite extended error code, e.g. `SQLITE_NOTADB` or `SQLITE_CORRUPT_INDEX`. */
  readonly code: string;
  /** The database file, when known. */
  readonly file: string | undefined;
  constructor(message: string, options?: { cause?: unknown; code?: string; file?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code ?? 'SQLITE_CORRUPT';
    this.file = options?.file;
  }
}

/** A stored row (or a value about to be stored) failed validation. Never silently returned. */
export class StoreDataError extends Error {
  override name = 'StoreDataError';
  constructor(
    message: string,
    readonly where: { table: string; key: string | number; column: string },
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

export function isCorruptionCode(code: string): boolean {
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_');
}

/**
 * Turn a SqliteError with a corruption code into StoreCorruptError naming `file` (and, if
 * given, what to do about it); anything else as it is.
 */
export function classifySqliteError(error: unknown, file: string, advice?: string): unknown {
  if (error instanceof Database.SqliteError && isCorruptionCode(error.code)) {
    return new StoreCorruptError(
      `database ${file} is corrupt or not a database (${error.code}: ${error.message})${advice ? `. ${advice}` : ''}`,
      { cause: error, code: error.code, file },
    );
  }
  return error;
}
