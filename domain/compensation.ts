// Geld Terug bij Vertraging: how much of a ride's fare a delayed traveller gets back, as
// NS publishes it (the sources are cited beside each rule in compensation.test.ts). Pure and
// table-driven: the thresholds, the minimum, the claim window and the season tickets' fixed
// amounts are data (COMPENSATION_RULES), so an operator changes a table, not the code.

/** The line a ride was on: the high-speed line pays from a shorter delay. */
export type LineClass = 'standard' | 'highSpeed';

/** Why a delay earns nothing, whatever its length. */
export type NoCompensationReason =
  | 'announcedInAdvance'
  | 'forceMajeure'
  | 'otherCarrier'
  | 'notCheckedInAndOut'
  | 'tooLate'
  | 'tooEarly'
  | 'belowMinimum'
  | 'tooShort';

export interface DelayStep {
  /** From this many minutes of delay... */
  readonly fromMinutes: number;
  /** ...this share of the ride's fare is paid back (0–1). */
  readonly share: number;
}

export interface CompensationRules {
  /** Per line class, the steps in ascending order of minutes. */
  readonly steps: Readonly<Record<LineClass, readonly DelayStep[]>>;
  /** No payment when the ride's fare is below this (euro cents). */
  readonly minimumFareCents: number;
  /** A claim is made at least this long after the journey (hours)... */
  readonly claimOpensAfterHours: number;
  /** ...and less than this many months after it. */
  readonly claimWindowMonths: number;
  /**
   * Season tickets with a fixed amount instead of a share of the fare: the amount for the
   * first step; each further step pays that many times more (60+ minutes: twice).
   */
  readonly seasonTicketAmounts: Readonly<Record<string, number>>;
}

/** NS's published conditions, as cited in compensation.test.ts. */
export const COMPENSATION_RULES: CompensationRules = {
  steps: {
    standard: [
      { fromMinutes: 30, share: 0.5 },
      { fromMinutes: 60, share: 1 },
    ],
    // From a quarter of an hour on the high-speed line; the share for 15–29 minutes is not in
    // the sources at hand: half, as for the first step elsewhere (the operator's to confirm).
    highSpeed: [
      { fromMinutes: 15, share: 0.5 },
      { fromMinutes: 60, share: 1 },
    ],
  },
  minimumFareCents: 230,
  claimOpensAfterHours: 24,
  claimWindowMonths: 3,
  // Demo figures for the products this project writes to cards; an operator's table replaces them.
  seasonTicketAmounts: { TRAJECT_VRIJ: 500, ALTIJD_VOORDEEL: 250 },
};

/** One ride of a journey, as the card's travel log and the operator's realised times give it. */
export interface Ride {
  /** When the ride ended at its destination station, by the timetable and in fact (ISO). */
  readonly scheduledArrival: string;
  readonly actualArrival: string;
  /** What this ride cost (a return's half, a single's whole), euro cents. */
  readonly fareCents: number;
  readonly line: LineClass;
  /** The card was checked in and out for this ride. */
  readonly checkedInAndOut: boolean;
  /** The longer journey time was announced beforehand (planned works). */
  readonly announcedInAdvance?: boolean;
  /** A special case of force majeure, such as a nationwide power failure. */
  readonly forceMajeure?: boolean;
  /** The delay was caused by another carrier than NS. */
  readonly otherCarrier?: boolean;
  /** Travelled on a season ticket with a fixed amount (a key of seasonTicketAmounts). */
  readonly seasonTicket?: string;
}

export type Compensation =
  | { readonly due: true; readonly amountCents: number; readonly delayMinutes: number; readonly share: number | null }
  | { readonly due: false; readonly reason: NoCompensationReason; readonly delayMinutes: number };

const MINUTE = 60_000;

/** Whole minutes late at the destination station: actual minus scheduled arrival (never below 0). */
export function delayMinutes(ride: Pick<Ride, 'scheduledArrival' | 'actualArrival'>): number {
  return Math.max(0, Math.floor((Date.parse(ride.actualArrival) - Date.parse(ride.scheduledArrival)) / MINUTE));
}

/** The date `months` calendar months after `iso` (the same day of the month, or the month's last). */
function addMonths(iso: string, months: number): number {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** What a ride earns back when claimed at `claimedAt` (ISO), under `rules`. */
export function compensationFor(ride: Ride, claimedAt: string, rules: CompensationRules = COMPENSATION_RULES): Compensation {
  const minutes = delayMinutes(ride);
  const none = (reason: NoCompensationReason): Compensation => ({ due: false, reason, delayMinutes: minutes });
  if (ride.announcedInAdvance) return none('announcedInAdvance');
  if (ride.forceMajeure) return none('forceMajeure');
  if (ride.otherCarrier) return none('otherCarrier');
  if (!ride.checkedInAndOut) return none('notCheckedInAndOut');
  const claimed = Date.parse(claimedAt);
  if (claimed >= addMonths(ride.actualArrival, rules.claimWindowMonths)) return none('tooLate');
  if (claimed < Date.parse(ride.actualArrival) + rules.claimOpensAfterHours * 3_600_000) return none('tooEarly');
  const steps = rules.steps[ride.line];
  const reached = steps.filter((step) => minutes >= step.fromMinutes);
  const step = reached.at(-1);
  if (step === undefined) return none('tooShort');
  const fixed = ride.seasonTicket === undefined ? undefined : rules.seasonTicketAmounts[ride.seasonTicket];
  if (fixed !== undefined) return { due: true, amountCents: fixed * reached.length, delayMinutes: minutes, share: null };
  if (ride.fareCents < rules.minimumFareCents) return none('belowMinimum');
  return { due: true, amountCents: Math.round(ride.fareCents * step.share), delayMinutes: minutes, share: step.share };
}

/** A return counts as two rides: each leg is claimed on its own, with half the return's fare. */
export function returnLegs(returnFareCents: number): readonly [number, number] {
  const outward = Math.ceil(returnFareCents / 2);
  return [outward, returnFareCents - outward];
}
