// Mijn NS in the back office (issue 14): the rules both storage engines apply, pure — the
// kaartservicecode's keyed hash (the code is checked at link time, never kept), which train
// service a journey was on, what a journey can earn (an assessment), and how a claim is
// decided. The engines (db.ts, pg-store.ts) read and write the rows, in one transaction per
// claim, and call these.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import {
  BOARDING_AMOUNT_CENTS,
  COMPENSATION_RULES,
  compensationFor,
  delayMinutes,
  fareCents,
  journeyId,
  type CardJourney,
  type ClaimKind,
  type CompensationRules,
  type Ride,
} from '../domain/index.js';
import type { ClaimResult, JourneyAssessment, JourneyRefusal } from '../protocol/kiosk-api.js';
import type { OnlineClaimResult, TrainService } from '../protocol/online-api.js';

/** A second request for the same card within this window gets the first one's order (no second code). */
export const CODE_REPEAT_MS = 10 * 60_000;
/** Wrong codes for one card before linking it is locked (until a new code is picked up at a machine with the card). */
export const LINK_MAX_FAILURES = 5;
/** A code links a card at most this long after it was revealed at the machine (and never after its order expired unpicked). */
export const CODE_VALID_AFTER_PICKUP_MS = 30 * 86_400_000;
/** Forgotten check-outs a card may claim per calendar year (UTC). */
export const FORGOTTEN_CHECKOUT_YEARLY_LIMIT = 3;
/** A delay claim made within this many days of the journey... */
export const CLAIM_WAIT_WITHIN_DAYS = 5;
/** ...is decided no sooner than this many days after it was made (NS: "at least a week"). */
export const CLAIM_WAIT_DAYS = 7;
/** A journey is on a service that leaves its check-in station at most this long after the check-in. */
export const SERVICE_MATCH_WINDOW_MS = 60 * 60_000;

const DAY = 86_400_000;

/** The key of the codes' hashes: HKDF-SHA256 of the seal master, for this purpose only (it never seals anything). */
export function codeCheckKey(sealMaster: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', sealMaster, Buffer.alloc(0), Buffer.from('kaartservicecode-check v1', 'utf8'), 32));
}

/** A code as typed: only its digits count ("4821-9034 7713" is "482190347713"). */
export const normalizeCode = (code: string): string => code.replace(/\D/g, '');

/** HMAC-SHA256 (hex) of the card number and the code's digits, under the check key. */
export function codeHash(key: Uint8Array, cardNumber: string, code: string): string {
  return createHmac('sha256', key).update(`${cardNumber}:${normalizeCode(code)}`, 'utf8').digest('hex');
}

