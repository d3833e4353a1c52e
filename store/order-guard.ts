// THE rule of sync, written once: the back office may change a local order only while the
// order is open here — not delivered here, and no delivery of it in progress (pending or
// writing). What a card holds, or is being given, is never rewritten from outside.
//
//   open        details, expiry and status follow the back office
//   in flight   details frozen; the expiry may move; a cancelled/expired/delivered
//               verdict waits in `remote_status` and is applied (through this same rule)
//               when the attempt is abandoned, dropped when it is written
//   delivered   final: nothing changes
//
// Every path by which the back office changes a local order goes through `orderGuard`:
// `orders.upsert` (seeding), `sync.applyChanges` (pending, cancelled, expired, delivered)
// and the deferred verdict applied by `deliveries.abandon`; so does the local
// `orders.setStatus`. The rule is the SQL predicate ORDER_IS_OPEN in the WHERE of each
// guarded statement (checked through `changes`), so no caller can forget it.
import { FORGOTTEN_CODE, type OrderStatus, type StoreLogger } from './schemas.js';
import type { RepoContext } from './rows.js';

/** A delivery of the row's order is under way here (the card is about to be, or being, written). */
const IN_FLIGHT = `EXISTS (SELECT 1 FROM deliveries AS d WHERE d.order_id = orders.id AND d.state IN ('pending', 'writing'))`;

/** The rule, over a row of `orders`: the back office may change it. */
export const ORDER_IS_OPEN = `(orders.status <> 'delivered' AND NOT ${IN_FLIGHT})`;

/** Not delivered, but being delivered: only the expiry and the deferred verdict may change. */
const ORDER_IS_IN_FLIGHT = `(orders.status <> 'delivered' AND ${IN_FLIGHT})`;

export type OrderLock = 'open' | 'in-flight' | 'delivered';

/** A remote version of an order, as its columns. */
export interface RemoteOrderRow {
  id: string;
  card_number: string;
  /** JSON */
  payload: string;
  created_at: string;
  expires_at: string | null;
  /** null: the order keeps the status it has. */
  status: OrderStatus | null;
  /** The back office's signature of these details (undefined: the one it has stays)... */
  signature?: string | null;
  /** ...and the version of the change it is of. */
  signed_version?: number | null;
}

export interface OrderGuard {
  /** Which way the rule goes for an order; undefined for an unknown one. */
  lockOf(id: string): OrderLock | undefined;
  /**
   * The back office's version of an order's details, expiry and (optionally) status.
   * open: all applied; in flight: details kept, expiry moved, a non-pending status kept
   * back in remote_status (pending clears it); delivered or unknown: nothing.
   */
  update(order: RemoteOrderRow, at: string): 'applied' | 'frozen' | 'delivered' | 'unknown';
  /**
   * The back office's verdict on an order's status. open: applied ('unchanged' if it was
   * already so); in flight: kept back in remote_status ('deferred'); delivered or unknown: nothing.
   */
  setStatus(id: string, status: OrderStatus, at: string): 'applied' | 'unchanged' | 'deferred' | 'delivered' | 'unknown';
  /**
   * The version of the back office's change last applied to an order (only grows) and its
   * serial (filled in once, never changed), for an order not delivered here (a delivered
   * order is not touched at all). Kept for an order in flight too: an older change
   * arriving later is then recognised and ignored (sync.applyChanges).
   */
  noteRemote(id: string, serial: number | null, version: number | null): void;
  /**
   * A feed reset (sync.resetFeed: another back office database, or one gone back in time):
   * the versions noted so far say nothing about the feed read again from 0. Only the
   * version bookkeeping is cleared; status, details and deliveries stay as they are.
   */
  forgetRemoteVersions(): void;
  /**
   * Replaces the kaartservicecode by `forgotten` in the orders nobody can need it for any more:
   * cancelled or expired with no attempt in flight or unreported, or delivered with every
   * delivery reported before `before`. Returns how many.
   */
  forgetCodes(before: string, forgotten: string): number;
  /**
   * Once per database (when the store first opens it with this version): kaartservicecodes
   * that a kiosk of before kept in clear (`code`, before codes were sealed to their cards)
   * are forgotten, in orders and in deliveries' outcomes, and the WAL emptied of them. An
   * order still pending comes again, sealed, from the back office, which re-offers every
   * code it seals.
   */
  forgetClearCodes(logger: StoreLogger): void;
}

