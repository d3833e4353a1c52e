// A gate of the demo network (docs/card-layout.md, "Travel log"): check-in takes the boarding
// amount from the card's balance, check-out gives back the boarding amount minus the fare,
// and the journey goes into the card's travel log. On any CardAccess (the simulated reader,
// the virtual PC/SC card), for the gate simulator (`npm run card -- checkin …`) and tests.
//
// The order of the writes makes a tear safe: a closed journey's log entry is written first
// (it counts only once a state record names its sequence), then the state record — balance,
// open check-in and the log's committed sequence in one A/B record write. Torn before the
// state write lands, the card is as it was (the entry is ignored and rewritten next time);
// after, the tap happened. Never a balance without its journey, nor a journey without its
// balance: no free journey.
import { readCard, readTravelLog, writeState, writeTravelEntry } from './card-io.js';
import { fromCardMinutes, toCardMinutes, TRAVEL_LOG_JOURNEYS, type CardCodec, type DecodedCard, type TravelState } from './card-layout.js';
import type { CardAccess } from './card-reader.js';
import { BOARDING_AMOUNT_CENTS, CHECK_IN_VALID_HOURS, fareCents, isStationCode, STATIONS, type CardJourney, type StationCode } from '../domain/index.js';

export type GateRefusal =
  | 'unknownStation'
  | 'insufficientBalance'
  | 'notCheckedIn'
  | 'beforeLastTap'
  | 'notTraveller'
  | 'cardExpired'
  | 'noTravelLog'
  | 'checkInLapsed';

/** The gate stays closed: nothing was written to the card. */
export class GateError extends Error {
  constructor(
    readonly refusal: GateRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'GateError';
  }
}

export interface GateResult {
  /** The card as it is now, with its journeys (newest first). */
  readonly card: DecodedCard;
  /** The journey this tap made or ended (a check-in's is open: checkOut null). */
  readonly journey: CardJourney;
  /** A check-in while checked in: the journey it closed as not checked out (the boarding amount kept). */
  readonly closed: CardJourney | null;
}

const euros = (cents: number) => `EUR ${(cents / 100).toFixed(2)}`;

function knownStation(station: string): StationCode {
  if (!isStationCode(station)) {
    throw new GateError('unknownStation', `unknown station "${station}"; known stations: ${Object.keys(STATIONS).join(', ')}`);
  }
  return station;
}

/** The card read for a tap, with what the gate needs to know: its travel state and when it last passed a gate. */
async function tapRead(access: CardAccess, codec: CardCodec, at: Date, signal?: AbortSignal) {
  if (!codec.travelLog) throw new GateError('noTravelLog', 'this card layout has no travel log');
  const card = await readCard(access, codec, signal);
  if (card.identity.kind !== 'traveller') throw new GateError('notTraveller', 'not a traveller\'s card');
  if (card.identity.expiry < at.toISOString().slice(0, 10)) throw new GateError('cardExpired', `the card expired on ${card.identity.expiry}`);
  const travel: TravelState = card.state.travel ?? { logSequence: 0, checkedIn: null };
  const blocks = await readTravelLog(access, codec, travel, signal);
  const journeys = codec.travelLog.decode(blocks, travel);
  const closed = travel.checkedIn ? journeys.slice(1) : journeys;
  const newest = closed[0];
  const lastTap = travel.checkedIn?.at ?? newest?.checkOut?.at ?? newest?.checkIn.at ?? null;
  const lastCheckIn = journeys[0]?.checkIn.at ?? null;
  return { card, travel, closed, lastTap, lastCheckIn, minutes: toCardMinutes(at) };
}

