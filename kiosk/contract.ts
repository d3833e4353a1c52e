// The one contract between the kiosk service and the renderer: `KioskView` goes out,
// `UiEvent` comes in. Both carriers (Electron IPC and the web host's WebSocket) use
// exactly these types; everything incoming is parsed here. (The demo's developer dock
// is a channel of its own, demo/dev-contract.ts, that a station does not have.)
import { z } from 'zod';
import {
  ASSIST_OPTIONS,
  isStationCode,
  LANGUAGES,
  type Assist,
  MAINTENANCE_ACTIONS,
  MAINTENANCE_PAGES,
  PIN_MAX_DIGITS,
  PIN_MIN_DIGITS,
  SERVICE_REASONS,
  type CardInspection,
  type CardProduct,
  type DeliveryOutcome,
  type Fault,
  type GoneReason,
  type OfferedOrder,
  type OrderBlock,
  type MaintenanceActionResult,
  type MaintenancePage,
  type ReaderFault,
  type ReaderStatus,
  type ServiceReason,
  type DeliveryFailure,
  type Language,
  type ReadFailure,
  type PrinterCondition,
  type ReaderPosition,
  type ReceiptState,
  type BackOfficeFailure,
  type ClaimKind,
  type ClaimOutcome,
  type JourneyAssessment,
  type JourneyRefusal,
  type StationCode,
} from '../domain/index.js';

export type { Language, ReadFailure, DeliveryFailure, CardProduct, GoneReason, OrderBlock, Fault, BackOfficeFailure, ClaimOutcome, JourneyRefusal, StationCode };

// ---------------------------------------------------------------- incoming

