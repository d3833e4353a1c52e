// Back office migration 12: the fleet's count of PIN attempts per technician and its lock
// (backoffice/pin-lock.ts): attempts since the last right PIN, locks in a row, locked until.
// The PostgreSQL engine has the same table (backoffice/migrations-pg/).
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 12,
  name: 'fleet PIN locks',
  up(db) {
    db.exec(`
      CREATE TABLE technician_pin_locks (
        technician_id TEXT PRIMARY KEY,
        attempts      INTEGER NOT NULL,
        locks         INTEGER NOT NULL,
        locked_until  TEXT,
        updated_at    TEXT NOT NULL
      );
    `);
  },
};
