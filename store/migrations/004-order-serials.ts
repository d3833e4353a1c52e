// Kiosk store migration 4: each cached order's serial on its card (what the card's ledger
// records, docs/card-layout.md) and the version of the back office's change last applied
// to it (an older change never overrides a newer one). Orders cached before have neither:
// the cursor is dropped so that the next pull reads the feed from the start and fills them
// in (applying a change twice changes nothing; deliveries and the outbox are kept).
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 4,
  name: 'order serials and remote versions',
  up(db) {
    db.exec(`
      ALTER TABLE orders ADD COLUMN serial INTEGER;
      ALTER TABLE orders ADD COLUMN remote_version INTEGER;
      CREATE INDEX orders_card_serial ON orders (card_number, serial);
      DELETE FROM sync_state WHERE key = 'cursor';
    `);
  },
};
