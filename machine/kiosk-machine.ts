// The kiosk statechart: the single source of truth for what travellers see.
// Pure: actors that touch the card or the store are provided by kiosk/ with .provide().
import { and, assign, fromCallback, fromPromise, not, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { DELAYS, MORE_TIME_FACTOR, STRETCHED, type DelayName } from './delays.js';
import {
  DEFAULT_LANGUAGE,
  NO_ASSIST,
  type Assist,
  type AssistOption,
  DELIVERY_FAILURES,
  READ_FAILURES,
  failureCode,
  type CardInspection,
  type CardSummary,
  type DeliveryFailure,
  type DeliveryOutcome,
  type Language,
  type MaintenanceAction,
  type MaintenanceActionName,
  type MaintenanceActionResult,
  type MaintenancePage,
  type OfferedOrder,
  type PinResult,
  type ReadFailure,
  type ReaderStatus,
  type ServiceReason,
} from '../domain/index.js';

/** What a person at the screen can do (the renderer sends these, validated by the contract). */
export type UserEvent =
  | { type: 'PICKUP' }
  | { type: 'SELECT_ORDER'; orderId: string }
  | { type: 'CONFIRM' }
  | { type: 'CANCEL' }
  | { type: 'BACK' }
  | { type: 'STOP' }
  | { type: 'ACTIVITY' }
  | { type: 'SET_LANGUAGE'; language: Language }
  | { type: 'SET_ASSIST'; option: AssistOption; on: boolean }
  | { type: 'SERVICE_KEY' }
  | { type: 'SUBMIT_PIN'; pin: string }
  | { type: 'EXIT_MAINTENANCE' }
  | { type: 'MAINT_SHOW'; page: MaintenancePage }
  | { type: 'MAINT_ACTION'; action: MaintenanceActionName }
  | { type: 'MAINT_OUT_OF_SERVICE'; reason: ServiceReason };

/** What the card reader reports (sent by the `cardEvents` actor). */
export type ReaderEvent =
  | { type: 'CARD_PRESENT'; uid: string }
  | { type: 'CARD_REMOVED' }
  | { type: 'READER_STATUS'; status: ReaderStatus };

export type KioskEvent = UserEvent | ReaderEvent;

export interface DeliverInput {
  readonly uid: string;
  readonly cardNumber: string;
  readonly order: OfferedOrder;
}

export interface MaintenanceContext {
  /** How the technician came in: a technician card, or the cabinet's key switch. */
  entry: 'card' | 'serviceKey';
  technicianId: string | null;
  page: MaintenancePage;
  wrongPin: boolean;
  attemptsLeft: number | null;
  minutesLeft: number;
  /** Held only while the PIN is being checked. */
  pin: string | null;
  pendingAction: MaintenanceAction | null;
  lastAction: MaintenanceActionResult | null;
  /** The card being tested on the testCard page. */
  inspectUid: string | null;
  testCard: CardInspection | null;
}

export interface KioskInput {
  /** Out of service as a technician left it (persisted across restarts). */
  readonly serviceReason: ServiceReason | null;
}

export interface KioskContext {
  language: Language;
  assist: Assist;
  serviceReason: ServiceReason | null;
  maintenance: MaintenanceContext | null;
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
  assist: NO_ASSIST,
  serviceReason: null,
  maintenance: null,
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
    on: {
      ACTIVITY: { target: self, reenter: true },
      // Asking for more time must stretch the timers already running, so re-enter.
      SET_ASSIST: { target: self, reenter: true, actions: 'setAssist' },
    },
  } as const;
}

/** The same for maintenance screens, with a technician's longer delays. */
function technicianScreen(self: string) {
  return {
    entry: 'clearInactivityWarning',
    after: {
      maintenanceInactivityWarning: { actions: 'showInactivityWarning' },
      maintenanceInactivityReset: { target: '#kiosk.afterMaintenance' },
    },
    on: { ACTIVITY: { target: self, reenter: true } },
  } as const;
}

function startMaintenance(entry: MaintenanceContext['entry']): MaintenanceContext {
  return {
    entry,
    technicianId: null,
    page: 'status',
    wrongPin: false,
    attemptsLeft: null,
    minutesLeft: 0,
    pin: null,
    pendingAction: null,
    lastAction: null,
    inspectUid: null,
    testCard: null,
  };
}

