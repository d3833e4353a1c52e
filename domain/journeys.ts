// Journeys: what a card's travel log holds (check-in and check-out at the gates), the
// stations and fares of the demo network, and what a journey can earn back. Pure data and
// arithmetic: no I/O (domain/ imports nothing outside itself).

/** A station, by its code (`utrecht-centraal`). The names live in the renderer's catalogs under `stations.<code>`. */
export type StationCode = string;

/** One tap at a gate: where and when (ISO 8601, UTC). */
export interface GateTap {
  readonly station: StationCode;
  readonly at: string;
}

/**
 * One journey as the card's travel log keeps it. At check-in the gate charges the boarding
 * amount (`BOARDING_AMOUNT_CENTS`); at check-out it gives back the boarding amount minus the
 * fare, so `chargedCents` is the fare of a completed journey, and the whole boarding amount
 * when the traveller never checked out (`checkOut` null).
 */
export interface CardJourney {
  readonly checkIn: GateTap;
  readonly checkOut: GateTap | null;
  readonly chargedCents: number;
}

/** What the gate takes at check-in on travel on balance ("instaptarief"), as NS: EUR 20. */
export const BOARDING_AMOUNT_CENTS = 2_000;

/**
 * How long a check-in takes a check-out at a gate; after that it has lapsed (the boarding
 * amount stays charged) and only a forgotten-check-out claim gives money back. Such a claim
 * opens a day after the check-in (COMPENSATION_RULES.claimOpensAfterHours), so a journey is
 * never refunded both at a gate and by a claim.
 */
export const CHECK_IN_VALID_HOURS = 6;

/** A journey is known by its card and its check-in time (a card cannot check in twice at once). */
export function journeyId(journey: Pick<CardJourney, 'checkIn'>): string {
  return journey.checkIn.at;
}

export interface Station {
  /** Position on a plane, km (a rough map of the Netherlands): the fare follows the distance. */
  readonly x: number;
  readonly y: number;
}

/** The demo network: a few large stations. An operator's table replaces it. */
export const STATIONS: Readonly<Record<StationCode, Station>> = {
  'amsterdam-centraal': { x: 122, y: 488 },
  'schiphol-airport': { x: 112, y: 480 },
  'den-haag-centraal': { x: 81, y: 455 },
  'rotterdam-centraal': { x: 92, y: 438 },
  'utrecht-centraal': { x: 136, y: 456 },
  breda: { x: 113, y: 400 },
  'eindhoven-centraal': { x: 161, y: 384 },
  'arnhem-centraal': { x: 190, y: 444 },
  zwolle: { x: 203, y: 503 },
};

export function isStationCode(code: string): code is StationCode {
  return Object.hasOwn(STATIONS, code);
}

export interface FareTable {
  /** Every journey's base fare, euro cents. */
  readonly baseCents: number;
  /** Per kilometre of rail (the straight distance times `railFactor`), euro cents. */
  readonly perKmCents: number;
  readonly railFactor: number;
  /** Fares are rounded to this many cents. */
  readonly roundToCents: number;
}

export const FARES: FareTable = { baseCents: 110, perKmCents: 17, railFactor: 1.25, roundToCents: 10 };

/** The full fare between two stations of `STATIONS` (second class, no discount), euro cents. */
export function fareCents(from: StationCode, to: StationCode, table: FareTable = FARES): number {
  const a = STATIONS[from];
  const b = STATIONS[to];
  if (a === undefined || b === undefined) throw new RangeError(`unknown station: ${a === undefined ? from : to}`);
  if (from === to) return 0;
  const km = Math.hypot(a.x - b.x, a.y - b.y) * table.railFactor;
  const cents = table.baseCents + km * table.perKmCents;
  return Math.min(BOARDING_AMOUNT_CENTS, Math.round(cents / table.roundToCents) * table.roundToCents);
}

/** What a journey can be claimed for at the kiosk or online. */
export type ClaimKind = 'delay' | 'forgottenCheckOut';
