// Kiosk store migration 2: sync with the back office: the feed's cursor, and the back
// office's verdict kept back while an order is being delivered.
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 2,
  name: 'sync with the back office: cursor and deferred remote status',
  up(db) {
    db.exec(`
      -- The back office's verdict on an order that had a delivery in progress when it
      -- arrived: applied when that delivery is abandoned, dropped when it is written
      -- (the card is the arbiter; the back office settles the conflict).
      ALTER TABLE orders ADD COLUMN remote_status TEXT
        CHECK (remote_status IS NULL OR remote_status IN ('cancelled', 'expired', 'delivered'));

      -- Small key/value state of the sync client; the cursor is written in the same
      -- transaction as the page it ends, so a pull resumes exactly where it stopped.
      CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
