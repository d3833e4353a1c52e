// Back office migration 10: an e-mail of the outbox is claimed by the dispatcher that sends
// it (claimed_by, claimed_at), so that two dispatchers never send the same mail; a claim
// older than the reclaim timeout (a dispatcher that died) is taken over. The PostgreSQL
// engine has the same columns (backoffice/migrations-pg/).
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 10,
  name: 'e-mail claims',
  up(db) {
    db.exec(`
      ALTER TABLE emails ADD COLUMN claimed_by TEXT;
      ALTER TABLE emails ADD COLUMN claimed_at TEXT;
    `);
  },
};