/** Updates the maintenance context (only ever called inside maintenance). */
function patch(context: KioskContext, change: Partial<MaintenanceContext>): MaintenanceContext {
  return { ...(context.maintenance ?? startMaintenance('serviceKey')), ...change };
}

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    input: {} as KioskInput,
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
    /** Checks a technician's PIN (and keeps the lockout count). */
    verifyPin: notProvided<PinResult, { cardNumber: string | null; pin: string }>('verifyPin'),
    /** Runs one maintenance action and writes it to the audit log. */
    maintenanceAction: notProvided<MaintenanceActionResult, { action: MaintenanceAction; technicianId: string }>(
      'maintenanceAction',
    ),
    /** Decodes a card for the technician's "test a card". */
    inspectCard: notProvided<CardInspection, { uid: string }>('inspectCard'),
  },
  // Each delay by name; "more time" stretches the ones that hurry a traveller.
  delays: Object.fromEntries(
    (Object.keys(DELAYS) as DelayName[]).map((name) => [
      name,
      ({ context }: { context: KioskContext }) =>
        DELAYS[name] * (context.assist.moreTime && STRETCHED.includes(name) ? MORE_TIME_FACTOR : 1),
    ]),
  ) as Record<DelayName, ({ context }: { context: KioskContext }) => number>,
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
    settledADelivery: ({ event }) => 'output' in event && Boolean((event.output as CardSummary | undefined)?.settled),
    readerIsGone: ({ context }) => context.readerStatus === 'no_reader',
    manuallyOutOfService: ({ context }) => context.serviceReason !== null,
    readerMissing: ({ context }) => context.readerStatus === 'no_reader' || context.readerStatus === null,
    pinAccepted: ({ event }) => 'output' in event && (event.output as PinResult).result === 'ok',
    pinLocked: ({ event }) => 'output' in event && (event.output as PinResult).result === 'locked',
    technicianCardLeft: ({ context }) =>
      context.maintenance?.entry === 'card' && context.cardPresent && context.maintenance.page !== 'testCard',
    onTestCardPage: ({ context }) => context.maintenance?.page === 'testCard',
  },
  actions: {
    resetSession: assign(({ context }) => ({
      ...initialContext,
      readerStatus: context.readerStatus,
      serviceReason: context.serviceReason,
    })),
    enterByCard: assign(({ context, event }) => ({
      maintenance: startMaintenance('card'),
      card: 'output' in event ? (event.output as CardSummary) : context.card,
      inactivityWarning: false,
    })),
    enterByKey: assign({ maintenance: startMaintenance('serviceKey'), inactivityWarning: false }),
    setAssist: assign({
      assist: ({ context, event }) =>
        event.type === 'SET_ASSIST' ? { ...context.assist, [event.option]: event.on } : context.assist,
    }),
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
  context: ({ input }) => ({ ...initialContext, serviceReason: input?.serviceReason ?? null }),
  initial: 'outOfService',
  // One listener at the root: no reader event is missed in any state.
  invoke: { id: 'cardEvents', src: 'cardEvents' },
  on: {
    SET_LANGUAGE: { actions: 'setLanguage' },
    SET_ASSIST: { actions: 'setAssist' },
    READER_STATUS: [
      { guard: 'readerGone', target: '.outOfService', actions: ['setReaderStatus', 'cardLeft'] },
      { actions: 'setReaderStatus' },
    ],
  },
  states: {
    outOfService: {
      entry: 'resetSession',
      on: {
        READER_STATUS: [
          { guard: and(['readerUsable', not('manuallyOutOfService')]), target: 'idle', actions: 'setReaderStatus' },
          { actions: 'setReaderStatus' },
        ],
        // Only a technician card opens anything while out of service.
        CARD_PRESENT: { target: 'serviceCheck', actions: 'cardArrived' },
        SERVICE_KEY: { target: 'maintenance', actions: 'enterByKey' },
      },
    },

    serviceCheck: {
      invoke: {
        id: 'serviceCheckRead',
        src: 'readCard',
        input: ({ context }) => ({ uid: context.uid ?? '' }),
        onDone: [
          { guard: 'isTechnicianCard', target: 'maintenance', actions: 'enterByCard' },
          { target: 'outOfService' },
        ],
        onError: { target: 'outOfService' },
      },
      after: { readTimeout: { target: 'outOfService' } },
      on: { CARD_REMOVED: { target: 'outOfService' } },
    },

    maintenance: {
      initial: 'pin',
      on: {
        EXIT_MAINTENANCE: { target: 'afterMaintenance' },
        CARD_REMOVED: [{ guard: 'technicianCardLeft', target: 'afterMaintenance' }, { actions: 'cardLeft' }],
        // The reader may be what the technician came to fix: stay in maintenance.
        READER_STATUS: [
          { guard: 'readerGone', actions: ['setReaderStatus', 'cardLeft'] },
          { actions: 'setReaderStatus' },
        ],
      },
      states: {
        pin: {
          ...technicianScreen('pin'),
          on: {
            ...technicianScreen('pin').on,
            SUBMIT_PIN: {
              target: 'checkingPin',
              actions: assign({
                maintenance: ({ context, event }) => patch(context, { pin: event.pin }),
              }),
            },
          },
        },
        checkingPin: {
          exit: assign({ maintenance: ({ context }) => patch(context, { pin: null }) }),
          invoke: {
            id: 'verifyPin',
            src: 'verifyPin',
            input: ({ context }) => ({
              cardNumber: context.maintenance?.entry === 'card' ? (context.card?.cardNumber ?? null) : null,
              pin: context.maintenance?.pin ?? '',
            }),
            onDone: [
              {
                guard: 'pinAccepted',
                target: 'authenticated',
                actions: assign({
                  maintenance: ({ context, event }) =>
                    patch(context, {
                      technicianId: event.output.result === 'ok' ? event.output.technicianId : null,
                      wrongPin: false,
                      attemptsLeft: null,
                    }),
                }),
              },
              {
                guard: 'pinLocked',
                target: 'locked',
                actions: assign({
                  maintenance: ({ context, event }) =>
                    patch(context, { minutesLeft: event.output.result === 'locked' ? event.output.minutesLeft : 0 }),
                }),
              },
              {
                target: 'pin',
                actions: assign({
                  maintenance: ({ context, event }) =>
                    patch(context, {
                      wrongPin: true,
                      attemptsLeft: event.output.result === 'wrong' ? event.output.attemptsLeft : null,
                    }),
                }),
              },
            ],
            onError: {
              target: 'pin',
              actions: assign({ maintenance: ({ context }) => patch(context, { wrongPin: true, attemptsLeft: null }) }),
            },
          },
        },
        locked: technicianScreen('locked'),
        authenticated: {
          ...technicianScreen('authenticated'),
          on: {
            ...technicianScreen('authenticated').on,
            MAINT_SHOW: {
              target: 'authenticated',
              reenter: true,
              actions: assign({
                maintenance: ({ context, event }) => patch(context, { page: event.page, testCard: null }),
              }),
            },
            MAINT_ACTION: {
              target: 'working',
              actions: assign({
                maintenance: ({ context, event }) => patch(context, { pendingAction: { type: event.action } }),
              }),
            },
            MAINT_OUT_OF_SERVICE: {
              target: 'working',
              actions: assign({
                maintenance: ({ context, event }) =>
                  patch(context, { pendingAction: { type: 'outOfService', reason: event.reason } }),
              }),
            },
            CARD_PRESENT: {
              guard: 'onTestCardPage',
              target: 'inspecting',
              actions: assign({ maintenance: ({ context, event }) => patch(context, { inspectUid: event.uid }) }),
            },
          },
        },
        working: {
          invoke: {
            id: 'maintenanceAction',
            src: 'maintenanceAction',
            input: ({ context }) => ({
              action: context.maintenance?.pendingAction ?? { type: 'syncNow' },
              technicianId: context.maintenance?.technicianId ?? '',
            }),
            onDone: {
              target: 'authenticated',
              actions: assign(({ context, event }) => {
                const action = context.maintenance?.pendingAction;
                let serviceReason = context.serviceReason;
                if (event.output.ok && action?.type === 'outOfService') serviceReason = action.reason;
                if (event.output.ok && action?.type === 'backInService') serviceReason = null;
                return { serviceReason, maintenance: patch(context, { lastAction: event.output, pendingAction: null }) };
              }),
            },
            onError: {
              target: 'authenticated',
              actions: assign({
                maintenance: ({ context }) =>
                  patch(context, {
                    lastAction: { action: context.maintenance?.pendingAction?.type ?? 'syncNow', ok: false },
                    pendingAction: null,
                  }),
              }),
            },
          },
        },
        inspecting: {
          invoke: {
            id: 'inspectCard',
            src: 'inspectCard',
            input: ({ context }) => ({ uid: context.maintenance?.inspectUid ?? '' }),
            onDone: {
              target: 'authenticated',
              actions: assign({ maintenance: ({ context, event }) => patch(context, { testCard: event.output }) }),
            },
            onError: {
              target: 'authenticated',
              actions: assign({
                maintenance: ({ context }) => patch(context, { testCard: { ok: false, reason: 'unreadable' } }),
              }),
            },
          },
          on: { CARD_REMOVED: { target: 'authenticated' } },
        },
      },
    },

    /** Leaving maintenance: out of service if a technician said so or the reader is gone. */
    afterMaintenance: {
      always: [
        { guard: 'manuallyOutOfService', target: 'outOfService' },
        { guard: 'readerMissing', target: 'outOfService' },
        { target: 'idle' },
      ],
    },

    idle: {
      entry: 'resetSession',
      // The reader may have gone while a session ran (its status was noted, not acted on).
      always: { guard: 'readerIsGone', target: 'outOfService' },
      on: {
        SERVICE_KEY: { target: 'maintenance', actions: 'enterByKey' },
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
              { guard: 'isTechnicianCard', target: '#kiosk.maintenance', actions: 'enterByCard' },
              {
                guard: 'settledADelivery',
                target: 'delivered',
                actions: assign({
                  card: ({ event }) => event.output,
                  selectedOrder: ({ event }) => event.output.settled?.order ?? null,
                  outcome: ({ event }) => event.output.settled?.outcome ?? null,
                }),
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
            // Reading the card again settles the failed attempt first (delivered, or offered again).
            PICKUP: { guard: 'cardOnReader', target: 'readingCard' },
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
