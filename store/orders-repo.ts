// The order cache: what the kiosk offers to a card. Written by sync (through the rule in
// order-guard.ts), read by the traveller's session.
import { z } from 'zod';
import { isoDateTimeSchema, orderPayloadSchema, orderSerialSchema } from '../protocol/kiosk-api.js';
import { StoreConflictError } from '../sqlite/errors.js';
import type { OrderGuard } from './order-guard.js';
import { checkInput, keyOf, toOrder, toUtcIso, type OrderRow, type RepoContext } from './rows.js';
import { ORDER_STATUSES, type OrderInput, type OrderRecord, type OrderStatus } from './schemas.js';

export interface OrdersRepo {
  /**
   * Insert or update the cache row (sync/demo seeding), under the rule of order-guard.ts:
   * a delivered order stays as it is, an order being delivered keeps what is being written.
   */
  upsert(order: OrderInput): void;
  get(id: string): OrderRecord | undefined;
  /**
   * pending, not expired at `now`, with its serial known (the card's ledger needs it) and
   * no unsettled (pending/writing) delivery, oldest first
   */
  offeredForCard(cardNumber: string): OrderRecord[];
  /** A local status change; refused (StoreConflictError) for a delivered order or one being delivered. */
  setStatus(id: string, status: OrderStatus): void;
  countByStatus(): Record<OrderStatus, number>;
  /** The card's orders that have a serial, any status (what the card's ledger may know of). */
  withSerialForCard(cardNumber: string): OrderRecord[];
}

/** The statements whose plans the tests check. */
export const ORDERS_SQL = {
  offeredForCard: `
    SELECT * FROM orders
    WHERE card_number = ? AND status = 'pending' AND serial IS NOT NULL
      AND (expires_at IS NULL OR expires_at > ?)
      AND NOT EXISTS (
        SELECT 1 FROM deliveries AS d WHERE d.order_id = orders.id AND d.state IN ('pending', 'writing')
      )
    ORDER BY created_at, id`,
} as const;

const orderInputSchema = z.object({
  id: z.string().min(1),
  cardNumber: z.string().min(1),
  payload: orderPayloadSchema,
  status: z.enum(ORDER_STATUSES).optional(),
  createdAt: isoDateTimeSchema,
  expiresAt: isoDateTimeSchema.nullable(),
  serial: orderSerialSchema.optional(),
});

export function ordersRepo({ db, stamp, logger }: RepoContext, guard: OrderGuard): OrdersRepo {
  const s = {
    orderById: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    insertOrder: db.prepare<[OrderRow]>(
      `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at, serial)
       VALUES (@id, @card_number, @payload, @status, @created_at, @expires_at, @updated_at, @serial)`,
    ),
    nextLocalSerial: db
      .prepare<[string], number>('SELECT coalesce(max(serial), 0) + 1 FROM orders WHERE card_number = ?')
      .pluck(),
    withSerialForCard: db.prepare<[string], OrderRow>(
      'SELECT * FROM orders WHERE card_number = ? AND serial IS NOT NULL ORDER BY serial',
    ),
    offeredForCard: db.prepare<[string, string], OrderRow>(ORDERS_SQL.offeredForCard),
    // Kept by triggers (store migration 8): four rows, whatever the size of the cache.
    countByStatus: db.prepare<[], { status: OrderStatus; n: number }>('SELECT status, n FROM order_counts'),
  };

  const upsert = db.transaction((order: OrderInput): void => {
    const input = checkInput(orderInputSchema, order, { table: 'orders', key: keyOf(order) });
    const at = stamp();
    const payloadJson = JSON.stringify(input.payload);
    const createdAt = toUtcIso(input.createdAt);
    const expiresAt = input.expiresAt === null ? null : toUtcIso(input.expiresAt);
    const existing = s.orderById.get(input.id);
    if (!existing) {
      s.insertOrder.run({
        id: input.id,
        card_number: input.cardNumber,
        payload: payloadJson,
        status: input.status ?? 'pending',
        created_at: createdAt,
        expires_at: expiresAt,
        updated_at: at,
        serial: input.serial ?? s.nextLocalSerial.get(input.cardNumber) ?? 1,
      });
      return;
    }
    // A serial is the order's for good: it fills in a missing one, never changes one.
    if (input.serial !== undefined) guard.noteRemote(input.id, input.serial, null);
    const result = guard.update(
      {
        id: input.id,
        card_number: input.cardNumber,
        payload: payloadJson,
        created_at: createdAt,
        expires_at: expiresAt,
        status: input.status ?? null,
      },
      at,
    );
    if (result === 'applied') return;
    if (existing.card_number !== input.cardNumber || existing.payload !== payloadJson) {
      // Never log the payload itself: it may hold a kaartservicecode.
      logger.warn(
        { orderId: input.id, status: existing.status, inFlight: result === 'frozen' },
        'store: order payload/card change ignored for a delivered or in-flight order',
      );
    }
    if (result === 'delivered' && input.status !== undefined && input.status !== 'delivered') {
      logger.info({ orderId: input.id, requested: input.status }, 'store: delivered order kept delivered');
    }
  });

  const setStatus = db.transaction((id: string, status: OrderStatus): void => {
    checkInput(z.enum(ORDER_STATUSES), status, { table: 'orders', key: id });
    const lock = guard.lockOf(id);
    if (lock === undefined) throw new StoreConflictError(`order ${id} does not exist`);
    if (lock === 'in-flight') throw new StoreConflictError(`order ${id} has a delivery in progress; its status waits for it`);
    const result = guard.setStatus(id, status, stamp());
    // delivered is final, except that re-stating it is a no-op
    if (result === 'delivered' && status !== 'delivered') {
      throw new StoreConflictError(`order ${id} cannot go from delivered to ${status}`);
    }
  });

  return {
    upsert: (order) => upsert.immediate(order),
    get(id) {
      const row = s.orderById.get(id);
      return row ? toOrder(row) : undefined;
    },
    offeredForCard: (cardNumber) => s.offeredForCard.all(cardNumber, stamp()).map(toOrder),
    setStatus: (id, status) => setStatus.immediate(id, status),
    withSerialForCard: (cardNumber) => s.withSerialForCard.all(cardNumber).map(toOrder),
    countByStatus() {
      const counts: Record<OrderStatus, number> = { pending: 0, delivered: 0, cancelled: 0, expired: 0 };
      for (const { status, n } of s.countByStatus.all()) counts[status] = n;
      return counts;
    },
  };
}
