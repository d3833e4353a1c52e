// The gate: check-in takes the boarding amount, check-out gives back the boarding amount minus
// the fare; the journey goes into the travel log. Torn at any block, the card holds the state
// before or after, its older journeys intact and its balance matching its log: never a free
// journey.
import { describe, expect, it } from 'vitest';
import { readCard } from './card-io.js';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS, TRAVEL_LOG_JOURNEYS, type CardIdentity } from './card-layout.js';
import { CardGoneError } from './card-reader.js';
import { checkIn, checkOut, GateError } from './gate.js';
import { SimulatedCard, SimulatedReader } from './simulated-reader.js';
import { BOARDING_AMOUNT_CENTS, fareCents, type CardJourney } from '../domain/index.js';

const codec = layoutV1;
const identity: CardIdentity = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' };
const emptySlots = Array.from({ length: PRODUCT_SLOTS }, () => null);
const T0 = Date.UTC(2026, 10, 30, 8, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function issued(balanceCents = 5_000, layout?: 1 | 2, who: CardIdentity = identity): SimulatedCard {
  return new SimulatedCard('04A1B2C3', issueCardBlocks(codec, who, { balanceCents, products: emptySlots, journal: [] }, layout));
}

function onReader(card: SimulatedCard) {
  const reader = new SimulatedReader();
  reader.tap(card);
  const access = reader.card();
  if (!access) throw new Error('no card');
  return { reader, access };
}

const read = (card: SimulatedCard) => readCard(onReader(card).access, codec, undefined, { travelLog: true });
const charged = (journeys: readonly CardJourney[] | undefined) => (journeys ?? []).reduce((sum, j) => sum + j.chargedCents, 0);

describe('gate', () => {
  it('check-in takes the boarding amount, check-out gives back all but the fare; the log says so, newest first', async () => {
    const card = issued(5_000);
    const fare = fareCents('utrecht-centraal', 'amsterdam-centraal');
    const inResult = await checkIn(onReader(card).access, codec, 'utrecht-centraal', at(0));
    expect(inResult.card.state.balanceCents).toBe(5_000 - BOARDING_AMOUNT_CENTS);
    expect(inResult.journey).toEqual({ checkIn: { station: 'utrecht-centraal', at: at(0).toISOString() }, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS });
    expect(inResult.closed).toBeNull();
    const outResult = await checkOut(onReader(card).access, codec, 'amsterdam-centraal', at(37));
    const first: CardJourney = {
      checkIn: { station: 'utrecht-centraal', at: at(0).toISOString() },
      checkOut: { station: 'amsterdam-centraal', at: at(37).toISOString() },
      chargedCents: fare,
    };
    expect(outResult.journey).toEqual(first);
    expect(outResult.card.state.balanceCents).toBe(5_000 - fare);
    await checkIn(onReader(card).access, codec, 'amsterdam-centraal', at(600));
    const again = await read(card);
    expect(again.journeys).toEqual([
      { checkIn: { station: 'amsterdam-centraal', at: at(600).toISOString() }, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS },
      first,
    ]);
    expect(again.state.balanceCents).toBe(5_000 - fare - BOARDING_AMOUNT_CENTS);
  });

  it('a check-in while checked in closes the open journey as not checked out (the boarding amount kept) and charges it again', async () => {
    const card = issued(5_000);
    await checkIn(onReader(card).access, codec, 'breda', at(0));
    const result = await checkIn(onReader(card).access, codec, 'zwolle', at(90));
    expect(result.closed).toEqual({ checkIn: { station: 'breda', at: at(0).toISOString() }, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS });
    const after = await read(card);
    expect(after.state.balanceCents).toBe(5_000 - 2 * BOARDING_AMOUNT_CENTS);
    expect(after.journeys?.map((j) => [j.checkIn.station, j.checkOut, j.chargedCents])).toEqual([
      ['zwolle', null, BOARDING_AMOUNT_CENTS],
      ['breda', null, BOARDING_AMOUNT_CENTS],
    ]);
  });

  it('refuses: an unknown station (naming the known ones), too little balance, a check-out without check-in, a tap back in time, a technician or expired card', async () => {
    const card = issued(1_999);
    const before = card.toHex();
    await expect(checkIn(onReader(card).access, codec, 'maastricht', at(0))).rejects.toMatchObject({
      refusal: 'unknownStation',
      message: expect.stringContaining('utrecht-centraal'),
    });
    await expect(checkIn(onReader(card).access, codec, 'breda', at(0))).rejects.toMatchObject({ refusal: 'insufficientBalance' });
    await expect(checkOut(onReader(card).access, codec, 'breda', at(0))).rejects.toMatchObject({ refusal: 'notCheckedIn' });
    expect(card.toHex()).toEqual(before);
    const rich = issued(5_000);
    await checkIn(onReader(rich).access, codec, 'breda', at(60));
    await expect(checkOut(onReader(rich).access, codec, 'zwolle', at(59))).rejects.toMatchObject({ refusal: 'beforeLastTap' });
    await expect(checkIn(onReader(rich).access, codec, 'zwolle', at(60))).rejects.toMatchObject({ refusal: 'beforeLastTap' });
    // A check-in of more than CHECK_IN_VALID_HOURS ago has lapsed: no check-out (a forgotten-check-out claim gives the money back), nothing written.
    const lapsed = rich.toHex();
    await expect(checkOut(onReader(rich).access, codec, 'zwolle', at(60 + 6 * 60 + 1))).rejects.toMatchObject({ refusal: 'checkInLapsed' });
    expect(rich.toHex()).toEqual(lapsed);
    const tech = issued(5_000, 2, { cardNumber: '9999000012340001', kind: 'technician', expiry: '2030-12-31' });
    await expect(checkIn(onReader(tech).access, codec, 'breda', at(0))).rejects.toMatchObject({ refusal: 'notTraveller' });
    const old = issued(5_000, 2, { ...identity, expiry: '2026-11-29' });
    await expect(checkIn(onReader(old).access, codec, 'breda', at(0))).rejects.toBeInstanceOf(GateError);
  });

  it(`the ring wraps after ${TRAVEL_LOG_JOURNEYS} journeys, keeping the newest; the balance follows every one`, async () => {
    const card = issued(15_000);
    const trips = 14;
    for (let i = 0; i < trips; i++) {
      await checkIn(onReader(card).access, codec, 'utrecht-centraal', at(i * 100));
      await checkOut(onReader(card).access, codec, i % 2 ? 'schiphol-airport' : 'amsterdam-centraal', at(i * 100 + 40));
    }
    const after = await read(card);
    expect(after.journeys).toHaveLength(TRAVEL_LOG_JOURNEYS);
    expect(after.journeys?.map((j) => j.checkIn.at)).toEqual(
      Array.from({ length: TRAVEL_LOG_JOURNEYS }, (_, i) => at((trips - 1 - i) * 100).toISOString()),
    );
    const fares = Array.from({ length: trips }, (_, i) => fareCents('utrecht-centraal', i % 2 ? 'schiphol-airport' : 'amsterdam-centraal'));
    expect(after.state.balanceCents).toBe(15_000 - fares.reduce((a, b) => a + b, 0));
  });

  describe.each([1, 2] as const)('torn at every block, layout %s', (layout) => {
    /** A card with two journeys behind it (and, `open`, checked in at Breda). */
    async function travelled(open: boolean): Promise<SimulatedCard> {
      const card = issued(10_000, layout);
      await checkIn(onReader(card).access, codec, 'utrecht-centraal', at(0));
      await checkOut(onReader(card).access, codec, 'amsterdam-centraal', at(40));
      await checkIn(onReader(card).access, codec, 'amsterdam-centraal', at(100));
      await checkOut(onReader(card).access, codec, 'schiphol-airport', at(120));
      if (open) await checkIn(onReader(card).access, codec, 'breda', at(200));
      return card;
    }

    it.each([
      ['a check-in', false, (access: Parameters<typeof checkIn>[0]) => checkIn(access, codec, 'zwolle', at(300))],
      ['a check-in while checked in', true, (access: Parameters<typeof checkIn>[0]) => checkIn(access, codec, 'zwolle', at(300))],
      ['a check-out', true, (access: Parameters<typeof checkIn>[0]) => checkOut(access, codec, 'eindhoven-centraal', at(300))],
    ])('%s: before or after, older journeys intact, the balance matching the log', async (_name, open, tap) => {
      const reference = await travelled(open);
      const before = await read(reference);
      await tap(onReader(reference).access);
      const after = await read(reference);
      expect(after.journeys).not.toEqual(before.journeys);
      let tears = 0;
      for (let n = 0; ; n++) {
        const card = await travelled(open);
        const { reader, access } = onReader(card);
        reader.armTear(n, 'operations');
        const done = await tap(access).then(
          () => true,
          (error: unknown) => {
            expect(error).toBeInstanceOf(CardGoneError);
            return false;
          },
        );
        const now = await read(card);
        // Never a free journey: the balance plus what the log charged is what the card started with.
        expect(now.state.balanceCents + charged(now.journeys)).toBe(10_000);
        if (done) {
          expect(now.journeys).toEqual(after.journeys);
          break;
        }
        tears++;
        // Torn: the tap did not happen (or, torn in its read-back, it did); the older journeys are all there.
        expect([before.journeys, after.journeys]).toContainEqual(now.journeys);
        for (const older of before.journeys?.filter((j) => j.checkOut) ?? []) expect(now.journeys).toContainEqual(older);
        // And the gate can be passed again: the card is not stuck.
        if (n % 3 === 0) {
          const retried = await tap(onReader(card).access).then(() => read(card), () => null);
          if (retried) expect(retried.state.balanceCents + charged(retried.journeys)).toBe(10_000);
        }
      }
      // A check-in is one read of the card and the log, then the state's six blocks and their read-back;
      // a check-out and a check-in while checked in write a log entry (and read it back) before that.
      expect(tears).toBeGreaterThanOrEqual(open ? 16 : 14);
    });
  });
});
