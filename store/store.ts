// The kiosk's SQLite store: the order cache, the delivery journal, the pickup outbox, the
// sync state and the maintenance data, each a small repository of its own over one
// database (WAL, synchronous=FULL: a committed step survives a power cut). This file
// opens the database and assembles them; every public operation is wrapped once here
// (SQLite corruption classified and logged, slow calls logged).
// Runs in Node only: no Electron, renderer or kiosk imports.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StoreCorruptError, classifySqliteError } from '../sqlite/errors.js';
import Database from 'better-sqlite3';
import { readUserVersion } from '../sqlite/migrate.js';
import { logCorrupt, openDatabase } from '../sqlite/open.js';
import { freeBytes, MIN_FREE_BYTES, refineFault, StoreFaultError, storeFaultOf, type StoreFault } from './faults.js';
import { DELIVERIES_SQL, deliveriesRepo, type DeliveriesRepo } from './deliveries-repo.js';
import { maintenanceRepo, type MaintenanceRepo } from './maintenance.js';
import { MIGRATIONS } from './migrations.js';
import { orderGuard } from './order-guard.js';
import { ORDERS_SQL, ordersRepo, type OrdersRepo } from './orders-repo.js';
import { OUTBOX_SQL, outboxRepo, type OutboxRepo } from './outbox-repo.js';
import type { RepoContext } from './rows.js';
import type { StoreLogger } from './schemas.js';
import { retentionRepo, type RetentionRepo } from './retention.js';
import { syncRepo, type SyncRepo } from './sync-repo.js';

export interface StoreOptions {
  /** The clock for every timestamp the store writes and for expiry checks. */
  now?: () => Date;
  logger?: StoreLogger;
  /**
   * Told of every storage fault an operation meets (disk full, read-only, corrupt, I/O),
   * before the error is thrown on: the kiosk goes out of service until `check` passes.
   */
  onFault?: (fault: StoreFault) => void;
}

/** What `Store.check` found: a fault, or none; and how long the integrity check took. */
export interface StoreCheck {
  readonly fault: StoreFault | null;
  readonly quickCheckMs: number;
}

/** The repositories over one database. */
export interface Repos {
  orders: OrdersRepo;
  deliveries: DeliveriesRepo;
  outbox: OutboxRepo;
  sync: SyncRepo;
  /** Technicians' PIN hashes, the audit log and persistent kiosk settings. */
  maintenance: MaintenanceRepo;
  /** Deletes delivered rows, acknowledged reports, old audit entries and receipt marks (store/retention.ts). */
  retention: RetentionRepo;
}

export interface Store extends Repos {
  readonly file: string;
  schemaVersion(): number;
  /**
   * Can the kiosk work with its database now? Free space beside it, `PRAGMA quick_check`,
   * and a small write that is committed. Never throws.
   */
  check(options?: { readonly integrity?: boolean }): StoreCheck;
  /** How long the integrity check at open took (of the connection open now). */
  readonly openCheckMs: number;
  /**
   * The file as it is on disk, not as this connection has it cached: a read-only connection
   * of its own runs `PRAGMA quick_check`. Never throws.
   */
  verifyOnDisk(): StoreCheck;
  /**
   * Let go of the file after `fault` (its connection closed: committed transactions in the
   * WAL go into the file where they can, and nothing holds it open), so that a technician
   * can restore, repair or remount it. Every operation fails with `fault` until `reopen`.
   */
  release(fault: StoreFault): void;
  /**
   * Open the file again with every check of a start (schema version, migrations,
   * quick_check, a committed write); on success every repository works on the new
   * connection. Never throws: a fault that remains is returned, the store still let go of.
   */
  reopen(): StoreCheck;
  close(): void;
}

/** An operation slower than this is logged as a warning. */
export const SLOW_OPERATION_MS = 100;

/** The statements whose plans the tests check. */
export const SQL = { ...ORDERS_SQL, ...DELIVERIES_SQL, ...OUTBOX_SQL } as const;

/** What the kiosk's operator should do when kiosk.db cannot be opened (in the error message). */
export const STORE_ADVICE = {
  corrupt:
    'The kiosk cannot run without it. Keep the file for analysis and restore the latest backup of it; ' +
    'without a backup, move it aside and start again: the orders come back from the back office, but ' +
    'pickups it holds that were not yet reported are then lost (the back office still shows them pending).',
  tooNew:
    'This software is older than the one that last used the database (a downgrade?): install that ' +
    'version or a newer one again. Do not delete the file: it holds the delivery journal and unreported pickups.',
} as const;

const silentLogger: StoreLogger = { warn() {}, error() {}, info() {} };

type Repo = { [key: string]: unknown };

