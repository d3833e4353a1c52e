// The delivery journal: every attempt to write an order to a card is journalled here
// before the card is touched (pending -> writing -> written -> reported, or -> abandoned).
// State changes are guarded in SQL (`UPDATE ... WHERE state IN (...)`) and checked
// through `changes`; completing queues the pickup report in the same transaction.
import Database from 'better-sqlite3';
import { z } from 'zod';
import { StoreConflictError } from '../sqlite/errors.js';
import type { OrderGuard } from './order-guard.js';
import type { OutboxQueue } from './outbox-repo.js';
import { checkInput, keyOf, toDelivery, toOrder, type DeliveryRow, type OrderRow, type RepoContext } from './rows.js';
import {
  deliveryOutcomeSchema,
  FORGOTTEN_CODE,
  type DeliveryRecord,
  type DeliveryState,
  type OrderPayload,
  type PickupReport,
  type StoredOutcome,
} from './schemas.js';

export { FORGOTTEN_CODE };

/**
 * The reason of an attempt a technician released without the card: nothing proves it was
 * not written, so the card decides the next time it is read (`releasedForCard`).
 */
export const RELEASED_BY_TECHNICIAN = 'released by a technician';
const RELEASED_NOT_ON_CARD = 'released by a technician; not on the card when it was read again';

export interface BeginDelivery {
  id: string;
  orderId: string;
  cardNumber: string;
  cardUid: string;
}

export interface DeliveriesRepo {
  /** One transaction: the order must be pending and offered, and have no unsettled delivery; else StoreConflictError. */
  begin(input: BeginDelivery): DeliveryRecord;
  /** pending|writing -> writing */
  markWriting(id: string): DeliveryRecord;
  /**
   * One transaction: delivery pending|writing -> written with outcome; order -> delivered;
   * the outbox gets the PickupReport. Idempotent if already written/reported. From
   * pending too, because the card is the arbiter: an order found in the card's journal is
   * delivered even if this attempt never reached 'writing'.
   */
  complete(id: string, outcome: StoredOutcome): DeliveryRecord;
  /**
   * pending|writing -> abandoned with a reason; the order is offered again, unless the back
   * office's verdict waited for this attempt (then it applies, under order-guard.ts's rule).
   */
  abandon(id: string, reason: string): DeliveryRecord;
  get(id: string): DeliveryRecord | undefined;
  /** Every delivery of an order, in any state, oldest first. */
  forOrder(orderId: string): DeliveryRecord[];
  /** state pending|writing, oldest first */
  unsettledForCard(cardNumber: string): DeliveryRecord[];
  unsettledCount(): number;
  /**
   * Attempts released by a technician whose card has not spoken yet: abandoned with
   * RELEASED_BY_TECHNICIAN, their order not delivered (here or, as far as sync knows,
   * elsewhere) and with no other delivery in progress. Oldest first.
   */
  releasedForCard(cardNumber: string): DeliveryRecord[];
  /**
   * The card shows a released attempt's order applied: as `complete` (written, order
   * delivered whatever the back office said meanwhile, pickup report queued), from abandoned.
   */
  confirmReleased(id: string, outcome: StoredOutcome): DeliveryRecord;
  /** The card shows a released attempt's order not applied: it is no longer a candidate. */
  closeReleased(id: string): DeliveryRecord;
  /**
   * Forgets the kaartservicecodes nobody can need any more, in one transaction: of orders
   * cancelled or expired (with no attempt in flight), and of deliveries reported before
   * `before` (and their orders). The code is replaced by FORGOTTEN_CODE. Returns how many
   * orders lost their code.
   */
  forgetCodes(before: string): number;
  /**
   * The newest kaartservicecode delivered to this card (written or reported) that was
   * written, settled or reported at or after `since` (ISO), or undefined: shown again when
   * the card comes back.
   */
  latestCodeForCard(cardNumber: string, since: string): DeliveryRecord | undefined;
}

