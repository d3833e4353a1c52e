// The kiosk machine's vocabulary: its context, the actors kiosk/ provides, and the named
// guards, actions and delays the chart (kiosk-machine.ts, session.ts) refers to.
import { assertEvent, assign, cancel, enqueueActions, forwardTo, fromCallback, setup } from 'xstate';
import { DELAYS, delayFor, type DelayName } from './delays.js';
import type { KioskEvent } from './events.js';
import { maintenanceMachine } from './maintenance-machine.js';
import { notProvided } from './not-provided.js';
import {
  DEFAULT_LANGUAGE,
  fareCents,
  isStationCode,
  journeyId,
  DELIVERY_FAILURES,
  NO_ASSIST,
  RETRYABLE_FAILURES,
  collectAll,
  failureCode,
  orderBlock,
  type Assist,
  type BackOfficeFailure,
  type CardJourney,
  type CardSummary,
  type ClaimKind,
  type ClaimOutcome,
  type JourneyAssessment,
  type StationCode,
  type CollectedOrder,
  type DeliveryFailure,
  type DeliveryOutcome,
  type Fault,
  type Language,
  type OfferedOrder,
  type OrderListChange,
  type ReadFailure,
  type ReaderStatus,
  type ReceiptState,
  type ServiceReason,
} from '../domain/index.js';

export interface DeliverInput {
  readonly uid: string;
  readonly cardNumber: string;
  readonly order: OfferedOrder;
}

/** What the `watchOrders` actor follows: this card's open list, as the traveller sees it. */
export interface WatchOrdersInput {
  readonly cardNumber: string;
  readonly orders: readonly OfferedOrder[];
}

/** What the `assessJourneys` actor asks the back office: this card's travel log. */
export interface AssessJourneysInput {
  readonly cardNumber: string;
  readonly journeys: readonly CardJourney[];
}

/** What the `claim` actor claims: one journey of the card on the reader. */
export interface ClaimInput {
  readonly cardNumber: string;
  readonly journey: CardJourney;
  readonly kind: ClaimKind;
  /** A forgotten check-out: where the traveller says they travelled to. */
  readonly destination: StationCode | null;
}

export interface KioskInput {
  /** Out of service as a technician left it (persisted across restarts). */
  readonly serviceReason: ServiceReason | null;
  /** The station has a receipt printer ("Bon afdrukken" is offered). */
  readonly receiptPrinter?: boolean;
}

/** What the `printReceipt` actor prints: every order delivered in the run, for this card. */
export interface PrintReceiptInput {
  readonly cardNumber: string;
  readonly language: Language;
  readonly items: readonly CollectedOrder[];
}

export interface KioskContext {
  language: Language;
  assist: Assist;
  serviceReason: ServiceReason | null;
  /** A fault (storage) that keeps the machine out of service until it is gone. */
  fault: Fault | null;
  readerStatus: ReaderStatus | null;
  /** UID of the card on the reader, or of the card being delivered to while interrupted. */
  uid: string | null;
  cardPresent: boolean;
  /** The card read: a traveller's, or the technician's while maintenance runs. */
  card: CardSummary | null;
  orders: readonly OfferedOrder[];
  selectedOrder: OfferedOrder | null;
  /** "Alles ophalen": the orders still to deliver after the selected one. */
  queue: readonly OfferedOrder[];
  /** "Alles ophalen": the orders already delivered in this run, before the selected one. */
  collected: readonly CollectedOrder[];
  outcome: DeliveryOutcome | null;
  readFailure: ReadFailure | null;
  deliveryFailure: DeliveryFailure | null;
  inactivityWarning: boolean;
  differentCard: boolean;
  /** What changed in the open list while it was up (announced), since it was looked up. */
  orderChange: OrderListChange | null;
  /** The station has a receipt printer. */
  receiptPrinter: boolean;
  /** The receipt of what the delivered screen shows. */
  receipt: ReceiptState;
  /** "Reizen en Geld Terug": the back office's word on each journey of the card, in its order; null: none to be had. */
  assessment: readonly JourneyAssessment[] | null;
  /** Why there is no assessment (the journeys are shown from the card alone). */
  journeysFailure: BackOfficeFailure | null;
  /** The journey being claimed (its id), and for a forgotten check-out the destination named. */
  chosenJourney: string | null;
  destination: StationCode | null;
  /** What the claim got, or why it got no answer. */
  claimOutcome: ClaimOutcome | null;
  claimFailure: BackOfficeFailure | null;
}

