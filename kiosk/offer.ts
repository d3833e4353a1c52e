// What the traveller is offered, and what they are told when an order is gone: the order
// cache as the session sees it, on top of the delivery service (delivery.ts decides what
// a card may collect; this only leaves out what cannot be delivered, adds each order's
// pickup deadline, follows the cache while a list is open and names why an order left).
import type { Logger } from 'pino';
import type { OrdersChangedEvent, WatchOrdersInput } from '../machine/kiosk-machine.js';
import {
  KioskFailure,
  isProductCode,
  type DeliveryFailure,
  type GoneOrder,
  type GoneReason,
  type OfferedOrder,
} from '../domain/index.js';
import type { Store } from '../store/index.js';
import type { DeliveryService } from './delivery.js';

/** How often an open list looks at the order cache again (sync writes it; orders expire). */
export const ORDER_WATCH_MS = 1_000;

export interface OfferDeps {
  readonly store: Store;
  readonly delivery: Pick<DeliveryService, 'lookupOrders'>;
  readonly log: Logger;
  readonly now: () => Date;
}

export interface Offer {
  /** The card's orders that can be delivered here, each with its pickup deadline. */
  lookupOrders(cardNumber: string): readonly OfferedOrder[];
  /** Why an order that was offered is not any more. */
  whyGone(orderId: string): GoneReason;
  /** A delivery failure as the traveller should hear it: an order that has gone says how. */
  explain(orderId: string, failure: DeliveryFailure): DeliveryFailure;
  /** Follows the card's list: calls `send` when what is offered differs from `input.orders`. */
  watch(input: WatchOrdersInput, send: (event: OrdersChangedEvent) => void, everyMs?: number): () => void;
}

const sameList = (a: readonly OfferedOrder[], b: readonly OfferedOrder[]) =>
  a.length === b.length && a.every((order, i) => order.id === b[i]?.id && order.expiresAt === b[i]?.expiresAt);

export function createOffer({ store, delivery, log, now }: OfferDeps): Offer {
  // Each order with an unknown product is logged once, not on every look at the cache.
  const reported = new Set<string>();

  function lookupOrders(cardNumber: string): readonly OfferedOrder[] {
    return delivery
      .lookupOrders(cardNumber)
      .filter((order) => {
        if (order.kind !== 'product' || isProductCode(order.productCode)) return true;
        if (!reported.has(order.id)) {
          reported.add(order.id);
          log.warn({ orderId: order.id, productCode: order.productCode }, 'order for a product this kiosk cannot write: not offered');
        }
        return false;
      })
      .map((order) => ({ ...order, expiresAt: store.orders.get(order.id)?.expiresAt ?? null }));
  }

  function whyGone(orderId: string): GoneReason {
    const order = store.orders.get(orderId);
    if (!order) return 'unavailable';
    // A cancellation or expiry the back office sent while a delivery was in flight waits
    // in remoteStatus; it is still what happened to the order.
    const status = order.status === 'pending' ? (order.remoteStatus ?? 'pending') : order.status;
    if (status === 'cancelled' || status === 'expired' || status === 'delivered') return status;
    if (order.expiresAt !== null && order.expiresAt <= now().toISOString()) return 'expired';
    return 'unavailable';
  }

  function explain(orderId: string, failure: DeliveryFailure): DeliveryFailure {
    if (failure !== 'orderUnavailable') return failure;
    switch (whyGone(orderId)) {
      case 'cancelled':
        return 'orderCancelled';
      case 'expired':
        return 'orderExpired';
      case 'delivered':
        return 'orderDelivered';
      case 'unavailable':
        return 'orderUnavailable';
    }
  }

  function watch(input: WatchOrdersInput, send: (event: OrdersChangedEvent) => void, everyMs = ORDER_WATCH_MS): () => void {
    let shown = input.orders;
    const look = () => {
      let orders: readonly OfferedOrder[];
      try {
        orders = lookupOrders(input.cardNumber);
      } catch (error) {
        // The list stays as it is; the traveller's Akkoord still finds out what happened.
        log.warn({ err: error }, 'could not look at the order cache for an open list');
        return;
      }
      if (sameList(orders, shown)) return;
      const now = new Set(orders.map((order) => order.id));
      const gone: GoneOrder[] = shown.filter((order) => !now.has(order.id)).map((order) => ({ order, reason: whyGone(order.id) }));
      shown = orders;
      send({ type: 'ORDERS_CHANGED', orders, gone });
    };
    const timer = setInterval(look, everyMs);
    return () => clearInterval(timer);
  }

  return { lookupOrders, whyGone, explain, watch };
}

/** A failure from the delivery service, retold by `explain` (anything else passes unchanged). */
export function explained(offer: Offer, orderId: string, error: unknown): unknown {
  if (!(error instanceof KioskFailure)) return error;
  const code = error.code as DeliveryFailure;
  const told = offer.explain(orderId, code);
  return told === code ? error : new KioskFailure<DeliveryFailure>(told, error.message);
}
