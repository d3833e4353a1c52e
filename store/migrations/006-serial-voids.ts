// Kiosk store migration 6: serial voids, and anchors that name a change.
// - card_voids: serials of a card that the back office says it never handed out (skipped
//   after a restore; the feed's `voidSerials`). The card's ledger may count them as closed
//   and an order cached here with such a serial was lost with the restore. Emptied when the
//   feed starts over (the pages bring back the ones that still hold).
// - The anchor in sync_state was the last order applied; it is now the id of the change at
//   the cursor (docs/sync-protocol.md). An order id is no change id: it is dropped, and the
//   next page sets the new kind (no needless resync).
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 6,
  name: 'serial voids',
  up(db) {
    db.exec(`
      CREATE TABLE card_voids (
        card_number TEXT NOT NULL,
        -- the order whose (signed) change declared them
        order_id    TEXT NOT NULL,
        from_serial INTEGER NOT NULL CHECK (from_serial >= 1),
        to_serial   INTEGER NOT NULL CHECK (to_serial >= from_serial),
        PRIMARY KEY (card_number, from_serial)
      ) STRICT;
      DELETE FROM sync_state WHERE key = 'anchor';
    `);
  },
};
