// Back office migration 9: the operator console (backoffice/console/): operator accounts
// (scrypt password hashes), their sessions (only a hash of each session id is kept),
// what operators resolved (a conflict or a quarantined pickup, with a note) and what
// they did (the console's own audit log, beside the kiosks' kiosk_audit).
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 9,
  name: 'operator console',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        name        TEXT PRIMARY KEY,
        salt        TEXT NOT NULL,
        hash        TEXT NOT NULL,
        params      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        disabled_at TEXT
      ) STRICT;
      -- id_hash: SHA-256 of the session id (the cookie carries the id, signed).
      CREATE TABLE operator_sessions (
        id_hash     TEXT PRIMARY KEY,
        data        TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX operator_sessions_expiry ON operator_sessions (expires_at);
      -- subject: 'order:<id>' or 'pickup:<delivery id>'; conflict: the text resolved (a
      -- conflict that grows afterwards is open again).
      CREATE TABLE conflict_resolutions (
        subject     TEXT NOT NULL,
        conflict    TEXT NOT NULL,
        resolved_at TEXT NOT NULL,
        operator    TEXT NOT NULL,
        note        TEXT NOT NULL,
        PRIMARY KEY (subject, conflict)
      ) STRICT;
      CREATE TABLE operator_audit (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        operator    TEXT NOT NULL,
        action      TEXT NOT NULL,
        subject     TEXT,
        detail      TEXT
      ) STRICT;
    `);
  },
};
