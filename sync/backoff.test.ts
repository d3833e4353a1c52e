import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('retry backoff', () => {
  const policy = { baseMs: 100, maxMs: 1000 };
  it('doubles each attempt until the cap', () => {
    const top = (a: number) => backoffDelay(a, policy, () => 1);
    expect([0, 1, 2, 3, 4, 10, 1000].map(top)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });
  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(200);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(300);
  });
  it('refuses a negative or fractional attempt', () => {
    expect(() => backoffDelay(-1, policy)).toThrow(RangeError);
    expect(() => backoffDelay(1.5, policy)).toThrow(RangeError);
  });
});
