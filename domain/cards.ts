// Cards: what the reader and the card layout tell the kiosk about a card.
// Pure data: no I/O, no Node, DOM or library types (domain/ imports nothing).
import type { CardJourney } from './journeys.js';
import type { DeliveryOutcome, OfferedOrder } from './orders.js';

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
  /**
   * The card's travel log, newest first (docs/card-layout.md, "Travel log"); absent on a card
   * without one (it still works for everything else).
   */
  readonly journeys?: readonly CardJourney[];
}

export type ReaderStatus = 'no_reader' | 'ready' | 'card_present' | 'card_error';

/** Where the card reader is on the cabinet, as the idle screen shows it (station configuration). */
export const READER_POSITIONS = ['below-screen', 'right', 'left'] as const;
export type ReaderPosition = (typeof READER_POSITIONS)[number];

/**
 * A fault of the reader rather than of the card, for the technician. `readerInUse`:
 * another program holds the reader (a PC/SC sharing violation), so the kiosk cannot talk
 * to the card on it.
 */
export type ReaderFault = 'readerInUse';

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

/** A product code this kiosk can write to a card (an order for any other is not offered). */
export function isProductCode(code: string): code is ProductCode {
  return Object.hasOwn(PRODUCT_CODES, code);
}

/** The most a card may hold, as on the OV-chipkaart (EUR 150). */
export const MAX_BALANCE_CENTS = 15_000;
