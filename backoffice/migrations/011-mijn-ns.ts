// Back office migration 11: Mijn NS (issue 14). The e-mail outbox takes the two e-mails of a
// kaartservicecode requested online ('code-requested', 'code-ready') in the traveller's
// language (emails.language; null: the older English texts), so the table is rebuilt with
// its wider CHECK, every row and id kept. New: code_requests (the order of each code
// requested online, with the code's keyed hash, never the code), link_attempts (wrong codes
// per card), card_links (card → account), journeys (each card's travel log as kiosks
// reported it), train_services (the operator's realised times) and claims (one per card,
// journey and kind; the train service it was judged on, so that a card claims a train once). The PostgreSQL engine has the same (backoffice/migrations-pg/003).
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 11,
  name: 'mijn ns: code requests, card links, journeys, train services, claims',
  up(db) {
    db.exec(`
      CREATE TABLE emails_v11 (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id      TEXT NOT NULL,
        to_address    TEXT NOT NULL,
        template      TEXT NOT NULL CHECK (template IN ('ready', 'picked-up', 'cancelled', 'code-requested', 'code-ready')),
        created_at    TEXT NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        sent_at       TEXT,
        claimed_by    TEXT,
        claimed_at    TEXT,
        language      TEXT CHECK (language IS NULL OR language IN ('nl', 'en', 'de', 'fr'))
      ) STRICT;
      INSERT INTO emails_v11 (id, order_id, to_address, template, created_at, attempts, last_error, sent_at, claimed_by, claimed_at)
        SELECT id, order_id, to_address, template, created_at, attempts, last_error, sent_at, claimed_by, claimed_at FROM emails;
      DROP TABLE emails;
      ALTER TABLE emails_v11 RENAME TO emails;
      CREATE INDEX emails_unsent ON emails (id) WHERE sent_at IS NULL;

      CREATE TABLE code_requests (
        order_id      TEXT PRIMARY KEY NOT NULL,
        card_number   TEXT NOT NULL,
        email         TEXT NOT NULL,
        language      TEXT NOT NULL CHECK (language IN ('nl', 'en', 'de', 'fr')),
        code_hash     TEXT NOT NULL,
        requested_at  TEXT NOT NULL,
        used_at       TEXT,
        account_id    TEXT
      ) STRICT;
      CREATE INDEX code_requests_by_card ON code_requests (card_number, requested_at);

      CREATE TABLE link_attempts (
        card_number     TEXT PRIMARY KEY NOT NULL,
        failures        INTEGER NOT NULL,
        last_failure_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE card_links (
        card_number   TEXT PRIMARY KEY NOT NULL,
        account_id    TEXT NOT NULL,
        linked_at     TEXT NOT NULL,
        order_id      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX card_links_by_account ON card_links (account_id);

      CREATE TABLE journeys (
        card_number        TEXT NOT NULL,
        journey_id         TEXT NOT NULL,
        check_in_station   TEXT NOT NULL,
        check_in_at        TEXT NOT NULL,
        check_out_station  TEXT,
        check_out_at       TEXT,
        charged_cents      INTEGER NOT NULL,
        recorded_at        TEXT NOT NULL,
        PRIMARY KEY (card_number, journey_id)
      ) STRICT;

      CREATE TABLE train_services (
        service_id           TEXT PRIMARY KEY NOT NULL,
        line                 TEXT NOT NULL CHECK (line IN ('standard', 'highSpeed')),
        from_station         TEXT NOT NULL,
        to_station           TEXT NOT NULL,
        scheduled_departure  TEXT NOT NULL,
        scheduled_arrival    TEXT NOT NULL,
        actual_arrival       TEXT NOT NULL,
        announced_in_advance INTEGER NOT NULL,
        force_majeure        INTEGER NOT NULL,
        other_carrier        INTEGER NOT NULL,
        updated_at           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX train_services_by_route ON train_services (from_station, to_station, scheduled_departure);

      CREATE TABLE claims (
        card_number    TEXT NOT NULL,
        journey_id     TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('delay', 'forgottenCheckOut')),
        status         TEXT NOT NULL CHECK (status IN ('waiting', 'granted', 'refused')),
        claimed_at     TEXT NOT NULL,
        claimed_by     TEXT NOT NULL,
        destination    TEXT,
        decision_after TEXT,
        decided_at     TEXT,
        amount_cents   INTEGER,
        reason         TEXT,
        order_id       TEXT,
        service_id     TEXT,
        PRIMARY KEY (card_number, journey_id, kind)
      ) STRICT;
      CREATE INDEX claims_waiting ON claims (decision_after) WHERE status = 'waiting';
      CREATE INDEX claims_by_service ON claims (card_number, service_id) WHERE service_id IS NOT NULL;
    `);
  },
};
