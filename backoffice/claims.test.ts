// The Mijn NS rules of backoffice/claims.ts on their own: which service a journey was on
// (the rule docs/sync-protocol.md states), the wait of a claim made within 5 days, the
// forgotten check-out's amount, and the codes' keyed hash (digits only, per card, compared
// in constant time).
import { describe, expect, it } from 'vitest';
import type { CardJourney } from '../domain/index.js';
import type { TrainService } from '../protocol/online-api.js';
import { assess, codeHash, decideDelay, decideForgotten, matchService, sameCodeHash } from './claims.js';

const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;
const service = (id: string, dep: string, arr: string, actual: string, extra: Partial<TrainService> = {}): TrainService => ({
  serviceId: id,
  line: 'standard',
  from: 'utrecht-centraal',
  to: 'amsterdam-centraal',
  scheduledDeparture: at(dep),
  scheduledArrival: at(arr),
  actualArrival: at(actual),
  announcedInAdvance: false,
  forceMajeure: false,
  otherCarrier: false,
  ...extra,
});
const journey = (checkIn: string, checkOut: string | null, from = 'utrecht-centraal', to = 'amsterdam-centraal'): CardJourney => ({
  checkIn: { station: from, at: at(checkIn) },
  checkOut: checkOut === null ? null : { station: to, at: at(checkOut) },
  chargedCents: 850,
});

describe('matching a journey to a train service', () => {
  const services = [service('A', '08:05', '08:32', '09:17'), service('B', '08:35', '09:02', '09:05'), service('C', '09:10', '09:37', '09:40')];
  it.each([
    ['the first service leaving after the check-in that arrived before the check-out', journey('08:01', '09:20'), 'A'],
    ['one that left before the check-in is not it', journey('08:06', '09:20'), 'B'],
    ['one that arrived after the check-out is not it (checked out before it came in)', journey('08:01', '09:10'), 'B'],
    ['one that leaves more than an hour after the check-in is not it', journey('08:09', '09:50'), 'B'],
    ['checked in more than an hour before any fits: none', journey('07:00', '09:50'), null],
    ['another destination: none', journey('08:01', '09:20', 'utrecht-centraal', 'zwolle'), null],
    ['no check-out: none', journey('08:01', null), null],
  ])('%s', (_what, j, expected) => {
    expect(matchService(j, services)?.serviceId ?? null).toBe(expected);
  });
});

describe('deciding a delay claim', () => {
  const late = service('A', '08:05', '08:32', '09:17');
  it('within 5 days: waits until 7 days after the claim, then granted (half the fare for 45 minutes)', () => {
    const claimedAt = '2026-11-21T10:00:00.000Z';
    expect(decideDelay(journey('08:01', '09:20'), late, claimedAt, new Date(claimedAt))).toEqual({ status: 'waiting', decisionAfter: '2026-11-28T10:00:00.000Z' });
    expect(decideDelay(journey('08:01', '09:20'), late, claimedAt, new Date('2026-11-28T10:00:00.000Z'))).toEqual({ status: 'granted', amountCents: 425 });
  });
  it('within 5 days but the known service earns nothing: refused at once', () => {
    const planned = service('A', '08:05', '08:32', '09:17', { announcedInAdvance: true });
    expect(decideDelay(journey('08:01', '09:20'), planned, '2026-11-21T10:00:00.000Z', new Date('2026-11-21T10:00:00.000Z'))).toEqual({ status: 'refused', reason: 'announcedInAdvance' });
  });
  it('after 5 days with no service known: refused, noDelayKnown', () => {
    expect(decideDelay(journey('08:01', '09:20'), null, '2026-11-26T10:00:00.000Z', new Date('2026-11-26T10:00:00.000Z'))).toEqual({ status: 'refused', reason: 'noDelayKnown' });
  });
  it('a claim made within the first 24 hours counts as made when the claim opens (not tooEarly)', () => {
    expect(decideDelay(journey('08:01', '09:20'), late, at('10:00'), new Date('2026-11-27T10:00:00.000Z'))).toEqual({ status: 'granted', amountCents: 425 });
  });
});

describe('a forgotten check-out', () => {
  it('gives back the boarding amount less the fare to the destination; the limit and the window hold', () => {
    const j = { ...journey('08:01', null), chargedCents: 2000 };
    const nextDay = '2026-11-21T10:00:00.000Z';
    expect(decideForgotten(j, 'amsterdam-centraal', 0, nextDay)).toEqual({ status: 'granted', amountCents: 1150 });
    expect(decideForgotten(j, 'amsterdam-centraal', 3, nextDay)).toEqual({ status: 'refused', reason: 'yearlyLimit' });
    expect(decideForgotten(j, 'amsterdam-centraal', 0, '2027-02-21T10:00:00.000Z')).toEqual({ status: 'refused', reason: 'tooLate' });
    expect(decideForgotten(j, 'utrecht-centraal', 0, nextDay)).toEqual({ status: 'granted', amountCents: 2000 });
  });

  it('is not taken while the traveller may still check out: a check-in of less than a day ago is open, not forgotten', () => {
    // A check-in the gates still take a check-out of (CHECK_IN_VALID_HOURS) would be refunded twice.
    const j = { ...journey('08:01', null), chargedCents: 2000 };
    expect(decideForgotten(j, 'amsterdam-centraal', 0, at('10:00'))).toEqual({ status: 'refused', reason: 'tooEarly' });
    expect(assess(j, { service: null, claim: null, forgottenGrantedThisYear: 0, now: new Date(at('10:00')) })).toMatchObject({ status: 'none', reason: 'tooEarly' });
  });
});

describe("the codes' keyed hash", () => {
  const key = Buffer.alloc(32, 7);
  it('counts only the digits, differs per card and per key, and compares equal only to itself', () => {
    const h = codeHash(key, '3528010012345678', '4821-9034-7713');
    expect(codeHash(key, '3528010012345678', ' 4821 9034 7713 ')).toBe(h);
    expect(codeHash(key, '3528010087654321', '4821-9034-7713')).not.toBe(h);
    expect(codeHash(Buffer.alloc(32, 8), '3528010012345678', '4821-9034-7713')).not.toBe(h);
    expect(sameCodeHash(h, h)).toBe(true);
    expect(sameCodeHash(h, codeHash(key, '3528010012345678', '4821-9034-7714'))).toBe(false);
    expect(sameCodeHash(h, '')).toBe(false);
  });
});
