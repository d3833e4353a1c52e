// Retention: what the kiosk no longer needs is deleted after a documented period, so that
// kiosk.db stops growing with every pickup (docs/performance.md, "Database size").
//   - outbox rows: only once the back office acknowledged them, RETENTION_DAYS after that;
//   - deliveries: reported (or abandoned, not released by a technician) RETENTION_DAYS
//     before, and no outbox row left for them; their outcomes go with them;
//   - orders: delivered, cancelled or expired RETENTION_DAYS before, with no delivery left;
//   - the audit log: entries pushed to the back office RETENTION_DAYS before; entries never
//     pushed (a kiosk without a back office) after UNSYNCED_AUDIT_DAYS;
//   - receipt marks (print once, kiosk/receipts.ts): RETENTION_DAYS after their receipt. The
//     delivered screen that could ask for that receipt again is long gone by then (a code is
//     shown again for a day), so print-once holds for as long as it can be asked.
// Nothing still open is touched: a pending order, an attempt in flight, an unacknowledged
// report, an attempt a technician released (it waits for its card), an unpushed audit entry
// younger than a year. Freed pages are reused (secure_delete zeroes them).
import type Database from 'better-sqlite3';
import { RELEASED_BY_TECHNICIAN } from './deliveries-repo.js';
import { RECEIPT_MARK_PREFIX } from './maintenance.js';

export const RETENTION_DAYS = 90;
export const UNSYNCED_AUDIT_DAYS = 365;
const DAY_MS = 86_400_000;

export interface PruneResult {
  readonly outbox: number;
  readonly deliveries: number;
  readonly orders: number;
  readonly audit: number;
  readonly receipts: number;
}

/** Rows per table and call: a backlog is deleted in short transactions, not one long one. */
export const PRUNE_BATCH = 250;

export interface RetentionRepo {
  /**
   * Deletes what is older than the periods above, as of `now` (ISO), at most `limit` rows
   * of each table in one short transaction; call again while it deletes anything.
   */
  prune(now: string, limit?: number): PruneResult;
}

export function retentionRepo(db: Database.Database): RetentionRepo {
  const s = {
    outbox: db.prepare<[string, number]>(
      `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ? LIMIT ?)`,
    ),
    deliveries: db.prepare<[string, string, number]>(
      `DELETE FROM deliveries WHERE rowid IN (
         SELECT rowid FROM deliveries
         WHERE updated_at < ?
           AND (state = 'reported' OR (state = 'abandoned' AND failure <> ?))
           AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.delivery_id = deliveries.id)
         LIMIT ?)`,
    ),
    orders: db.prepare<[string, number]>(
      `DELETE FROM orders WHERE rowid IN (
         SELECT rowid FROM orders
         WHERE status IN ('delivered', 'cancelled', 'expired') AND updated_at < ?
           AND NOT EXISTS (SELECT 1 FROM deliveries WHERE deliveries.order_id = orders.id)
         LIMIT ?)`,
    ),
    audit: db.prepare<[string, string, number]>(
      `DELETE FROM audit_log WHERE id IN (
         SELECT id FROM audit_log WHERE (synced_at IS NOT NULL AND at < ?) OR (synced_at IS NULL AND at < ?) LIMIT ?)`,
    ),
    // A prefix GLOB searches the primary key's range: no other setting is looked at.
    receipts: db.prepare<[string, string, number]>(
      `DELETE FROM kiosk_settings WHERE key IN (
         SELECT key FROM kiosk_settings WHERE key GLOB ? AND value < ? LIMIT ?)`,
    ),
  };
  const prune = db.transaction((now: string, limit: number): PruneResult => {
    const nowMs = Date.parse(now);
    if (Number.isNaN(nowMs)) throw new RangeError(`retention: not a time: ${now}`);
    const before = new Date(nowMs - RETENTION_DAYS * DAY_MS).toISOString();
    const unsyncedBefore = new Date(nowMs - UNSYNCED_AUDIT_DAYS * DAY_MS).toISOString();
    const outbox = s.outbox.run(before, limit).changes;
    const deliveries = s.deliveries.run(before, RELEASED_BY_TECHNICIAN, limit).changes;
    const orders = s.orders.run(before, limit).changes;
    const audit = s.audit.run(before, unsyncedBefore, limit).changes;
    const receipts = s.receipts.run(`${RECEIPT_MARK_PREFIX}*`, before, limit).changes;
    return { outbox, deliveries, orders, audit, receipts };
  });
  return {
    prune: (now, limit = PRUNE_BATCH) => {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`retention: bad limit ${limit}`);
      return prune.immediate(now, limit);
    },
  };
}
