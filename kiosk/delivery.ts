// Reading cards and delivering orders exactly once. The store journals every attempt
// before the card is touched (pending → writing → written); the card's ledger of order
// serials (docs/card-layout.md) is the arbiter whenever an attempt did not finish: an
// attempt is concluded "not written" only when the card proves it, and the card is read
// and its ledger checked right before every write.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { orderSignatureValid } from '../sync/order-signature.js';
import { readCard, withJourneys, writeState, CardVerifyError } from '../hardware/card-io.js';
import {
  CardLayoutError,
  EMPTY_LEDGER,
  JOURNAL_ENTRIES,
  LEDGER_WINDOW,
  ledgerSkipping,
  ledgerCovers,
  ledgerWith,
  type CardCodec,
  type CardLedger,
  type DecodedCard,
} from '../hardware/card-layout.js';
import { CardGoneError, CardIoError, type CardAccess, type CardReader } from '../hardware/card-reader.js';
import type { DeliverInput } from '../machine/kiosk-machine.js';
import {
  isStationCode,
  KioskFailure,
  type CardJourney,
  type CardSummary,
  type DeliveryFailure,
  type DeliveryOutcome,
  type OfferedOrder,
  type ReadFailure,
} from '../domain/index.js';
import { StoreConflictError, type DeliveryRecord, type OrderRecord, type Store, type StoredOutcome } from '../store/index.js';
import { openSealedCode } from './sealed-code.js';

/** What a card says about one order: applied, provably not applied, or it cannot tell. */
export type OnCard = 'applied' | 'notApplied' | 'unknown';
import { applyOrder, outcomeOnCard } from './apply-order.js';

/**
 * How long a delivered kaartservicecode is shown again each time its card is held to this
 * kiosk's reader: a day. (Linking the card online, which would end it sooner, is not yet
 * known to the kiosk.)
 */
export const CODE_SHOWN_AGAIN_MS = 24 * 3_600_000;

export interface DeliveryDeps {
  readonly reader: CardReader;
  readonly codec: CardCodec;
  readonly store: Store;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly log: Logger;
  /**
   * The back office's order key (a station's always): an order whose signature does not
   * verify is neither offered nor written, whatever put it into the store.
   */
  readonly orderKey?: KeyObject | undefined;
}

export interface DeliveryService {
  readCard(uid: string, signal?: AbortSignal): Promise<CardSummary>;
  lookupOrders(cardNumber: string): readonly OfferedOrder[];
  deliver(input: DeliverInput, signal?: AbortSignal): Promise<DeliveryOutcome>;
  /**
   * Settles the open (and technician-released) attempts of the card that is on the
   * reader from its ledger; returns the last one that turns out to be on the card (to
   * show it), or null. An attempt the card cannot judge stays open.
   */
  settle(card: DecodedCard): Settled | null;
}

const readFailure = (code: ReadFailure, message?: string) => new KioskFailure<ReadFailure>(code, message);
const deliveryFailure = (code: DeliveryFailure, message?: string) => new KioskFailure<DeliveryFailure>(code, message);

