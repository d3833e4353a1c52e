// Back office migration 4: the database's epoch, a random id made once when the database
// is created (or first migrated to this version). Every changes page and live event carries
// it; a kiosk that sees another epoch than its cursor's resyncs from 0 (docs/sync-protocol.md).
// A restored backup keeps its epoch; the kiosks notice it by the head and the anchor instead.
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import { randomBytes } from 'node:crypto';
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 4,
  name: 'feed epoch',
  up(db) {
    db.exec(`
      -- Facts about this database itself; 'epoch' never changes once made.
      CREATE TABLE backoffice_meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `);
    db.prepare(`INSERT INTO backoffice_meta (key, value) VALUES ('epoch', ?)`).run(randomBytes(16).toString('base64url'));
  },
};
