// The kiosk's SQLite store: the order cache, the delivery journal and the pickup outbox.
// Every delivery attempt is journalled here before the card is touched
// (pending -> writing -> written -> reported, or -> abandoned), with WAL and
// synchronous=FULL so a committed step survives a power cut. State changes are guarded
// in SQL (`UPDATE ... WHERE state IN (...)`) and checked through `changes`.
// Runs in Node only: no Electron, renderer or kiosk imports.
import { maintenanceRepo, type MaintenanceRepo } from './maintenance.js';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { DeliveryOutcome } from '../domain/index.js';
import {
  StoreConflictError,
  StoreDataError,
  classifySqliteError,
} from '../sqlite/errors.js';
import { MIGRATIONS } from './migrations.js';
import {
  isoDateTimeSchema,
  orderChangeSchema,
  orderPayloadSchema,
  pickupReportSchema,
  type OrderChange,
} from '../protocol/kiosk-api.js';
import { logCorrupt, openDatabase } from '../sqlite/open.js';
import { readUserVersion } from '../sqlite/migrate.js';
import {
  ORDER_STATUSES,
  deliveryOutcomeSchema,
  type ApplyChangesResult,
  type DeliveryRecord,
  type DeliveryState,
  type OrderInput,
  type OrderPayload,
  type OrderRecord,
  type OrderStatus,
  type OutboxItem,
  type PickupReport,
  type StoreLogger,
} from './schemas.js';

export interface StoreOptions {
  /** The clock for every timestamp the store writes and for expiry checks. */
  now?: () => Date;
  logger?: StoreLogger;
}

export interface Store {
  readonly file: string;
  schemaVersion(): number;
  close(): void;
  orders: {
    /** Insert or update the cache row (sync/demo seeding). A 'delivered' order stays delivered. */
    upsert(order: OrderInput): void;
    get(id: string): OrderRecord | undefined;
    /** pending, not expired at `now`, with no unsettled (pending/writing) delivery, oldest first */
    offeredForCard(cardNumber: string): OrderRecord[];
    setStatus(id: string, status: OrderStatus): void;
    countByStatus(): Record<OrderStatus, number>;
  };
  deliveries: {
    /** One transaction: the order must be pending and offered, and have no unsettled delivery; else StoreConflictError. */
    begin(input: { id: string; orderId: string; cardNumber: string; cardUid: string }): DeliveryRecord;
    /** pending|writing -> writing */
    markWriting(id: string): DeliveryRecord;
    /**
     * One transaction: delivery pending|writing -> written with outcome; order -> delivered;
     * the outbox gets the PickupReport. Idempotent if already written/reported. From
     * pending too, because the card is the arbiter: an order found in the card's journal is
     * delivered even if this attempt never reached 'writing'.
     */
    complete(id: string, outcome: DeliveryOutcome): DeliveryRecord;
    /** pending|writing -> abandoned with a reason; the order is offered again */
    abandon(id: string, reason: string): DeliveryRecord;
    get(id: string): DeliveryRecord | undefined;
    /** Every delivery of an order, in any state, oldest first. */
    forOrder(orderId: string): DeliveryRecord[];
    /** state pending|writing, oldest first */
    unsettledForCard(cardNumber: string): DeliveryRecord[];
    unsettledCount(): number;
  };
  outbox: {
    /** not yet acknowledged, oldest first */
    pending(limit: number): OutboxItem[];
    recordAttempt(id: number): void;
    /** One transaction: outbox row acked; delivery -> reported. A duplicated ack is a no-op. */
    ack(deliveryId: string): void;
    depth(): number;
  };
  sync: {
    /** The feed position after the last applied page; null before the first pull. */
    cursor(): string | null;
    /**
     * One transaction: every change of a page, then the cursor after it. The whole page is
     * validated first; an invalid change rejects the page with StoreDataError, nothing applied.
     * Local state wins where it must: a delivered order stays delivered, and an order with a
     * delivery in progress keeps its row until the delivery settles (the remote state is
     * kept in `remote_status` and applied by `abandon`).
     */
    applyChanges(changes: readonly OrderChange[], cursor: string): ApplyChangesResult;
  };
  /** Technicians' PIN hashes, the audit log and persistent kiosk settings. */
  maintenance: MaintenanceRepo;
}

