// Back office migration 2: the kiosks' maintenance audit logs, one row per (kiosk, local
// id) so that a batch sent again is recorded once.
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 2,
  name: "kiosks' maintenance audit logs",
  up(db) {
    db.exec(`
      -- What technicians did at each kiosk; (kiosk, local id) makes a re-sent entry a no-op.
      CREATE TABLE kiosk_audit (
        kiosk_id     TEXT NOT NULL REFERENCES kiosks (id),
        local_id     INTEGER NOT NULL,
        at           TEXT NOT NULL,
        actor        TEXT NOT NULL,
        action       TEXT NOT NULL,
        detail       TEXT,
        received_at  TEXT NOT NULL,
        PRIMARY KEY (kiosk_id, local_id)
      ) STRICT;
      CREATE INDEX kiosk_audit_at ON kiosk_audit (at);
    `);
  },
};
