// Kiosk store migration 3: maintenance mode's data: technicians' PIN hashes (cached for
// offline use), the audit log of what technicians did, persistent kiosk settings.
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 3,
  name: 'maintenance: technician PIN hashes, audit log, kiosk settings',
  up(db) {
    db.exec(`
      CREATE TABLE technicians (
        technician_id TEXT PRIMARY KEY NOT NULL,
        card_number   TEXT UNIQUE,
        salt          TEXT NOT NULL,
        hash          TEXT NOT NULL,
        params        TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        detail    TEXT,
        synced_at TEXT
      ) STRICT;
      CREATE INDEX audit_log_unsynced ON audit_log(id) WHERE synced_at IS NULL;

      CREATE TABLE kiosk_settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
