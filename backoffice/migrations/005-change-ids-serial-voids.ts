// Back office migration 5: a random id for every change of the feed, and serial voids.
// - feed_log: one row per change (its sequence number and a random id). A kiosk names the
//   change at its cursor by that id (the anchor); a database restored from a backup or
//   replaced does not have it, however its sequence numbers line up (docs/sync-protocol.md).
//   The changes already in the database get their ids here.
// - Serial generations: when the back office cannot vouch that its per-card counters are
//   the latest (restored from a backup, another database at its path, a kiosk naming a
//   change it lacks), it opens a new generation; each card's next serial then skips a gap
//   of serials that may have been handed out and lost, and the order after the gap tells
//   the kiosks which serials are void (docs/card-layout.md, "Serials after a restore").
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 5,
  name: 'change ids and serial voids',
  up(db) {
    db.exec(`
      CREATE TABLE feed_log (
        seq       INTEGER PRIMARY KEY NOT NULL,
        change_id TEXT NOT NULL UNIQUE
      ) STRICT;
      INSERT INTO feed_log (seq, change_id) SELECT seq, lower(hex(randomblob(12))) FROM orders;

      -- The generation a card's counter was last advanced in (0: the database's first).
      ALTER TABLE card_counters ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
      -- On the first order of a card after a gap: the serials skipped (void), inclusive.
      ALTER TABLE orders ADD COLUMN void_from INTEGER;
      ALTER TABLE orders ADD COLUMN void_to INTEGER;

      INSERT INTO backoffice_meta (key, value) VALUES ('serial_generation', '0');
    `);
  },
};
