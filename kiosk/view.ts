// The machine's snapshot as the renderer may see it: no full card numbers, no
// kaartservicecode before it is delivered.
import { delayFor, type DelayName } from '../machine/delays.js';
import {
  claimAmount,
  forgottenCheckOutRefund,
  journeyOf,
  maintenanceOf,
  refundOrderId,
  type KioskContext,
  type KioskSnapshot,
  type MaintenanceContext,
} from '../machine/kiosk-machine.js';
import {
  STATIONS,
  canPrint,
  journeyId,
  orderBlock,
  type CardJourney,
  type CardSummary,
  type OfferedOrder,
  type OrderListChange,
  type PrinterCondition,
  type ReaderPosition,
  type StationCode,
} from '../domain/index.js';
import type { CardView, JourneyView, KioskView, MaintenanceView, OrderListChangeView, OrderView, ReceiptView, Screen } from './contract.js';
import { CODE_SHOWN_AGAIN_MS } from './delivery.js';

export interface ViewOptions {
  readonly demo: boolean;
  readonly serviceKey: string;
  /** Builds the maintenance screen's content (status, logs) for the authenticated pages. */
  readonly maintenance: (context: MaintenanceContext, busy: boolean) => MaintenanceView;
  /** The receipt printer's condition (null: not known yet); absent: the station has none. */
  readonly printer?: () => PrinterCondition | null;
  /** How many orders a card may collect now (the menu says so). */
  readonly waitingOrders?: (cardNumber: string) => number;
  /** Where the reader is on this cabinet (station configuration). */
  readonly readerPosition?: ReaderPosition;
  /** Whether this order is in the kiosk's cache, to be collected by this card now. */
  readonly hasOrder?: (cardNumber: string, orderId: string) => boolean;
}

/** The receipt's part of a screen: nothing at all at a station without a printer. */
function receiptView(snapshot: KioskSnapshot, options: ViewOptions): { receipt?: ReceiptView } {
  if (!options.printer) return {};
  return { receipt: { available: canPrint(options.printer()), state: snapshot.context.receipt } };
}

/** A delay as the machine applies it to this traveller ("more time" included). */
function stretched(name: DelayName, snapshot: KioskSnapshot): number {
  return delayFor(name, snapshot.context.assist);
}

export function maskCardNumber(cardNumber: string): string {
  return `•••• •••• •••• ${cardNumber.slice(-4)}`;
}

function cardView(card: CardSummary | null): CardView {
  if (!card) return { maskedNumber: '', balanceCents: 0, expiry: '' };
  return { maskedNumber: maskCardNumber(card.cardNumber), balanceCents: card.balanceCents, expiry: card.expiry };
}

/** Copies field by field, so nothing that a future OfferedOrder gains leaks by accident. */
function orderView(order: OfferedOrder): OrderView {
  const base = { id: order.id, orderedAt: order.orderedAt, expiresAt: order.expiresAt ?? null };
  switch (order.kind) {
    case 'kaartservicecode':
      return { ...base, kind: order.kind };
    case 'product':
      return {
        ...base,
        kind: order.kind,
        productCode: order.productCode,
        validFrom: order.validFrom,
        validUntil: order.validUntil,
      };
    case 'topup':
      return { ...base, kind: order.kind, amountCents: order.amountCents };
    default: {
      const unreachable: never = order;
      throw new Error(`unknown order ${JSON.stringify(unreachable)}`);
    }
  }
}

/** An order on the list, with why it cannot be chosen for this card (if it cannot). */
function listedOrderView(order: OfferedOrder, card: CardSummary | null): OrderView {
  return { ...orderView(order), blocked: orderBlock(order, card?.balanceCents ?? 0) };
}

function changeView(change: OrderListChange | null): OrderListChangeView | null {
  if (!change || (change.added === 0 && change.gone.length === 0)) return null;
  return { added: change.added, gone: change.gone.map(({ order, reason }) => ({ order: orderView(order), reason })) };
}

