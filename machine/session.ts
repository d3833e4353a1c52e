// A traveller's session, from the card read to the order delivered: the `session` state
// of the kiosk machine. Taking the card away or pressing Stoppen ends it (back to idle),
// except while the card is being written.
import { assign } from 'xstate';
import { kioskSetup } from './kiosk-setup.js';
import { DELIVERY_FAILURES, READ_FAILURES, failureCode, type OfferedOrder } from '../domain/index.js';

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

export const session = kioskSetup.createStateConfig({
  initial: 'readingCard',
  on: {
    CARD_REMOVED: { target: '#kiosk.idle' },
    STOP: { target: '#kiosk.idle' },
  },
  states: {
    readingCard: {
      invoke: {
        id: 'readCard',
        src: 'readCard',
        input: ({ context }) => ({ uid: context.uid ?? '' }),
        onDone: [
          {
            guard: { type: 'isTechnicianCard', params: ({ event }) => ({ card: event.output }) },
            target: '#kiosk.maintenance',
            actions: assign({ card: ({ event }) => event.output, inactivityWarning: false }),
          },
          {
            guard: { type: 'settledADelivery', params: ({ event }) => ({ card: event.output }) },
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
          {
            guard: { type: 'noOrders', params: ({ event }) => ({ orders: event.output }) },
            target: 'noOrders',
            actions: assign({ orders: [] }),
          },
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
        // Annuleren: back to the list of orders, not to the menu.
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
          {
            guard: { type: 'cardRemovedFailure', params: ({ event }) => ({ error: event.error }) },
            target: 'interrupted',
          },
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
        // No way out while writing: Stoppen does nothing (Akkoord, Annuleren and Terug are not offered).
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
        // Only the card that was being written may finish the delivery.
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
});