const orderId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const uiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('PICKUP') }).strict(),
  z.object({ type: z.literal('SELECT_ORDER'), orderId }).strict(),
  z.object({ type: z.literal('PICKUP_ALL') }).strict(),
  z.object({ type: z.literal('CONFIRM') }).strict(),
  z.object({ type: z.literal('CANCEL') }).strict(),
  z.object({ type: z.literal('BACK') }).strict(),
  z.object({ type: z.literal('STOP') }).strict(),
  z.object({ type: z.literal('ACTIVITY') }).strict(),
  z.object({ type: z.literal('SET_LANGUAGE'), language: z.enum(LANGUAGES) }).strict(),
  z.object({ type: z.literal('SET_ASSIST'), option: z.enum(ASSIST_OPTIONS), on: z.boolean() }).strict(),
  z.object({ type: z.literal('PRINT_RECEIPT') }).strict(),
  // Reizen en Geld Terug: a journey by its id (its check-in time), a destination by its station code.
  z.object({ type: z.literal('JOURNEYS') }).strict(),
  z.object({ type: z.literal('SELECT_JOURNEY'), journeyId: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ type: z.literal('SELECT_DESTINATION'), station: z.string().min(1).max(40).refine(isStationCode, 'unknown station') }).strict(),
  // Maintenance: the cabinet's key switch, the PIN, and what a technician does.
  z.object({ type: z.literal('SERVICE_KEY') }).strict(),
  z.object({ type: z.literal('SUBMIT_TECHNICIAN_CARD'), cardNumber: z.string().regex(/^\d{16}$/) }).strict(),
  z.object({ type: z.literal('SUBMIT_PIN'), pin: z.string().regex(new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`)) }).strict(),
  z.object({ type: z.literal('EXIT_MAINTENANCE') }).strict(),
  z.object({ type: z.literal('MAINT_SHOW'), page: z.enum(MAINTENANCE_PAGES) }).strict(),
  z.object({ type: z.literal('MAINT_ACTION'), action: z.enum(MAINTENANCE_ACTIONS) }).strict(),
  z.object({ type: z.literal('MAINT_OUT_OF_SERVICE'), reason: z.enum(SERVICE_REASONS) }).strict(),
]);
export type UiEvent = z.infer<typeof uiEventSchema>;

export const clientMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ui'), event: uiEventSchema }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: z.prettifyError(result.error) };
}

export const parseUiEvent = (input: unknown): ParseResult<UiEvent> => parseWith(uiEventSchema, input);
export const parseClientMessage = (input: unknown): ParseResult<ClientMessage> =>
  parseWith(clientMessageSchema, input);

// ---------------------------------------------------------------- outgoing

/** A card as the renderer may see it: never the full card number. */
export interface CardView {
  /** e.g. "•••• •••• •••• 5678" */
  readonly maskedNumber: string;
  readonly balanceCents: number;
  readonly expiry: string;
}

/**
 * An order as the renderer may see it: the domain's offered order, never the
 * kaartservicecode. On the list, `blocked` says why it cannot be chosen for this card.
 */
export type OrderView = OfferedOrder & { readonly blocked?: OrderBlock | null };

/** What changed in the open list while the traveller looked at it (announced politely). */
export interface OrderListChangeView {
  /** How many orders appeared. */
  readonly added: number;
  /** The orders that left the list, and why. */
  readonly gone: readonly { readonly order: OrderView; readonly reason: GoneReason }[];
}

/**
 * A journey of the card as the traveller sees it: from the card's travel log (dates, from →
 * to, what was charged), with the back office's word on what it earns back when it could
 * be asked (`money`, null otherwise). `claimable`: the machine takes it (Geld terug).
 */
export interface JourneyView {
  readonly id: string;
  readonly from: StationCode;
  /** null: checked in and never out. */
  readonly to: StationCode | null;
  readonly checkedInAt: string;
  readonly checkedOutAt: string | null;
  readonly chargedCents: number;
  readonly money: Omit<JourneyAssessment, 'journeyId' | 'orderId'> | null;
  readonly claimable: boolean;
}

/** What a finished delivery shows; only here does a kaartservicecode reach the renderer. */
export type OutcomeView = DeliveryOutcome;

/**
 * `manual`: a technician took the machine out of service (see `serviceReason`); `fault`:
 * its configuration or storage cannot be used (see the screen's `fault`, for the technician).
 */
export type OutOfServiceReason = 'starting' | 'noReader' | 'manual' | 'fault';

export type Health = 'green' | 'amber' | 'red';

/** Status at a glance, for the technician and for fleet monitoring (GET /health). */
export interface MaintenanceStatus {
  readonly overall: Health;
  readonly reader: {
    readonly health: Health;
    readonly name: string;
    readonly status: ReaderStatus;
    readonly lastCardAt: string | null;
    readonly errorsSinceStart: number;
    /** Set while the reader reports a fault of its own (not of a card), e.g. another program using it. */
    readonly fault?: ReaderFault;
  };
  readonly store: {
    readonly health: Health;
    readonly sizeBytes: number;
    readonly pendingOrders: number;
    readonly unsettledDeliveries: number;
  };
  readonly sync: {
    readonly health: Health;
    readonly configured: boolean;
    readonly online: boolean;
    readonly lastSuccessAt: string | null;
    readonly outboxDepth: number;
    readonly lagSeconds: number | null;
  };
  readonly app: {
    readonly health: Health;
    readonly version: string;
    readonly uptimeSeconds: number;
    readonly outOfService: ServiceReason | null;
  };
  readonly disk: { readonly health: Health; readonly freeBytes: number; readonly totalBytes: number };
  /** A fault that keeps the machine out of service until it is gone (red), else null. */
  readonly fault: Fault | null;
  /** The kiosk's clock against the back office's (amber when far off). */
  readonly clock: ClockStatus;
  /**
   * Only when the station has a receipt printer. `condition` null: not asked yet. `reason`:
   * why the printer gave no usable answer (not reached, no answer, its device file gone), in
   * the adapter's words for the technician; null after a good answer.
   */
  readonly printer?: { readonly health: Health; readonly name: string; readonly condition: PrinterCondition | null; readonly reason: string | null };
}

/**
 * The receipt on the confirm and delivered screens (absent: the station has no printer).
 * `available`: the printer can print now; `state`: what became of this delivery's receipt.
 */
export interface ReceiptView {
  readonly available: boolean;
  readonly state: ReceiptState;
}

/** How far the kiosk's clock is from the back office's, by the Date of its sync answers. */
export interface ClockStatus {
  readonly health: Health;
  /** Back office minus kiosk, in seconds; null until a sync answer was dated. */
  readonly offsetSeconds: number | null;
  /** The offset is so large that orders are expired by the back office's clock instead. */
  readonly farOff: boolean;
}

/**
 * GET /health, also when the kiosk could not start (no configuration, a database it
 * cannot use): `overall` red and `reason` the fault's code then, answered with 503.
 */
export type HealthReport =
  | MaintenanceStatus
  | { readonly overall: 'red'; readonly fault: Fault; readonly app: { readonly version: string; readonly uptimeSeconds: number } };

export interface LogLineView {
  readonly at: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  /** The kiosk's state after the event, when the line is about one (`session.orders`). */
  readonly state?: string;
  /** The order the line is about. */
  readonly order?: string;
  /** Why: a failure, a fault, an error's message. */
  readonly reason?: string;
}

export interface AuditLineView {
  readonly at: string;
  /** Masked technician card number, or "service key". */
  readonly actor: string;
  readonly action: string;
  readonly detail: string | null;
}

export interface UnsettledDeliveryView {
  readonly id: string;
  readonly maskedCardNumber: string;
  readonly kind: string;
  readonly state: string;
  readonly since: string;
}

/** The authenticated maintenance screen: a page plus what that page shows. */
export interface MaintenanceView {
  readonly page: MaintenancePage;
  /** An action is running. */
  readonly busy: boolean;
  readonly lastAction: MaintenanceActionResult | null;
  readonly status: MaintenanceStatus;
  /** testCard page: the last card tapped (null until one is). */
  readonly testCard: CardInspection | null;
  /** Filled only on the page that shows them. */
  readonly log: readonly LogLineView[];
  readonly audit: readonly AuditLineView[];
  readonly deliveries: readonly UnsettledDeliveryView[];
}

export type Screen =
  | {
      readonly name: 'outOfService';
      readonly reason: OutOfServiceReason;
      readonly serviceReason: ServiceReason | null;
      /** What keeps the machine out of service, for the technician's line on this screen. */
      readonly fault: Fault | null;
    }
  /** `readerPosition`: where the reader is on this cabinet (default below the screen). */
  | { readonly name: 'idle'; readonly readerPosition?: ReaderPosition }
  | { readonly name: 'readingCard' }
  | { readonly name: 'unknownCard'; readonly reason: ReadFailure }
  /** `waiting`: how many orders this card may collect here now (absent: not known). */
  | { readonly name: 'menu'; readonly card: CardView; readonly waiting?: number }
  | { readonly name: 'loadingOrders'; readonly card: CardView }
  | {
      readonly name: 'orders';
      readonly card: CardView;
      readonly orders: readonly OrderView[];
      readonly change: OrderListChangeView | null;
      /** "Alles ophalen" is offered: more than one order can be collected together. */
      readonly collectAll: boolean;
      /** A refund claimed in this session is not in the list yet: it will be within a minute. */
      readonly refundComing?: boolean;
    }
  // Reizen en Geld Terug
  | { readonly name: 'loadingJourneys'; readonly card: CardView }
  | {
      readonly name: 'journeys';
      readonly card: CardView;
      /** Newest first, as the card keeps them; empty: the card has no journeys recorded. */
      readonly journeys: readonly JourneyView[];
      /** Why money back cannot be checked now (the journeys come from the card alone); null: checked. */
      readonly unavailable: BackOfficeFailure | null;
    }
  | {
      readonly name: 'chooseDestination';
      readonly journey: JourneyView;
      /** The stations the traveller may have travelled to, with what each would give back. */
      readonly destinations: readonly { readonly station: StationCode; readonly refundCents: number }[];
    }
  | {
      readonly name: 'confirmClaim';
      readonly journey: JourneyView;
      readonly kind: ClaimKind;
      readonly amountCents: number | null;
      /** A forgotten check-out: where the traveller travelled to. */
      readonly destination: StationCode | null;
    }
  | { readonly name: 'claiming'; readonly journey: JourneyView }
  | {
      readonly name: 'claimResult';
      readonly journey: JourneyView | null;
      /** What the claim got; null with `failure`: no answer from the back office. */
      readonly outcome: ClaimOutcome | null;
      readonly failure: BackOfficeFailure | null;
      /** Ophalen bestelling is offered: the claim gave the card a refund to collect. */
      readonly pickup: boolean;
      /** That refund is in this kiosk's cache already (else: within a minute). */
      readonly refundReady: boolean;
    }
  | {
      readonly name: 'noOrders';
      readonly card: CardView;
      readonly change: OrderListChangeView | null;
      /** A refund claimed in this session is not in the kiosk's cache yet: it will be within a minute. */
      readonly refundComing?: boolean;
    }
  | {
      readonly name: 'confirm';
      readonly card: CardView;
      readonly order: OrderView;
      /** "Alles ophalen": the orders collected after `order`, in that order (else empty). */
      readonly also: readonly OrderView[];
      /** Told before Akkoord: whether there will be a receipt. Absent: no printer at this station. */
      readonly receipt?: ReceiptView;
    }
  /** The card left before Akkoord: nothing was changed on it. */
  | { readonly name: 'cardRemoved' }
  | { readonly name: 'delivering'; readonly order: OrderView }
  | {
      readonly name: 'delivered';
      readonly order: OrderView;
      readonly outcome: OutcomeView;
      /** "Alles ophalen": what was collected before `order` in the same run (else empty). */
      readonly collected: readonly { readonly order: OrderView; readonly outcome: OutcomeView }[];
      /** The card has left: the screen stays up for `graceSeconds`, then the kiosk is free again. */
      readonly cardGone: boolean;
      readonly graceSeconds: number;
      /** Other orders were ready for the card when this one was chosen. */
      readonly moreOrders: boolean;
      /** How long this kiosk shows a kaartservicecode again when its card comes back. */
      readonly shownAgainHours: number;
      /** "Bon afdrukken" and what became of it. Absent: no printer at this station. */
      readonly receipt?: ReceiptView;
    }
  /** "Neem uw kaart mee": the session is over, the card is still on the reader. */
  | { readonly name: 'takeCard' }
  | {
      readonly name: 'interrupted';
      readonly order: OrderView;
      /** A different card than the one being written is on the reader. */
      readonly differentCard: boolean;
      readonly deadlineSeconds: number;
    }
  | {
      readonly name: 'failed';
      readonly reason: DeliveryFailure;
      /** "Alles ophalen" stopped part-way: the orders it did collect. */
      readonly collected: readonly OrderView[];
      /** "Opnieuw proberen" can help: the card is there and the failure may pass. */
      readonly retry: boolean;
      /** Another order can be chosen instead (nothing was written, the card is there). */
      readonly chooseAnother: boolean;
    }
  // Maintenance mode
  /** The service key: which technician (their technician card's number) before any PIN. */
  | { readonly name: 'technicianCard' }
  | {
      readonly name: 'pin';
      /** How the technician came in: with a technician card, or the cabinet's key switch. */
      readonly entry: 'card' | 'serviceKey';
      readonly wrongPin: boolean;
      readonly attemptsLeft: number | null;
    }
  | { readonly name: 'checkingPin' }
  | { readonly name: 'pinLocked'; readonly minutesLeft: number }
  | { readonly name: 'maintenance'; readonly maintenance: MaintenanceView };

export type ScreenName = Screen['name'];

export interface KioskView {
  readonly language: Language;
  /** High contrast / large text, spoken guidance, more time: the traveller's choices. */
  readonly assist: Assist;
  /** Seconds before the inactivity warning and before the reset (stretched by "more time"). */
  readonly timing: { readonly warningSeconds: number; readonly resetSeconds: number };
  readonly screen: Screen;
  /** "Bent u er nog?": the session resets soon unless the traveller acts. */
  readonly inactivityWarning: boolean;
  /** The demo (badged DEMO); a station is not. */
  readonly demo: boolean;
  /**
   * The configured key combination that stands for the cabinet's key switch, in
   * KeyboardEvent terms (e.g. "Control+Alt+KeyM"); pressing it sends SERVICE_KEY.
   */
  readonly serviceKey: string;
}

/** What the web host sends down its WebSocket. */
export type ServerMessage = { readonly kind: 'view'; readonly view: KioskView } | { readonly kind: 'rejected'; readonly error: string };

/** The renderer's side of a carrier. */
export interface KioskBridge {
  subscribe(listener: (view: KioskView) => void): () => void;
  send(event: UiEvent): void;
}

export { IPC } from './ipc-channels.js';
