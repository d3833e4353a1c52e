// Kiosk store migration 1: the order cache, the delivery journal and the pickup outbox.
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
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
};