/** An operation slower than this is logged as a warning. */
export const SLOW_OPERATION_MS = 100;

/** The statements whose plans the tests check. */
export const SQL = {
  offeredForCard: `
    SELECT * FROM orders
    WHERE card_number = ? AND status = 'pending'
      AND (expires_at IS NULL OR expires_at > ?)
      AND NOT EXISTS (
        SELECT 1 FROM deliveries AS d WHERE d.order_id = orders.id AND d.state IN ('pending', 'writing')
      )
    ORDER BY created_at, id`,
  unsettledForCard: `
    SELECT * FROM deliveries
    WHERE card_number = ? AND state IN ('pending', 'writing')
    ORDER BY created_at, id`,
  deliveriesForOrder: `
    SELECT * FROM deliveries WHERE order_id = ? ORDER BY created_at, id`,
  // The partial index holds only unsettled rows; the planner would otherwise scan them all.
  unsettledCount: `
    SELECT count(*) FROM deliveries INDEXED BY deliveries_one_unsettled_per_order
    WHERE state IN ('pending', 'writing')`,
  outboxPending: `
    SELECT id, delivery_id, report, attempts, created_at FROM outbox
    WHERE acked_at IS NULL ORDER BY id LIMIT ?`,
} as const;

interface OrderRow {
  id: string;
  card_number: string;
  payload: string;
  status: OrderStatus;
  created_at: string;
  expires_at: string | null;
  updated_at: string;
  remote_status?: 'cancelled' | 'expired' | 'delivered' | null;
}

interface DeliveryRow {
  id: string;
  order_id: string;
  card_number: string;
  card_uid: string;
  state: DeliveryState;
  outcome: string | null;
  failure: string | null;
  created_at: string;
  updated_at: string;
}

interface OutboxRow {
  id: number;
  delivery_id: string;
  report: string;
  attempts: number;
  created_at: string;
  acked_at: string | null;
}

const silentLogger: StoreLogger = { warn() {}, error() {}, info() {} };

const orderInputSchema = z.object({
  id: z.string().min(1),
  cardNumber: z.string().min(1),
  payload: orderPayloadSchema,
  status: z.enum(ORDER_STATUSES).optional(),
  createdAt: isoDateTimeSchema,
  expiresAt: isoDateTimeSchema.nullable(),
});

const beginInputSchema = z.object({
  id: z.string().min(1),
  orderId: z.string().min(1),
  cardNumber: z.string().min(1),
  cardUid: z.string().min(1),
});

/** `2025-01-01T10:00:00+01:00` -> `2025-01-01T09:00:00.000Z`, so stored times compare as text. */
function toUtcIso(value: string): string {
  return new Date(value).toISOString();
}

