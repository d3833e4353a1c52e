import { describe, expect, it } from 'vitest';
import { BOARDING_AMOUNT_CENTS, FARES, STATIONS, fareCents, journeyId } from './journeys.js';

describe('the demo fare table', () => {
  it('prices a journey by distance, rounded to 10 cents, the same both ways', () => {
    // Utrecht–Amsterdam: hypot(14, 32) km × 1.25 = 43.7 km; 110 + 43.7 × 17 = 852 → 850.
    expect(fareCents('utrecht-centraal', 'amsterdam-centraal')).toBe(850);
    for (const a of Object.keys(STATIONS)) {
      for (const b of Object.keys(STATIONS)) {
        expect(fareCents(a, b)).toBe(fareCents(b, a));
        expect(fareCents(a, b) % FARES.roundToCents).toBe(0);
        expect(fareCents(a, b)).toBeLessThanOrEqual(BOARDING_AMOUNT_CENTS);
      }
    }
    expect(fareCents('zwolle', 'zwolle')).toBe(0);
  });

  it('refuses a station it does not know', () => {
    expect(() => fareCents('utrecht-centraal', 'atlantis')).toThrow(/atlantis/);
  });

  it('knows a journey by its check-in time', () => {
    expect(journeyId({ checkIn: { station: 'breda', at: '2026-11-30T08:00:00.000Z' } })).toBe('2026-11-30T08:00:00.000Z');
  });
});
