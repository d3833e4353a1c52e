// PostgreSQL migration 3: Mijn NS (issue 14), as the SQLite file's migration 11: the e-mail
// outbox takes the two e-mails of a kaartservicecode requested online in the traveller's
// language; code_requests (each code's keyed hash, never the code), link_attempts,
// card_links, journeys, train_services (the operator's realised times) and claims (one per
// card, journey and kind: the primary key is what makes a claim once across instances).
// Shipped: never edit it; add the next file (backoffice/migrations-pg.ts lists them in order).
import type { PgMigration } from '../pg-migrate.js';

export const migration: PgMigration = {
  version: 3,
  name: 'mijn ns: code requests, card links, journeys, train services, claims',
  async up(client) {
    await client.query(`
      ALTER TABLE emails DROP CONSTRAINT IF EXISTS emails_template_check;
      ALTER TABLE emails ADD CONSTRAINT emails_template_check CHECK (template IN ('ready', 'picked-up', 'cancelled', 'code-requested', 'code-ready'));
      ALTER TABLE emails ADD COLUMN language text CHECK (language IS NULL OR language IN ('nl', 'en', 'de', 'fr'));

      CREATE TABLE code_requests (
        order_id      text PRIMARY KEY,
        card_number   text NOT NULL,
        email         text NOT NULL,
        language      text NOT NULL CHECK (language IN ('nl', 'en', 'de', 'fr')),
        code_hash     text NOT NULL,
        requested_at  text NOT NULL,
        used_at       text,
        account_id    text
      );
      CREATE INDEX code_requests_by_card ON code_requests (card_number, requested_at);

      CREATE TABLE link_attempts (card_number text PRIMARY KEY, failures integer NOT NULL, last_failure_at text NOT NULL);

      CREATE TABLE card_links (card_number text PRIMARY KEY, account_id text NOT NULL, linked_at text NOT NULL, order_id text NOT NULL);
      CREATE INDEX card_links_by_account ON card_links (account_id);

      CREATE TABLE journeys (
        card_number        text NOT NULL,
        journey_id         text NOT NULL,
        check_in_station   text NOT NULL,
        check_in_at        text NOT NULL,
        check_out_station  text,
        check_out_at       text,
        charged_cents      integer NOT NULL,
        recorded_at        text NOT NULL,
        PRIMARY KEY (card_number, journey_id)
      );

      CREATE TABLE train_services (
        service_id           text PRIMARY KEY,
        line                 text NOT NULL CHECK (line IN ('standard', 'highSpeed')),
        from_station         text NOT NULL,
        to_station           text NOT NULL,
        scheduled_departure  text NOT NULL,
        scheduled_arrival    text NOT NULL,
        actual_arrival       text NOT NULL,
        announced_in_advance boolean NOT NULL,
        force_majeure        boolean NOT NULL,
        other_carrier        boolean NOT NULL,
        updated_at           text NOT NULL
      );
      CREATE INDEX train_services_by_route ON train_services (from_station, to_station, scheduled_departure);

      CREATE TABLE claims (
        card_number    text NOT NULL,
        journey_id     text NOT NULL,
        kind           text NOT NULL CHECK (kind IN ('delay', 'forgottenCheckOut')),
        status         text NOT NULL CHECK (status IN ('waiting', 'granted', 'refused')),
        claimed_at     text NOT NULL,
        claimed_by     text NOT NULL,
        destination    text,
        decision_after text,
        decided_at     text,
        amount_cents   integer,
        reason         text,
        order_id       text,
        service_id     text,
        PRIMARY KEY (card_number, journey_id, kind)
      );
      CREATE INDEX claims_waiting ON claims (decision_after) WHERE status = 'waiting';
      CREATE INDEX claims_by_service ON claims (card_number, service_id) WHERE service_id IS NOT NULL;
    `);
  },
};