/** The statements whose plans the tests check. */
export const DELIVERIES_SQL = {
  unsettledForCard: `
    SELECT * FROM deliveries
    WHERE card_number = ? AND state IN ('pending', 'writing')
    ORDER BY created_at, id`,
  deliveriesForOrder: `
    SELECT * FROM deliveries WHERE order_id = ? ORDER BY created_at, id`,
  // The partial index holds only unsettled rows; the planner would otherwise scan them all.
  releasedForCard: `
    SELECT d.* FROM deliveries AS d JOIN orders AS o ON o.id = d.order_id
    WHERE d.card_number = ? AND d.state = 'abandoned' AND d.failure = '${RELEASED_BY_TECHNICIAN}'
      AND o.status <> 'delivered'
      AND NOT EXISTS (
        SELECT 1 FROM deliveries AS e WHERE e.order_id = d.order_id AND e.state IN ('pending', 'writing', 'written', 'reported')
      )
    ORDER BY d.created_at, d.id`,
  latestCodeForCard: `
    SELECT * FROM deliveries
    WHERE card_number = ? AND state IN ('written', 'reported') AND updated_at >= ?
      AND json_extract(outcome, '$.kind') = 'kaartservicecode'
    ORDER BY updated_at DESC, id DESC LIMIT 1`,
  unsettledCount: `
    SELECT count(*) FROM deliveries INDEXED BY deliveries_one_unsettled_per_order
    WHERE state IN ('pending', 'writing')`,
} as const;

const beginInputSchema = z.object({
  id: z.string().min(1),
  orderId: z.string().min(1),
  cardNumber: z.string().min(1),
  cardUid: z.string().min(1),
});