export function orderGuard({ db }: Pick<RepoContext, 'db'>): OrderGuard {
  const s = {
    lockOf: db
      .prepare<[string], OrderLock>(
        `SELECT CASE WHEN status = 'delivered' THEN 'delivered' WHEN ${IN_FLIGHT} THEN 'in-flight' ELSE 'open' END
         FROM orders WHERE id = ?`,
      )
      .pluck(),
    updateOpen: db.prepare<[Omit<RemoteOrderRow, 'signature' | 'signed_version'> & { at: string; signature: string | null; signed_version: number | null; has_signature: number }]>(
      `UPDATE orders SET card_number = @card_number, payload = @payload, created_at = @created_at,
         expires_at = @expires_at, status = coalesce(@status, status), remote_status = NULL, updated_at = @at,
         signature = CASE WHEN @has_signature THEN @signature ELSE signature END,
         signed_version = CASE WHEN @has_signature THEN @signed_version ELSE signed_version END
       WHERE id = @id AND ${ORDER_IS_OPEN}`,
    ),
    updateInFlight: db.prepare<[{ id: string; expires_at: string | null; status: OrderStatus | null; at: string }]>(
      `UPDATE orders SET expires_at = @expires_at,
         remote_status = CASE WHEN @status IS NULL THEN remote_status WHEN @status = 'pending' THEN NULL ELSE @status END,
         updated_at = @at
       WHERE id = @id AND ${ORDER_IS_IN_FLIGHT}`,
    ),
    // An order that leaves `pending` here (cancelled, expired, picked up elsewhere) needs its
    // sealed code no more: it is forgotten in the same statement.
    statusOpen: db.prepare<[{ id: string; status: OrderStatus; at: string }]>(
      `UPDATE orders SET status = @status, remote_status = NULL, updated_at = @at,
         payload = CASE WHEN @status <> 'pending' AND json_extract(payload, '$.kind') = 'kaartservicecode'
                        THEN json_set(payload, '$.sealed', '${FORGOTTEN_CODE}') ELSE payload END
       WHERE id = @id AND ${ORDER_IS_OPEN} AND (status <> @status OR remote_status IS NOT NULL)`,
    ),
    // The serial never changes once given, so it is filled in for a delivered order too
    // (orders delivered before the kiosk knew serials): the card's ledger needs it. The
    // version is kept only for orders sync may still change.
    noteRemote: db.prepare<[{ id: string; serial: number | null; version: number | null }]>(
      `UPDATE orders SET serial = coalesce(serial, @serial),
         remote_version = CASE WHEN @version IS NULL OR status = 'delivered' THEN remote_version
                               ELSE max(coalesce(remote_version, 0), @version) END
       WHERE id = @id AND (status <> 'delivered' OR serial IS NULL)`,
    ),
    forgetRemoteVersions: db.prepare('UPDATE orders SET remote_version = NULL WHERE remote_version IS NOT NULL'),
    // Codes of orders closed without a delivery in flight, or whose delivery was reported
    // before @before (deliveries.forgetCodes).
    // Pending orders past their deadline by more than a day count as expired (a kiosk that
    // has been offline does not keep them until the feed says so).
    forgetCodes: db.prepare<[{ before: string; forgotten: string }]>(
      `UPDATE orders SET payload = json_set(payload, '$.sealed', @forgotten)
       WHERE json_extract(payload, '$.kind') = 'kaartservicecode' AND json_extract(payload, '$.sealed') <> @forgotten
         AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.order_id = orders.id AND d.state IN ('pending', 'writing'))
         AND (
           ((status IN ('cancelled', 'expired') OR (status = 'pending' AND expires_at < @before)) AND remote_status IS NULL
             AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.order_id = orders.id AND d.state = 'written'))
           OR (status = 'delivered' AND NOT EXISTS (
             SELECT 1 FROM deliveries AS d WHERE d.order_id = orders.id AND (d.state = 'written' OR (d.state = 'reported' AND d.updated_at >= @before))))
         )`,
    ),

    statusInFlight: db.prepare<[{ id: string; status: OrderStatus; at: string }]>(
      `UPDATE orders SET remote_status = CASE WHEN @status = 'pending' THEN NULL ELSE @status END, updated_at = @at
       WHERE id = @id AND ${ORDER_IS_IN_FLIGHT}`,
    ),
  };

  const lockOf = (id: string): OrderLock | undefined => s.lockOf.get(id);

  return {
    lockOf,
    update(order, at) {
      const signature = { signature: order.signature ?? null, signed_version: order.signed_version ?? null, has_signature: order.signature === undefined ? 0 : 1 };
      if (s.updateOpen.run({ ...order, ...signature, at }).changes === 1) return 'applied';
      const { id, expires_at, status } = order;
      if (s.updateInFlight.run({ id, expires_at, status, at }).changes === 1) return 'frozen';
      return lockOf(id) === 'delivered' ? 'delivered' : 'unknown';
    },
    noteRemote(id, serial, version) {
      s.noteRemote.run({ id, serial, version });
    },
    forgetRemoteVersions() {
      s.forgetRemoteVersions.run();
    },
    forgetCodes(before, forgotten) {
      return s.forgetCodes.run({ before, forgotten }).changes;
    },
    forgetClearCodes(logger) {
      const done = db.prepare<[], string>(`SELECT value FROM sync_state WHERE key = 'clear-codes-forgotten'`).pluck();
      if (done.get() !== undefined) return;
      const counts = db.transaction(() => {
        const orders = db
          .prepare(
            `UPDATE orders SET payload = json_object('kind', 'kaartservicecode', 'sealed', '${FORGOTTEN_CODE}')
             WHERE json_extract(payload, '$.kind') = 'kaartservicecode' AND json_extract(payload, '$.code') IS NOT NULL`,
          )
          .run().changes;
        const outcomes = db
          .prepare(
            `UPDATE deliveries SET outcome = json_object('kind', 'kaartservicecode', 'sealed', '${FORGOTTEN_CODE}')
             WHERE json_extract(outcome, '$.kind') = 'kaartservicecode' AND json_extract(outcome, '$.code') IS NOT NULL`,
          )
          .run().changes;
        db.prepare(`INSERT INTO sync_state (key, value) VALUES ('clear-codes-forgotten', '1')`).run();
        return { orders, outcomes };
      }).immediate();
      if (counts.orders + counts.outcomes === 0) return;
      db.pragma('wal_checkpoint(TRUNCATE)');
      logger.warn(counts, 'store: kaartservicecodes kept in clear by an older version forgotten (pending ones come again, sealed, from the back office)');
    },
    setStatus(id, status, at) {
      if (s.statusOpen.run({ id, status, at }).changes === 1) return 'applied';
      if (s.statusInFlight.run({ id, status, at }).changes === 1) return 'deferred';
      const lock = lockOf(id);
      if (lock === undefined) return 'unknown';
      return lock === 'delivered' ? 'delivered' : 'unchanged';
    },
  };
}
