// Back office migration 6: the back office's Ed25519 signature of every order it offers
// (protocol/kiosk-api.ts, orderSignedText), made when the order is placed and sent with it
// on the feed; kiosks verify it against the back office's pinned key. Orders placed before
// get theirs when the back office next opens the database (it holds the key; a migration
// does not).
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 6,
  name: 'order signatures',
  up(db) {
    db.exec(`ALTER TABLE orders ADD COLUMN signature TEXT;`);
  },
};
