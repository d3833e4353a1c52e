// Test support for the store: real files in a fresh temp dir, a settable clock, a logger spy.
import Database from 'better-sqlite3';
import { useTempDb } from '../sqlite/test-helpers.js';
import { openStore, type Store, type StoreOptions } from './store.js';

export { spyLogger, type LogEntry } from '../sqlite/test-helpers.js';

export interface TempFiles {
  readonly dir: string;
  /** A path inside the temp dir. */
  path(name?: string): string;
  /** openStore on a file in the temp dir; closed automatically after the test. */
  open(name?: string, options?: StoreOptions): Store;
  /** A raw better-sqlite3 connection, closed automatically after the test. */
  raw(name?: string, options?: Database.Options): Database.Database;
}

/** Registers beforeEach/afterEach: every test gets its own directory, removed afterwards. */
export function useTempFiles(): TempFiles {
  const temp = useTempDb();
  const path = (name = 'kiosk.db') => temp.path(name);
  return {
    get dir() {
      return temp.dir;
    },
    path,
    open(name, options) {
      const store = openStore(path(name), options);
      temp.onCleanup(() => store.close());
      return store;
    },
    raw(name, options) {
      const db = new Database(path(name), options);
      temp.onCleanup(() => db.close());
      return db;
    },
  };
}

export interface TestClock {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
  iso(): string;
}

export function testClock(start = '2025-03-01T09:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set(iso) {
      t = Date.parse(iso);
    },
    advance(ms) {
      t += ms;
    },
    iso: () => new Date(t).toISOString(),
  };
}

export const CARD = '3528 0000 0000 0001';
export const OTHER_CARD = '3528 0000 0000 0002';
export const UID = '04A1B2C3D4E5F6';
/** A sealed kaartservicecode as the cache keeps it (its content is what tests look for). */
export const SECRET_CODE = `ksc1.${Buffer.from('KSC-7Q4M-9XZ2 sealed to its card').toString('base64url')}`;
/** A well-formed sealed code standing for `label` (store tests do not open it). */
export const sealedFixture = (label: string): string => `ksc1.${Buffer.from(label.padEnd(30, '.')).toString('base64url')}`;
