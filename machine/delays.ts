/**
 * Every timeout of the kiosk, in milliseconds, in one place. The machine refers to them by
 * name only, so tests drive them with a simulated clock and a station can tune them.
 */
export const DELAYS = {
  /** No input on an interactive screen for this long: ask "Bent u er nog?". */
  inactivityWarning: 30_000,
  /** No input for this long in all (so 15 s after the warning): end the session. */
  inactivityReset: 45_000,
  /** Reading and decoding a card must finish within this. */
  readTimeout: 10_000,
  /** A delivery that has not finished by then is stopped; the card settles it when read again. */
  deliveryTimeout: 15_000,
  /** The card left during a delivery: how long we wait for the same card to come back. */
  interruptedDeadline: 30_000,
  /** Maintenance screens are read, not tapped through: a technician gets longer. */
  maintenanceInactivityWarning: 120_000,
  /** Maintenance ends (back to the traveller screens) this long after the last input. */
  maintenanceInactivityReset: 150_000,
} as const;

export type DelayName = keyof typeof DELAYS;

/** "More time" (a traveller's choice) multiplies the waits that hurry a traveller. */
export const MORE_TIME_FACTOR = 3;

/** The delays that "more time" stretches. */
export const STRETCHED: readonly DelayName[] = ['inactivityWarning', 'inactivityReset', 'interruptedDeadline'];