export function toOfferedOrder(order: OrderRecord): OfferedOrder {
  const base = { id: order.id, orderedAt: order.createdAt, serial: order.serial };
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

  /**
   * The card's ledger; for a v1 card (a journal of tokens), the ledger it becomes on its
   * first write: every serial this kiosk knows of the card, from 1 up without a gap, that
   * is closed (delivered anywhere, cancelled, expired, or its token in the journal) under
   * the low-water mark; above it the serials whose token is in the journal or that were
   * delivered. An open attempt whose token is in the journal thus counts as applied.
   */
  /**
   * The card's ledger; for a v1 card the ledger its upgrade would start with, or null when
   * this kiosk cannot build one that holds every order the v1 journal names (a token it has
   * no serial for, or an applied serial past the window): such a card is written in v1
   * (its journal) until a kiosk that knows them all upgrades it.
   */
  function ledgerOf(card: DecodedCard): CardLedger | null {
    if (card.state.ledger) return card.state.ledger;
    const journal = new Set(card.state.journal);
    const bySerial = new Map<number, { applied: boolean; closed: boolean }>();
    const mapped = new Set<string>();
    const inFlight = new Set(store.deliveries.unsettledForCard(card.identity.cardNumber).map((d) => d.orderId));
    for (const order of store.orders.withSerialForCard(card.identity.cardNumber)) {
      if (order.serial === null) continue;
      const token = codec.orderToken(order.id);
      if (journal.has(token)) mapped.add(token);
      const applied = journal.has(token) || order.status === 'delivered';
      const closed = applied || (order.status !== 'pending' && !inFlight.has(order.id));
      bySerial.set(order.serial, { applied, closed });
    }
    // Closed serials and the back office's void ones (never handed out) below the mark.
    const voids = store.sync.voids(card.identity.cardNumber);
    let lowWater = 0;
    for (;;) {
      if (bySerial.get(lowWater + 1)?.closed) lowWater++;
      else {
        const skipped = ledgerSkipping({ lowWater, applied: [] }, voids).lowWater;
        if (skipped === lowWater) break;
        lowWater = skipped;
      }
    }
    let ledger: CardLedger = { ...EMPTY_LEDGER, lowWater };
    for (const [serial, { applied }] of [...bySerial].sort(([a], [b]) => a - b)) {
      if (!applied || serial <= lowWater) continue;
      const next = ledgerWith(ledger, serial);
      if (next) ledger = next;
      else {
        log.warn({ serial, lowWater }, 'v1 card: an applied order lies past the ledger window; the card stays v1');
        return null;
      }
    }
    if (mapped.size < journal.size) {
      log.warn({ unknown: journal.size - mapped.size }, 'v1 card: its journal names orders this kiosk has no serial for; the card stays v1');
      return null;
    }
    return ledger;
  }

  /** Whether the card holds `order`. v1 card: its journal proves absence only while it has forgotten nothing. */
  function onCard(card: DecodedCard, order: OrderRecord): OnCard {
    if (!card.state.ledger) {
      if (card.state.journal.includes(codec.orderToken(order.id))) return 'applied';
      if (card.state.journal.length < JOURNAL_ENTRIES) return 'notApplied';
      return 'unknown';
    }
    if (order.serial === null) return 'unknown';
    return ledgerCovers(card.state.ledger, order.serial) ? 'applied' : 'notApplied';
  }

  /**
   * The card holds the order, but not from this attempt: it never reached `writing`, or
   * the back office already has a pickup of it (this kiosk has reported none, and every
   * kiosk checks the ledger before it writes, so the one write on the card is that one).
   */
  function writtenElsewhere(delivery: DeliveryRecord, order: OrderRecord): boolean {
    return delivery.state === 'pending' || order.remoteStatus === 'delivered';
  }

  /**
   * The back office says it never handed out this serial for the card (skipped after a
   * restore): an order cached here with it was lost with the restore. Never offered, never
   * written (its serial is no longer the order's alone).
   */
  function unsigned(order: OrderRecord): boolean {
    const key = deps.orderKey;
    if (!key) return false;
    if (order.serial === null || order.signedVersion === null) return true;
    const fields = {
      orderId: order.id,
      cardNumber: order.cardNumber,
      serial: order.serial,
      payload: order.payload,
      voidSerials: store.sync.voidOf(order.id),
      version: order.signedVersion,
      status: 'pending' as const,
    };
    return !orderSignatureValid(key, fields, order.signature);
  }

  function lostInRestore(order: OrderRecord): boolean {
    const serial = order.serial;
    if (serial === null) return false;
    return store.sync.voids(order.cardNumber).some(([from, to]) => from <= serial && serial <= to);
  }

  /**
   * What the traveller is shown of a stored outcome: a kaartservicecode opened with the seal
   * key of the card on the reader (as this order's, for this card), in memory only; null
   * when the card cannot open it (no key, another card's key, an altered code).
   */
  function reveal(stored: StoredOutcome, card: DecodedCard, orderId: string): DeliveryOutcome | null {
    if (stored.kind !== 'kaartservicecode') return stored;
    const opened = openSealedCode(card.identity.sealKey, { orderId, cardNumber: card.identity.cardNumber, sealed: stored.sealed });
    if (opened.ok) return { kind: 'kaartservicecode', code: opened.code };
    log.warn(
      { orderId, refusal: opened.refusal },
      opened.refusal === 'noKey'
        ? 'the card has no seal key: it cannot open the kaartservicecode sealed to it'
        : "the card's seal key does not open the kaartservicecode (another card's key, or the code was altered)",
    );
    return null;
  }

  /** The last card read: its offered orders leave out what it already holds. */
  let lastCard: DecodedCard | null = null;

  function settle(card: DecodedCard): Settled | null {
    const cardNumber = card.identity.cardNumber;
    lastCard = card;
    let written: Settled | null = null;
    for (const delivery of store.deliveries.unsettledForCard(cardNumber)) {
      const order = store.orders.get(delivery.orderId);
      const verdict = order ? onCard(card, order) : 'unknown';
      if (order && verdict === 'applied' && writtenElsewhere(delivery, order)) {
        store.deliveries.abandon(delivery.id, 'on the card, written at another kiosk');
        log.info({ deliveryId: delivery.id, orderId: order.id }, 'settled from the card ledger: written at another kiosk');
      } else if (order && verdict === 'applied') {
        const stored = outcomeOnCard(card.state, order.payload);
        store.deliveries.complete(delivery.id, stored);
        const outcome = reveal(stored, card, order.id);
        if (outcome) written = { order: toOfferedOrder(order), outcome };
        log.info({ deliveryId: delivery.id, orderId: order.id }, 'settled from the card ledger: written');
      } else if (verdict === 'notApplied') {
        store.deliveries.abandon(delivery.id, 'not on the card when it was read again');
        log.info({ deliveryId: delivery.id, orderId: delivery.orderId }, 'settled from the card ledger: not written');
      } else {
        log.warn({ deliveryId: delivery.id, orderId: delivery.orderId }, 'the card cannot tell whether the attempt was written: it stays open');
      }
    }
    // Released by a technician: nothing proved them not written, so the card decides now.
    // A landed write is delivered and reported even if the order was cancelled meanwhile.
    for (const delivery of store.deliveries.releasedForCard(cardNumber)) {
      const order = store.orders.get(delivery.orderId);
      const verdict = order ? onCard(card, order) : 'unknown';
      if (order && verdict === 'applied') {
        const stored = outcomeOnCard(card.state, order.payload);
        store.deliveries.confirmReleased(delivery.id, stored);
        const outcome = reveal(stored, card, order.id);
        if (outcome) written = { order: toOfferedOrder(order), outcome };
        log.warn({ deliveryId: delivery.id, orderId: order.id }, 'a released attempt is on the card: delivered and reported');
      } else if (verdict === 'notApplied') {
        store.deliveries.closeReleased(delivery.id);
        log.info({ deliveryId: delivery.id, orderId: delivery.orderId }, 'a released attempt is not on the card');
      }
    }
    return written;
  }

  /**
   * A kaartservicecode delivered to this card lately is shown again when the card comes
   * back (CODE_SHOWN_AGAIN_MS): the screen that showed it may never have been read — the
   * kiosk lost power, the card was lifted at once — and the code is nowhere else the
   * traveller can see it.
   */
  function codeToShowAgain(card: DecodedCard): Settled | null {
    const since = new Date(deps.now().getTime() - CODE_SHOWN_AGAIN_MS).toISOString();
    const delivery = store.deliveries.latestCodeForCard(card.identity.cardNumber, since);
    const order = delivery ? store.orders.get(delivery.orderId) : undefined;
    if (!delivery?.outcome || !order) return null;
    // Kept sealed: opened again with the key of the card that is on the reader.
    const outcome = reveal(delivery.outcome, card, order.id);
    if (!outcome) return null;
    log.info({ deliveryId: delivery.id, orderId: order.id }, 'a kaartservicecode delivered lately: shown again');
    return { order: toOfferedOrder(order), outcome };
  }

  function lookupOrders(cardNumber: string): readonly OfferedOrder[] {
    const card = lastCard?.identity.cardNumber === cardNumber ? lastCard : null;
    return store.orders
      .offeredForCard(cardNumber)
      .filter((order) => {
        if (unsigned(order)) {
          log.error({ orderId: order.id }, "an order without a valid signature of the back office is in the store: not offered");
          return false;
        }
        if (lostInRestore(order)) {
          log.error({ orderId: order.id, serial: order.serial }, 'an order cached here has a serial the back office never handed out (lost in a restore): not offered');
          return false;
        }
        // Already on the card (a write that landed at another kiosk, not reported yet):
        // not offered again; the kiosk that wrote it reports it.
        const held = card !== null && onCard(card, order) === 'applied';
        if (held) log.info({ orderId: order.id }, 'order already on the card: not offered');
        return !held;
      })
      .map(toOfferedOrder);
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
    // The travel log too (CardSummary.journeys), on a card that has one. It is optional: a log
    // that cannot be read leaves the journeys out, and the traveller still collects orders.
    try {
      decoded = await withJourneys(access, codec, decoded, signal);
    } catch (error) {
      if (error instanceof CardGoneError || signal?.aborted) throw readFailure('unreadable', error instanceof Error ? error.message : String(error));
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'the travel log could not be read: the card is read without its journeys');
    }
    const settled = settle(decoded) ?? codeToShowAgain(decoded);
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
      ...(decoded.journeys ? { journeys: knownJourneys(decoded.journeys) } : {}),
    };
  }

  /** Journeys at stations this kiosk knows (a station added to the network after its software is left out, logged). */
  function knownJourneys(journeys: readonly CardJourney[]): CardJourney[] {
    const known = journeys.filter((j) => isStationCode(j.checkIn.station) && (j.checkOut === null || isStationCode(j.checkOut.station)));
    if (known.length < journeys.length) log.warn({ left: journeys.length - known.length }, 'journeys at stations this kiosk does not know: not shown');
    return known;
  }

  /** The open attempt for this order and card, or a new one. */
  function attemptFor(input: DeliverInput): { delivery: DeliveryRecord; order: OrderRecord } | { done: StoredOutcome; order: OrderRecord } {
    const order = store.orders.get(input.order.id);
    if (!order || order.cardNumber !== input.cardNumber) throw deliveryFailure('orderUnavailable');
    const open = store.deliveries.unsettledForCard(input.cardNumber).find((d) => d.orderId === order.id);
    if (open) return { delivery: open, order };
    // Finished by an earlier, interrupted conversation (for instance, the card left just
    // after the journal said "written"): show that result again; nothing is written.
    const done = store.deliveries
      .forOrder(order.id)
      .find((d) => (d.state === 'written' || d.state === 'reported') && d.cardNumber === input.cardNumber);
    if (done?.outcome) return { done: done.outcome, order };
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

  /** An attempt finished by an earlier conversation: its outcome again (a code opened with the card on the reader). */
  async function shownAgain(input: DeliverInput, done: StoredOutcome, order: OrderRecord, signal?: AbortSignal): Promise<DeliveryOutcome> {
    if (done.kind !== 'kaartservicecode') return done;
    const access = accessFor(input.uid);
    if (!access) throw deliveryFailure('cardRemoved');
    let card: DecodedCard;
    try {
      card = await readCard(access, codec, signal);
    } catch (error) {
      throw deliveryFailure('cardRemoved', error instanceof Error ? error.message : String(error));
    }
    if (card.identity.cardNumber !== input.cardNumber) throw deliveryFailure('wrongCard');
    const outcome = reveal(done, card, order.id);
    if (!outcome) throw deliveryFailure('codeLocked', 'the card cannot open the kaartservicecode sealed to it');
    return outcome;
  }

  async function deliverNow(input: DeliverInput, signal?: AbortSignal, retried = false): Promise<DeliveryOutcome> {
    let attempt: ReturnType<typeof attemptFor>;
    try {
      attempt = attemptFor(input);
    } catch (error) {
      if (error instanceof KioskFailure) throw error;
      // The journal could not take the attempt (disk full, read-only, damaged): nothing was
      // written to the card. Logged here, since there is no attempt to carry it.
      log.error({ orderId: input.order.id, err: error }, 'delivery failed: the attempt could not be journalled; nothing was written');
      throw deliveryFailure('internal', error instanceof Error ? error.message : String(error));
    }
    if ('done' in attempt) return shownAgain(input, attempt.done, attempt.order, signal);
    const { delivery, order } = attempt;
    const access = accessFor(input.uid);
    if (!access) throw deliveryFailure('cardRemoved');
    let writing = false;
    // Nothing was written yet: the attempt can end here, and the order is offered again.
    // If the journal cannot say so now (a storage fault), the attempt stays open: the next
    // read of this card settles it from the card's ledger.
    const giveUp = (reason: string) => {
      if (writing) return;
      try {
        store.deliveries.abandon(delivery.id, reason);
      } catch (error) {
        log.error({ deliveryId: delivery.id, orderId: order.id, reason, err: error }, 'could not journal the attempt as abandoned: it stays open');
      }
    };
    try {
      const card = await readCard(access, codec, signal);
      if (card.identity.cardNumber !== input.cardNumber) {
        giveUp('wrongCard');
        throw deliveryFailure('wrongCard');
      }
      if (unsigned(order)) {
        giveUp('no valid signature');
        log.error({ deliveryId: delivery.id, orderId: order.id }, "not written: the order has no valid signature of the back office");
        throw deliveryFailure('orderUnavailable', 'the order is not signed by the back office');
      }
      if (lostInRestore(order)) {
        giveUp('lost in a back office restore');
        log.error({ deliveryId: delivery.id, orderId: order.id, serial: order.serial }, 'not written: the back office never handed out this serial (lost in a restore)');
        throw deliveryFailure('orderUnavailable', 'the back office no longer has this order');
      }
      // A kaartservicecode opens only with the key on its card: a card without one (or with
      // another card's) gets nothing written and is told why.
      if (order.payload.kind === 'kaartservicecode' && !reveal(order.payload, card, order.id)) {
        giveUp('the card cannot open the kaartservicecode');
        throw deliveryFailure('codeLocked', 'the card cannot open the kaartservicecode sealed to it');
      }
      // The ledger check right before the write: an order the card holds is never
      // written again, whatever this kiosk's journal says (released, settled elsewhere).
      const read = ledgerOf(card);
      // The mark moves over serials the back office never handed out (after a restore), so
      // that the next serials fit the card's window.
      const ledger = read && ledgerSkipping(read, store.sync.voids(card.identity.cardNumber));
      const verdict = onCard(card, order);
      if (verdict === 'applied' || (ledger !== null && order.serial !== null && ledgerCovers(ledger, order.serial))) {
        if (writtenElsewhere(delivery, order)) {
          // Not this kiosk's write (an offline kiosk's stale cache, say): nothing to write,
          // nothing to report; the kiosk that wrote it reports it.
          giveUp('on the card, written at another kiosk');
          log.warn({ deliveryId: delivery.id, orderId: order.id }, 'order already on the card, written elsewhere: not written again');
          throw deliveryFailure('orderUnavailable', 'the order is already on the card');
        }
        const stored = outcomeOnCard(card.state, order.payload);
        store.deliveries.complete(delivery.id, stored);
        log.info({ deliveryId: delivery.id, orderId: order.id }, 'already on the card: recorded, not written');
        const outcome = reveal(stored, card, order.id);
        if (!outcome) throw deliveryFailure('codeLocked', 'the card cannot open the kaartservicecode sealed to it');
        return outcome;
      }
      if (order.serial === null) {
        giveUp('no serial');
        throw deliveryFailure('orderUnavailable', 'the order has no serial yet: wait for sync');
      }
      if (ledger === null && verdict !== 'notApplied') {
        // A v1 card whose full journal may have forgotten this order: nothing proves it absent.
        giveUp('v1 card cannot tell');
        log.warn({ deliveryId: delivery.id, orderId: order.id }, 'v1 card with a full journal: not written, it cannot prove the order absent');
        throw deliveryFailure('orderUnavailable', 'the card cannot tell whether it holds this order');
      }
      // (In v1 the ledger argument only has to accept the serial; it is not written.)
      const result = applyOrder(card.state, ledger ?? { ...EMPTY_LEDGER, lowWater: order.serial - 1 }, order.payload, order.serial, today());
      // Staying v1: the order goes into the card's journal instead of a ledger.
      const applied =
        result.ok && ledger === null
          ? {
              ...result,
              next: { ...result.next, ledger: undefined, journal: [codec.orderToken(order.id), ...card.state.journal].slice(0, JOURNAL_ENTRIES) },
            }
          : result;
      if (!applied.ok) {
        giveUp(applied.failure);
        if (applied.failure === 'ledgerFull') {
          log.error(
            { orderId: order.id, serial: order.serial, lowWater: ledger?.lowWater ?? null, window: LEDGER_WINDOW },
            "the card's ledger cannot record this order: ask the back office to close the card's older orders",
          );
          throw deliveryFailure('orderUnavailable', "the card's ledger is full: ask the back office to close older orders");
        }
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
      const outcome = reveal(applied.outcome, card, order.id);
      if (!outcome) throw deliveryFailure('codeLocked', 'the card cannot open the kaartservicecode sealed to it');
      return outcome;
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
    lookupOrders,
    deliver: (input, signal) => exclusive(() => deliverNow(input, signal)),
    settle,
  };
}
