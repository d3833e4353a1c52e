// The kiosk statechart: the single source of truth for what travellers see.
// Pure: actors that touch the card or the store are provided by kiosk/ with .provide().
import { assign, fromCallback, fromPromise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { DELAYS } from './delays.js';
import {
  DEFAULT_LANGUAGE,
  DELIVERY_FAILURES,
  READ_FAILURES,
  failureCode,
  type CardSummary,
  type DeliveryFailure,
  type DeliveryOutcome,
  type Language,
  type OfferedOrder,
  type ReadFailure,
  type ReaderStatus,
} from './types.js';

/** What the traveller can do (the renderer sends these, validated by the contract). */
export type TravellerEvent =
  | { type: 'PICKUP' }
  | { type: 'SELECT_ORDER'; orderId: string }
  | { type: 'CONFIRM' }
  | { type: 'CANCEL' }
  | { type: 'BACK' }
  | { type: 'STOP' }
  | { type: 'ACTIVITY' }
  | { type: 'SET_LANGUAGE'; language: Language };

/** What the card reader reports (sent by the `cardEvents` actor). */
export type ReaderEvent =
  | { type: 'CARD_PRESENT'; uid: string }
  | { type: 'CARD_REMOVED' }
  | { type: 'READER_STATUS'; status: ReaderStatus };

export type KioskEvent = TravellerEvent | ReaderEvent;

export interface DeliverInput {
  readonly uid: string;
  readonly cardNumber: string;
  readonly order: OfferedOrder;
}

export interface KioskContext {
  language: Language;
  readerStatus: ReaderStatus | null;
  /** UID of the card on the reader, or of the card being delivered to while interrupted. */
  uid: string | null;
  cardPresent: boolean;
  card: CardSummary | null;
  orders: readonly OfferedOrder[];
  selectedOrder: OfferedOrder | null;
  outcome: DeliveryOutcome | null;
  readFailure: ReadFailure | null;
  deliveryFailure: DeliveryFailure | null;
  inactivityWarning: boolean;
  differentCard: boolean;
}

const initialContext: KioskContext = {
  language: DEFAULT_LANGUAGE,
  readerStatus: null,
  uid: null,
  cardPresent: false,
  card: null,
  orders: [],
  selectedOrder: null,
  outcome: null,
  readFailure: null,
  deliveryFailure: null,
  inactivityWarning: false,
  differentCard: false,
};

function notProvided<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(async () => {
    throw new Error(`actor ${name} was not provided`);
  });
}

/**
 * Interactive screens share the inactivity rule: warn, then end the session; any
 * traveller activity re-enters the screen, which restarts both timers.
 */