export function deliveriesRepo(
  { db, stamp, logger }: RepoContext,
  deps: { readonly guard: OrderGuard; readonly outbox: OutboxQueue },
): DeliveriesRepo {
  const s = {
    forgetOutcomeCodes: db.prepare<[{ before: string; forgotten: string }]>(
      `UPDATE deliveries SET outcome = json_set(outcome, '$.sealed', @forgotten)
       WHERE state = 'reported' AND updated_at < @before
         AND json_extract(outcome, '$.kind') = 'kaartservicecode' AND json_extract(outcome, '$.sealed') <> @forgotten`,
    ),
    orderById: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    // Delivered: the order's sealed code is needed no more (the delivery's outcome keeps it,
    // sealed, for the day in which the same card shows it again).
    markOrderDelivered: db.prepare<[string, string]>(
      `UPDATE orders SET status = 'delivered', remote_status = NULL, updated_at = ?,
         payload = CASE WHEN json_extract(payload, '$.kind') = 'kaartservicecode'
                        THEN json_set(payload, '$.sealed', '${FORGOTTEN_CODE}') ELSE payload END
       WHERE id = ?`,
    ),
    deliveryById: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?'),
    unsettledForOrder: db.prepare<[string], DeliveryRow>(
      `SELECT * FROM deliveries WHERE order_id = ? AND state IN ('pending', 'writing')`,
    ),
    insertDelivery: db.prepare<[DeliveryRow]>(
      `INSERT INTO deliveries (id, order_id, card_number, card_uid, state, outcome, failure, created_at, updated_at)
       VALUES (@id, @order_id, @card_number, @card_uid, @state, @outcome, @failure, @created_at, @updated_at)`,
    ),
    markWriting: db.prepare<[string, string]>(
      `UPDATE deliveries SET state = 'writing', updated_at = ? WHERE id = ? AND state IN ('pending', 'writing')`,
    ),
    markWritten: db.prepare<[string, string, string]>(
      `UPDATE deliveries SET state = 'written', outcome = ?, updated_at = ?
       WHERE id = ? AND state IN ('pending', 'writing')`,
    ),
    markReleasedWritten: db.prepare<[string, string, string]>(
      `UPDATE deliveries SET state = 'written', outcome = ?, failure = NULL, updated_at = ?
       WHERE id = ? AND state = 'abandoned' AND failure = '${RELEASED_BY_TECHNICIAN}'`,
    ),
    closeReleased: db.prepare<[string, string]>(
      `UPDATE deliveries SET failure = '${RELEASED_NOT_ON_CARD}', updated_at = ?
       WHERE id = ? AND state = 'abandoned' AND failure = '${RELEASED_BY_TECHNICIAN}'`,
    ),
    releasedForCard: db.prepare<[string], DeliveryRow>(DELIVERIES_SQL.releasedForCard),
    markAbandoned: db.prepare<[string, string, string]>(
      `UPDATE deliveries SET state = 'abandoned', failure = ?, updated_at = ?
       WHERE id = ? AND state IN ('pending', 'writing')`,
    ),
    unsettledForCard: db.prepare<[string], DeliveryRow>(DELIVERIES_SQL.unsettledForCard),
    deliveriesForOrder: db.prepare<[string], DeliveryRow>(DELIVERIES_SQL.deliveriesForOrder),
    unsettledCount: db.prepare<[], number>(DELIVERIES_SQL.unsettledCount).pluck(),
    latestCodeForCard: db.prepare<[string, string], DeliveryRow>(DELIVERIES_SQL.latestCodeForCard),
  };

  function requireDelivery(id: string): DeliveryRow {
    const row = s.deliveryById.get(id);
    if (!row) throw new StoreConflictError(`delivery ${id} does not exist`);
    return row;
  }

  function refuseTransition(id: string, to: DeliveryState): never {
    const row = requireDelivery(id);
    throw new StoreConflictError(`delivery ${id} cannot go from ${row.state} to ${to}`);
  }

  const begin = db.transaction((raw: BeginDelivery): DeliveryRecord => {
    const input = checkInput(beginInputSchema, raw, { table: 'deliveries', key: keyOf(raw) });
    const at = stamp();
    const order = s.orderById.get(input.orderId);
    if (!order) throw new StoreConflictError(`order ${input.orderId} does not exist`);
    if (order.card_number !== input.cardNumber) {
      throw new StoreConflictError(`order ${input.orderId} belongs to another card`);
    }
    if (order.status !== 'pending') {
      throw new StoreConflictError(`order ${input.orderId} is ${order.status}, not offered`);
    }
    if (order.expires_at !== null && order.expires_at <= at) {
      throw new StoreConflictError(`order ${input.orderId} has expired`);
    }
    const unsettled = s.unsettledForOrder.get(input.orderId);
    if (unsettled) {
      throw new StoreConflictError(
        `order ${input.orderId} already has an unsettled delivery ${unsettled.id} (${unsettled.state})`,
      );
    }
    if (s.deliveryById.get(input.id)) throw new StoreConflictError(`delivery ${input.id} already exists`);
    const row: DeliveryRow = {
      id: input.id,
      order_id: input.orderId,
      card_number: input.cardNumber,
      card_uid: input.cardUid,
      state: 'pending',
      outcome: null,
      failure: null,
      created_at: at,
      updated_at: at,
    };
    try {
      s.insertDelivery.run(row);
    } catch (error) {
      // The partial unique index is the last line of defence.
      if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) {
        throw new StoreConflictError(`delivery ${input.id} for order ${input.orderId} refused: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
    return toDelivery(row);
  });

  const complete = db.transaction((id: string, outcome: StoredOutcome, released = false): DeliveryRecord => {
    const checked = checkInput(deliveryOutcomeSchema, outcome, { table: 'deliveries', key: id });
    const outcomeJson = JSON.stringify(checked);
    const at = stamp();
    const delivery = requireDelivery(id);
    if (delivery.state === 'written' || delivery.state === 'reported') {
      if (delivery.outcome !== outcomeJson) {
        // Never log the outcome itself: it may hold a kaartservicecode.
        logger.warn({ deliveryId: id, state: delivery.state }, 'store: repeated complete with a different outcome ignored');
      }
      return toDelivery(delivery);
    }
    if (!released && delivery.state !== 'pending' && delivery.state !== 'writing') refuseTransition(id, 'written');

    const order = s.orderById.get(delivery.order_id);
    if (!order) throw new StoreConflictError(`order ${delivery.order_id} of delivery ${id} does not exist`);
    const payload: OrderPayload = toOrder(order).payload;
    if (payload.kind !== checked.kind) {
      throw new StoreConflictError(
        `delivery ${id}: outcome kind ${checked.kind} does not match order kind ${payload.kind}`,
      );
    }

    const marked = released ? s.markReleasedWritten.run(outcomeJson, at, id) : s.markWritten.run(outcomeJson, at, id);
    if (marked.changes !== 1) refuseTransition(id, 'written');
    if (order.status !== 'pending' || (order.remote_status ?? null) !== null) {
      // The card is the arbiter: it holds the order, so the order is delivered. The
      // pickup report tells the back office, which records the conflict.
      logger.warn(
        { orderId: order.id, status: order.status, remoteStatus: order.remote_status ?? null, deliveryId: id },
        'store: delivered an order that was not pending',
      );
    }
    s.markOrderDelivered.run(at, order.id);

    deps.outbox.enqueue(
      {
        deliveryId: id,
        orderId: order.id,
        cardNumber: delivery.card_number,
        deliveredAt: at,
        kind: payload.kind,
      } satisfies PickupReport,
      at,
    );
    return toDelivery(requireDelivery(id));
  });

  const abandon = db.transaction((id: string, reason: string): DeliveryRecord => {
    const at = stamp();
    if (s.markAbandoned.run(reason, at, id).changes !== 1) refuseTransition(id, 'abandoned');
    const delivery = requireDelivery(id);
    const order = s.orderById.get(delivery.order_id);
    // The back office cancelled (or expired, or saw a pickup elsewhere) while this attempt
    // was open: now that nothing was written, its verdict applies — through the same rule.
    if (order?.remote_status) {
      const result = deps.guard.setStatus(order.id, order.remote_status, at);
      logger.info({ orderId: order.id, status: order.remote_status, result }, 'store: deferred remote status applied');
    }
    return toDelivery(delivery);
  });

  const forgetCodes = db.transaction((before: string): { forgotten: number; outcomes: number } => {
    const forgotten = deps.guard.forgetCodes(before, FORGOTTEN_CODE);
    const outcomes = s.forgetOutcomeCodes.run({ before, forgotten: FORGOTTEN_CODE }).changes;
    return { forgotten, outcomes };
  });

  return {
    forgetCodes: (before) => {
      const { forgotten, outcomes } = forgetCodes.immediate(before);
      // The old pages are still in the WAL until it is checkpointed and emptied.
      if (forgotten + outcomes > 0) db.pragma('wal_checkpoint(TRUNCATE)');
      return forgotten;
    },
    begin: (input) => begin.immediate(input),
    markWriting(id) {
      if (s.markWriting.run(stamp(), id).changes !== 1) refuseTransition(id, 'writing');
      return toDelivery(requireDelivery(id));
    },
    complete: (id, outcome) => complete.immediate(id, outcome),
    abandon(id, reason) {
      if (typeof reason !== 'string') throw new TypeError('abandon: reason must be a string');
      return abandon.immediate(id, reason);
    },
    get(id) {
      const row = s.deliveryById.get(id);
      return row ? toDelivery(row) : undefined;
    },
    forOrder: (orderId) => s.deliveriesForOrder.all(orderId).map(toDelivery),
    unsettledForCard: (cardNumber) => s.unsettledForCard.all(cardNumber).map(toDelivery),
    unsettledCount: () => s.unsettledCount.get() ?? 0,
    releasedForCard: (cardNumber) => s.releasedForCard.all(cardNumber).map(toDelivery),
    confirmReleased: (id, outcome) => complete.immediate(id, outcome, true),
    closeReleased(id) {
      if (s.closeReleased.run(stamp(), id).changes !== 1) refuseTransition(id, 'abandoned');
      return toDelivery(requireDelivery(id));
    },
    latestCodeForCard(cardNumber, since) {
      const row = s.latestCodeForCard.get(cardNumber, since);
      return row ? toDelivery(row) : undefined;
    },
  };
}
