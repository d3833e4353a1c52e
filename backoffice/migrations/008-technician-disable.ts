// Back office migration 8: a technician can be disabled (`disable-technician`): the kiosks
// stop accepting their PIN with their next poll of the technician list; `enable-technician`
// undoes it. (`remove-technician` deletes the row.)
// Shipped: never edit it; add the next file (backoffice/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 8,
  name: 'technicians can be disabled',
  up(db) {
    db.exec(`ALTER TABLE technicians ADD COLUMN disabled_at TEXT;`);
  },
};