function interactive(self: string) {
  return {
    entry: 'clearInactivityWarning',
    after: {
      inactivityWarning: { actions: 'showInactivityWarning' },
      inactivityReset: { target: '#kiosk.idle' },
    },
    on: { ACTIVITY: { target: self, reenter: true } },
  } as const;
}

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
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
  },
  delays: { ...DELAYS },
  guards: {
    readerGone: ({ event }) => event.type === 'READER_STATUS' && event.status === 'no_reader',
    readerUsable: ({ event }) => event.type === 'READER_STATUS' && event.status !== 'no_reader',
    readerCardError: ({ event }) => event.type === 'READER_STATUS' && event.status === 'card_error',
    isTechnicianCard: ({ event }) =>
      'output' in event && (event.output as CardSummary | undefined)?.kind === 'technician',
    noOrders: ({ event }) => 'output' in event && (event.output as readonly OfferedOrder[]).length === 0,
    isOfferedOrder: ({ context, event }) =>
      event.type === 'SELECT_ORDER' && context.orders.some((order) => order.id === event.orderId),
    isSameCard: ({ context, event }) => event.type === 'CARD_PRESENT' && event.uid === context.uid,
    cardRemovedFailure: ({ event }) =>
      'error' in event && failureCode(event.error, DELIVERY_FAILURES, 'internal') === 'cardRemoved',
    cardOnReader: ({ context }) => context.cardPresent && context.card !== null,
  },
  actions: {
    resetSession: assign(({ context }) => ({ ...initialContext, readerStatus: context.readerStatus })),
    setLanguage: assign({
      language: ({ context, event }) => (event.type === 'SET_LANGUAGE' ? event.language : context.language),
    }),
    setReaderStatus: assign({
      readerStatus: ({ context, event }) => (event.type === 'READER_STATUS' ? event.status : context.readerStatus),
    }),
    cardArrived: assign({
      uid: ({ context, event }) => (event.type === 'CARD_PRESENT' ? event.uid : context.uid),
      cardPresent: true,
    }),
    cardLeft: assign({ cardPresent: false }),
    showInactivityWarning: assign({ inactivityWarning: true }),
    clearInactivityWarning: assign({ inactivityWarning: false }),
    selectOrder: assign({
      selectedOrder: ({ context, event }) =>
        event.type === 'SELECT_ORDER'
          ? (context.orders.find((order) => order.id === event.orderId) ?? null)
          : context.selectedOrder,
    }),
  },
}).createMachine({
  id: 'kiosk',
  context: initialContext,
  initial: 'outOfService',
  // One listener at the root: no reader event is missed in any state.
  invoke: { id: 'cardEvents', src: 'cardEvents' },
  on: {
    SET_LANGUAGE: { actions: 'setLanguage' },
    READER_STATUS: [
      { guard: 'readerGone', target: '.outOfService', actions: ['setReaderStatus', 'cardLeft'] },
      { actions: 'setReaderStatus' },
    ],
  },
  states: {
    outOfService: {
      on: {
        READER_STATUS: { guard: 'readerUsable', target: 'idle', actions: 'setReaderStatus' },
      },
    },

    idle: {
      entry: 'resetSession',
      on: {
        CARD_PRESENT: { target: 'session.readingCard', actions: 'cardArrived' },
        READER_STATUS: [
          { guard: 'readerGone', target: 'outOfService', actions: 'setReaderStatus' },
          {
            guard: 'readerCardError',
            target: 'session.unknownCard',
            actions: ['setReaderStatus', assign({ readFailure: 'unreadable', cardPresent: true })],
          },
          { actions: 'setReaderStatus' },
        ],
      },
    },

    session: {
      initial: 'readingCard',
      on: {
        CARD_REMOVED: { target: 'idle' },
        STOP: { target: 'idle' },
      },
      states: {
        readingCard: {
          invoke: {
            id: 'readCard',
            src: 'readCard',
            input: ({ context }) => ({ uid: context.uid ?? '' }),
            onDone: [
              {
                guard: 'isTechnicianCard',
                target: 'unknownCard',
                actions: assign({ readFailure: 'serviceCard' as const }),
              },
              { target: 'menu', actions: assign({ card: ({ event }) => event.output }) },
            ],
            onError: {
              target: 'unknownCard',
              actions: assign({ readFailure: ({ event }) => failureCode(event.error, READ_FAILURES, 'unreadable') }),
            },
          },
          after: {
            readTimeout: { target: 'unknownCard', actions: assign({ readFailure: 'unreadable' as const }) },
          },
        },

        unknownCard: interactive('unknownCard'),

        menu: {
          ...interactive('menu'),
          on: { ...interactive('menu').on, PICKUP: { target: 'loadingOrders' } },
        },

        loadingOrders: {
          invoke: {
            id: 'lookupOrders',
            src: 'lookupOrders',
            input: ({ context }) => ({ cardNumber: context.card?.cardNumber ?? '' }),
            onDone: [
              { guard: 'noOrders', target: 'noOrders', actions: assign({ orders: [] }) },
              { target: 'orders', actions: assign({ orders: ({ event }) => event.output }) },
            ],
            onError: { target: 'failed', actions: assign({ deliveryFailure: 'internal' as const }) },
          },
        },

        orders: {
          ...interactive('orders'),
          on: {
            ...interactive('orders').on,
            SELECT_ORDER: { guard: 'isOfferedOrder', target: 'confirm', actions: 'selectOrder' },
            BACK: { target: 'menu' },
          },
        },

        noOrders: {
          ...interactive('noOrders'),
          on: { ...interactive('noOrders').on, BACK: { target: 'menu' } },
        },

        confirm: {
          ...interactive('confirm'),
          on: {
            ...interactive('confirm').on,
            CONFIRM: { target: 'delivering' },
            CANCEL: { target: 'orders', actions: assign({ selectedOrder: null }) },
          },
        },

        delivering: {
          entry: assign({ inactivityWarning: false, differentCard: false }),
          invoke: {
            id: 'deliver',
            src: 'deliver',
            input: ({ context }) => ({
              uid: context.uid ?? '',
              cardNumber: context.card?.cardNumber ?? '',
              // Only reachable from confirm/interrupted, where an order is selected.
              order: context.selectedOrder as OfferedOrder,
            }),
            onDone: { target: 'delivered', actions: assign({ outcome: ({ event }) => event.output }) },
            onError: [
              { guard: 'cardRemovedFailure', target: 'interrupted' },
              {
                target: 'failed',
                actions: assign({
                  deliveryFailure: ({ event }) => failureCode(event.error, DELIVERY_FAILURES, 'internal'),
                }),
              },
            ],
          },
          after: {
            deliveryTimeout: { target: 'failed', actions: assign({ deliveryFailure: 'timeout' as const }) },
          },
          on: {
            // Leaving mid-write is the one case we must finish: ask for the same card.
            CARD_REMOVED: { target: 'interrupted', actions: 'cardLeft' },
            READER_STATUS: [
              { guard: 'readerGone', target: 'interrupted', actions: ['setReaderStatus', 'cardLeft'] },
              { actions: 'setReaderStatus' },
            ],
            STOP: {},
          },
        },

        delivered: {
          ...interactive('delivered'),
          on: { ...interactive('delivered').on, PICKUP: { target: 'loadingOrders' } },
        },

        interrupted: {
          entry: assign({ differentCard: false, inactivityWarning: false, cardPresent: false }),
          after: {
            interruptedDeadline: { target: 'failed', actions: assign({ deliveryFailure: 'cardRemoved' as const }) },
          },
          on: {
            CARD_PRESENT: [
              { guard: 'isSameCard', target: 'delivering', actions: 'cardArrived' },
              { actions: assign({ differentCard: true }) },
            ],
            CARD_REMOVED: { actions: assign({ differentCard: false }) },
            READER_STATUS: { actions: 'setReaderStatus' },
            STOP: {},
          },
        },

        failed: {
          ...interactive('failed'),
          on: {
            ...interactive('failed').on,
            PICKUP: { guard: 'cardOnReader', target: 'loadingOrders' },
            // After an interrupted delivery the card is gone; a new tap starts afresh.
            CARD_PRESENT: { target: 'readingCard', actions: ['resetSession', 'cardArrived'] },
          },
        },
      },
    },
  },
});

export type KioskMachine = typeof kioskMachine;
export type KioskSnapshot = SnapshotFrom<KioskMachine>;
export type KioskActor = ActorRefFrom<KioskMachine>;
