// PostgreSQL migration 4: the fleet's count of PIN attempts per technician and its lock, as
// the SQLite file's migration 12 (backoffice/pin-lock.ts decides; rows are locked FOR UPDATE
// so that instances count every attempt once).
// Shipped: never edit it; add the next file (backoffice/migrations-pg.ts lists them in order).
import type { PgMigration } from '../pg-migrate.js';

export const migration: PgMigration = {
  version: 4,
  name: 'fleet PIN locks',
  async up(client) {
    await client.query(`
      CREATE TABLE technician_pin_locks (
        technician_id text PRIMARY KEY,
        attempts      integer NOT NULL,
        locks         integer NOT NULL,
        locked_until  text,
        updated_at    text NOT NULL
      );
    `);
  },
};
