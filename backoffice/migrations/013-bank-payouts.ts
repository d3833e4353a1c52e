// Back office migration 13: refunds paid to the bank (issue 14). An account's bank account
// (`bank_accounts`: the IBAN validated, in electronic format), a claim's payout (`claims`:
// `payout_account` — the account whose bank account a granted claim is paid to, NULL onto
// the card; `payout_id` — its instruction), and the instructions for the operator's finance
// system (`payouts`: one per claim; the IBAN and holder copied while pending, cleared once
// paid, the last 4 characters kept). The PostgreSQL engine has the same (migrations-pg/005).
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 13,
  name: 'bank payouts',
  up(db) {
    db.exec(`
      CREATE TABLE bank_accounts (
        account_id TEXT PRIMARY KEY,
        iban       TEXT NOT NULL,
        holder     TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      ALTER TABLE claims ADD COLUMN payout_account TEXT;
      ALTER TABLE claims ADD COLUMN payout_id TEXT;
      CREATE TABLE payouts (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL UNIQUE,
        account_id   TEXT NOT NULL,
        card_number  TEXT NOT NULL,
        journey_id   TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('delay', 'forgottenCheckOut')),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        iban         TEXT,
        holder       TEXT,
        iban_last4   TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pending', 'paid')),
        created_at   TEXT NOT NULL,
        paid_at      TEXT,
        UNIQUE (card_number, journey_id, kind),
        CHECK ((status = 'pending') = (iban IS NOT NULL AND holder IS NOT NULL))
      ) STRICT;
      CREATE INDEX payouts_by_status ON payouts (status, seq);
    `);
  },
};
