// The kiosk statechart: the single source of truth for what travellers and technicians see.
// Pure: actors that touch the card or the store are provided by kiosk/ with .provide().
//
//   outOfService ⇄ idle → session      a traveller, from the card read to the order delivered
//                                      (session.ts; back to idle when the card leaves or on Stoppen)
//   outOfService, idle → maintenance   a technician: the maintenance machine, a child actor with its
//                          ↓           own context, timers and actors (maintenance-machine.ts)
//                     afterMaintenance → outOfService or idle
//   FAULT (storage) from anywhere → outOfService until FAULT_CLEARED (maintenance stays; leaving it goes out of service)
//
// The vocabulary (context, actors, guards, actions, delays) is in kiosk-setup.ts.
import { and, assign, not, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { initialContext, kioskSetup, type KioskContext } from './kiosk-setup.js';
import type { MaintenanceInput, MaintenanceSnapshot } from './maintenance-machine.js';
import { session } from './session.js';

export type { FaultEvent, KioskEvent, MaintenanceEvent, OrdersChangedEvent, ReaderEvent, TechnicianEvent, UserEvent } from './events.js';
export type { AssessJourneysInput, ClaimInput, DeliverInput, KioskContext, KioskInput, PrintReceiptInput, WatchOrdersInput } from './kiosk-setup.js';
export { claimAmount, forgottenCheckOutRefund, journeyOf, refundOrderId } from './kiosk-setup.js';
export type {
  MaintenanceActionInput,
  MaintenanceActor,
  MaintenanceContext,
  MaintenanceInput,
  MaintenanceOutput,
  MaintenanceSnapshot,
  VerifyPinInput,
} from './maintenance-machine.js';
export { maintenanceMachine } from './maintenance-machine.js';

/** Maintenance by the technician card that was read, or else by the cabinet's key. */
function maintenanceInput(context: KioskContext): MaintenanceInput {
  const card = context.card?.kind === 'technician' ? context.card : null;
  return card
    ? { entry: 'card', cardNumber: card.cardNumber, serviceReason: context.serviceReason }
    : { entry: 'serviceKey', cardNumber: null, serviceReason: context.serviceReason };
}

export const kioskMachine = kioskSetup.createMachine({
  id: 'kiosk',
  context: ({ input }) => ({
    ...initialContext,
    serviceReason: input?.serviceReason ?? null,
    receiptPrinter: input?.receiptPrinter ?? false,
  }),
  initial: 'outOfService',
  // One listener at the root: no reader event is missed in any state.
  invoke: { id: 'cardEvents', src: 'cardEvents' },
  on: {
    SET_LANGUAGE: { actions: 'setLanguage' },
    SET_ASSIST: { actions: 'setAssist' },
    // A storage fault ends whatever a traveller was doing: this machine cannot help now.
    FAULT: { target: '.outOfService', actions: 'setFault' },
    FAULT_CLEARED: { actions: 'clearFault' },
    // The receipt's printer answers wherever the traveller is by then (a late answer after a new tap is not theirs).
    'xstate.done.actor.printReceipt': {
      guard: 'receiptPrinting',
      actions: assign({ receipt: ({ event }) => event.output }),
    },
    'xstate.error.actor.printReceipt': {
      guard: 'receiptPrinting',
      actions: assign({ receipt: 'failed' as const }),
    },
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
          { guard: and(['readerUsable', not('manuallyOutOfService'), not('faulted')]), target: 'idle', actions: 'setReaderStatus' },
          { actions: 'setReaderStatus' },
        ],
        FAULT: { actions: 'setFault' },
        // The fault is gone: back in service, unless a technician or the reader says otherwise.
        FAULT_CLEARED: [
          { guard: and([not('manuallyOutOfService'), not('readerMissing')]), target: 'idle', actions: 'clearFault' },
          { actions: 'clearFault' },
        ],
        // Only a technician card opens anything while out of service.
        CARD_PRESENT: { target: 'serviceCheck', actions: 'cardArrived' },
        SERVICE_KEY: { target: 'maintenance' },
      },
    },

    serviceCheck: {
      invoke: {
        id: 'serviceCheckRead',
        src: 'readCard',
        input: ({ context }) => ({ uid: context.uid ?? '' }),
        onDone: [
          {
            guard: { type: 'isTechnicianCard', params: ({ event }) => ({ card: event.output }) },
            target: 'maintenance',
            actions: assign({ card: ({ event }) => event.output, inactivityWarning: false }),
          },
          { target: 'outOfService' },
        ],
        onError: { target: 'outOfService' },
      },
      after: { readTimeout: { target: 'outOfService' } },
      on: { CARD_REMOVED: { target: 'outOfService' } },
    },

    /** A technician at work: the maintenance machine runs until the technician leaves. */
    maintenance: {
      invoke: {
        id: 'maintenance',
        src: 'maintenance',
        input: ({ context }) => maintenanceInput(context),
        onDone: {
          target: 'afterMaintenance',
          actions: assign({ serviceReason: ({ event }) => event.output.serviceReason }),
        },
        // Should maintenance itself fail, the machine goes back to serving travellers.
        onError: { target: 'afterMaintenance' },
      },
      on: {
        SUBMIT_PIN: { actions: 'toMaintenance' },
        SUBMIT_TECHNICIAN_CARD: { actions: 'toMaintenance' },
        EXIT_MAINTENANCE: { actions: 'toMaintenance' },
        MAINT_SHOW: { actions: 'toMaintenance' },
        MAINT_ACTION: { actions: 'toMaintenance' },
        MAINT_OUT_OF_SERVICE: { actions: 'toMaintenance' },
        ACTIVITY: { actions: 'toMaintenance' },
        CARD_PRESENT: { actions: 'toMaintenance' },
        CARD_REMOVED: { actions: ['cardLeft', 'toMaintenance'] },
        // The technician stays; the status shows the fault, and leaving goes out of service.
        FAULT: { actions: 'setFault' },
        // The reader may be what the technician came to fix: stay in maintenance.
        READER_STATUS: [
          { guard: 'readerGone', actions: ['setReaderStatus', 'cardLeft', 'toMaintenance'] },
          { actions: ['setReaderStatus', 'toMaintenance'] },
        ],
      },
    },

    /** Leaving maintenance: out of service if a technician said so or the reader is gone. */
    afterMaintenance: {
      always: [
        { guard: 'manuallyOutOfService', target: 'outOfService' },
        { guard: 'faulted', target: 'outOfService' },
        { guard: 'readerMissing', target: 'outOfService' },
        { target: 'idle' },
      ],
    },

    idle: {
      entry: 'resetSession',
      exit: 'stopIdleChoicesWait',
      // The reader may have gone while a session ran (its status was noted, not acted on).
      always: { guard: 'readerIsGone', target: 'outOfService' },
      on: {
        // Chosen before the card: kept for that traveller, reset if no card comes.
        SET_ASSIST: { actions: ['setAssist', 'awaitIdleChoices'] },
        SET_LANGUAGE: { actions: ['setLanguage', 'awaitIdleChoices'] },
        IDLE_CHOICES_EXPIRED: { actions: 'resetChoices' },
        SERVICE_KEY: { target: 'maintenance' },
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

    session,
  },
});

export type KioskMachine = typeof kioskMachine;
export type KioskSnapshot = SnapshotFrom<KioskMachine>;
export type KioskActor = ActorRefFrom<KioskMachine>;

/** The maintenance machine's snapshot while a technician is at work, else undefined. */
export function maintenanceOf(snapshot: KioskSnapshot): MaintenanceSnapshot | undefined {
  return snapshot.matches('maintenance') ? snapshot.children.maintenance?.getSnapshot() : undefined;
}
