// The fleet's lockout of a technician (POST /v1/kiosk/pin-attempts): PIN attempts are
// counted per technician across every kiosk, until a right PIN; past the limit the
// technician is locked at every kiosk that is online, each lock twice as long as the one
// before (at most 8 hours). Pure: both storage engines keep the row, this decides.
import type { FleetPinLock, PinAttempt } from '../protocol/kiosk-api.js';

export interface FleetLockoutPolicy {
  /** Attempts allowed across the fleet without a right PIN between them. */
  readonly maxAttempts: number;
  /** The first lock; each next one lasts twice as long... */
  readonly minutes: number;
  /** ...up to this. */
  readonly maxMinutes: number;
}

/** A kiosk locks after 5 wrong PINs; the fleet after 10, wherever they were typed. */
export const FLEET_LOCKOUT: FleetLockoutPolicy = { maxAttempts: 10, minutes: 15, maxMinutes: 480 };

/** The row a store keeps per technician. */
export interface PinLockRow {
  readonly attempts: number;
  readonly locks: number;
  readonly lockedUntil: string | null;
}

export const NO_PIN_LOCK: PinLockRow = { attempts: 0, locks: 0, lockedUntil: null };

/** The row after this attempt, and what the kiosk is told. */
export function nextPinLock(
  row: PinLockRow,
  outcome: PinAttempt['outcome'],
  now: Date,
  policy: FleetLockoutPolicy = FLEET_LOCKOUT,
): { row: PinLockRow; answer: FleetPinLock } {
  if (outcome === 'ok') return { row: NO_PIN_LOCK, answer: { lockedUntil: null, attemptsLeft: policy.maxAttempts } };
  if (row.lockedUntil !== null && Date.parse(row.lockedUntil) > now.getTime()) {
    return { row, answer: { lockedUntil: row.lockedUntil, attemptsLeft: 0 } };
  }
  const attempts = row.attempts + 1;
  if (attempts > policy.maxAttempts) {
    const minutes = Math.min(policy.maxMinutes, policy.minutes * 2 ** row.locks);
    const lockedUntil = new Date(now.getTime() + minutes * 60_000).toISOString();
    return { row: { attempts: 0, locks: row.locks + 1, lockedUntil }, answer: { lockedUntil, attemptsLeft: 0 } };
  }
  return { row: { attempts, locks: row.locks, lockedUntil: null }, answer: { lockedUntil: null, attemptsLeft: policy.maxAttempts - attempts } };
}
