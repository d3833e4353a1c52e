// A traveller's session, from the card read to the order delivered: the `session` state
// of the kiosk machine. Every way out is explained to the traveller: the card taken
// before Akkoord ("Kaart weggenomen", nothing changed), the card taken on the delivered
// screen (what was delivered stays up a while), the session ended with the card still
// on the reader ("Neem uw kaart mee"). No way out while the card is being written.
import { assign, not } from 'xstate';
import { kioskSetup } from './kiosk-setup.js';
import { journeyOf } from './kiosk-setup.js';
import { BACK_OFFICE_FAILURES, DELIVERY_FAILURES, READ_FAILURES, failureCode, type BackOfficeFailure, type OfferedOrder } from '../domain/index.js';

/** Why the back office gave no usable answer; an actor that does not say counts as unreachable. */
const backOfficeFailure = (error: unknown): BackOfficeFailure => failureCode(error, BACK_OFFICE_FAILURES, 'unreachable');

/** Ending the session: with the card still on the reader, ask the traveller to take it. */
const endSession = [{ guard: 'cardStillThere', target: '#kiosk.session.takeCard' }, { target: '#kiosk.idle' }] as const;

/**
 * Interactive screens share the inactivity rule: warn, then end the session; any
 * traveller activity re-enters the screen, which restarts both timers. On most of them
 * the card is on the reader (its leaving ends them first), so the end is "Neem uw kaart
 * mee"; only `failed` is also shown after the card has gone.
 */
function interactive(self: string, cardMayBeGone = false) {
  return {
    entry: 'clearInactivityWarning',
    after: {
      inactivityWarning: { actions: 'showInactivityWarning' },
      inactivityReset: cardMayBeGone ? endSession : { target: '#kiosk.session.takeCard' },
    },
    on: {
      ACTIVITY: { target: self, reenter: true },
      // Asking for more time must stretch the timers already running, so re-enter.
      SET_ASSIST: { target: self, reenter: true, actions: 'setAssist' },
    },
  } as const;
}

/** The card left before anything was written: say so, and that nothing changed. */
const cardTakenBeforeAkkoord = { target: 'cardRemoved', actions: 'cardLeft' } as const;

/** A card held to the reader on a closing screen starts a new session (its code shown again, if any). */
const newTap = { target: 'readingCard', actions: ['resetSession', 'cardArrived'] } as const;

