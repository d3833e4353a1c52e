/**
 * Every timeout of the kiosk, in milliseconds, in one place. The machines refer to them by
 * name only, so tests drive them with a simulated clock and a station can tune them.
 */
import type { Assist } from '../domain/index.js';

export const DELAYS = {
  /** No input on an interactive screen for this long: ask "Bent u er nog?". */
  inactivityWarning: 30_000,
  /** No input for this long in all (so 15 s after the warning): end the session. */
  inactivityReset: 45_000,
  /** Reading and decoding a card must finish within this. */
  readTimeout: 10_000,
  /** A delivery that has not finished by then is stopped; the card settles it when read again. */
  deliveryTimeout: 15_000,
  /**
   * "Reizen en Geld Terug": the back office's assessment of the card's journeys must come
   * within this, or the journeys are shown from the card without it (the sync client gives
   * up after 5 s; this is the machine's own limit, should the actor hang).
   */
  assessTimeout: 7_000,
  /** A claim must be answered within this, or the traveller is told it could not be made now. */
  claimTimeout: 7_000,
  /** The card left during a delivery: how long we wait for the same card to come back. */
  interruptedDeadline: 30_000,
  /**
   * The card left the delivered screen: what was delivered (a kaartservicecode too) stays
   * up this long, so a traveller who lifted the card at once can still read it.
   */
  deliveredGrace: 20_000,
  /** The card left before Akkoord: "Kaart weggenomen, er is niets veranderd" for this long. */
  cardRemovedNotice: 8_000,
  /** The session ended with the card on the reader: "Neem uw kaart mee" until it leaves, at most this long. */
  takeCardReminder: 20_000,
  /**
   * Speech, contrast, more time or a language chosen on the idle screen, and no card came:
   * reset after this long, so they do not carry over to whoever comes next (a technician's
   * PIN pad must not be read aloud for them; each choice starts the wait again).
   */
  idleChoicesReset: 60_000,
  /** Maintenance screens are read, not tapped through: a technician gets longer. */
  maintenanceInactivityWarning: 120_000,
  /** Maintenance ends (back to the traveller screens) this long after the last input. */
  maintenanceInactivityReset: 150_000,
} as const;

export type DelayName = keyof typeof DELAYS;

/** "More time" (a traveller's choice) multiplies the waits that hurry a traveller. */
const MORE_TIME_FACTOR = 3;

/** The delays that "more time" stretches. */
export const STRETCHED: readonly DelayName[] = [
  'inactivityWarning',
  'inactivityReset',
  'interruptedDeadline',
  'deliveredGrace',
  'cardRemovedNotice',
];

/**
 * A delay as the kiosk applies it for this traveller: the one place "more time" is worked
 * out (the machine's timers, the screen's countdowns and the tests all ask here).
 */
export function delayFor(name: DelayName, assist: Pick<Assist, 'moreTime'>): number {
  return DELAYS[name] * (assist.moreTime && STRETCHED.includes(name) ? MORE_TIME_FACTOR : 1);
}