export const initialContext: KioskContext = {
  language: DEFAULT_LANGUAGE,
  assist: NO_ASSIST,
  serviceReason: null,
  fault: null,
  readerStatus: null,
  uid: null,
  cardPresent: false,
  card: null,
  orders: [],
  selectedOrder: null,
  queue: [],
  collected: [],
  outcome: null,
  readFailure: null,
  deliveryFailure: null,
  inactivityWarning: false,
  differentCard: false,
  orderChange: null,
  receiptPrinter: false,
  receipt: 'none',
  assessment: null,
  journeysFailure: null,
  chosenJourney: null,
  destination: null,
  claimOutcome: null,
  claimFailure: null,
};

/** The card's journey with this id, and what the back office said of it (if it was asked). */
export function journeyOf(context: KioskContext, id: string | null): { journey: CardJourney; assessed: JourneyAssessment | null } | null {
  const journey = context.card?.journeys?.find((j) => journeyId(j) === id);
  if (!journey) return null;
  return { journey, assessed: context.assessment?.find((a) => a.journeyId === id) ?? null };
}

/**
 * What a forgotten check-out to `destination` gives back: the boarding amount charged less
 * the fare of the journey made (the back office decides; this is what the kiosk shows).
 */
export function forgottenCheckOutRefund(journey: CardJourney, destination: StationCode): number {
  if (!isStationCode(destination) || !isStationCode(journey.checkIn.station) || destination === journey.checkIn.station) return 0;
  return Math.max(0, journey.chargedCents - fareCents(journey.checkIn.station, destination));
}

/** What the claim being confirmed is for, in euro cents (null: not known). */
export function claimAmount(context: KioskContext): number | null {
  const chosen = journeyOf(context, context.chosenJourney);
  if (!chosen?.assessed) return null;
  if (chosen.assessed.kind === 'forgottenCheckOut') return context.destination ? forgottenCheckOutRefund(chosen.journey, context.destination) : null;
  return chosen.assessed.amountCents;
}

/** The refund order a claim made in this session gave the card, if any. */
export function refundOrderId(outcome: ClaimOutcome | null): string | null {
  if (outcome?.status === 'granted') return outcome.orderId;
  if (outcome?.status === 'alreadyClaimed') return outcome.orderId;
  return null;
}

/** A traveller's delay: "more time" stretches the ones that hurry them (delays.ts). */
const travellerDelay =
  (name: DelayName) =>
  ({ context }: { context: KioskContext }) =>
    delayFor(name, context.assist);

/** The id of the idle screen's delayed IDLE_CHOICES_EXPIRED. */
const IDLE_CHOICES_TIMER = 'idleChoices';