/** The stored hash `expected` is the typed code's, compared in constant time. */
export function sameCodeHash(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(actual, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/**
 * The key a journey is kept and claimed under: its journeyId (the check-in time) as one
 * instant, whatever way it was written ("…08:01:00Z", "…08:01:00.000Z", "…09:01:00+01:00"
 * are one journey), so that a journey cannot be claimed twice by writing its time otherwise.
 */
export const journeyKey = (id: string): string => new Date(id).toISOString();

/** The window of scheduled departures a journey's candidate services fall in (what an engine selects). */
export function departureWindow(journey: CardJourney): { from: string; to: string } {
  const at = Date.parse(journey.checkIn.at);
  return { from: new Date(at).toISOString(), to: new Date(at + SERVICE_MATCH_WINDOW_MS).toISOString() };
}

/**
 * The service a journey was on: one from its check-in station to its check-out station (or,
 * without a check-out, the destination named), leaving at or after the check-in and within
 * SERVICE_MATCH_WINDOW_MS of it, that arrived (actual) no later than the check-out; of
 * several, the first to leave. Null when none fits.
 */
export function matchService(journey: CardJourney, services: readonly TrainService[]): TrainService | null {
  const out = journey.checkOut;
  if (out === null) return null;
  const checkIn = Date.parse(journey.checkIn.at);
  const checkOut = Date.parse(out.at);
  const fits = services.filter((s) => {
    const dep = Date.parse(s.scheduledDeparture);
    return s.from === journey.checkIn.station && s.to === out.station && dep >= checkIn && dep <= checkIn + SERVICE_MATCH_WINDOW_MS && Date.parse(s.actualArrival) <= checkOut;
  });
  fits.sort((a, b) => Date.parse(a.scheduledDeparture) - Date.parse(b.scheduledDeparture));
  return fits[0] ?? null;
}

/** The ride compensationFor judges: the fare is what the card was charged, at most the table's full fare. */
export function rideOf(journey: CardJourney, service: TrainService): Ride {
  const out = journey.checkOut;
  const full = out === null ? journey.chargedCents : fareCents(journey.checkIn.station, out.station);
  return {
    scheduledArrival: service.scheduledArrival,
    actualArrival: service.actualArrival,
    fareCents: Math.min(journey.chargedCents, full),
    line: service.line,
    checkedInAndOut: out !== null,
    announcedInAdvance: service.announcedInAdvance,
    forceMajeure: service.forceMajeure,
    otherCarrier: service.otherCarrier,
  };
}

/**
 * A claim made before the claim opens (the rules' `claimOpensAfterHours` after the arrival)
 * counts as made when it opens: it waits, it is not refused as too early.
 */
function effectiveClaimTime(service: TrainService, claimedAt: string, rules: CompensationRules): string {
  const opens = Date.parse(service.actualArrival) + rules.claimOpensAfterHours * 3_600_000;
  return new Date(Math.max(Date.parse(claimedAt), opens)).toISOString();
}

/** Three calendar months after `iso` (the claim window of both kinds). */
function windowEnd(iso: string, rules: CompensationRules): number {
  const d = new Date(iso);
  const end = new Date(d);
  end.setUTCMonth(d.getUTCMonth() + rules.claimWindowMonths);
  return end.getTime();
}

export type Decision =
  | { readonly status: 'granted'; readonly amountCents: number }
  | { readonly status: 'waiting'; readonly decisionAfter: string }
  | { readonly status: 'refused'; readonly reason: JourneyRefusal };

/**
 * A delay claim made at `claimedAt`, decided at `now`. Made within CLAIM_WAIT_WITHIN_DAYS of
 * the journey, it waits until CLAIM_WAIT_DAYS after it was made (unless the service is known
 * and earns nothing: refused at once); then the service's realised times decide, and
 * without a known service it is refused (`noDelayKnown`).
 */
export function decideDelay(journey: CardJourney, service: TrainService | null, claimedAt: string, now: Date, rules: CompensationRules = COMPENSATION_RULES): Decision {
  if (journey.checkOut === null) return { status: 'refused', reason: 'notCheckedInAndOut' };
  const claimed = Date.parse(claimedAt);
  const compensation = service === null ? null : compensationFor(rideOf(journey, service), effectiveClaimTime(service, claimedAt, rules), rules);
  if (compensation !== null && !compensation.due) return { status: 'refused', reason: compensation.reason };
  const early = claimed < Date.parse(journey.checkIn.at) + CLAIM_WAIT_WITHIN_DAYS * DAY;
  const decisionAfter = claimed + CLAIM_WAIT_DAYS * DAY;
  if (early && now.getTime() < decisionAfter) return { status: 'waiting', decisionAfter: new Date(decisionAfter).toISOString() };
  if (compensation === null) return { status: 'refused', reason: 'noDelayKnown' };
  return { status: 'granted', amountCents: compensation.amountCents };
}

/**
 * A forgotten check-out: the boarding amount charged, less the fare to the destination the
 * traveller names; at most FORGOTTEN_CHECKOUT_YEARLY_LIMIT granted per card and calendar year,
 * within the claim window.
 */
export function decideForgotten(journey: CardJourney, destination: string, grantedThisYear: number, claimedAt: string, rules: CompensationRules = COMPENSATION_RULES): Decision {
  if (Date.parse(claimedAt) >= windowEnd(journey.checkIn.at, rules)) return { status: 'refused', reason: 'tooLate' };
  if (!checkInLapsed(journey, Date.parse(claimedAt), rules)) return { status: 'refused', reason: 'tooEarly' };
  if (grantedThisYear >= FORGOTTEN_CHECKOUT_YEARLY_LIMIT) return { status: 'refused', reason: 'yearlyLimit' };
  const charged = Math.min(journey.chargedCents, BOARDING_AMOUNT_CENTS);
  const amountCents = charged - fareCents(journey.checkIn.station, destination);
  if (amountCents <= 0) return { status: 'refused', reason: 'belowMinimum' };
  return { status: 'granted', amountCents };
}

/**
 * A check-in without a check-out is a forgotten check-out only once no gate takes its
 * check-out any more, and the claim opens a day after it (as every claim): before, the
 * traveller may still be on the train and check out, and would be refunded twice.
 */
function checkInLapsed(journey: CardJourney, atMs: number, rules: CompensationRules): boolean {
  return atMs >= Date.parse(journey.checkIn.at) + rules.claimOpensAfterHours * 3_600_000;
}

/** The calendar year (UTC) a claim counts in for the yearly limit: [start, end) as ISO. */
export function claimYear(claimedAt: string): { start: string; end: string } {
  const year = new Date(claimedAt).getUTCFullYear();
  return { start: new Date(Date.UTC(year, 0, 1)).toISOString(), end: new Date(Date.UTC(year + 1, 0, 1)).toISOString() };
}

/** The kind of claim a journey can make: a delay when it was checked out, else a forgotten check-out. */
export const claimKindOf = (journey: CardJourney): ClaimKind => (journey.checkOut === null ? 'forgottenCheckOut' : 'delay');

/** A claim as the engines keep it. */
export interface ClaimRecord {
  readonly kind: ClaimKind;
  readonly status: 'waiting' | 'granted' | 'refused';
  readonly decisionAfter: string | null;
  readonly amountCents: number | null;
  readonly reason: JourneyRefusal | null;
  readonly orderId: string | null;
  /** The payout instruction of a claim granted to the bank. */
  readonly payoutId: string | null;
}

/** What a claim already made answers when made again (from any kiosk, or online). */
export function alreadyClaimed(claim: ClaimRecord): OnlineClaimResult {
  if (claim.status === 'refused' && claim.reason !== null) return { status: 'refused', reason: claim.reason };
  return { status: 'alreadyClaimed', orderId: claim.orderId, payoutId: claim.payoutId, decisionAfter: claim.status === 'waiting' ? claim.decisionAfter : null };
}

/**
 * An online answer as the kiosk contract has it (`claimResultSchema`): a kiosk's claim is
 * always paid onto the card, so it never gets `grantedToBank`; `alreadyClaimed` of a claim
 * paid to the bank names no order (nothing to pick up).
 */
export function kioskClaimResult(result: OnlineClaimResult): ClaimResult {
  switch (result.status) {
    case 'alreadyClaimed':
      return { status: 'alreadyClaimed', orderId: result.orderId, decisionAfter: result.decisionAfter };
    case 'grantedToBank':
      return { status: 'alreadyClaimed', orderId: null, decisionAfter: null };
    default:
      return result;
  }
}

/** An IBAN as it may be shown or logged: its last 4 characters ("•••• 4300"). */
export const maskIban = (iban: string): string => `•••• ${iban.slice(-4)}`;

/** What a journey can earn, at `now`: its claim's state, else what a claim made now would get. */
export function assess(
  journey: CardJourney,
  context: { service: TrainService | null; claim: ClaimRecord | null; forgottenGrantedThisYear: number; now: Date },
  rules: CompensationRules = COMPENSATION_RULES,
): JourneyAssessment {
  const kind = claimKindOf(journey);
  const { service, claim, now } = context;
  const minutes = service === null ? null : delayMinutes(service);
  const base = { journeyId: journeyId(journey), kind, delayMinutes: minutes, amountCents: null, reason: null, decisionAfter: null, orderId: null };
  if (claim !== null) {
    if (claim.status === 'granted') return { ...base, status: 'claimed', amountCents: claim.amountCents, orderId: claim.orderId };
    if (claim.status === 'waiting') return { ...base, status: 'waiting', decisionAfter: claim.decisionAfter };
    return { ...base, status: 'none', reason: claim.reason };
  }
  if (kind === 'forgottenCheckOut') {
    if (now.getTime() >= windowEnd(journey.checkIn.at, rules)) return { ...base, status: 'none', reason: 'tooLate' };
    if (!checkInLapsed(journey, now.getTime(), rules)) return { ...base, status: 'none', reason: 'tooEarly' };
    if (context.forgottenGrantedThisYear >= FORGOTTEN_CHECKOUT_YEARLY_LIMIT) return { ...base, status: 'none', reason: 'yearlyLimit' };
    return { ...base, status: 'eligible' };
  }
  if (service === null) return { ...base, status: 'none', reason: 'noDelayKnown' };
  const compensation = compensationFor(rideOf(journey, service), effectiveClaimTime(service, now.toISOString(), rules), rules);
  if (!compensation.due) return { ...base, status: 'none', reason: compensation.reason };
  return { ...base, status: 'eligible', amountCents: compensation.amountCents };
}
