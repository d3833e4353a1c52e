// Vitest 4.1's forks pool races a worker's end: the parent can answer an RPC of a worker
// that has just finished its file and is exiting, and the write fails with EPIPE. Vitest
// reports that as an unhandled "[vitest-pool]: Worker forks emitted error." although every
// test of the file has reported (vitest-dev/vitest#9014, #10057; fixed in 5.x by #10964).
// Seen once in a CI run on this machine: 157 of 157 files and every test passed, exit 1.
// Only that error is let go (and said so on stderr); any other stays an error of the run.

interface ErrorLike {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
}

const codeOf = (value: unknown): unknown => (typeof value === 'object' && value !== null ? (value as ErrorLike).code : undefined);

/** True only for the pool's "worker emitted error" whose cause is a failed write to its pipe. */
export function isWorkerPipeRace(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { message, cause } = error as ErrorLike;
  if (typeof message !== 'string' || !/^\[vitest-pool\]: Worker forks emitted error\.?$/.test(message)) return false;
  return codeOf(cause) === 'EPIPE';
}
