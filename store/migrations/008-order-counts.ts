// Kiosk store migration 8: how many cached orders there are in each status, kept up to date
// by triggers in the same transaction as the change, so `/health` and the technician's
// status page read four rows instead of counting the orders table (200–231 ms at 1 M orders,
// with the event loop blocked: a card tap waited). Filled from the orders already cached.
// Shipped: never edit it; add the next file (store/migrations.ts lists them in order).
import type { Migration } from '../../sqlite/migrate.js';

export const migration: Migration = {
  version: 8,
  name: 'order counts',
  up(db) {
    db.exec(`
      CREATE TABLE order_counts (
        status TEXT PRIMARY KEY CHECK (status IN ('pending', 'delivered', 'cancelled', 'expired')),
        n      INTEGER NOT NULL CHECK (n >= 0)
      );
      INSERT INTO order_counts (status, n) VALUES ('pending', 0), ('delivered', 0), ('cancelled', 0), ('expired', 0);
      UPDATE order_counts SET n = (SELECT count(*) FROM orders WHERE orders.status = order_counts.status);

      CREATE TRIGGER order_counts_insert AFTER INSERT ON orders BEGIN
        UPDATE order_counts SET n = n + 1 WHERE status = NEW.status;
      END;
      CREATE TRIGGER order_counts_delete AFTER DELETE ON orders BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status;
      END;
      CREATE TRIGGER order_counts_update AFTER UPDATE OF status ON orders WHEN NEW.status IS NOT OLD.status BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status;
        UPDATE order_counts SET n = n + 1 WHERE status = NEW.status;
      END;
    `);
  },
};
