// Kiosk store migration 9: the version of the back office's change whose signature is kept
// (protocol/kiosk-api.ts, orderSignedText: the back office now signs every change with its
// version and status). The delivery checks the signature again before the card is written,
// and needs the version it was made over. The signatures kept so far are of the text of
// before, so the feed is read again from 0: the back office sends every order once more,
// signed anew (no order is lost or offered meanwhile that was not signed).
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 9,
  name: 'signed versions',
  up(db) {
    db.exec(`
      ALTER TABLE orders ADD COLUMN signed_version INTEGER;
      UPDATE sync_state SET value = '0' WHERE key = 'cursor';
      DELETE FROM sync_state WHERE key = 'anchor';
    `);
  },
};
