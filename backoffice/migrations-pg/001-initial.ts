// PostgreSQL migration 1: the back office's schema as the SQLite file has it after its
// migration 9 (backoffice/migrations/), in PostgreSQL's types: the orders with their change
// sequence, the feed log (change ids, anchors), per-card serial counters with their
// generation, pickups, kiosks with hashed tokens, the kiosks' audit logs in order of
// arrival, technicians, the e-mail outbox with claims, and the database's epoch.
// Times are ISO-8601 UTC text, as in SQLite, so that both engines compare them alike.
// Shipped: never edit it; add the next file (backoffice/migrations-pg.ts lists them in order).
import { randomBytes } from 'node:crypto';
import type { PgMigration } from '../pg-migrate.js';

export const migration: PgMigration = {
  version: 1,
  name: 'orders feed, pickups, kiosks, audit, technicians, e-mail outbox',
  async up(client) {
    await client.query(`
      CREATE TABLE backoffice_meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
      INSERT INTO counters VALUES ('seq', 0);

      CREATE TABLE orders (
        id            text PRIMARY KEY,
        card_number   text NOT NULL,
        email         text NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('kaartservicecode', 'product', 'topup')),
        payload       jsonb NOT NULL,
        status        text NOT NULL CHECK (status IN ('pending', 'cancelled', 'expired', 'delivered')),
        created_at    text NOT NULL,
        expires_at    text,
        updated_at    text NOT NULL,
        seq           bigint NOT NULL UNIQUE,
        picked_up_at  text,
        picked_up_by  text,
        delivery_id   text,
        conflict      text,
        serial        integer NOT NULL,
        void_from     integer,
        void_to       integer,
        signature     text
      );
      CREATE UNIQUE INDEX orders_card_serial ON orders (card_number, serial);
      CREATE INDEX orders_pending_by_expiry ON orders (expires_at) WHERE status = 'pending';
      CREATE INDEX orders_conflicts ON orders (updated_at) WHERE conflict IS NOT NULL;

      CREATE TABLE feed_log (seq bigint PRIMARY KEY, change_id text NOT NULL UNIQUE);

      CREATE TABLE card_counters (
        card_number  text PRIMARY KEY,
        last_serial  integer NOT NULL,
        generation   integer NOT NULL DEFAULT 0
      );

      CREATE TABLE pickups (
        delivery_id   text PRIMARY KEY,
        order_id      text NOT NULL,
        kiosk_id      text NOT NULL,
        card_number   text NOT NULL,
        kind          text NOT NULL,
        delivered_at  text NOT NULL,
        received_at   text NOT NULL,
        conflict      text
      );
      CREATE INDEX pickups_by_order ON pickups (order_id);

      CREATE TABLE kiosks (
        id            text PRIMARY KEY,
        name          text NOT NULL,
        token_hash    text NOT NULL UNIQUE,
        last_seen_at  text,
        heartbeat     jsonb
      );

      CREATE TABLE kiosk_audit (
        arrival      bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        kiosk_id     text NOT NULL REFERENCES kiosks (id),
        local_id     bigint NOT NULL,
        at           text NOT NULL,
        actor        text NOT NULL,
        action       text NOT NULL,
        detail       text,
        received_at  text NOT NULL,
        actor_known  boolean NOT NULL,
        PRIMARY KEY (kiosk_id, local_id)
      );
      CREATE INDEX kiosk_audit_kiosk_arrival ON kiosk_audit (kiosk_id, arrival);

      CREATE TABLE technicians (
        id            text PRIMARY KEY,
        card_number   text NOT NULL UNIQUE,
        salt          text NOT NULL,
        hash          text NOT NULL,
        params        jsonb NOT NULL,
        disabled_at   text
      );

      CREATE TABLE emails (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id      text NOT NULL,
        to_address    text NOT NULL,
        template      text NOT NULL CHECK (template IN ('ready', 'picked-up', 'cancelled')),
        created_at    text NOT NULL,
        attempts      integer NOT NULL DEFAULT 0,
        last_error    text,
        sent_at       text,
        claimed_by    text,
        claimed_at    text
      );
      CREATE INDEX emails_unsent ON emails (id) WHERE sent_at IS NULL;
    `);
    await client.query(`INSERT INTO backoffice_meta (key, value) VALUES ('epoch', $1), ('serial_generation', '0')`, [
      randomBytes(16).toString('base64url'),
    ]);
  },
};
