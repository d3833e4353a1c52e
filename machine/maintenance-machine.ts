// Maintenance mode for field technicians: a PIN first, then the status at a glance and
// the actions. Its own machine with its own context, timers and actors, invoked by the
// kiosk's `maintenance` state, which passes on the technician's input and the reader's
// events. It ends (the final state `ended`) when the technician leaves, and hands back
// the service state they left the machine in.
import { assign, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { DELAYS } from './delays.js';
import type { MaintenanceEvent } from './events.js';
import { notProvided } from './not-provided.js';
import type {
  CardInspection,
  MaintenanceAction,
  MaintenanceActionResult,
  MaintenancePage,
  PinResult,
  ServiceReason,
} from '../domain/index.js';

export interface MaintenanceInput {
  /** How the technician came in: a technician card, or the cabinet's key switch. */
  readonly entry: 'card' | 'serviceKey';
  /** The technician card's number, which the PIN belongs to (null by key: asked for first). */
  readonly cardNumber: string | null;
  /** Out of service as maintenance finds the machine (null: in service). */
  readonly serviceReason: ServiceReason | null;
}

export interface MaintenanceOutput {
  /** Out of service as the technician left the machine (null: in service). */
  readonly serviceReason: ServiceReason | null;
}

export interface MaintenanceContext {
  /** How the technician came in: a technician card, or the cabinet's key switch. */
  entry: 'card' | 'serviceKey';
  cardNumber: string | null;
  /** The technician card is still on the reader: taking it away ends maintenance. */
  technicianCardPresent: boolean;
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
  inactivityWarning: boolean;
  serviceReason: ServiceReason | null;
}

export interface VerifyPinInput {
  /** The way in: each has its own lockout per technician. */
  readonly entry: 'card' | 'serviceKey';
  /** The technician card read, or the number typed at the service key: whose PIN it must be. */
  readonly cardNumber: string;
  readonly pin: string;
}

export interface MaintenanceActionInput {
  readonly action: MaintenanceAction;
  readonly technicianId: string;
}

const setupMaintenance = setup({
  types: {
    context: {} as MaintenanceContext,
    events: {} as MaintenanceEvent,
    input: {} as MaintenanceInput,
    output: {} as MaintenanceOutput,
  },
  actors: {
    /** Checks a technician's PIN (and keeps the lockout count). */
    verifyPin: notProvided<PinResult, VerifyPinInput>('verifyPin'),
    /** Runs one maintenance action and writes it to the audit log. */
    maintenanceAction: notProvided<MaintenanceActionResult, MaintenanceActionInput>('maintenanceAction'),
    /** Decodes a card for the technician's "test a card". */
    inspectCard: notProvided<CardInspection, { uid: string }>('inspectCard'),
  },
  // A technician reads the screens: their waits are longer, and "more time" is a traveller's.
  delays: {
    maintenanceInactivityWarning: DELAYS.maintenanceInactivityWarning,
    maintenanceInactivityReset: DELAYS.maintenanceInactivityReset,
  },
  guards: {
    /** By the service key nobody has said who they are yet. */
    askWhichTechnician: ({ context }) => context.cardNumber === null,
    pinAccepted: (_, { verdict }: { verdict: PinResult }) => verdict.result === 'ok',
    pinLocked: (_, { verdict }: { verdict: PinResult }) => verdict.result === 'locked',
    /** The technician card leaving ends maintenance, except while testing a card. */
    technicianCardLeft: ({ context }) => context.technicianCardPresent && context.page !== 'testCard',
    onTestCardPage: ({ context }) => context.page === 'testCard',
    /** The reader is being restarted: the card on it "leaves" with the reader, not the technician. */
    restartingReader: ({ context }) => context.pendingAction?.type === 'restartReader',
    readerGone: ({ event }) => event.type === 'READER_STATUS' && event.status === 'no_reader',
  },
  actions: {
    showInactivityWarning: assign({ inactivityWarning: true }),
    clearInactivityWarning: assign({ inactivityWarning: false }),
    technicianCardGone: assign({ technicianCardPresent: false }),
  },
});

/**
 * Every screen a technician reads: warn after a while without input, then leave
 * maintenance; any input re-enters the screen, which restarts both timers.
 */
function technicianScreen(self: string) {
  return {
    entry: 'clearInactivityWarning',
    after: {
      maintenanceInactivityWarning: { actions: 'showInactivityWarning' },
      maintenanceInactivityReset: { target: '#maintenance.ended' },
    },
    on: { ACTIVITY: { target: self, reenter: true } },
  } as const;
}

export const maintenanceMachine = setupMaintenance.createMachine({
  id: 'maintenance',
  context: ({ input }) => ({
    entry: input.entry,
    cardNumber: input.cardNumber,
    technicianCardPresent: input.entry === 'card',
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
    inactivityWarning: false,
    serviceReason: input.serviceReason,
  }),
  initial: 'entering',
  output: ({ context }) => ({ serviceReason: context.serviceReason }),
  on: {
    EXIT_MAINTENANCE: { target: '.ended' },
    CARD_REMOVED: [{ guard: 'technicianCardLeft', target: '.ended' }, { actions: 'technicianCardGone' }],
    // The reader may be what the technician came to fix: stay, but the card is gone with it.
    READER_STATUS: { guard: 'readerGone', actions: 'technicianCardGone' },
  },
  states: {
    /** By card, the card says who it is; by the service key, the technician is asked first. */
    entering: {
      always: [{ guard: 'askWhichTechnician', target: 'technicianCard' }, { target: 'pin' }],
    },

    /** The service key: whose PIN will be checked (their technician card's number), so no PIN opens it as anyone else. */
    technicianCard: {
      ...technicianScreen('technicianCard'),
      on: {
        ...technicianScreen('technicianCard').on,
        SUBMIT_TECHNICIAN_CARD: { target: 'pin', actions: assign({ cardNumber: ({ event }) => event.cardNumber }) },
      },
    },

    pin: {
      ...technicianScreen('pin'),
      on: {
        ...technicianScreen('pin').on,
        SUBMIT_PIN: { target: 'checkingPin', actions: assign({ pin: ({ event }) => event.pin }) },
      },
    },

    checkingPin: {
      exit: assign({ pin: null }),
      invoke: {
        id: 'verifyPin',
        src: 'verifyPin',
        input: ({ context }) => ({ entry: context.entry, cardNumber: context.cardNumber ?? '', pin: context.pin ?? '' }),
        onDone: [
          {
            guard: { type: 'pinAccepted', params: ({ event }) => ({ verdict: event.output }) },
            target: 'authenticated',
            actions: assign({
              technicianId: ({ event }) => (event.output.result === 'ok' ? event.output.technicianId : null),
              wrongPin: false,
              attemptsLeft: null,
            }),
          },
          {
            guard: { type: 'pinLocked', params: ({ event }) => ({ verdict: event.output }) },
            target: 'locked',
            actions: assign({
              minutesLeft: ({ event }) => (event.output.result === 'locked' ? event.output.minutesLeft : 0),
            }),
          },
          {
            target: 'pin',
            actions: assign({
              wrongPin: true,
              attemptsLeft: ({ event }) => (event.output.result === 'wrong' ? event.output.attemptsLeft : null),
            }),
          },
        ],
        onError: { target: 'pin', actions: assign({ wrongPin: true, attemptsLeft: null }) },
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
          actions: assign({ page: ({ event }) => event.page, testCard: null }),
        },
        MAINT_ACTION: {
          target: 'working',
          actions: assign({ pendingAction: ({ event }) => ({ type: event.action }) }),
        },
        MAINT_OUT_OF_SERVICE: {
          target: 'working',
          actions: assign({ pendingAction: ({ event }) => ({ type: 'outOfService' as const, reason: event.reason }) }),
        },
        CARD_PRESENT: {
          guard: 'onTestCardPage',
          target: 'inspecting',
          actions: assign({ inspectUid: ({ event }) => event.uid }),
        },
      },
    },

    working: {
      // "Kaartlezer herstarten" takes the reader away, and with it the card it held: that is
      // not the technician leaving. (Afterwards leaving is by Afsluiten or inactivity: which
      // card comes back is not known until it is read.)
      on: { CARD_REMOVED: { guard: 'restartingReader', actions: 'technicianCardGone' } },
      invoke: {
        id: 'maintenanceAction',
        src: 'maintenanceAction',
        input: ({ context }) => ({
          // Only reachable from authenticated, where an action was chosen.
          action: context.pendingAction ?? { type: 'syncNow' },
          technicianId: context.technicianId ?? '',
        }),
        onDone: {
          target: 'authenticated',
          actions: assign(({ context, event }) => {
            const action = context.pendingAction;
            let serviceReason = context.serviceReason;
            if (event.output.ok && action?.type === 'outOfService') serviceReason = action.reason;
            if (event.output.ok && action?.type === 'backInService') serviceReason = null;
            return { serviceReason, lastAction: event.output, pendingAction: null };
          }),
        },
        onError: {
          target: 'authenticated',
          actions: assign({
            lastAction: ({ context }) => ({ action: context.pendingAction?.type ?? 'syncNow', ok: false }),
            pendingAction: null,
          }),
        },
      },
    },

    inspecting: {
      invoke: {
        id: 'inspectCard',
        src: 'inspectCard',
        input: ({ context }) => ({ uid: context.inspectUid ?? '' }),
        onDone: { target: 'authenticated', actions: assign({ testCard: ({ event }) => event.output }) },
        onError: {
          target: 'authenticated',
          actions: assign({ testCard: { ok: false, reason: 'unreadable' } as const }),
        },
      },
      // The tested card taken away before it was decoded: back to the page.
      on: { CARD_REMOVED: { target: 'authenticated' } },
    },

    /** The technician left (button, card taken away, or no input for long). */
    ended: { type: 'final' },
  },
});

export type MaintenanceMachine = typeof maintenanceMachine;
export type MaintenanceSnapshot = SnapshotFrom<MaintenanceMachine>;
export type MaintenanceActor = ActorRefFrom<MaintenanceMachine>;
