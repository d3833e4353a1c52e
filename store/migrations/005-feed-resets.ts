// Kiosk store migration 5: the log of feed resets. The kiosk keeps the back office's epoch
// and an anchor (the last order it applied) next to its cursor in sync_state; when the
// back office turns out to be another database (epoch), or its feed went back in time (a
// head below the cursor, an anchor it no longer has), the kiosk starts the feed over from
// cursor 0 and records why here. Deliveries and the outbox are never touched by a reset.
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 5,
  name: 'feed resets',
  up(db) {
    db.exec(`
      CREATE TABLE feed_resets (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        reason      TEXT NOT NULL CHECK (reason IN ('epoch', 'rewound', 'anchor', 'legacy')),
        old_epoch   TEXT,
        new_epoch   TEXT NOT NULL,
        old_cursor  TEXT,
        head        TEXT NOT NULL
      ) STRICT;
    `);
  },
};
