// The travel log (docs/card-layout.md, "Travel log"): one block per journey in sector 33, a
// ring of TRAVEL_LOG_SLOTS whose entries count only up to the log sequence the state record
// names; the open check-in lives in the state record. Cards without one read as before.
import { describe, expect, it } from 'vitest';
import { readCard, writeState } from './card-io.js';
import {
  issueCardBlocks,
  layoutV1,
  PRODUCT_SLOTS,
  sectorOfBlock,
  STATION_NUMBERS,
  TRAVEL_LOG_BLOCKS,
  TRAVEL_LOG_JOURNEYS,
  TRAVEL_LOG_SLOTS,
  type CardState,
  type TravelState,
} from './card-layout.js';
import type { CardAccess } from './card-reader.js';
import { BOARDING_AMOUNT_CENTS, STATIONS, type CardJourney } from '../domain/index.js';

const IDENTITY = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' } as const;
const STATE: Omit<CardState, 'sequence'> = { balanceCents: 1250, products: Array.from({ length: PRODUCT_SLOTS }, () => null), journal: [] };
const codec = layoutV1;
const log = () => {
  if (!codec.travelLog) throw new Error('the layout has no travel log');
  return codec.travelLog;
};

const journey = (n: number, checkedOut = true): CardJourney => ({
  checkIn: { station: 'utrecht-centraal', at: new Date(Date.UTC(2026, 10, 1 + n, 8, 15)).toISOString() },
  checkOut: checkedOut ? { station: 'amsterdam-centraal', at: new Date(Date.UTC(2026, 10, 1 + n, 8, 52)).toISOString() } : null,
  chargedCents: checkedOut ? 880 : BOARDING_AMOUNT_CENTS,
});

/** An in-memory card noting every request (as card-io.test.ts's). */
function card(layout: 1 | 2, extra: ReadonlyMap<number, Uint8Array> = new Map()) {
  const image = new Map([...issueCardBlocks(codec, IDENTITY, STATE, layout), ...extra]);
  const calls: string[] = [];
  const block = (n: number) => image.get(n) ?? new Uint8Array(16);
  const access: CardAccess = {
    uid: '04A1B2C3',
    readBlock: async (n) => (calls.push(`read ${n}`), block(n)),
    readBlocks: async (first, count) => (calls.push(`read ${first}+${count}`), Array.from({ length: count }, (_, i) => block(first + i))),
    writeBlock: async (n, data) => {
      calls.push(`write ${n}`);
      image.set(n, data.slice());
    },
  };
  return { access, calls, image };
}