/** A journey from the card, with what the back office said of it; copied field by field. */
function journeyView(snapshot: KioskSnapshot, journey: CardJourney): JourneyView {
  const id = journeyId(journey);
  const assessed = snapshot.context.assessment?.find((a) => a.journeyId === id) ?? null;
  return {
    id,
    from: journey.checkIn.station,
    to: journey.checkOut?.station ?? null,
    checkedInAt: journey.checkIn.at,
    checkedOutAt: journey.checkOut?.at ?? null,
    chargedCents: journey.chargedCents,
    money: assessed
      ? {
          status: assessed.status,
          kind: assessed.kind,
          delayMinutes: assessed.delayMinutes,
          amountCents: assessed.amountCents,
          reason: assessed.reason,
          decisionAfter: assessed.decisionAfter,
        }
      : null,
    claimable: snapshot.matches({ session: 'journeys' }) && snapshot.can({ type: 'SELECT_JOURNEY', journeyId: id }),
  };
}

function chosenJourneyView(snapshot: KioskSnapshot): JourneyView | null {
  const chosen = journeyOf(snapshot.context, snapshot.context.chosenJourney);
  return chosen ? journeyView(snapshot, chosen.journey) : null;
}

/** A refund claimed in this session that the open list does not show yet. */
function refundComing(c: KioskContext): { refundComing?: boolean } {
  const orderId = refundOrderId(c.claimOutcome);
  if (orderId === null) return {};
  return { refundComing: !c.orders.some((order) => order.id === orderId) };
}

