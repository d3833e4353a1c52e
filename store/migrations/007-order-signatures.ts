// Kiosk store migration 7: the back office's signature of each order from the feed
// (protocol/kiosk-api.ts, orderSignedText). The sync client checks it before the order is
// stored; the delivery checks it again before the card is written, so an order put into
// this database by anything but the signed feed is never written to a card. Orders cached
// before have none: a kiosk that checks signatures offers them again once the feed (read
// again from 0 after the back office's upgrade) brings them signed.
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 7,
  name: 'order signatures',
  up(db) {
    db.exec(`ALTER TABLE orders ADD COLUMN signature TEXT;`);
  },
};
