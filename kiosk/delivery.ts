// Reading cards and delivering orders exactly once. The store journals every attempt
// before the card is touched (pending → writing → written); the card's own journal is
// the arbiter whenever an attempt did not finish.
import type { Logger } from 'pino';
import { readCard, writeState, CardVerifyError } from '../hardware/card-io.js';
import { CardLayoutError, type CardCodec, type DecodedCard } from '../hardware/card-layout.js';
import { CardGoneError, CardIoError, type CardAccess, type CardReader } from '../hardware/card-reader.js';
import type { DeliverInput } from '../machine/kiosk-machine.js';
import {
  KioskFailure,
  type CardSummary,
  type DeliveryFailure,
  type DeliveryOutcome,
  type OfferedOrder,
  type ReadFailure,
} from '../domain/index.js';
import { StoreConflictError, type DeliveryRecord, type OrderRecord, type Store } from '../store/index.js';
import { applyOrder, outcomeOnCard } from './apply-order.js';

export interface DeliveryDeps {
  readonly reader: CardReader;
  readonly codec: CardCodec;
  readonly store: Store;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly log: Logger;
}

export interface DeliveryService {
  readCard(uid: string, signal?: AbortSignal): Promise<CardSummary>;
  lookupOrders(cardNumber: string): readonly OfferedOrder[];
  deliver(input: DeliverInput, signal?: AbortSignal): Promise<DeliveryOutcome>;
  /**
   * Settles the open attempts of the card that is on the reader from its journal; returns
   * the last one that turns out to be on the card (to show it), or null.
   */
  settle(card: DecodedCard): Settled | null;
}

const readFailure = (code: ReadFailure, message?: string) => new KioskFailure<ReadFailure>(code, message);
const deliveryFailure = (code: DeliveryFailure, message?: string) => new KioskFailure<DeliveryFailure>(code, message);

export function toOfferedOrder(order: OrderRecord): OfferedOrder {
  const base = { id: order.id, orderedAt: order.createdAt };
  const payload = order.payload;
  switch (payload.kind) {
    case 'kaartservicecode':
      return { ...base, kind: 'kaartservicecode' };
    case 'product':
      return {
        ...base,
        kind: 'product',
        productCode: payload.productCode,
        validFrom: payload.validFrom,
        validUntil: payload.validUntil,
      };
    case 'topup':
      return { ...base, kind: 'topup', amountCents: payload.amountCents };
    default: {
      const unreachable: never = payload;
      throw new Error(`unknown order kind ${JSON.stringify(unreachable)}`);
    }
  }
}

type Settled = NonNullable<CardSummary['settled']>;