function parseJsonColumn<T>(
  schema: z.ZodType<T>,
  text: string,
  where: { table: string; key: string | number; column: string },
): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new StoreDataError(`${where.table}[${where.key}].${where.column} is not valid JSON`, where, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreDataError(
      `${where.table}[${where.key}].${where.column} failed validation:\n${z.prettifyError(parsed.error)}`,
      where,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

function checkInput<T>(schema: z.ZodType<T>, value: unknown, where: { table: string; key: string | number }): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new StoreDataError(
      `invalid input for ${where.table}[${where.key}]:\n${z.prettifyError(parsed.error)}`,
      { ...where, column: '(input)' },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

function keyOf(value: unknown): string {
  return typeof value === 'object' && value !== null && 'id' in value ? String(value.id) : '?';
}

export function openStore(file: string, options: StoreOptions = {}): Store {
  const clock = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;

  const reportCorrupt = (error: unknown): unknown => logCorrupt(error, file, logger, 'store');
  const { db } = openDatabase(file, { migrations: MIGRATIONS, logger, what: 'store' });

  function stamp(): string {
    const d = clock();
    if (Number.isNaN(d.getTime())) throw new Error('store: the injected clock returned an invalid date');
    return d.toISOString();
  }

  /** Wrap a public operation: classify SQLite corruption, log slow calls. */
  function op<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const started = performance.now();
      try {
        return fn(...args);
      } catch (error) {
        throw reportCorrupt(classifySqliteError(error, file));
      } finally {
        const ms = performance.now() - started;
        if (ms > SLOW_OPERATION_MS) logger.warn({ op: name, ms: Math.round(ms) }, 'store: slow operation');
      }
    };
  }

  // ------------------------------------------------------------ statements

  const s = {
    orderById: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    insertOrder: db.prepare<[OrderRow]>(
      `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at)
       VALUES (@id, @card_number, @payload, @status, @created_at, @expires_at, @updated_at)`,
    ),
    insertOrderIfNew: db.prepare<[OrderRow]>(
      `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at)
       VALUES (@id, @card_number, @payload, @status, @created_at, @expires_at, @updated_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    updateOrder: db.prepare<[OrderRow]>(
      `UPDATE orders SET card_number = @card_number, payload = @payload, status = @status,
         created_at = @created_at, expires_at = @expires_at, updated_at = @updated_at
       WHERE id = @id`,
    ),
    offeredForCard: db.prepare<[string, string], OrderRow>(SQL.offeredForCard),
    setOrderStatus: db.prepare<[{ status: OrderStatus; at: string; id: string }]>(
      // delivered is final, except that re-stating it is a no-op
      `UPDATE orders SET status = @status, updated_at = @at
       WHERE id = @id AND (status <> 'delivered' OR @status = 'delivered')`,
    ),
    markOrderDelivered: db.prepare<[string, string]>(
      `UPDATE orders SET status = 'delivered', remote_status = NULL, updated_at = ? WHERE id = ?`,
    ),
    setRemoteStatus: db.prepare<[string | null, string, string]>(
      `UPDATE orders SET remote_status = ?, updated_at = ? WHERE id = ?`,
    ),
    applyRemoteStatus: db.prepare<[string, string, string]>(
      `UPDATE orders SET status = ?, remote_status = NULL, updated_at = ? WHERE id = ? AND status <> 'delivered'`,
    ),
    syncStateGet: db.prepare<[string], string>('SELECT value FROM sync_state WHERE key = ?').pluck(),
    syncStateSet: db.prepare<[string, string]>(
      `INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    countByStatus: db.prepare<[], { status: OrderStatus; n: number }>(
      'SELECT status, count(*) AS n FROM orders GROUP BY status',
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
    markAbandoned: db.prepare<[string, string, string]>(
      `UPDATE deliveries SET state = 'abandoned', failure = ?, updated_at = ?
       WHERE id = ? AND state IN ('pending', 'writing')`,
    ),
    markReported: db.prepare<[string, string]>(
      `UPDATE deliveries SET state = 'reported', updated_at = ? WHERE id = ? AND state = 'written'`,
    ),
    unsettledForCard: db.prepare<[string], DeliveryRow>(SQL.unsettledForCard),
    deliveriesForOrder: db.prepare<[string], DeliveryRow>(SQL.deliveriesForOrder),
    unsettledCount: db.prepare<[], number>(SQL.unsettledCount).pluck(),

    insertOutbox: db.prepare<[string, string, string]>(
      `INSERT INTO outbox (delivery_id, report, attempts, created_at) VALUES (?, ?, 0, ?)
       ON CONFLICT (delivery_id) DO NOTHING`,
    ),
    outboxPending: db.prepare<[number], OutboxRow>(SQL.outboxPending),
    outboxById: db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
    outboxByDelivery: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE delivery_id = ?'),
    recordAttempt: db.prepare<[string, number]>(
      `UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE id = ? AND acked_at IS NULL`,
    ),
    ackOutbox: db.prepare<[string, number]>(`UPDATE outbox SET acked_at = ? WHERE id = ? AND acked_at IS NULL`),
    outboxDepth: db.prepare<[], number>('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck(),
  };

  // ------------------------------------------------------------ row mapping

  function toOrder(row: OrderRow): OrderRecord {
    return {
      id: row.id,
      cardNumber: row.card_number,
      payload: parseJsonColumn(orderPayloadSchema, row.payload, { table: 'orders', key: row.id, column: 'payload' }),
      status: row.status,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      updatedAt: row.updated_at,
    };
  }

  function toDelivery(row: DeliveryRow): DeliveryRecord {
    return {
      id: row.id,
      orderId: row.order_id,
      cardNumber: row.card_number,
      cardUid: row.card_uid,
      state: row.state,
      outcome:
        row.outcome === null
          ? null
          : parseJsonColumn(deliveryOutcomeSchema, row.outcome, { table: 'deliveries', key: row.id, column: 'outcome' }),
      failure: row.failure,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  function toOutboxItem(row: OutboxRow): OutboxItem {
    return {
      id: row.id,
      deliveryId: row.delivery_id,
      report: parseJsonColumn(pickupReportSchema, row.report, { table: 'outbox', key: row.id, column: 'report' }),
      attempts: row.attempts,
      createdAt: row.created_at,
    };
  }

  function requireDelivery(id: string): DeliveryRow {
    const row = s.deliveryById.get(id);
    if (!row) throw new StoreConflictError(`delivery ${id} does not exist`);
    return row;
  }

  function refuseTransition(id: string, to: DeliveryState): never {
    const row = requireDelivery(id);
    throw new StoreConflictError(`delivery ${id} cannot go from ${row.state} to ${to}`);
  }

  function isExpired(row: OrderRow, at: string): boolean {
    return row.expires_at !== null && row.expires_at <= at;
  }

  // ------------------------------------------------------------ transactions

  const upsertOrder = db.transaction((order: OrderInput): void => {
    const input = checkInput(orderInputSchema, order, { table: 'orders', key: keyOf(order) });
    const at = stamp();
    const payloadJson = JSON.stringify(input.payload);
    const existing = s.orderById.get(input.id);
    if (!existing) {
      s.insertOrder.run({
        id: input.id,
        card_number: input.cardNumber,
        payload: payloadJson,
        status: input.status ?? 'pending',
        created_at: toUtcIso(input.createdAt),
        expires_at: input.expiresAt === null ? null : toUtcIso(input.expiresAt),
        updated_at: at,
      });
      return;
    }

    const delivered = existing.status === 'delivered';
    const inFlight = s.unsettledForOrder.get(input.id) !== undefined;
    // What was (or is being) written to a card is not rewritten by a sync.
    const frozen = delivered || inFlight;
    if (frozen && (existing.card_number !== input.cardNumber || existing.payload !== payloadJson)) {
      logger.warn(
        { orderId: input.id, status: existing.status, inFlight },
        'store: order payload/card change ignored for a delivered or in-flight order',
      );
    }
    if (delivered && input.status !== undefined && input.status !== 'delivered') {
      logger.info({ orderId: input.id, requested: input.status }, 'store: delivered order kept delivered');
    }
    s.updateOrder.run({
      id: input.id,
      card_number: frozen ? existing.card_number : input.cardNumber,
      payload: frozen ? existing.payload : payloadJson,
      status: delivered ? 'delivered' : (input.status ?? existing.status),
      created_at: frozen ? existing.created_at : toUtcIso(input.createdAt),
      expires_at: input.expiresAt === null ? null : toUtcIso(input.expiresAt),
      updated_at: at,
    });
  });

  const beginDelivery = db.transaction(
    (raw: { id: string; orderId: string; cardNumber: string; cardUid: string }): DeliveryRecord => {
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
      if (isExpired(order, at)) throw new StoreConflictError(`order ${input.orderId} has expired`);
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
    },
  );

  const completeDelivery = db.transaction((id: string, outcome: DeliveryOutcome): DeliveryRecord => {
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
    if (delivery.state !== 'pending' && delivery.state !== 'writing') refuseTransition(id, 'written');

    const order = s.orderById.get(delivery.order_id);
    if (!order) throw new StoreConflictError(`order ${delivery.order_id} of delivery ${id} does not exist`);
    const payload: OrderPayload = toOrder(order).payload;
    if (payload.kind !== checked.kind) {
      throw new StoreConflictError(
        `delivery ${id}: outcome kind ${checked.kind} does not match order kind ${payload.kind}`,
      );
    }

    if (s.markWritten.run(outcomeJson, at, id).changes !== 1) refuseTransition(id, 'written');
    if (order.status !== 'pending' || (order.remote_status ?? null) !== null) {
      // The card is the arbiter: it holds the order, so the order is delivered. The
      // pickup report tells the back office, which records the conflict.
      logger.warn(
        { orderId: order.id, status: order.status, remoteStatus: order.remote_status ?? null, deliveryId: id },
        'store: delivered an order that was not pending',
      );
    }
    s.markOrderDelivered.run(at, order.id);

    const report: PickupReport = pickupReportSchema.parse({
      deliveryId: id,
      orderId: order.id,
      cardNumber: delivery.card_number,
      deliveredAt: at,
      kind: payload.kind,
    } satisfies PickupReport);
    s.insertOutbox.run(id, JSON.stringify(report), at);
    return toDelivery(requireDelivery(id));
  });

  const abandonDelivery = db.transaction((id: string, reason: string): DeliveryRecord => {
    const at = stamp();
    if (s.markAbandoned.run(reason, at, id).changes !== 1) refuseTransition(id, 'abandoned');
    const delivery = requireDelivery(id);
    const order = s.orderById.get(delivery.order_id);
    // The back office cancelled (or expired, or saw a pickup elsewhere) while this attempt
    // was open: now that nothing was written, its verdict applies.
    if (order?.remote_status) {
      s.applyRemoteStatus.run(order.remote_status, at, order.id);
      logger.info({ orderId: order.id, status: order.remote_status }, 'store: deferred remote status applied');
    }
    return toDelivery(delivery);
  });

  const CURSOR_KEY = 'cursor';

  const applyChanges = db.transaction((changes: readonly OrderChange[], cursor: string): ApplyChangesResult => {
    if (typeof cursor !== 'string' || cursor.length === 0) throw new RangeError('applyChanges: empty cursor');
    const checked = changes.map((change, i) => checkInput(orderChangeSchema, change, { table: 'orders', key: keyOf({ id: change?.orderId ?? i }) }));
    const at = stamp();
    let inserted = 0;
    let updated = 0;
    let deferred = 0;
    let ignored = 0;
    for (const change of checked) {
      if (change.status === 'pending') {
        const createdAt = toUtcIso(change.createdAt);
        const expiresAt = change.expiresAt === null ? null : toUtcIso(change.expiresAt);
        const payloadJson = JSON.stringify(change.payload);
        // New orders are most of an initial sync: one statement each.
        const fresh = s.insertOrderIfNew.run({
          id: change.orderId,
          card_number: change.cardNumber,
          payload: payloadJson,
          status: 'pending',
          created_at: createdAt,
          expires_at: expiresAt,
          updated_at: at,
        });
        if (fresh.changes === 1) {
          inserted++;
          continue;
        }
        const existing = s.orderById.get(change.orderId);
        if (!existing) throw new StoreConflictError(`order ${change.orderId} neither inserted nor found`);
        if (existing.status === 'delivered') {
          ignored++;
          continue;
        }
        const inFlight = s.unsettledForOrder.get(change.orderId) !== undefined;
        s.updateOrder.run({
          id: change.orderId,
          card_number: inFlight ? existing.card_number : change.cardNumber,
          payload: inFlight ? existing.payload : payloadJson,
          status: 'pending',
          created_at: inFlight ? existing.created_at : createdAt,
          expires_at: expiresAt,
          updated_at: at,
        });
        s.setRemoteStatus.run(null, at, change.orderId);
        updated++;
        continue;
      }
      // cancelled, expired, or picked up (here or at another kiosk)
      const existing = s.orderById.get(change.orderId);
      if (!existing || existing.status === 'delivered') {
        ignored++;
        continue;
      }
      if (s.unsettledForOrder.get(change.orderId) !== undefined) {
        s.setRemoteStatus.run(change.status, at, change.orderId);
        logger.warn(
          { orderId: change.orderId, remoteStatus: change.status },
          'store: remote status kept back while a delivery of the order is in progress',
        );
        deferred++;
        continue;
      }
      if (existing.status === change.status) {
        ignored++;
        continue;
      }
      s.applyRemoteStatus.run(change.status, at, change.orderId);
      updated++;
    }
    s.syncStateSet.run(CURSOR_KEY, cursor);
    return { inserted, updated, deferred, ignored };
  });

  const ackOutbox = db.transaction((deliveryId: string): void => {
    const at = stamp();
    const row = s.outboxByDelivery.get(deliveryId);
    if (!row) throw new StoreConflictError(`no pickup report for delivery ${deliveryId}`);
    if (row.acked_at !== null) return; // duplicated ack
    s.ackOutbox.run(at, row.id);
    if (s.markReported.run(at, deliveryId).changes !== 1) refuseTransition(deliveryId, 'reported');
  });

  // ------------------------------------------------------------ the store

  return {
    file,
    schemaVersion: op('schemaVersion', () => readUserVersion(db)),
    close() {
      if (!db.open) return;
      try {
        db.pragma('optimize');
      } catch (error) {
        logger.warn({ file, err: String(error) }, 'store: PRAGMA optimize failed on close');
      }
      db.close();
    },
    orders: {
      upsert: op('orders.upsert', (order: OrderInput) => upsertOrder.immediate(order)),
      get: op('orders.get', (id: string) => {
        const row = s.orderById.get(id);
        return row ? toOrder(row) : undefined;
      }),
      offeredForCard: op('orders.offeredForCard', (cardNumber: string) =>
        s.offeredForCard.all(cardNumber, stamp()).map(toOrder),
      ),
      setStatus: op('orders.setStatus', (id: string, status: OrderStatus) => {
        checkInput(z.enum(ORDER_STATUSES), status, { table: 'orders', key: id });
        if (s.setOrderStatus.run({ status, at: stamp(), id }).changes === 1) return;
        const row = s.orderById.get(id);
        if (!row) throw new StoreConflictError(`order ${id} does not exist`);
        throw new StoreConflictError(`order ${id} cannot go from ${row.status} to ${status}`);
      }),
      countByStatus: op('orders.countByStatus', () => {
        const counts: Record<OrderStatus, number> = { pending: 0, delivered: 0, cancelled: 0, expired: 0 };
        for (const { status, n } of s.countByStatus.all()) counts[status] = n;
        return counts;
      }),
    },
    deliveries: {
      begin: op('deliveries.begin', (input: { id: string; orderId: string; cardNumber: string; cardUid: string }) =>
        beginDelivery.immediate(input),
      ),
      markWriting: op('deliveries.markWriting', (id: string) => {
        if (s.markWriting.run(stamp(), id).changes !== 1) refuseTransition(id, 'writing');
        return toDelivery(requireDelivery(id));
      }),
      complete: op('deliveries.complete', (id: string, outcome: DeliveryOutcome) =>
        completeDelivery.immediate(id, outcome),
      ),
      abandon: op('deliveries.abandon', (id: string, reason: string) => {
        if (typeof reason !== 'string') throw new TypeError('abandon: reason must be a string');
        return abandonDelivery.immediate(id, reason);
      }),
      get: op('deliveries.get', (id: string) => {
        const row = s.deliveryById.get(id);
        return row ? toDelivery(row) : undefined;
      }),
      forOrder: op('deliveries.forOrder', (orderId: string) => s.deliveriesForOrder.all(orderId).map(toDelivery)),
      unsettledForCard: op('deliveries.unsettledForCard', (cardNumber: string) =>
        s.unsettledForCard.all(cardNumber).map(toDelivery),
      ),
      unsettledCount: op('deliveries.unsettledCount', () => s.unsettledCount.get() ?? 0),
    },
    outbox: {
      pending: op('outbox.pending', (limit: number) => {
        if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`outbox.pending: bad limit ${limit}`);
        return s.outboxPending.all(limit).map(toOutboxItem);
      }),
      recordAttempt: op('outbox.recordAttempt', (id: number) => {
        if (s.recordAttempt.run(stamp(), id).changes === 1) return;
        if (!s.outboxById.get(id)) throw new StoreConflictError(`outbox item ${id} does not exist`);
        // already acknowledged: an attempt racing the ack changes nothing
      }),
      ack: op('outbox.ack', (deliveryId: string) => ackOutbox.immediate(deliveryId)),
      depth: op('outbox.depth', () => s.outboxDepth.get() ?? 0),
    },
    maintenance: maintenanceRepo(db, stamp),
    sync: {
      cursor: op('sync.cursor', () => s.syncStateGet.get(CURSOR_KEY) ?? null),
      applyChanges: op('sync.applyChanges', (changes: readonly OrderChange[], cursor: string) =>
        applyChanges.immediate(changes, cursor),
      ),
    },
  };
}
