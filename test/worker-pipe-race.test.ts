import { describe, expect, it } from 'vitest';
import { isWorkerPipeRace } from './worker-pipe-race.js';

const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' });

describe('the one vitest pool error the run lets go', () => {
  it('is the forks worker error caused by EPIPE, as vitest 4.1 reports it', () => {
    expect(isWorkerPipeRace(new Error('[vitest-pool]: Worker forks emitted error.', { cause: epipe }))).toBe(true);
    // As it arrives serialized.
    expect(isWorkerPipeRace({ message: '[vitest-pool]: Worker forks emitted error.', cause: { code: 'EPIPE', errno: -32, syscall: 'write' } })).toBe(true);
  });

  it('is nothing else: another cause, a worker that died, a test’s own EPIPE, a timeout', () => {
    expect(isWorkerPipeRace(new Error('[vitest-pool]: Worker forks emitted error.', { cause: new Error('Worker exited unexpectedly') }))).toBe(false);
    expect(isWorkerPipeRace(new Error('[vitest-pool]: Worker forks emitted error.'))).toBe(false);
    expect(isWorkerPipeRace(epipe)).toBe(false);
    expect(isWorkerPipeRace(new Error('[vitest-pool]: Timeout starting forks runner.', { cause: epipe }))).toBe(false);
    expect(isWorkerPipeRace(null)).toBe(false);
    expect(isWorkerPipeRace('EPIPE')).toBe(false);
  });
});
