// Domain types shared by the machine, the kiosk service and the contract.
// Pure data: no I/O, no Node or DOM types.

export const LANGUAGES = ['nl', 'en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'nl';

export type CardKind = 'traveller' | 'technician';

/** A travel product as held in one of the card's product slots. Dates are ISO yyyy-mm-dd. */
export interface CardProduct {
  readonly productCode: string;
  readonly validFrom: string;
  readonly validUntil: string;
}

/** What the kiosk learned from reading a card (after settling any open delivery). */
export interface CardSummary {
  readonly uid: string;
  readonly cardNumber: string;
  readonly kind: CardKind;
  readonly expiry: string;
  readonly balanceCents: number;
  readonly products: readonly CardProduct[];
  /**
   * A delivery that an earlier, interrupted visit wrote to this card and that was only now
   * confirmed from the card's journal: shown to the traveller as delivered (a
   * kaartservicecode must not be lost just because its screen never appeared).
   */
  readonly settled?: { readonly order: OfferedOrder; readonly outcome: DeliveryOutcome } | null;
}

/** An order as offered at the kiosk. The kaartservicecode itself is never part of it. */
export type OfferedOrder =
  | { readonly id: string; readonly kind: 'kaartservicecode'; readonly orderedAt: string }
  | {
      readonly id: string;
      readonly kind: 'product';
      readonly orderedAt: string;
      readonly productCode: string;
      readonly validFrom: string;
      readonly validUntil: string;
    }
  | { readonly id: string; readonly kind: 'topup'; readonly orderedAt: string; readonly amountCents: number };

export type OrderKind = OfferedOrder['kind'];

/** What a finished delivery shows the traveller. Only here does a kaartservicecode appear. */
export type DeliveryOutcome =
  | { readonly kind: 'kaartservicecode'; readonly code: string }
  | { readonly kind: 'product'; readonly product: CardProduct }
  | { readonly kind: 'topup'; readonly amountCents: number; readonly balanceCents: number };

/** Why a card could not be used. */
export const READ_FAILURES = ['foreignCard', 'corruptCard', 'expiredCard', 'unreadable'] as const;
export type ReadFailure = (typeof READ_FAILURES)[number];

/**
 * Why a delivery did not finish. `cardRemoved` is recoverable (the same card is asked
 * for again); the others end the attempt with the order still safe in the cache.
 */
export const DELIVERY_FAILURES = [
  'cardRemoved',
  'balanceLimit',
  'noFreeSlot',
  'cardExpired',
  'orderUnavailable',
  'wrongCard',
  'timeout',
  'internal',
] as const;
export type DeliveryFailure = (typeof DELIVERY_FAILURES)[number];

/** An expected failure travels as a value inside an Error so actors can reject with it. */
export class KioskFailure<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'KioskFailure';
  }
}

export function failureCode<C extends string>(error: unknown, allowed: readonly C[], fallback: C): C {
  if (error instanceof KioskFailure && (allowed as readonly string[]).includes(error.code)) {
    return error.code as C;
  }
  return fallback;
}

export type ReaderStatus = 'no_reader' | 'ready' | 'card_present' | 'card_error';

/**
 * Travel products this kiosk knows. The number is what the card layout stores; the
 * names live in the renderer's catalogs under `products.<code>`.
 */
export const PRODUCT_CODES = {
  DAL_VOORDEEL: 1,
  ALTIJD_VOORDEEL: 2,
  WEEKEND_VRIJ: 3,
  TRAJECT_VRIJ: 4,
} as const;
export type ProductCode = keyof typeof PRODUCT_CODES;

/** The most a card may hold, as on the OV-chipkaart (EUR 150). */
export const MAX_BALANCE_CENTS = 15_000;

/** Why a technician took the machine out of service; travellers see a text for each. */
export const SERVICE_REASONS = ['maintenance', 'technicalFault', 'cleaning'] as const;
export type ServiceReason = (typeof SERVICE_REASONS)[number];

/** What a technician can see in maintenance mode. */
export const MAINTENANCE_PAGES = ['status', 'testCard', 'deliveries', 'log', 'audit', 'outOfService'] as const;
export type MaintenancePage = (typeof MAINTENANCE_PAGES)[number];

/** What a technician can do; each is written to the audit log. */
export const MAINTENANCE_ACTIONS = ['syncNow', 'restartReader', 'releaseDeliveries', 'backInService'] as const;
export type MaintenanceActionName = (typeof MAINTENANCE_ACTIONS)[number];

export type MaintenanceAction =
  | { readonly type: MaintenanceActionName }
  | { readonly type: 'outOfService'; readonly reason: ServiceReason };

export interface MaintenanceActionResult {
  readonly action: MaintenanceAction['type'];
  readonly ok: boolean;
  /** e.g. how many deliveries were released or orders synced. */
  readonly count?: number;
}

/** The verdict on a PIN. */
export type PinResult =
  | { readonly result: 'ok'; readonly technicianId: string }
  | { readonly result: 'wrong'; readonly attemptsLeft: number }
  | { readonly result: 'locked'; readonly minutesLeft: number };

/** A card decoded for the technician's "test a card", number masked. */
export type CardInspection =
  | {
      readonly ok: true;
      readonly maskedNumber: string;
      readonly kind: CardKind;
      readonly expiry: string;
      readonly balanceCents: number;
      readonly products: readonly CardProduct[];
      readonly journalEntries: number;
      readonly activeRecord: 'A' | 'B';
      readonly sequence: number;
      readonly layoutVersion: number;
      readonly uid: string;
    }
  | { readonly ok: false; readonly reason: ReadFailure };

/** Help a traveller can switch on; it is reset for the next traveller. */
export const ASSIST_OPTIONS = ['highContrast', 'speech', 'moreTime'] as const;
export type AssistOption = (typeof ASSIST_OPTIONS)[number];
export type Assist = Readonly<Record<AssistOption, boolean>>;
export const NO_ASSIST: Assist = { highContrast: false, speech: false, moreTime: false };
