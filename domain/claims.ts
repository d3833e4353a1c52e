// Money back for a journey, as the kiosk holds it: the back office's assessment of each
// journey of the card on the reader, the answer to a claim, and why the kiosk could not ask.
// The wire form is protocol/kiosk-api.ts (journeysResponseSchema, claimResultSchema); these
// are the same shapes, in the vocabulary the machine and the screens may use (no I/O).
import type { NoCompensationReason } from './compensation.js';
import type { ClaimKind } from './journeys.js';

/** Why a journey earns nothing: a compensation rule, no delay known, the yearly limit, not this card's. */
export type JourneyRefusal = NoCompensationReason | 'noDelayKnown' | 'yearlyLimit' | 'notOurCard';

/** What one journey can earn (see journeyAssessmentSchema). */
export interface JourneyAssessment {
  readonly journeyId: string;
  readonly status: 'eligible' | 'waiting' | 'claimed' | 'none';
  readonly kind: ClaimKind | null;
  readonly delayMinutes: number | null;
  readonly amountCents: number | null;
  readonly reason: JourneyRefusal | null;
  readonly decisionAfter: string | null;
  readonly orderId: string | null;
}

/** What a claim got (see claimResultSchema). */
export type ClaimOutcome =
  | { readonly status: 'granted'; readonly orderId: string; readonly amountCents: number }
  | { readonly status: 'waiting'; readonly decisionAfter: string }
  | { readonly status: 'refused'; readonly reason: JourneyRefusal }
  | { readonly status: 'alreadyClaimed'; readonly orderId: string | null; readonly decisionAfter: string | null };

/**
 * Why the kiosk has no answer from the back office: none configured at this station, not
 * reachable (down, connection refused or cut), no answer in time, or an answer that is not
 * what the protocol says (malformed, or about other journeys than asked: never believed).
 */
export const BACK_OFFICE_FAILURES = ['notConfigured', 'unreachable', 'timeout', 'invalidAnswer'] as const;
export type BackOfficeFailure = (typeof BACK_OFFICE_FAILURES)[number];