/** The state write that commits `entry` (when given) and ends the tap; the card with its journeys. */
async function commit(
  access: CardAccess,
  codec: CardCodec,
  read: Awaited<ReturnType<typeof tapRead>>,
  entry: CardJourney | null,
  balanceCents: number,
  checkedIn: TravelState['checkedIn'],
  signal?: AbortSignal,
): Promise<DecodedCard> {
  const logSequence = read.travel.logSequence + (entry ? 1 : 0);
  // Encoded before anything is written: a journey the card cannot hold fails with the card untouched.
  codec.encodeState({ ...read.card.state, sequence: 0, travel: { logSequence, checkedIn } }, 'A', read.card.layout);
  if (entry) {
    codec.travelLog?.encodeEntry(logSequence, entry);
    // First the entry (it counts only once a state record names it), then the state record.
    await writeTravelEntry(access, codec, logSequence, entry, signal);
  }
  const written = await writeState(access, codec, read.card, { ...read.card.state, balanceCents, travel: { logSequence, checkedIn } }, signal);
  const closed = (entry ? [entry, ...read.closed] : read.closed).slice(0, TRAVEL_LOG_JOURNEYS);
  const open: CardJourney[] = checkedIn ? [{ checkIn: checkedIn, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS }] : [];
  return { ...written, journeys: [...open, ...closed] };
}

/**
 * Checks the card in at `station` at `at`: takes BOARDING_AMOUNT_CENTS (refused below it).
 * Already checked in, it does what a gate does: the open journey ends as not checked out,
 * its boarding amount kept (claimable afterwards), and the boarding amount is taken again.
 */
export async function checkIn(access: CardAccess, codec: CardCodec, station: string, at: Date, signal?: AbortSignal): Promise<GateResult> {
  const code = knownStation(station);
  const read = await tapRead(access, codec, at, signal);
  if (read.lastTap !== null && read.minutes < toCardMinutes(read.lastTap)) {
    throw new GateError('beforeLastTap', `the card last passed a gate at ${read.lastTap}: a tap cannot come before it`);
  }
  if (read.lastCheckIn !== null && read.minutes <= toCardMinutes(read.lastCheckIn)) {
    throw new GateError('beforeLastTap', `the card checked in at ${read.lastCheckIn}: a new check-in comes at least a minute later`);
  }
  const { balanceCents } = read.card.state;
  if (balanceCents < BOARDING_AMOUNT_CENTS) {
    throw new GateError('insufficientBalance', `the balance (${euros(balanceCents)}) is below the boarding amount (${euros(BOARDING_AMOUNT_CENTS)}): top up first`);
  }
  const open = read.travel.checkedIn;
  const closed: CardJourney | null = open ? { checkIn: open, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS } : null;
  const tap = { station: code, at: fromCardMinutes(read.minutes) };
  const card = await commit(access, codec, read, closed, balanceCents - BOARDING_AMOUNT_CENTS, tap, signal);
  return { card, journey: { checkIn: tap, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS }, closed };
}

/** Checks the card out at `station` at `at`: gives back BOARDING_AMOUNT_CENTS minus the fare; refused when not checked in. */
export async function checkOut(access: CardAccess, codec: CardCodec, station: string, at: Date, signal?: AbortSignal): Promise<GateResult> {
  const code = knownStation(station);
  const read = await tapRead(access, codec, at, signal);
  const open = read.travel.checkedIn;
  if (!open) throw new GateError('notCheckedIn', 'the card is not checked in: check in first');
  if (read.minutes < toCardMinutes(open.at)) {
    throw new GateError('beforeLastTap', `the card checked in at ${open.at}: a check-out cannot come before it`);
  }
  if (at.getTime() > Date.parse(open.at) + CHECK_IN_VALID_HOURS * 3_600_000) {
    throw new GateError('checkInLapsed', `the check-in at ${open.at} is more than ${CHECK_IN_VALID_HOURS} hours old: it has lapsed (claim the forgotten check-out a day after it)`);
  }
  // A check-in at a station this gate does not know: its fare is unknown, the boarding amount stays charged.
  const fare = isStationCode(open.station) ? fareCents(open.station, code) : BOARDING_AMOUNT_CENTS;
  const tap = { station: code, at: fromCardMinutes(read.minutes) };
  const journey: CardJourney = { checkIn: open, checkOut: tap, chargedCents: fare };
  const card = await commit(access, codec, read, journey, read.card.state.balanceCents + BOARDING_AMOUNT_CENTS - fare, null, signal);
  return { card, journey, closed: null };
}