function screenOf(snapshot: KioskSnapshot, options: ViewOptions): Screen {
  const c = snapshot.context;
  const card = cardView(c.card);
  const selected = c.selectedOrder ? orderView(c.selectedOrder) : null;
  if (snapshot.matches('outOfService') || snapshot.matches('serviceCheck')) {
    // A fault first: whatever else holds, this machine cannot help until it is gone.
    if (c.fault) return { name: 'outOfService', reason: 'fault', serviceReason: c.serviceReason, fault: c.fault };
    if (c.serviceReason) return { name: 'outOfService', reason: 'manual', serviceReason: c.serviceReason, fault: null };
    return { name: 'outOfService', reason: c.readerStatus === null ? 'starting' : 'noReader', serviceReason: null, fault: null };
  }
  // A technician at work: the screens are the maintenance machine's.
  const technician = maintenanceOf(snapshot);
  if (technician) {
    const m = technician.context;
    if (technician.matches('technicianCard')) return { name: 'technicianCard' };
    if (technician.matches('pin')) {
      return { name: 'pin', entry: m.entry, wrongPin: m.wrongPin, attemptsLeft: m.attemptsLeft };
    }
    if (technician.matches('checkingPin')) return { name: 'checkingPin' };
    if (technician.matches('locked')) return { name: 'pinLocked', minutesLeft: m.minutesLeft };
    const busy = technician.matches('working') || technician.matches('inspecting');
    return { name: 'maintenance', maintenance: options.maintenance(m, busy) };
  }
  if (snapshot.matches('idle')) return { name: 'idle', readerPosition: options.readerPosition ?? 'below-screen' };
  if (snapshot.matches({ session: 'readingCard' })) return { name: 'readingCard' };
  if (snapshot.matches({ session: 'unknownCard' })) return { name: 'unknownCard', reason: c.readFailure ?? 'unreadable' };
  if (snapshot.matches({ session: 'menu' })) {
    const waiting = c.card && options.waitingOrders ? options.waitingOrders(c.card.cardNumber) : undefined;
    return waiting === undefined ? { name: 'menu', card } : { name: 'menu', card, waiting };
  }
  if (snapshot.matches({ session: 'loadingOrders' })) return { name: 'loadingOrders', card };
  if (snapshot.matches({ session: 'orders' })) {
    const orders = c.orders.map((order) => listedOrderView(order, c.card));
    return { name: 'orders', card, orders, change: changeView(c.orderChange), collectAll: snapshot.can({ type: 'PICKUP_ALL' }), ...refundComing(c) };
  }
  if (snapshot.matches({ session: 'noOrders' })) return { name: 'noOrders', card, change: changeView(c.orderChange), ...refundComing(c) };
  if (snapshot.matches({ session: 'loadingJourneys' })) return { name: 'loadingJourneys', card };
  if (snapshot.matches({ session: 'journeys' })) {
    const journeys = (c.card?.journeys ?? []).map((journey) => journeyView(snapshot, journey));
    return { name: 'journeys', card, journeys, unavailable: c.assessment === null ? (c.journeysFailure ?? 'unreachable') : null };
  }
  const chosen = chosenJourneyView(snapshot);
  const chosenJourney = journeyOf(c, c.chosenJourney)?.journey;
  if (snapshot.matches({ session: 'chooseDestination' }) && chosen && chosenJourney) {
    const destinations = (Object.keys(STATIONS) as StationCode[])
      .map((station) => ({ station, refundCents: forgottenCheckOutRefund(chosenJourney, station) }))
      .filter(({ station }) => snapshot.can({ type: 'SELECT_DESTINATION', station }));
    return { name: 'chooseDestination', journey: chosen, destinations };
  }
  if (snapshot.matches({ session: 'confirmClaim' }) && chosen) {
    return { name: 'confirmClaim', journey: chosen, kind: chosen.money?.kind ?? 'delay', amountCents: claimAmount(c), destination: c.destination };
  }
  if (snapshot.matches({ session: 'claiming' }) && chosen) return { name: 'claiming', journey: chosen };
  if (snapshot.matches({ session: 'claimResult' })) {
    const orderId = refundOrderId(c.claimOutcome);
    const cardNumber = c.card?.cardNumber;
    return {
      name: 'claimResult',
      journey: chosen,
      outcome: c.claimOutcome,
      failure: c.claimFailure,
      pickup: snapshot.can({ type: 'PICKUP' }),
      refundReady: orderId !== null && cardNumber !== undefined && (options.hasOrder?.(cardNumber, orderId) ?? false),
    };
  }
  if (snapshot.matches({ session: 'confirm' }) && selected) {
    return { name: 'confirm', card, order: selected, also: c.queue.map(orderView), ...receiptView(snapshot, options) };
  }
  if (snapshot.matches({ session: 'cardRemoved' })) return { name: 'cardRemoved' };
  if (snapshot.matches({ session: 'takeCard' })) return { name: 'takeCard' };
  if (snapshot.matches({ session: 'delivering' }) && selected) return { name: 'delivering', order: selected };
  const cardGone = snapshot.matches({ session: 'deliveredCardGone' });
  if ((snapshot.matches({ session: 'delivered' }) || cardGone) && selected && c.outcome) {
    return {
      name: 'delivered',
      order: selected,
      outcome: c.outcome,
      collected: c.collected.map(({ order, outcome }) => ({ order: orderView(order), outcome })),
      cardGone,
      graceSeconds: Math.round(stretched('deliveredGrace', snapshot) / 1000),
      moreOrders: c.orders.some((order) => order.id !== selected.id && !c.collected.some((done) => done.order.id === order.id)),
      shownAgainHours: Math.round(CODE_SHOWN_AGAIN_MS / 3_600_000),
      ...receiptView(snapshot, options),
    };
  }
  if (snapshot.matches({ session: 'interrupted' }) && selected) {
    return {
      name: 'interrupted',
      order: selected,
      differentCard: c.differentCard,
      deadlineSeconds: Math.round(stretched('interruptedDeadline', snapshot) / 1000),
    };
  }
  if (snapshot.matches({ session: 'failed' })) {
    // A button is offered only where the machine would act on it (its guards decide).
    return {
      name: 'failed',
      reason: c.deliveryFailure ?? 'internal',
      collected: c.collected.map(({ order }) => orderView(order)),
      retry: snapshot.can({ type: 'PICKUP' }),
      chooseAnother: snapshot.can({ type: 'BACK' }),
    };
  }
  throw new Error(`no screen for state ${JSON.stringify(snapshot.value)}`);
}

export function toView(snapshot: KioskSnapshot, options: ViewOptions): KioskView {
  return {
    language: snapshot.context.language,
    assist: snapshot.context.assist,
    timing: {
      warningSeconds: stretched('inactivityWarning', snapshot) / 1000,
      resetSeconds: stretched('inactivityReset', snapshot) / 1000,
    },
    screen: screenOf(snapshot, options),
    // "Bent u er nog?" on a technician's screen is the maintenance machine's.
    inactivityWarning: (maintenanceOf(snapshot) ?? snapshot).context.inactivityWarning,
    demo: options.demo,
    serviceKey: options.serviceKey,
  };
}
