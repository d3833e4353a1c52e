// The kiosk store's schema migrations, run by sqlite/migrate.ts. Never edit a shipped
// migration: add the next one.
import { MAINTENANCE_MIGRATION_SQL } from './maintenance.js';
import type { Migration } from '../sqlite/migrate.js';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'orders, deliveries and the pickup outbox',
    up(db) {
      db.exec(`
        CREATE TABLE orders (
          id          TEXT PRIMARY KEY NOT NULL,
          card_number TEXT NOT NULL,
          payload     TEXT NOT NULL CHECK (json_valid(payload)),
          status      TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'cancelled', 'expired')),
          created_at  TEXT NOT NULL,
          expires_at  TEXT,
          updated_at  TEXT NOT NULL
        ) STRICT;

        -- offeredForCard: card_number = ? AND status = 'pending' ORDER BY created_at, id
        CREATE INDEX orders_by_card_status_created ON orders (card_number, status, created_at, id);

        CREATE TABLE deliveries (
          id          TEXT PRIMARY KEY NOT NULL,
          order_id    TEXT NOT NULL REFERENCES orders (id),
          card_number TEXT NOT NULL,
          card_uid    TEXT NOT NULL,
          state       TEXT NOT NULL CHECK (state IN ('pending', 'writing', 'written', 'reported', 'abandoned')),
          outcome     TEXT CHECK (outcome IS NULL OR json_valid(outcome)),
          failure     TEXT,
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL,
          CHECK ((state IN ('written', 'reported')) = (outcome IS NOT NULL)),
          CHECK ((state = 'abandoned') = (failure IS NOT NULL))
        ) STRICT;

        CREATE INDEX deliveries_by_order ON deliveries (order_id);
        CREATE INDEX deliveries_by_card_state ON deliveries (card_number, state);
        -- An order has at most one unsettled delivery, whatever the code above does.
        CREATE UNIQUE INDEX deliveries_one_unsettled_per_order
          ON deliveries (order_id) WHERE state IN ('pending', 'writing');

        CREATE TABLE outbox (
          id              INTEGER PRIMARY KEY AUTOINCREMENT,
          delivery_id     TEXT NOT NULL UNIQUE REFERENCES deliveries (id),
          report          TEXT NOT NULL CHECK (json_valid(report)),
          attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
          created_at      TEXT NOT NULL,
          last_attempt_at TEXT,
          acked_at        TEXT
        ) STRICT;

        CREATE INDEX outbox_pending ON outbox (id) WHERE acked_at IS NULL;
      `);
    },
  },
  {
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
  },
  {
    version: 3,
    name: 'maintenance: technician PIN hashes, audit log, kiosk settings',
    up(db) {
      db.exec(MAINTENANCE_MIGRATION_SQL);
    },
  },
];

export type { Migration };
