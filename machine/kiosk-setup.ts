// The kiosk machine's vocabulary: its context, the actors kiosk/ provides, and the named
// guards, actions and delays the chart (kiosk-machine.ts, session.ts) refers to.
import { assertEvent, assign, cancel, enqueueActions, forwardTo, fromCallback, setup } from 'xstate';
import { DELAYS, delayFor, type DelayName } from './delays.js';
import type { KioskEvent } from './events.js';
import { maintenanceMachine } from './maintenance-machine.js';
import { notProvided } from './not-provided.js';
import {
  DEFAULT_LANGUAGE,
  DELIVERY_FAILURES,
  NO_ASSIST,
  RETRYABLE_FAILURES,
  collectAll,
  failureCode,
  orderBlock,
  type Assist,
  type CardSummary,
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
};

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
    children: {} as { maintenance: 'maintenance'; printReceipt: 'printReceipt' },
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