describe('travel log layout', () => {
  it('lives in sector 33, one block per entry, blocks 144–154; station numbers are append-only', () => {
    expect(TRAVEL_LOG_SLOTS).toBe(11);
    expect(TRAVEL_LOG_JOURNEYS).toBe(10);
    expect(TRAVEL_LOG_BLOCKS).toEqual(Array.from({ length: 11 }, (_, i) => 144 + i));
    expect(TRAVEL_LOG_BLOCKS.every((b) => sectorOfBlock(b) === 33)).toBe(true);
    // Stable: a number, once given, is never changed or reused (cards carry them for years).
    expect(STATION_NUMBERS).toEqual({
      'amsterdam-centraal': 1,
      'schiphol-airport': 2,
      'den-haag-centraal': 3,
      'rotterdam-centraal': 4,
      'utrecht-centraal': 5,
      breda: 6,
      'eindhoven-centraal': 7,
      'arnhem-centraal': 8,
      zwolle: 9,
    });
    for (const code of Object.keys(STATIONS)) expect(STATION_NUMBERS[code]).toBeGreaterThan(0);
  });

  it('an entry round-trips through its one block (slot = sequence mod slots), newest first, times to the minute', () => {
    const entries = new Map([...log().encodeEntry(12, journey(1)), ...log().encodeEntry(13, journey(2, false))]);
    expect([...entries.keys()]).toEqual([144 + (12 % 11), 144 + (13 % 11)]);
    const travel: TravelState = { logSequence: 13, checkedIn: null };
    expect(log().decode(entries, travel)).toEqual([journey(2, false), journey(1)]);
    // Seconds are not kept: a gate's tap is known to the minute.
    const odd = { ...journey(3), checkIn: { station: 'breda', at: '2026-11-04T08:15:42.123Z' } };
    expect(log().decode(log().encodeEntry(1, odd), { logSequence: 1, checkedIn: null })[0]?.checkIn.at).toBe('2026-11-04T08:15:00.000Z');
  });

  it('the open check-in is in the state record and comes first; a record without travel fields decodes as before', () => {
    const open = { station: 'zwolle', at: '2026-11-20T07:03:00.000Z' };
    const travel: TravelState = { logSequence: 1, checkedIn: open };
    const [a] = [...codec.encodeState({ ...STATE, sequence: 2, travel }, 'A').values()];
    const decoded = codec.decode(new Map([...codec.encodeIdentity(IDENTITY), ...codec.encodeState({ ...STATE, sequence: 2, travel }, 'A')]));
    expect(decoded.state.travel).toEqual(travel);
    expect(a).toBeDefined();
    const plain = codec.decode(new Map([...codec.encodeIdentity(IDENTITY), ...codec.encodeState({ ...STATE, sequence: 2 }, 'A')]));
    expect('travel' in plain.state).toBe(false);
    expect(log().decode(log().encodeEntry(1, journey(1)), travel)).toEqual([
      { checkIn: open, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS },
      journey(1),
    ]);
  });

  it('an entry above the log sequence (a gate write torn before its state write), a stale or a damaged one is not the card\'s', () => {
    const blocks = new Map([...log().encodeEntry(1, journey(1)), ...log().encodeEntry(2, journey(2)), ...log().encodeEntry(3, journey(3))]);
    expect(log().decode(blocks, { logSequence: 2, checkedIn: null })).toEqual([journey(2), journey(1)]);
    // Slot 3 % 11 holds sequence 3 while the state says 14 (whose slot it also is): stale, skipped.
    expect(log().decode(blocks, { logSequence: 14, checkedIn: null })).toEqual([]);
    const damaged = new Map(blocks);
    const b = (damaged.get(144 + 2) as Uint8Array).slice();
    b[5] = (b[5] ?? 0) ^ 0x01;
    damaged.set(144 + 2, b);
    expect(log().decode(damaged, { logSequence: 3, checkedIn: null })).toEqual([journey(3), journey(1)]);
  });

  it('reads the slots in use as one run: 1 … S before the ring wraps, then the whole ring; it keeps TRAVEL_LOG_JOURNEYS', () => {
    expect(log().blocksToRead({ logSequence: 0, checkedIn: null })).toEqual([]);
    expect(log().blocksToRead({ logSequence: 3, checkedIn: null })).toEqual([145, 146, 147]);
    expect(log().blocksToRead({ logSequence: 10, checkedIn: null })).toEqual(TRAVEL_LOG_BLOCKS.slice(1));
    expect(log().blocksToRead({ logSequence: 25, checkedIn: null })).toEqual(TRAVEL_LOG_BLOCKS);
    // 25 entries written: the card shows 16 … 25; the slot of 26 (the next write) holds 15, not shown.
    const blocks = new Map(Array.from({ length: 25 }, (_, i) => [...log().encodeEntry(i + 1, journey(i))]).flat());
    const shown = log().decode(blocks, { logSequence: 25, checkedIn: null });
    expect(shown).toHaveLength(TRAVEL_LOG_JOURNEYS);
    expect(shown).toEqual(Array.from({ length: 10 }, (_, i) => journey(24 - i)));
  });

  it('refuses what the log cannot hold', () => {
    expect(() => log().encodeEntry(1, { ...journey(1), checkIn: { station: 'nowhere', at: journey(1).checkIn.at } })).toThrow(RangeError);
    expect(() => log().encodeEntry(1, { ...journey(1), checkIn: { station: 'breda', at: '2019-12-31T23:59:00Z' } })).toThrow(RangeError);
    expect(() => log().encodeEntry(0, journey(1))).toThrow(RangeError);
  });
});

describe('reading the travel log', () => {
  it.each([
    [2, ['read 128+3', 'read 131+12']],
    [1, ['read 128+3', 'read 4+3', 'read 8+3', 'read 12+3', 'read 16+3', 'read 20+3']],
  ] as const)('a card of layout %s without a log reads as before: the same requests, journeys absent', async (layout, expected) => {
    const { access, calls } = card(layout);
    const read = await readCard(access, codec, undefined, { travelLog: true });
    expect(calls).toEqual(expected);
    expect('journeys' in read).toBe(false);
    expect(read.state).toEqual({ ...STATE, sequence: 1 });
  });

  it.each([1, 2] as const)('a card of layout %s with a log: one more request, for the slots in use only', async (layout) => {
    const { access, calls, image } = card(layout);
    for (const [n, d] of [...log().encodeEntry(1, journey(1)), ...log().encodeEntry(2, journey(2))]) image.set(n, d);
    const current = await readCard(access, codec);
    await writeState(access, codec, current, { ...current.state, travel: { logSequence: 2, checkedIn: null } });
    calls.length = 0;
    const read = await readCard(access, codec, undefined, { travelLog: true });
    expect(read.journeys).toEqual([journey(2), journey(1)]);
    expect(calls.at(-1)).toBe('read 145+2');
    expect(calls).toHaveLength(layout === 2 ? 3 : 7);
    // Without asking for it (the read right before a delivery's write), the log is not read.
    calls.length = 0;
    expect('journeys' in (await readCard(access, codec))).toBe(false);
    expect(calls.some((c) => c.startsWith('read 14'))).toBe(false);
  });

  it('a write that does not set the travel fields (a delivery) keeps them', async () => {
    const { access } = card(2);
    const current = await readCard(access, codec);
    const travel: TravelState = { logSequence: 4, checkedIn: { station: 'breda', at: '2026-11-20T07:03:00.000Z' } };
    const withTravel = await writeState(access, codec, current, { ...current.state, travel });
    const { travel: _dropped, ...withoutTravel } = withTravel.state;
    const topUp = await writeState(access, codec, withTravel, { ...withoutTravel, balanceCents: 3250 });
    expect(topUp.state).toMatchObject({ balanceCents: 3250, travel });
    expect((await readCard(access, codec)).state.travel).toEqual(travel);
  });
});
