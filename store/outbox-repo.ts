// The pickup outbox: one report per written delivery, pushed to the back office until it
// is acknowledged. A report is queued in the same transaction that records the delivery
// as written (deliveries-repo.ts); its acknowledgement marks the delivery reported.
import { pickupReportSchema } from '../protocol/kiosk-api.js';
import { StoreConflictError } from '../sqlite/errors.js';
import { toOutboxItem, type DeliveryRow, type OutboxRow, type RepoContext } from './rows.js';
import type { OutboxItem, PickupReport } from './schemas.js';

export interface OutboxRepo {
  /** not yet acknowledged, oldest first */
  pending(limit: number): OutboxItem[];
  recordAttempt(id: number): void;
  /** One transaction: outbox row acked; delivery -> reported. A duplicated ack is a no-op. */
  ack(deliveryId: string): void;
  depth(): number;
}

/** What the delivery journal needs of the outbox: queue a report inside its own transaction. */
export interface OutboxQueue {
  /** Queues the report of a delivery once; a second one for the same delivery is ignored. */
  enqueue(report: PickupReport, at: string): void;
}

/** The statements whose plans the tests check. */
export const OUTBOX_SQL = {
  outboxPending: `
    SELECT id, delivery_id, report, attempts, created_at FROM outbox
    WHERE acked_at IS NULL ORDER BY id LIMIT ?`,
} as const;

export function outboxRepo({ db, stamp }: RepoContext): { repo: OutboxRepo; queue: OutboxQueue } {
  const s = {
    insertOutbox: db.prepare<[string, string, string]>(
      `INSERT INTO outbox (delivery_id, report, attempts, created_at) VALUES (?, ?, 0, ?)
       ON CONFLICT (delivery_id) DO NOTHING`,
    ),
    outboxPending: db.prepare<[number], OutboxRow>(OUTBOX_SQL.outboxPending),
    outboxById: db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
    outboxByDelivery: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE delivery_id = ?'),
    recordAttempt: db.prepare<[string, number]>(
      `UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE id = ? AND acked_at IS NULL`,
    ),
    ackOutbox: db.prepare<[string, number]>(`UPDATE outbox SET acked_at = ? WHERE id = ? AND acked_at IS NULL`),
    outboxDepth: db.prepare<[], number>('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck(),
    deliveryState: db.prepare<[string], DeliveryRow['state']>('SELECT state FROM deliveries WHERE id = ?').pluck(),
    markReported: db.prepare<[string, string]>(
      `UPDATE deliveries SET state = 'reported', updated_at = ? WHERE id = ? AND state = 'written'`,
    ),
  };

  const ack = db.transaction((deliveryId: string): void => {
    const at = stamp();
    const row = s.outboxByDelivery.get(deliveryId);
    if (!row) throw new StoreConflictError(`no pickup report for delivery ${deliveryId}`);
    if (row.acked_at !== null) return; // duplicated ack
    s.ackOutbox.run(at, row.id);
    if (s.markReported.run(at, deliveryId).changes !== 1) {
      const state = s.deliveryState.get(deliveryId);
      if (state === undefined) throw new StoreConflictError(`delivery ${deliveryId} does not exist`);
      throw new StoreConflictError(`delivery ${deliveryId} cannot go from ${state} to reported`);
    }
  });

  return {
    queue: {
      enqueue(report, at) {
        const checked = pickupReportSchema.parse(report);
        s.insertOutbox.run(checked.deliveryId, JSON.stringify(checked), at);
      },
    },
    repo: {
      pending(limit) {
        if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`outbox.pending: bad limit ${limit}`);
        return s.outboxPending.all(limit).map(toOutboxItem);
      },
      recordAttempt(id) {
        if (s.recordAttempt.run(stamp(), id).changes === 1) return;
        if (!s.outboxById.get(id)) throw new StoreConflictError(`outbox item ${id} does not exist`);
        // already acknowledged: an attempt racing the ack changes nothing
      },
      ack: (deliveryId) => ack.immediate(deliveryId),
      depth: () => s.outboxDepth.get() ?? 0,
    },
  };
}
