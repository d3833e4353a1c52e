// Back office migration 7: the kiosks' audit log in order of arrival, and whether its actor
// is a technician the back office knows. A kiosk's clock (or a forged entry's date) no
// longer decides what the operator sees first; an entry whose actor is no known technician
// is kept, marked, for the operator to judge.
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 7,
  name: 'audit in order of arrival',
  up(db) {
    db.exec(`
      ALTER TABLE kiosk_audit ADD COLUMN actor_known INTEGER NOT NULL DEFAULT 1 CHECK (actor_known IN (0, 1));
      CREATE INDEX kiosk_audit_kiosk_arrival ON kiosk_audit (kiosk_id);
    `);
  },
};
