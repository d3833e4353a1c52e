// What a flood of refusals leaves in the log: a few lines, then their count.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rateLimitedLog } from './log-limiter.js';

let lines: { msg: string; suppressed?: number; error?: string }[] = [];
const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });

beforeEach(() => {
  lines = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('rate-limited logging of refusals', () => {
  it('writes the first lines of a kind, counts the rest, and writes the count when the window ends', () => {
    const limited = rateLimitedLog(log, { lines: 3, windowMs: 10_000 });
    for (let i = 0; i < 1000; i++) limited.warn({ error: `bad ${i}` }, 'rejected a message that is not JSON');
    expect(lines.map((l) => l.error)).toEqual(['bad 0', 'bad 1', 'bad 2']);
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({ suppressed: 997, msg: 'rejected a message that is not JSON (more of these were not logged)' });
    // A new window: written again.
    limited.warn({ error: 'later' }, 'rejected a message that is not JSON');
    expect(lines.at(-1)).toMatchObject({ error: 'later' });
    limited.close();
  });

  it('each kind has its own allowance, and closing writes what is still counted', () => {
    const limited = rateLimitedLog(log, { lines: 1, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      limited.warn({}, 'a');
      limited.warn({}, 'b');
    }
    expect(lines.map((l) => l.msg)).toEqual(['a', 'b']);
    limited.close();
    expect(lines.slice(2)).toEqual([
      expect.objectContaining({ suppressed: 4, msg: 'a (more of these were not logged)' }),
      expect.objectContaining({ suppressed: 4, msg: 'b (more of these were not logged)' }),
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a quiet window writes no count', () => {
    const limited = rateLimitedLog(log, { lines: 2, windowMs: 1000 });
    limited.warn({}, 'a');
    vi.advanceTimersByTime(1000);
    limited.close();
    expect(lines).toHaveLength(1);
  });
});
