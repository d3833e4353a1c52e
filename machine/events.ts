// What the kiosk's machines hear: a person at the screen, and the card reader.
import type {
  AssistOption,
  Fault,
  GoneOrder,
  OfferedOrder,
  Language,
  MaintenanceActionName,
  MaintenancePage,
  ReaderStatus,
  ServiceReason,
  StationCode,
} from '../domain/index.js';

/** What a technician does on the maintenance screens (the maintenance machine's own events). */
export type TechnicianEvent =
  | { type: 'SUBMIT_PIN'; pin: string }
  /** At the service key: which technician this is (the number on their technician card). */
  | { type: 'SUBMIT_TECHNICIAN_CARD'; cardNumber: string }
  | { type: 'EXIT_MAINTENANCE' }
  | { type: 'MAINT_SHOW'; page: MaintenancePage }
  | { type: 'MAINT_ACTION'; action: MaintenanceActionName }
  | { type: 'MAINT_OUT_OF_SERVICE'; reason: ServiceReason };

/** What a person at the screen can do (the renderer sends these, validated by the contract). */
export type UserEvent =
  | { type: 'PICKUP' }
  | { type: 'SELECT_ORDER'; orderId: string }
  | { type: 'PICKUP_ALL' }
  | { type: 'CONFIRM' }
  | { type: 'CANCEL' }
  | { type: 'BACK' }
  | { type: 'STOP' }
  | { type: 'ACTIVITY' }
  | { type: 'SET_LANGUAGE'; language: Language }
  | { type: 'SET_ASSIST'; option: AssistOption; on: boolean }
  | { type: 'SERVICE_KEY' }
  /** "Bon afdrukken" on the delivered screen. */
  | { type: 'PRINT_RECEIPT' }
  /** "Reizen en Geld Terug" on the menu. */
  | { type: 'JOURNEYS' }
  /** A journey on the list, by its id (its check-in time), to claim money back for. */
  | { type: 'SELECT_JOURNEY'; journeyId: string }
  /** A forgotten check-out: the station the traveller travelled to. */
  | { type: 'SELECT_DESTINATION'; station: StationCode }
  | TechnicianEvent;

/** What the card reader reports (sent by the `cardEvents` actor). */
export type ReaderEvent =
  | { type: 'CARD_PRESENT'; uid: string }
  | { type: 'CARD_REMOVED' }
  | { type: 'READER_STATUS'; status: ReaderStatus };

/**
 * The order cache changed under an open list (sent by the `watchOrders` actor): the card's
 * orders as offered now, and why each one that left the list is gone.
 */
export interface OrdersChangedEvent {
  readonly type: 'ORDERS_CHANGED';
  readonly orders: readonly OfferedOrder[];
  readonly gone: readonly GoneOrder[];
}

/** The kiosk's own reminder, raised on the idle screen (never sent from outside). */
export interface IdleChoicesExpiredEvent {
  readonly type: 'IDLE_CHOICES_EXPIRED';
}

/**
 * A fault that keeps the machine out of service until it is gone (the kiosk's storage
 * watch sends these): the traveller cannot be helped, the technician sees which fault.
 */
export type FaultEvent = { type: 'FAULT'; fault: Fault } | { type: 'FAULT_CLEARED' };

export type KioskEvent = UserEvent | ReaderEvent | OrdersChangedEvent | IdleChoicesExpiredEvent | FaultEvent;

/** What the kiosk passes on to maintenance while it runs: the technician's input and the reader. */
export type MaintenanceEvent = TechnicianEvent | { type: 'ACTIVITY' } | ReaderEvent;