export const kioskSetup = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    input: {} as KioskInput,
    children: {} as { maintenance: 'maintenance'; printReceipt: 'printReceipt'; assessJourneys: 'assessJourneys'; claim: 'claim' },
  },
  actors: {
    /** Source of CARD_PRESENT / CARD_REMOVED / READER_STATUS. */
    cardEvents: fromCallback<KioskEvent>(() => () => undefined),
    /** Reads the card (settling any open delivery for it). Rejects with a ReadFailure. */
    readCard: notProvided<CardSummary, { uid: string }>('readCard'),
    /** The orders this card may collect now. */
    lookupOrders: notProvided<readonly OfferedOrder[], { cardNumber: string }>('lookupOrders'),
    /** Delivers (or resumes delivering) one order to the card. Rejects with a DeliveryFailure. */
    deliver: notProvided<DeliveryOutcome, DeliverInput>('deliver'),
    /** Follows the order cache while the list is open; sends ORDERS_CHANGED when it differs. */
    watchOrders: fromCallback<KioskEvent, WatchOrdersInput>(() => () => undefined),
    /** Prints the receipt of a delivery (once: a second one resolves `alreadyPrinted`). Rejects when it did not print. */
    printReceipt: notProvided<'printed' | 'alreadyPrinted', PrintReceiptInput>('printReceipt'),
    /** The back office's assessment of each journey of the card. Rejects with a BackOfficeFailure. */
    assessJourneys: notProvided<readonly JourneyAssessment[], AssessJourneysInput>('assessJourneys'),
    /** Claims money back for one journey. Rejects with a BackOfficeFailure. */
    claim: notProvided<ClaimOutcome, ClaimInput>('claim'),
    /** A technician at work: the child machine of the `maintenance` state. */
    maintenance: maintenanceMachine,
  },
  delays: {
    inactivityWarning: travellerDelay('inactivityWarning'),
    inactivityReset: travellerDelay('inactivityReset'),
    readTimeout: travellerDelay('readTimeout'),
    deliveryTimeout: travellerDelay('deliveryTimeout'),
    interruptedDeadline: travellerDelay('interruptedDeadline'),
    deliveredGrace: travellerDelay('deliveredGrace'),
    cardRemovedNotice: travellerDelay('cardRemovedNotice'),
    takeCardReminder: travellerDelay('takeCardReminder'),
    assessTimeout: travellerDelay('assessTimeout'),
    claimTimeout: travellerDelay('claimTimeout'),
    idleChoicesReset: DELAYS.idleChoicesReset,
  },
  guards: {
    readerGone: ({ event }) => event.type === 'READER_STATUS' && event.status === 'no_reader',
    readerUsable: ({ event }) => event.type === 'READER_STATUS' && event.status !== 'no_reader',
    readerCardError: ({ event }) => event.type === 'READER_STATUS' && event.status === 'card_error',
    isTechnicianCard: (_, { card }: { card: CardSummary }) => card.kind === 'technician',
    /** Reading the card settled a delivery it turned out to hold. */
    settledADelivery: (_, { card }: { card: CardSummary }) => Boolean(card.settled),
    noOrders: (_, { orders }: { orders: readonly OfferedOrder[] }) => orders.length === 0,
    cardRemovedFailure: (_, { error }: { error: unknown }) =>
      failureCode(error, DELIVERY_FAILURES, 'internal') === 'cardRemoved',
    /** An order on the list that can be delivered to this card (not a top-up past its limit). */
    isOfferedOrder: ({ context, event }) => {
      assertEvent(event, 'SELECT_ORDER');
      const order = context.orders.find((o) => o.id === event.orderId);
      return order !== undefined && orderBlock(order, context.card?.balanceCents ?? 0) === null;
    },
    /** "Alles ophalen" is offered when more than one order can be collected together. */
    severalToCollect: ({ context }) => collectAll(context.orders, context.card?.balanceCents ?? 0).length > 1,
    /** "Alles ophalen" has another order to deliver after this one. */
    moreQueued: ({ context }) => context.queue.length > 0,
    noOrdersLeft: ({ event }) => event.type === 'ORDERS_CHANGED' && event.orders.length === 0,
    /** The session ends with a card on the reader: the traveller is asked to take it. */
    cardStillThere: ({ context }) => context.cardPresent,
    /** Trying the same order again may work: the card is there and the failure may pass. */
    retryCanHelp: ({ context }) =>
      context.cardPresent && context.card !== null && RETRYABLE_FAILURES.includes(context.deliveryFailure ?? 'internal'),
    /**
     * Another order may be chosen instead: the card is there, and the failure happened
     * before anything was written (a retryable one may have left an attempt to settle).
     */
    canChooseAnother: ({ context }) =>
      context.cardPresent &&
      context.card !== null &&
      context.deliveryFailure !== null &&
      context.deliveryFailure !== 'cardRemoved' &&
      !RETRYABLE_FAILURES.includes(context.deliveryFailure),
    isSameCard: ({ context, event }) => {
      assertEvent(event, 'CARD_PRESENT');
      return event.uid === context.uid;
    },
    /** "Bon afdrukken": a printer, something delivered, and no receipt printed or printing for it. */
    canPrintReceipt: ({ context }) =>
      context.receiptPrinter && context.outcome !== null && context.card !== null && (context.receipt === 'none' || context.receipt === 'failed'),
    receiptPrinting: ({ context }) => context.receipt === 'printing',
    /** The card has no travel log (or an empty one): nothing to ask the back office. */
    noJourneysOnCard: ({ context }) => (context.card?.journeys?.length ?? 0) === 0,
    /** A journey the back office called eligible for money back after a delay. */
    delayClaimable: ({ context, event }) => {
      assertEvent(event, 'SELECT_JOURNEY');
      const assessed = journeyOf(context, event.journeyId)?.assessed;
      return assessed?.status === 'eligible' && assessed.kind === 'delay' && (assessed.amountCents ?? 0) > 0;
    },
    /** A journey checked in and never out, eligible: the destination is asked first. */
    forgottenCheckOutClaimable: ({ context, event }) => {
      assertEvent(event, 'SELECT_JOURNEY');
      const chosen = journeyOf(context, event.journeyId);
      return chosen?.assessed?.status === 'eligible' && chosen.assessed.kind === 'forgottenCheckOut' && chosen.journey.checkOut === null;
    },
    /** A station of the network, not the one checked in at, with something to give back. */
    validDestination: ({ context, event }) => {
      assertEvent(event, 'SELECT_DESTINATION');
      const chosen = journeyOf(context, context.chosenJourney);
      return chosen !== null && forgottenCheckOutRefund(chosen.journey, event.station) > 0;
    },
    /** The claim gave the card a refund order to collect at Ophalen bestelling. */
    claimHasRefund: ({ context }) => refundOrderId(context.claimOutcome) !== null,
    cardOnReader: ({ context }) => context.cardPresent && context.card !== null,
    readerIsGone: ({ context }) => context.readerStatus === 'no_reader',
    manuallyOutOfService: ({ context }) => context.serviceReason !== null,
    readerMissing: ({ context }) => context.readerStatus === 'no_reader' || context.readerStatus === null,
    faulted: ({ context }) => context.fault !== null,
  },
  actions: {
    resetSession: assign(({ context }) => ({
      ...initialContext,
      readerStatus: context.readerStatus,
      serviceReason: context.serviceReason,
      fault: context.fault,
      receiptPrinter: context.receiptPrinter,
    })),
    setFault: assign({
      fault: ({ event }) => {
        assertEvent(event, 'FAULT');
        return event.fault;
      },
    }),
    clearFault: assign({ fault: null }),
    setAssist: assign({
      assist: ({ context, event }) => {
        assertEvent(event, 'SET_ASSIST');
        return { ...context.assist, [event.option]: event.on };
      },
    }),
    setLanguage: assign({
      language: ({ event }) => {
        assertEvent(event, 'SET_LANGUAGE');
        return event.language;
      },
    }),
    setReaderStatus: assign({
      readerStatus: ({ event }) => {
        assertEvent(event, 'READER_STATUS');
        return event.status;
      },
    }),
    cardArrived: assign({
      uid: ({ event }) => {
        assertEvent(event, 'CARD_PRESENT');
        return event.uid;
      },
      cardPresent: true,
    }),
    cardLeft: assign({ cardPresent: false }),
    /** The open list follows the cache; what changed is kept to be announced. */
    noteOrderChange: assign(({ context, event }) => {
      assertEvent(event, 'ORDERS_CHANGED');
      const before = new Set(context.orders.map((order) => order.id));
      return {
        orders: event.orders,
        orderChange: { added: event.orders.filter((order) => !before.has(order.id)).length, gone: event.gone },
      };
    }),
    showInactivityWarning: assign({ inactivityWarning: true }),
    clearInactivityWarning: assign({ inactivityWarning: false }),
    selectOrder: assign({
      selectedOrder: ({ context, event }) => {
        assertEvent(event, 'SELECT_ORDER');
        return context.orders.find((order) => order.id === event.orderId) ?? null;
      },
      queue: [],
      collected: [],
    }),
    /** "Alles ophalen": every order that can be delivered, one after the other. */
    selectAll: assign(({ context }) => {
      const [first, ...rest] = collectAll(context.orders, context.card?.balanceCents ?? 0);
      return { selectedOrder: first ?? null, queue: rest, collected: [] };
    }),
    /** "Bon afdrukken": the printer's actor lives beside the screens, so re-entering one does not stop it. */
    printReceipt: enqueueActions(({ context, enqueue }) => {
      const delivered = context.selectedOrder && context.outcome ? [{ order: context.selectedOrder, outcome: context.outcome }] : [];
      enqueue.assign({ receipt: 'printing' });
      enqueue.spawnChild('printReceipt', {
        id: 'printReceipt',
        input: { cardNumber: context.card?.cardNumber ?? '', language: context.language, items: [...context.collected, ...delivered] },
      });
    }),
    chooseJourney: assign({
      chosenJourney: ({ event }) => {
        assertEvent(event, 'SELECT_JOURNEY');
        return event.journeyId;
      },
      destination: null,
    }),
    chooseDestination: assign({
      destination: ({ event }) => {
        assertEvent(event, 'SELECT_DESTINATION');
        return event.station;
      },
    }),
    forgetClaim: assign({ chosenJourney: null, destination: null, claimOutcome: null, claimFailure: null }),
    /** The technician's input and the reader's events go on to the maintenance machine. */
    toMaintenance: forwardTo('maintenance'),
    /** A choice made on the idle screen: (re)start the wait after which it is reset. */
    awaitIdleChoices: enqueueActions(({ enqueue }) => {
      enqueue.cancel(IDLE_CHOICES_TIMER);
      enqueue.raise({ type: 'IDLE_CHOICES_EXPIRED' }, { id: IDLE_CHOICES_TIMER, delay: 'idleChoicesReset' });
    }),
    stopIdleChoicesWait: cancel(IDLE_CHOICES_TIMER),
    resetChoices: assign({ assist: NO_ASSIST, language: DEFAULT_LANGUAGE }),
  },
});
