// Retry delays: exponential, capped, with jitter so a fleet of kiosks that lost the back
// office at the same moment does not come back at the same moment.

export interface BackoffPolicy {
  /** The first retry waits about this long. */
  readonly baseMs: number;
  /** No wait is longer than this. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/**
 * The wait before retry number `attempt` (0 = first retry): between half and all of
 * min(maxMs, baseMs * 2^attempt). `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`backoffDelay: bad attempt ${attempt}`);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
