// Failures: why a card could not be used or a delivery did not finish.
// Pure data: no I/O, no Node, DOM or library types (domain/ imports nothing).

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