export function createDeliveryService(deps: DeliveryDeps): DeliveryService {
  const { reader, codec, store, log } = deps;
  const today = () => deps.now().toISOString().slice(0, 10);
  // One card conversation at a time: an aborted delivery finishes its current block
  // before the next one (or a resumed one) starts talking to the card.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  function accessFor(uid: string): CardAccess | null {
    const access = reader.card();
    return access && access.uid === uid ? access : null;
  }

  function settle(card: DecodedCard): Settled | null {
    const open = store.deliveries.unsettledForCard(card.identity.cardNumber);
    let written: Settled | null = null;
    for (const delivery of open) {
      const order = store.orders.get(delivery.orderId);
      if (order && card.state.journal.includes(codec.orderToken(order.id))) {
        const outcome = outcomeOnCard(card.state, order.payload);
        store.deliveries.complete(delivery.id, outcome);
        written = { order: toOfferedOrder(order), outcome };
        log.info({ deliveryId: delivery.id, orderId: order.id }, 'settled from the card journal: written');
      } else {
        store.deliveries.abandon(delivery.id, 'not on the card when it was read again');
        log.info({ deliveryId: delivery.id, orderId: delivery.orderId }, 'settled from the card journal: not written');
      }
    }
    return written;
  }

  async function readAndSettle(uid: string, signal?: AbortSignal): Promise<CardSummary> {
    const access = accessFor(uid);
    if (!access) throw readFailure('unreadable', 'card not on the reader');
    let decoded: DecodedCard;
    try {
      decoded = await readCard(access, codec, signal);
    } catch (error) {
      if (error instanceof CardLayoutError) {
        throw readFailure(error.kind === 'foreign' ? 'foreignCard' : 'corruptCard', error.message);
      }
      // Keys that do not open the sectors: not a card of this layout.
      if (error instanceof CardIoError) throw readFailure('foreignCard', error.message);
      throw readFailure('unreadable', error instanceof Error ? error.message : String(error));
    }
    signal?.throwIfAborted();
    const settled = settle(decoded);
    const { identity, state } = decoded;
    if (identity.expiry < today()) throw readFailure('expiredCard');
    return {
      settled,
      uid,
      cardNumber: identity.cardNumber,
      kind: identity.kind,
      expiry: identity.expiry,
      balanceCents: state.balanceCents,
      products: state.products.filter((p) => p !== null),
    };
  }

  /** The open attempt for this order and card, or a new one. */
  function attemptFor(input: DeliverInput): { delivery: DeliveryRecord; order: OrderRecord } | DeliveryOutcome {
    const order = store.orders.get(input.order.id);
    if (!order || order.cardNumber !== input.cardNumber) throw deliveryFailure('orderUnavailable');
    const open = store.deliveries.unsettledForCard(input.cardNumber).find((d) => d.orderId === order.id);
    if (open) return { delivery: open, order };
    // Finished by an earlier, interrupted conversation (for instance, the card left just
    // after the journal said "written"): show that result again; nothing is written.
    const done = store.deliveries
      .forOrder(order.id)
      .find((d) => (d.state === 'written' || d.state === 'reported') && d.cardNumber === input.cardNumber);
    if (done?.outcome) return done.outcome;
    try {
      const delivery = store.deliveries.begin({
        id: deps.newId(),
        orderId: order.id,
        cardNumber: input.cardNumber,
        cardUid: input.uid,
      });
      return { delivery, order };
    } catch (error) {
      if (error instanceof StoreConflictError) throw deliveryFailure('orderUnavailable', error.message);
      throw error;
    }
  }

  async function deliverNow(input: DeliverInput, signal?: AbortSignal, retried = false): Promise<DeliveryOutcome> {
    const attempt = attemptFor(input);
    if (!('delivery' in attempt)) return attempt;
    const { delivery, order } = attempt;
    const access = accessFor(input.uid);
    if (!access) throw deliveryFailure('cardRemoved');
    let writing = false;
    // Nothing was written yet: the attempt can end here, and the order is offered again.
    const giveUp = (reason: string) => {
      if (!writing) store.deliveries.abandon(delivery.id, reason);
    };
    try {
      const card = await readCard(access, codec, signal);
      if (card.identity.cardNumber !== input.cardNumber) {
        giveUp('wrongCard');
        throw deliveryFailure('wrongCard');
      }
      const token = codec.orderToken(order.id);
      if (card.state.journal.includes(token)) {
        const outcome = outcomeOnCard(card.state, order.payload);
        store.deliveries.complete(delivery.id, outcome);
        return outcome;
      }
      const applied = applyOrder(card.state, order.payload, token, today());
      if (!applied.ok) {
        giveUp(applied.failure);
        throw deliveryFailure(applied.failure);
      }
      // Encode before the journal says "writing": a record that cannot be encoded must
      // fail while nothing has touched the card.
      codec.encodeState({ ...applied.next, sequence: card.state.sequence + 1 }, card.activeSlot);
      signal?.throwIfAborted();
      store.deliveries.markWriting(delivery.id);
      writing = true;
      await writeState(access, codec, card, applied.next, signal);
      store.deliveries.complete(delivery.id, applied.outcome);
      log.info({ deliveryId: delivery.id, orderId: order.id, kind: order.payload.kind }, 'delivered');
      return applied.outcome;
    } catch (error) {
      if (error instanceof KioskFailure) throw error;
      if (error instanceof CardGoneError || error instanceof CardVerifyError || error instanceof CardIoError) {
        log.warn({ deliveryId: delivery.id, err: error.message }, 'card conversation broke off during delivery');
        // A card that answered wrongly but did not leave: try once more. Safe, because the
        // retry reads the card's journal before it writes anything. (A card that left is
        // not retried: its removal may reach the reader's state only later.)
        const stillThere = !(error instanceof CardGoneError) && accessFor(input.uid) !== null;
        if (!retried && !signal?.aborted && stillThere) return deliverNow(input, signal, true);
        // The attempt stays open; the same card settles or finishes it.
        throw deliveryFailure('cardRemoved', error.message);
      }
      if (signal?.aborted) throw error;
      giveUp('internal');
      log.error({ deliveryId: delivery.id, err: error }, 'delivery failed');
      throw deliveryFailure('internal', error instanceof Error ? error.message : String(error));
    }
  }

  return {
    readCard: (uid, signal) => exclusive(() => readAndSettle(uid, signal)),
    lookupOrders: (cardNumber) => store.orders.offeredForCard(cardNumber).map(toOfferedOrder),
    deliver: (input, signal) => exclusive(() => deliverNow(input, signal)),
    settle,
  };
}
