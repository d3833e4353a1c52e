// What a storage error means for the kiosk: the disk is full, the database may not be
// written, it is damaged, it is from a newer build, or it cannot be reached at all. A
// fault keeps the kiosk out of service (kiosk/store-watch.ts) until a check passes again.
import { closeSync, openSync, rmSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { FaultCode, FaultDetail } from '../domain/index.js';
import { StoreCorruptError, StoreTooNewError } from '../sqlite/errors.js';

export interface StoreFault {
  readonly code: Extract<FaultCode, `store${string}`>;
  /** What is wrong, for the technician's line (codes and numbers; the catalogs word it). */
  readonly detail: FaultDetail;
  /** The SQLite or system error code and message, for the log only (no row data: SQLite's messages hold none). */
  readonly message: string;
}

/** The store opened, but its first check found a fault: the kiosk does not start on it. */
export class StoreFaultError extends Error {
  override name = 'StoreFaultError';
  constructor(
    readonly fault: StoreFault,
    readonly file: string,
  ) {
    super(`database ${file} cannot be used: ${fault.code} (${fault.message})`);
  }
}

/** Below this much free space beside the database, a check calls the disk full. */
export const MIN_FREE_BYTES = 256 * 1024;

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** The fault `error` stands for (looking through its causes), or null when it is not one. */
export function storeFaultOf(error: unknown): StoreFault | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StoreFaultError) return e.fault;
    if (e instanceof StoreTooNewError) {
      return {
        code: 'storeTooNew',
        detail: { kind: 'schemaVersion', fileVersion: e.fileVersion, knownVersion: e.knownVersion },
        message: `schema version ${e.fileVersion}, this build knows ${e.knownVersion}`,
      };
    }
    if (e instanceof StoreCorruptError) {
      return { code: 'storeCorrupt', detail: { kind: 'sqlite', sqliteCode: e.code }, message: `${e.code}: ${firstLine(e.cause instanceof Error ? e.cause.message : e.message)}` };
    }
    if (e instanceof Database.SqliteError) {
      const said = { detail: { kind: 'sqlite', sqliteCode: e.code } as const, message: `${e.code}: ${firstLine(e.message)}` };
      if (e.code === 'SQLITE_FULL') return { code: 'storeFull', ...said };
      if (e.code.startsWith('SQLITE_READONLY') || e.code === 'SQLITE_PERM' || e.code === 'SQLITE_AUTH') return { code: 'storeReadOnly', ...said };
      if (e.code.startsWith('SQLITE_IOERR') || e.code.startsWith('SQLITE_CANTOPEN')) return { code: 'storeUnavailable', ...said };
      return null;
    }
    const errno = (e as NodeJS.ErrnoException).code;
    const said = typeof errno === 'string' ? { detail: { kind: 'errno', errno } as const, message: firstLine(e.message) } : null;
    if (said && NO_SPACE.has(said.detail.errno)) return { code: 'storeFull', ...said };
    if (said && NOT_WRITABLE.has(said.detail.errno)) return { code: 'storeReadOnly', ...said };
  }
  return null;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 200);
}

/** Free bytes on the file system of `dir`, or null when it cannot be asked. */
export function freeBytes(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/**
 * SQLite says only "disk I/O error" when the file system under an open database went
 * read-only (ext4 `errors=remount-ro` after a disk error: `access` still says writable, a
 * new file is refused) or is full: a small file is made and removed beside the database,
 * and such a fault is called what it is. Any other fault is returned as it is.
 */
export function refineFault(fault: StoreFault, file: string): StoreFault {
  if (fault.code !== 'storeUnavailable') return fault;
  const probe = join(dirname(file), `.kiosk-write-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'w', 0o600));
    rmSync(probe, { force: true });
    return fault;
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (typeof errno !== 'string') return fault;
    const said = { detail: { kind: 'errno', errno } as const, message: `${errno}: a new file beside the database was refused (${fault.message})`.slice(0, 300) };
    if (errno === 'EROFS') return { code: 'storeReadOnly', ...said };
    if (NO_SPACE.has(errno)) return { code: 'storeFull', ...said };
    return fault;
  }
}
