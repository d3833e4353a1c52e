// Back office migration 3: a serial number per card for every order (1, 2, 3, ... for each
// card number), the number the card's ledger records (docs/card-layout.md). A counter per
// card hands them out; the orders already in the database get theirs here, per card in
// the order they were placed (by created_at, then feed sequence).
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 3,
  name: 'per-card order serials',
  up(db) {
    db.exec(`
      -- The last serial handed out for each card.
      CREATE TABLE card_counters (card_number TEXT PRIMARY KEY NOT NULL, last_serial INTEGER NOT NULL) STRICT;

      ALTER TABLE orders ADD COLUMN serial INTEGER;
      UPDATE orders SET serial = (
        SELECT count(*) FROM orders AS o
        WHERE o.card_number = orders.card_number
          AND (o.created_at < orders.created_at OR (o.created_at = orders.created_at AND o.seq <= orders.seq))
      );
      CREATE UNIQUE INDEX orders_card_serial ON orders (card_number, serial);

      INSERT INTO card_counters (card_number, last_serial)
        SELECT card_number, max(serial) FROM orders GROUP BY card_number;
    `);
  },
};