export const session = kioskSetup.createStateConfig({
  initial: 'readingCard',
  on: {
    CARD_REMOVED: { target: '#kiosk.idle' },
    STOP: endSession,
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
      on: {
        ...interactive('menu').on,
        PICKUP: { target: 'loadingOrders' },
        // "Reizen en Geld Terug": a card without a travel log is told so, nobody is asked.
        JOURNEYS: [
          { guard: 'noJourneysOnCard', target: 'journeys', actions: assign({ assessment: [], journeysFailure: null }) },
          { target: 'loadingJourneys' },
        ],
        CARD_REMOVED: cardTakenBeforeAkkoord,
      },
    },

    /** The back office assesses the card's journeys: what each can earn back. */
    loadingJourneys: {
      entry: 'forgetClaim',
      invoke: {
        id: 'assessJourneys',
        src: 'assessJourneys',
        input: ({ context }) => ({ cardNumber: context.card?.cardNumber ?? '', journeys: context.card?.journeys ?? [] }),
        onDone: { target: 'journeys', actions: assign({ assessment: ({ event }) => event.output, journeysFailure: null }) },
        // Down, slow or lying: the journeys from the card alone, "we cannot check money back now".
        onError: { target: 'journeys', actions: assign({ assessment: null, journeysFailure: ({ event }) => backOfficeFailure(event.error) }) },
      },
      after: { assessTimeout: { target: 'journeys', actions: assign({ assessment: null, journeysFailure: 'timeout' as const }) } },
      on: { CARD_REMOVED: cardTakenBeforeAkkoord },
    },

    /** The card's recent journeys and, per journey, what it earns back (when the back office said). */
    journeys: {
      ...interactive('journeys'),
      on: {
        ...interactive('journeys').on,
        SELECT_JOURNEY: [
          { guard: 'delayClaimable', target: 'confirmClaim', actions: 'chooseJourney' },
          { guard: 'forgottenCheckOutClaimable', target: 'chooseDestination', actions: 'chooseJourney' },
        ],
        BACK: { target: 'menu' },
        CARD_REMOVED: cardTakenBeforeAkkoord,
      },
    },

    /** "Vergeten uit te checken": where did the traveller travel to? */
    chooseDestination: {
      ...interactive('chooseDestination'),
      on: {
        ...interactive('chooseDestination').on,
        SELECT_DESTINATION: { guard: 'validDestination', target: 'confirmClaim', actions: 'chooseDestination' },
        BACK: { target: 'journeys', actions: 'forgetClaim' },
        CARD_REMOVED: cardTakenBeforeAkkoord,
      },
    },

    /** "Geld terug: € x,xx" — Akkoord claims it. */
    confirmClaim: {
      ...interactive('confirmClaim'),
      on: {
        ...interactive('confirmClaim').on,
        CONFIRM: { target: 'claiming' },
        CANCEL: { target: 'journeys', actions: 'forgetClaim' },
        CARD_REMOVED: cardTakenBeforeAkkoord,
      },
    },

    /**
     * The claim is with the back office. Nothing is written to the card, so the card taken
     * away ends the session as anywhere (idle): the claim is idempotent, and the list says
     * next time what became of it.
     */
    claiming: {
      entry: assign({ inactivityWarning: false }),
      invoke: {
        id: 'claim',
        src: 'claim',
        input: ({ context }) => {
          // Only reachable from confirmClaim, where a journey of the card is chosen.
          const chosen = journeyOf(context, context.chosenJourney) as NonNullable<ReturnType<typeof journeyOf>>;
          return {
            cardNumber: context.card?.cardNumber ?? '',
            journey: chosen.journey,
            kind: chosen.assessed?.kind ?? ('delay' as const),
            destination: context.destination,
          };
        },
        onDone: { target: 'claimResult', actions: assign({ claimOutcome: ({ event }) => event.output, claimFailure: null }) },
        onError: { target: 'claimResult', actions: assign({ claimOutcome: null, claimFailure: ({ event }) => backOfficeFailure(event.error) }) },
      },
      after: { claimTimeout: { target: 'claimResult', actions: assign({ claimOutcome: null, claimFailure: 'timeout' as const }) } },
    },

    /** Granted (pick it up at Ophalen bestelling), waiting (decided after a date), refused (why), or no answer. */
    claimResult: {
      ...interactive('claimResult'),
      on: {
        ...interactive('claimResult').on,
        PICKUP: { guard: 'claimHasRefund', target: 'loadingOrders' },
        BACK: { target: 'loadingJourneys' },
      },
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
            actions: assign({ orders: [], orderChange: null, queue: [], collected: [] }),
          },
          {
            target: 'orders',
            actions: assign({ orders: ({ event }) => event.output, orderChange: null, queue: [], collected: [] }),
          },
        ],
        onError: { target: 'failed', actions: assign({ deliveryFailure: 'internal' as const }) },
      },
      on: { CARD_REMOVED: cardTakenBeforeAkkoord },
    },

    orders: {
      ...interactive('orders'),
      // The list follows the order cache while it is open: new, cancelled and expired orders.
      invoke: {
        id: 'watchOrders',
        src: 'watchOrders',
        input: ({ context }) => ({ cardNumber: context.card?.cardNumber ?? '', orders: context.orders }),
      },
      on: {
        ...interactive('orders').on,
        SELECT_ORDER: { guard: 'isOfferedOrder', target: 'confirm', actions: 'selectOrder' },
        PICKUP_ALL: { guard: 'severalToCollect', target: 'confirm', actions: 'selectAll' },
        BACK: { target: 'menu' },
        ORDERS_CHANGED: [{ guard: 'noOrdersLeft', target: 'noOrders', actions: 'noteOrderChange' }, { actions: 'noteOrderChange' }],
        CARD_REMOVED: cardTakenBeforeAkkoord,
      },
    },

    noOrders: {
      ...interactive('noOrders'),
      // "Hebt u net besteld?": an order that arrives while this is up is shown at once.
      invoke: {
        id: 'watchOrders',
        src: 'watchOrders',
        input: ({ context }) => ({ cardNumber: context.card?.cardNumber ?? '', orders: [] }),
      },
      on: {
        ...interactive('noOrders').on,
        BACK: { target: 'menu' },
        ORDERS_CHANGED: { guard: not('noOrdersLeft'), target: 'orders', actions: 'noteOrderChange' },
      },
    },

    confirm: {
      ...interactive('confirm'),
      on: {
        ...interactive('confirm').on,
        CONFIRM: { target: 'delivering' },
        // Annuleren: back to the list of orders, not to the menu.
        CANCEL: { target: 'orders', actions: assign({ selectedOrder: null, queue: [], orderChange: null }) },
        CARD_REMOVED: cardTakenBeforeAkkoord,
      },
    },

    /** "Kaart weggenomen": the card left before Akkoord; nothing was changed on it. */
    cardRemoved: {
      entry: assign({ inactivityWarning: false }),
      after: { cardRemovedNotice: { target: '#kiosk.idle' } },
      on: { CARD_PRESENT: newTap },
    },

    delivering: {
      entry: assign({ inactivityWarning: false, differentCard: false, receipt: 'none' as const }),
      invoke: {
        id: 'deliver',
        src: 'deliver',
        input: ({ context }) => ({
          uid: context.uid ?? '',
          cardNumber: context.card?.cardNumber ?? '',
          // Only reachable from confirm/interrupted, where an order is selected.
          order: context.selectedOrder as OfferedOrder,
        }),
        onDone: [
          // "Alles ophalen": the next order, on the same card, without asking again.
          {
            guard: 'moreQueued',
            target: 'delivering',
            reenter: true,
            actions: assign(({ context, event }) => {
              const done = context.selectedOrder ? [{ order: context.selectedOrder, outcome: event.output }] : [];
              const [next, ...rest] = context.queue;
              return { collected: [...context.collected, ...done], selectedOrder: next ?? null, queue: rest };
            }),
          },
          { target: 'delivered', actions: assign({ outcome: ({ event }) => event.output }) },
        ],
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
      on: {
        ...interactive('delivered').on,
        PICKUP: { target: 'loadingOrders' },
        PRINT_RECEIPT: { guard: 'canPrintReceipt', actions: 'printReceipt' },
        // Lifting the card does not take the code away at once: it stays up a while.
        CARD_REMOVED: { target: 'deliveredCardGone', actions: 'cardLeft' },
      },
    },

    /** The card left the delivered screen: what was delivered stays up for a short grace period. */
    deliveredCardGone: {
      entry: assign({ inactivityWarning: false }),
      after: { deliveredGrace: { target: '#kiosk.idle' } },
      on: { CARD_PRESENT: newTap, PRINT_RECEIPT: { guard: 'canPrintReceipt', actions: 'printReceipt' } },
    },

    /** "Neem uw kaart mee": the session ended with the card on the reader. */
    takeCard: {
      entry: assign({ inactivityWarning: false }),
      after: { takeCardReminder: { target: '#kiosk.idle' } },
      on: { STOP: {} },
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
      ...interactive('failed', true),
      on: {
        ...interactive('failed', true).on,
        // Opnieuw proberen: only where it can help. Reading the card again settles the
        // failed attempt first (delivered, or offered again).
        PICKUP: { guard: 'retryCanHelp', target: 'readingCard' },
        // Another order instead of one that cannot be delivered (nothing was written).
        BACK: { guard: 'canChooseAnother', target: 'loadingOrders' },
        // After an interrupted delivery the card is gone; a new tap starts afresh.
        CARD_PRESENT: newTap,
      },
    },
  },
});