/**
 * `PRAGMA quick_check` (b-tree structure and page integrity, not index contents: linear in
 * the file's size); throws StoreCorruptError naming the file unless it says ok. Returns ms.
 */
function integrityCheck(db: Database.Database, file: string): number {
  const started = performance.now();
  let rows: string[];
  try {
    rows = (db.pragma('quick_check(20)') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (error) {
    throw classifySqliteError(error, file, `It was left unchanged. ${STORE_ADVICE.corrupt}`);
  }
  if (rows.length !== 1 || rows[0] !== 'ok') {
    throw new StoreCorruptError(
      `database ${file} is corrupt: PRAGMA quick_check found ${rows.length} problem(s), first: ${rows[0] ?? '?'}. ` +
        `It was left unchanged. ${STORE_ADVICE.corrupt}`,
      { code: 'SQLITE_CORRUPT', file },
    );
  }
  return Math.round((performance.now() - started) * 10) / 10;
}

/** One open connection to the file and the repositories over it (a reopen makes another). */
interface Connection {
  readonly db: Database.Database;
  readonly openCheckMs: number;
  readonly repos: Repos;
  readonly probe: Database.Statement<[string]>;
}


/** The function at `path` in the current connection's repositories. */
function lookup(repos: Repos, path: readonly string[]): (...args: unknown[]) => unknown {
  let node: unknown = repos;
  for (const key of path) node = (node as Repo)[key];
  return node as (...args: unknown[]) => unknown;
}

export function openStore(file: string, options: StoreOptions = {}): Store {
  const clock = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;

  function stamp(): string {
    const d = clock();
    if (Number.isNaN(d.getTime())) throw new Error('store: the injected clock returned an invalid date');
    return d.toISOString();
  }

  /** Opens the file with every check of a start: version, migrations, quick_check. Throws. */
  function connect(): Connection {
    const { db } = openDatabase(file, { migrations: MIGRATIONS, logger, what: 'store', advice: STORE_ADVICE });
    // A damaged page is found now, not by the first traveller whose order lies on it.
    let openCheckMs: number;
    try {
      openCheckMs = integrityCheck(db, file);
    } catch (error) {
      db.close();
      throw logCorrupt(error, file, logger, 'store');
    }
    logger.info({ file, ms: openCheckMs }, 'store: integrity check at open passed');
    const ctx: RepoContext = { db, stamp, logger };
    const guard = orderGuard(ctx);
    guard.forgetClearCodes(logger);
    const outbox = outboxRepo(ctx);
    const probe = db.prepare<[string]>(
      `INSERT INTO kiosk_settings (key, value) VALUES ('storeProbe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    const repos: Repos = {
      orders: ordersRepo(ctx, guard),
      deliveries: deliveriesRepo(ctx, { guard, outbox: outbox.queue }),
      outbox: outbox.repo,
      sync: syncRepo(ctx, guard),
      maintenance: maintenanceRepo(db, stamp),
      retention: retentionRepo(db),
    };
    return { db, openCheckMs, repos, probe };
  }

  let current: Connection | null = connect();
  const shape = current.repos;
  /** While released: the fault it was let go for (operations fail with it, unlogged). */
  let releasedFor: StoreFault = { code: 'storeUnavailable', detail: { kind: 'unexpected' }, message: 'the database was closed' };

  function live(): Connection {
    if (current) return current;
    throw new StoreFaultError(releasedFor, file);
  }

  /** Wrap a public operation: classify SQLite corruption, log slow calls. */
  function op<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      // Let go of after a fault: no new log line or report for each caller.
      if (!current) throw new StoreFaultError(releasedFor, file);
      const started = performance.now();
      try {
        return fn(...args);
      } catch (error) {
        const classified = logCorrupt(classifySqliteError(error, file), file, logger, 'store');
        const fault = storeFaultOf(classified);
        if (fault) {
          const seen = refineFault(fault, file);
          logger.error({ file, op: name, fault: seen.code, detail: seen.message }, 'store: storage fault');
          options.onFault?.(seen);
        }
        throw classified;
      } finally {
        const ms = performance.now() - started;
        if (ms > SLOW_OPERATION_MS) logger.warn({ op: name, ms: Math.round(ms) }, 'store: slow operation');
      }
    };
  }

  /**
   * Every function of a repository (and of its nested groups) wrapped by `op`, calling the
   * function of the same name on the connection open at the time of the call: whoever holds
   * the store (or one of its repositories) follows a reopen.
   */
  function wrap<T extends object>(path: readonly string[], repo: T): T {
    const wrapped: Repo = {};
    for (const [key, value] of Object.entries(repo)) {
      const at = [...path, key];
      wrapped[key] =
        typeof value === 'function'
          ? op(at.join('.'), (...args: unknown[]) => lookup(live().repos, at)(...args))
          : typeof value === 'object' && value !== null
            ? wrap(at, value)
            : value;
    }
    return wrapped as T;
  }

  function checkOn(connection: Connection, integrity: boolean): StoreCheck {
    let quickCheckMs = 0;
    try {
      const free = freeBytes(dirname(file));
      if (free !== null && free < MIN_FREE_BYTES) {
        return {
          fault: {
            code: 'storeFull',
            detail: { kind: 'freeSpace', freeBytes: free, neededBytes: MIN_FREE_BYTES },
            message: `${free} bytes free beside the database (at least ${MIN_FREE_BYTES} needed)`,
          },
          quickCheckMs,
        };
      }
      if (integrity) quickCheckMs = integrityCheck(connection.db, file);
      connection.probe.run(stamp());
      return { fault: null, quickCheckMs };
    } catch (error) {
      return { fault: faultFrom(error), quickCheckMs };
    }
  }

  function faultFrom(error: unknown): StoreFault {
    const fault = storeFaultOf(classifySqliteError(error, file)) ?? { code: 'storeUnavailable' as const, detail: { kind: 'unexpected' as const }, message: String(error).slice(0, 200) };
    return refineFault(fault, file);
  }

  function closeConnection(connection: Connection, optimize: boolean): void {
    if (!connection.db.open) return;
    if (optimize) {
      try {
        connection.db.pragma('optimize');
      } catch (error) {
        logger.warn({ file, err: String(error) }, 'store: PRAGMA optimize failed on close');
      }
    }
    try {
      connection.db.close();
    } catch (error) {
      logger.warn({ file, err: String(error) }, 'store: the database did not close cleanly');
    }
  }

  return {
    file,
    get openCheckMs() {
      return current?.openCheckMs ?? 0;
    },
    check({ integrity = true } = {}) {
      return current ? checkOn(current, integrity) : { fault: releasedFor, quickCheckMs: 0 };
    },
    verifyOnDisk() {
      const started = performance.now();
      let db: Database.Database | null = null;
      try {
        db = new Database(file, { readonly: true, fileMustExist: true });
        const rows = (db.pragma('quick_check(1)') as { quick_check: string }[]).map((r) => r.quick_check);
        const quickCheckMs = Math.round((performance.now() - started) * 10) / 10;
        if (rows.length === 1 && rows[0] === 'ok') return { fault: null, quickCheckMs };
        return { fault: { code: 'storeCorrupt', detail: { kind: 'integrity' }, message: `quick_check: ${(rows[0] ?? '?').slice(0, 200)}` }, quickCheckMs };
      } catch (error) {
        return { fault: faultFrom(error), quickCheckMs: Math.round((performance.now() - started) * 10) / 10 };
      } finally {
        db?.close();
      }
    },
    release(fault) {
      releasedFor = fault;
      const connection = current;
      current = null;
      if (connection) {
        closeConnection(connection, false);
        logger.warn({ file, fault: fault.code }, 'store: the database was let go of until it can be used again');
      }
    },
    reopen() {
      if (current) {
        closeConnection(current, false);
        current = null;
      }
      // A file that is gone (a data disk not mounted, a restore half done) is not made anew
      // here: an empty database would bring the kiosk back without its journal and outbox.
      if (!existsSync(file)) {
        releasedFor = { code: 'storeUnavailable', detail: { kind: 'fileGone' }, message: 'ENOENT: the database file is not there' };
        return { fault: releasedFor, quickCheckMs: 0 };
      }
      let next: Connection;
      try {
        next = connect();
      } catch (error) {
        releasedFor = faultFrom(error);
        return { fault: releasedFor, quickCheckMs: 0 };
      }
      const result = checkOn(next, false);
      if (result.fault) {
        closeConnection(next, false);
        releasedFor = result.fault;
        return result;
      }
      current = next;
      logger.info({ file, ms: next.openCheckMs }, 'store: the database was opened again');
      return { fault: null, quickCheckMs: next.openCheckMs };
    },
    schemaVersion: op('schemaVersion', () => readUserVersion(live().db)),
    close() {
      const connection = current;
      current = null;
      if (connection) closeConnection(connection, true);
    },
    orders: wrap(['orders'], shape.orders),
    deliveries: wrap(['deliveries'], shape.deliveries),
    outbox: wrap(['outbox'], shape.outbox),
    sync: wrap(['sync'], shape.sync),
    maintenance: wrap(['maintenance'], shape.maintenance),
    retention: wrap(['retention'], shape.retention),
  };
}
