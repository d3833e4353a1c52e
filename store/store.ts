// The kiosk's SQLite store: the order cache, the delivery journal, the pickup outbox, the
// sync state and the maintenance data, each a small repository of its own over one
// database (WAL, synchronous=FULL: a committed step survives a power cut). This file
// opens the database and assembles them; every public operation is wrapped once here
// (SQLite corruption classified and logged, slow calls logged).
// Runs in Node only: no Electron, renderer or kiosk imports.
import { performance } from 'node:perf_hooks';
import { classifySqliteError } from '../sqlite/errors.js';
import { readUserVersion } from '../sqlite/migrate.js';
import { logCorrupt, openDatabase } from '../sqlite/open.js';
import { DELIVERIES_SQL, deliveriesRepo, type DeliveriesRepo } from './deliveries-repo.js';
import { maintenanceRepo, type MaintenanceRepo } from './maintenance.js';
import { MIGRATIONS } from './migrations.js';
import { orderGuard } from './order-guard.js';
import { ORDERS_SQL, ordersRepo, type OrdersRepo } from './orders-repo.js';
import { OUTBOX_SQL, outboxRepo, type OutboxRepo } from './outbox-repo.js';
import type { RepoContext } from './rows.js';
import type { StoreLogger } from './schemas.js';
import { syncRepo, type SyncRepo } from './sync-repo.js';

export interface StoreOptions {
  /** The clock for every timestamp the store writes and for expiry checks. */
  now?: () => Date;
  logger?: StoreLogger;
}

export interface Store {
  readonly file: string;
  schemaVersion(): number;
  close(): void;
  orders: OrdersRepo;
  deliveries: DeliveriesRepo;
  outbox: OutboxRepo;
  sync: SyncRepo;
  /** Technicians' PIN hashes, the audit log and persistent kiosk settings. */
  maintenance: MaintenanceRepo;
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

export function openStore(file: string, options: StoreOptions = {}): Store {
  const clock = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const { db } = openDatabase(file, { migrations: MIGRATIONS, logger, what: 'store', advice: STORE_ADVICE });

  function stamp(): string {
    const d = clock();
    if (Number.isNaN(d.getTime())) throw new Error('store: the injected clock returned an invalid date');
    return d.toISOString();
  }

  /** Wrap a public operation: classify SQLite corruption, log slow calls. */
  function op<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const started = performance.now();
      try {
        return fn(...args);
      } catch (error) {
        throw logCorrupt(classifySqliteError(error, file), file, logger, 'store');
      } finally {
        const ms = performance.now() - started;
        if (ms > SLOW_OPERATION_MS) logger.warn({ op: name, ms: Math.round(ms) }, 'store: slow operation');
      }
    };
  }

  /** Every function of a repository (and of its nested groups) wrapped by `op`. */
  function wrap<T extends object>(name: string, repo: T): T {
    const wrapped: Repo = {};
    for (const [key, value] of Object.entries(repo)) {
      wrapped[key] =
        typeof value === 'function'
          ? op(`${name}.${key}`, value as (...args: unknown[]) => unknown)
          : typeof value === 'object' && value !== null
            ? wrap(`${name}.${key}`, value)
            : value;
    }
    return wrapped as T;
  }

  const ctx: RepoContext = { db, stamp, logger };
  const guard = orderGuard(ctx);
  guard.forgetClearCodes(logger);
  const outbox = outboxRepo(ctx);

  return {
    file,
    schemaVersion: op('schemaVersion', () => readUserVersion(db)),
    close() {
      if (!db.open) return;
      try {
        db.pragma('optimize');
      } catch (error) {
        logger.warn({ file, err: String(error) }, 'store: PRAGMA optimize failed on close');
      }
      db.close();
    },
    orders: wrap('orders', ordersRepo(ctx, guard)),
    deliveries: wrap('deliveries', deliveriesRepo(ctx, { guard, outbox: outbox.queue })),
    outbox: wrap('outbox', outbox.repo),
    sync: wrap('sync', syncRepo(ctx, guard)),
    maintenance: wrap('maintenance', maintenanceRepo(db, stamp)),
  };
}
