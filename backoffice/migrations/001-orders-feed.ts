// Back office migration 1: the orders with their change sequence (the kiosks' changes
// feed), pickup reports keyed by delivery id, kiosks with hashed tokens, technicians' PIN
// hashes and the e-mail outbox.
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 1,
  name: 'orders feed, pickups, kiosks, technicians, e-mail outbox',
  up(db) {
    db.exec(`
      CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) STRICT;
      INSERT INTO counters VALUES ('seq', 0);

      CREATE TABLE orders (
        id            TEXT PRIMARY KEY NOT NULL,
        card_number   TEXT NOT NULL,
        email         TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('kaartservicecode', 'product', 'topup')),
        payload       TEXT NOT NULL CHECK (json_valid(payload)),
        status        TEXT NOT NULL CHECK (status IN ('pending', 'cancelled', 'expired', 'delivered')),
        created_at    TEXT NOT NULL,
        expires_at    TEXT,
        updated_at    TEXT NOT NULL,
        seq           INTEGER NOT NULL UNIQUE,
        picked_up_at  TEXT,
        picked_up_by  TEXT,
        delivery_id   TEXT,
        conflict      TEXT
      ) STRICT;
      CREATE INDEX orders_pending_by_expiry ON orders (expires_at) WHERE status = 'pending';
      CREATE INDEX orders_conflicts ON orders (updated_at) WHERE conflict IS NOT NULL;

      CREATE TABLE pickups (
        delivery_id   TEXT PRIMARY KEY NOT NULL,
        order_id      TEXT NOT NULL,
        kiosk_id      TEXT NOT NULL,
        card_number   TEXT NOT NULL,
        kind          TEXT NOT NULL,
        delivered_at  TEXT NOT NULL,
        received_at   TEXT NOT NULL,
        conflict      TEXT
      ) STRICT;
      CREATE INDEX pickups_by_order ON pickups (order_id);

      CREATE TABLE kiosks (
        id            TEXT PRIMARY KEY NOT NULL,
        name          TEXT NOT NULL,
        token_hash    TEXT NOT NULL UNIQUE,
        last_seen_at  TEXT,
        heartbeat     TEXT CHECK (heartbeat IS NULL OR json_valid(heartbeat))
      ) STRICT;

      CREATE TABLE technicians (
        id            TEXT PRIMARY KEY NOT NULL,
        card_number   TEXT NOT NULL UNIQUE,
        salt          TEXT NOT NULL,
        hash          TEXT NOT NULL,
        params        TEXT NOT NULL CHECK (json_valid(params))
      ) STRICT;

      CREATE TABLE emails (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id      TEXT NOT NULL,
        to_address    TEXT NOT NULL,
        template      TEXT NOT NULL CHECK (template IN ('ready', 'picked-up', 'cancelled')),
        created_at    TEXT NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        sent_at       TEXT
      ) STRICT;
      CREATE INDEX emails_unsent ON emails (id) WHERE sent_at IS NULL;
    `);
  },
};
