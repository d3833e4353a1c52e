// PostgreSQL migration 2: the operator console (backoffice/console/), as the SQLite file has
// it after its migration 9: operator accounts (scrypt password hashes), their sessions (only
// a hash of each session id is kept), what operators resolved (a conflict or a quarantined
// pickup, with a note) and what they did (the console's own audit log, beside kiosk_audit).
// Times are ISO-8601 UTC text, as in SQLite. Shared by every instance on the database, so a
// session opened through one instance is good at another behind the same balancer.
// Shipped: never edit it; add the next file (backoffice/migrations-pg.ts lists them in order).
import type { PgMigration } from '../pg-migrate.js';

export const migration: PgMigration = {
  version: 2,
  name: 'operator console',
  async up(client) {
    await client.query(`
      CREATE TABLE operators (
        name        text PRIMARY KEY,
        salt        text NOT NULL,
        hash        text NOT NULL,
        params      jsonb NOT NULL,
        created_at  text NOT NULL,
        disabled_at text
      );
      -- id_hash: SHA-256 of the session id (the cookie carries the id, signed).
      CREATE TABLE operator_sessions (
        id_hash     text PRIMARY KEY,
        data        text NOT NULL,
        expires_at  text NOT NULL
      );
      CREATE INDEX operator_sessions_expiry ON operator_sessions (expires_at);
      -- subject: 'order:<id>' or 'pickup:<delivery id>'; conflict: the text resolved (a
      -- conflict that grows afterwards is open again).
      CREATE TABLE conflict_resolutions (
        subject     text NOT NULL,
        conflict    text NOT NULL,
        resolved_at text NOT NULL,
        operator    text NOT NULL,
        note        text NOT NULL,
        PRIMARY KEY (subject, conflict)
      );
      CREATE TABLE operator_audit (
        seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          text NOT NULL,
        operator    text NOT NULL,
        action      text NOT NULL,
        subject     text,
        detail      text
      );
    `);
  },
};
