// Failures: why a card could not be used or a delivery did not finish.
// Pure data: no I/O, no Node, DOM or library types (domain/ imports nothing).

/** Why a card could not be used. */
export const READ_FAILURES = ['foreignCard', 'corruptCard', 'expiredCard', 'unreadable'] as const;
export type ReadFailure = (typeof READ_FAILURES)[number];

/**
 * Why a delivery did not finish. `cardRemoved` is recoverable (the same card is asked
 * for again); the others end the attempt with the order still safe in the cache.
 * `codeLocked`: the card cannot open the kaartservicecode sealed to it (it was issued
 * without a seal key, or with another card's); nothing was written.
 */
export const DELIVERY_FAILURES = [
  'cardRemoved',
  'balanceLimit',
  'noFreeSlot',
  'cardExpired',
  'orderUnavailable',
  'orderCancelled',
  'orderExpired',
  'orderDelivered',
  'unknownProduct',
  'wrongCard',
  'codeLocked',
  'timeout',
  'internal',
] as const;
export type DeliveryFailure = (typeof DELIVERY_FAILURES)[number];

/**
 * The failures that trying the same order again, with the card on the reader, may cure:
 * a delivery that took too long, or a fault in the machine. Every other failure would
 * fail again the same way (a balance limit, an order that is gone, a product this kiosk
 * cannot write), so the traveller is not offered "Opnieuw proberen" for it. (`cardRemoved`
 * is retried by holding the same card to the reader, not by a button.)
 */
export const RETRYABLE_FAILURES: readonly DeliveryFailure[] = ['timeout', 'internal'];

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
