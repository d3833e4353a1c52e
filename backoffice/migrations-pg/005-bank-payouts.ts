// PostgreSQL migration 5: refunds paid to the bank, as the SQLite file's migration 13 — the
// account's bank account, a claim's payout (`payout_account`, `payout_id`) and the payout
// instructions for the finance system (one per claim, made under the feed lock like every
// claim; the IBAN cleared once paid).
// Shipped: never edit it; add the next file (backoffice/migrations-pg.ts lists them in order).
import type { PgMigration } from '../pg-migrate.js';

export const migration: PgMigration = {
  version: 5,
  name: 'bank payouts',
  async up(client) {
    await client.query(`
      CREATE TABLE bank_accounts (
        account_id text PRIMARY KEY,
        iban       text NOT NULL,
        holder     text NOT NULL,
        updated_at text NOT NULL
      );
      ALTER TABLE claims ADD COLUMN payout_account text;
      ALTER TABLE claims ADD COLUMN payout_id text;
      CREATE TABLE payouts (
        seq          bigserial PRIMARY KEY,
        id           text NOT NULL UNIQUE,
        account_id   text NOT NULL,
        card_number  text NOT NULL,
        journey_id   text NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('delay', 'forgottenCheckOut')),
        amount_cents integer NOT NULL CHECK (amount_cents > 0),
        iban         text,
        holder       text,
        iban_last4   text NOT NULL,
        status       text NOT NULL CHECK (status IN ('pending', 'paid')),
        created_at   text NOT NULL,
        paid_at      text,
        UNIQUE (card_number, journey_id, kind),
        CHECK ((status = 'pending') = (iban IS NOT NULL AND holder IS NOT NULL))
      );
      CREATE INDEX payouts_by_status ON payouts (status, seq);
    `);
  },
};
