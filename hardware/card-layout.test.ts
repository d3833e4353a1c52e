import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCard, writeState } from './card-io.js';
import { CardGoneError } from './card-reader.js';
import {
  allLayoutBlocks,
  CardLayoutError,
  daysToIso,
  decodeImage,
  isoToDays,
  isTrailerBlock,
  issueCardBlocks,
  layoutV1,
  LEDGER_WINDOW,
  ledgerCovers,
  ledgerWith,
  PRODUCT_SLOTS,
  type CardLedger,
  sectorOfBlock,
  type CardIdentity,
} from './card-layout.js';
import { SimulatedCard, SimulatedReader } from './simulated-reader.js';

const identity: CardIdentity = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' };
const emptySlots = Array.from({ length: PRODUCT_SLOTS }, () => null);

function issuedCard(layout?: 1 | 2): SimulatedCard {
  return new SimulatedCard('04A1B2C3', issueCardBlocks(layoutV1, identity, { balanceCents: 1250, products: emptySlots, journal: [] }, layout));
}

function flipByte(card: SimulatedCard, block: number, offset: number): void {
  const data = card.blocks[block]?.slice() ?? new Uint8Array(16);
  data[offset] = (data[offset] ?? 0) ^ 0x01;
  card.setBlock(block, data);
}

function onReader(card: SimulatedCard) {
  const reader = new SimulatedReader();
  reader.tap(card);
  const access = reader.card();
  if (!access) throw new Error('no card');
  return { reader, access };
}

describe('card layout', () => {
  it('never uses a sector trailer or the manufacturer block, in either layout', () => {
    for (const blocks of [layoutV1.blocksToRead, ...(layoutV1.olderLayouts ?? []).map((o) => o.blocksToRead)]) {
      for (const block of blocks) {
        expect(isTrailerBlock(block)).toBe(false);
        expect(sectorOfBlock(block)).toBeGreaterThan(0);
      }
      expect(new Set(blocks).size).toBe(blocks.length);
    }
  });

  it('layout 2 is the 15 data blocks of sector 32: identity 128–130, record A 131–136, record B 137–142', () => {
    expect(layoutV1.version).toBe(2);
    expect(layoutV1.blocksToRead).toEqual(Array.from({ length: 15 }, (_, i) => 128 + i));
    expect(layoutV1.blocksToRead.every((b) => sectorOfBlock(b) === 32)).toBe(true);
    expect([...layoutV1.encodeIdentity(identity).keys()]).toEqual([128, 129, 130]);
    const state = { sequence: 1, balanceCents: 0, products: emptySlots, journal: [] };
    expect([...layoutV1.encodeState(state, 'A').keys()]).toEqual([131, 132, 133, 134, 135, 136]);
    expect([...layoutV1.encodeState(state, 'B').keys()]).toEqual([137, 138, 139, 140, 141, 142]);
    // Layout 1 (cards issued before) where it always was.
    expect(layoutV1.olderLayouts?.map((o) => o.version)).toEqual([1]);
    expect([...layoutV1.encodeIdentity(identity, 1).keys()]).toEqual([4, 5, 6]);
    expect([...layoutV1.encodeState(state, 'B', 1).keys()]).toEqual([16, 17, 18, 20, 21, 22]);
  });

  it('the identity says its layout: 2 in sector 32, 1 in sector 1; either in the other place is not ours there', () => {
    const v2 = layoutV1.encodeIdentity(identity);
    expect(v2.get(128)?.[4]).toBe(2);
    expect(layoutV1.encodeIdentity(identity, 1).get(4)?.[4]).toBe(1);
    // A layout-1 identity copied into sector 32 (and records there): foreign.
    const moved = new Map([...layoutV1.encodeIdentity(identity, 1).values()].map((d, i) => [128 + i, d] as const));
    const records = layoutV1.encodeState({ sequence: 1, balanceCents: 0, products: emptySlots, journal: [] }, 'A');
    expect(() => layoutV1.decode(new Map([...moved, ...records]))).toThrow(expect.objectContaining({ kind: 'foreign' }));
  });

  it('a damaged identity in sector 32 makes the card corrupt, whatever sectors 1–5 hold', () => {
    const card = new SimulatedCard('04A1B2C3', new Map([
      ...issueCardBlocks(layoutV1, identity, { balanceCents: 99, products: emptySlots, journal: [] }, 1),
      ...issueCardBlocks(layoutV1, identity, { balanceCents: 1250, products: emptySlots, journal: [] }),
    ]));
    expect(decodeImage(layoutV1, card.blocks)).toMatchObject({ layout: 2, state: { balanceCents: 1250 } });
    flipByte(card, 130, 0);
    expect(() => decodeImage(layoutV1, card.blocks)).toThrow(expect.objectContaining({ kind: 'corrupt' }));
  });

  it('a card of layout 2 read by a kiosk that knows only layout 1 is blank there: foreign, never a wrong balance', () => {
    const card = issuedCard();
    for (const n of layoutV1.olderLayouts?.[0]?.blocksToRead ?? []) expect(card.blocks[n]?.every((b) => b === 0)).toBe(true);
  });

  it('dates round-trip through day numbers', () => {
    expect(daysToIso(isoToDays('2031-03-31'))).toBe('2031-03-31');
    expect(() => isoToDays('2200-01-01')).toThrow(RangeError);
  });

  it('an issued card decodes to what was issued, from record A', async () => {
    const { access } = onReader(issuedCard());
    const card = await readCard(access, layoutV1);
    expect(card.identity).toEqual(identity);
    expect(card.activeSlot).toBe('A');
    expect(card.state).toEqual({ sequence: 1, balanceCents: 1250, products: emptySlots, journal: [] });
  });

  it('writes alternate between A and B with a rising sequence', async () => {
    const { access } = onReader(issuedCard());
    let card = await readCard(access, layoutV1);
    const token = layoutV1.orderToken('order-1');
    card = await writeState(access, layoutV1, card, { ...card.state, balanceCents: 3250, journal: [token] });
    expect(card.activeSlot).toBe('B');
    expect(card.state.sequence).toBe(2);
    card = await writeState(access, layoutV1, card, {
      ...card.state,
      products: [{ productCode: 'DAL_VOORDEEL', validFrom: '2026-11-21', validUntil: '2027-11-20' }, null, null, null],
    });
    expect(card.activeSlot).toBe('A');
    expect(card.state).toMatchObject({ sequence: 3, balanceCents: 3250, journal: [token] });
    expect(card.state.products[0]?.productCode).toBe('DAL_VOORDEEL');
  });

  it.each([0, 1, 2, 3, 4, 5])('a write torn after %i of 6 blocks leaves the old record active', async (after) => {
    const card = issuedCard();
    const { reader, access } = onReader(card);
    const before = await readCard(access, layoutV1);
    reader.armTear(after, 'writes');
    await expect(writeState(access, layoutV1, before, { ...before.state, balanceCents: 99 })).rejects.toBeInstanceOf(CardGoneError);
    const { access: again } = onReader(card);
    expect(await readCard(again, layoutV1)).toEqual(before);
  });

  it('a card issued in layout 1 is read, written where it is (alternating A and B), and a torn write leaves it as it was', async () => {
    const old = issuedCard(1);
    const { access } = onReader(old);
    const before = await readCard(access, layoutV1);
    expect(before).toMatchObject({ identity, activeSlot: 'A', layout: 1, state: { sequence: 1, balanceCents: 1250 } });
    for (let after = 0; after < 6; after++) {
      const torn = onReader(old);
      torn.reader.armTear(after, 'writes');
      await expect(writeState(torn.access, layoutV1, before, { ...before.state, balanceCents: 99 })).rejects.toBeInstanceOf(CardGoneError);
      expect(await readCard(onReader(old).access, layoutV1)).toEqual(before);
    }
    let card = await writeState(onReader(old).access, layoutV1, before, { ...before.state, balanceCents: 3250 });
    expect(card).toMatchObject({ activeSlot: 'B', layout: 1, state: { sequence: 2, balanceCents: 3250 } });
    card = await writeState(onReader(old).access, layoutV1, card, { ...card.state, balanceCents: 3300 });
    expect(card).toMatchObject({ activeSlot: 'A', layout: 1, state: { sequence: 3 } });
    // Still a layout-1 card: nothing was written to sector 32.
    for (const n of layoutV1.blocksToRead) expect(old.blocks[n]?.every((b) => b === 0)).toBe(true);
    expect(decodeImage(layoutV1, old.blocks)).toEqual(card);
  });

  it.each([0, 1, 2, 3, 4, 5])('layout 2, one multi-block UPDATE of record B torn after %i of its 6 blocks: record A is untouched and active', async (landed) => {
    const card = issuedCard();
    const { access } = onReader(card);
    const before = await readCard(access, layoutV1);
    const recordA = layoutV1.encodeState(before.state, 'A');
    // An ACR1252U writes the blocks of one UPDATE in order: a tear leaves a prefix of them.
    const tearing = {
      ...access,
      writeBlocks: async (first: number, data: readonly Uint8Array[]) => {
        expect(first).toBe(137);
        data.slice(0, landed).forEach((d, i) => card.setBlock(first + i, d));
        if (landed > 0) {
          // and the block being written when the field went may be half old, half new
          const half = (card.blocks[first + landed] ?? new Uint8Array(16)).slice();
          half.set((data[landed] ?? new Uint8Array(16)).subarray(0, 8));
          card.setBlock(first + landed, half);
        }
        throw new CardGoneError('card torn away during write');
      },
    };
    await expect(writeState(tearing, layoutV1, before, { ...before.state, balanceCents: 99 })).rejects.toBeInstanceOf(CardGoneError);
    for (const [n, data] of recordA) expect(card.blocks[n]).toEqual(data);
    expect(await readCard(onReader(card).access, layoutV1)).toEqual(before);
  });

  it.each([1, 2] as const)('layout %s: a blank card is foreign, a damaged identity is corrupt, two broken records are corrupt', (layout) => {
    const blank = new SimulatedCard('04000001');
    const asMap = (c: SimulatedCard) => new Map(allLayoutBlocks(layoutV1).map((b) => [b, c.blocks[b] as Uint8Array]));
    expect(() => layoutV1.decode(asMap(blank))).toThrow(expect.objectContaining({ kind: 'foreign' }));
    const [, identityBlock = 0] = layoutV1.encodeIdentity(identity, layout).keys();
    const [recordBlock = 0] = layoutV1.encodeState({ sequence: 1, balanceCents: 0, products: emptySlots, journal: [] }, 'A', layout).keys();

    const damaged = issuedCard(layout);
    flipByte(damaged, identityBlock, 3);
    expect(() => layoutV1.decode(asMap(damaged))).toThrow(CardLayoutError);
    expect(() => layoutV1.decode(asMap(damaged))).toThrow(expect.objectContaining({ kind: 'corrupt' }));

    const noRecords = issuedCard(layout);
    flipByte(noRecords, recordBlock, 0);
    expect(() => layoutV1.decode(asMap(noRecords))).toThrow(expect.objectContaining({ kind: 'corrupt' }));
  });

  it('refuses to encode what the card cannot hold', () => {
    expect(() => layoutV1.encodeIdentity({ ...identity, cardNumber: '12' })).toThrow(RangeError);
    expect(() =>
      layoutV1.encodeState({ sequence: 1, balanceCents: 0, products: [null], journal: [] }, 'A'),
    ).toThrow(RangeError);
    expect(() =>
      layoutV1.encodeState({ sequence: 1, balanceCents: 0, products: emptySlots, journal: ['zz'] }, 'A'),
    ).toThrow(RangeError);
  });

  it('order tokens are stable, 8 bytes, and differ per order', () => {
    expect(layoutV1.orderToken('a')).toMatch(/^[0-9a-f]{16}$/);
    expect(layoutV1.orderToken('a')).toBe(layoutV1.orderToken('a'));
    expect(layoutV1.orderToken('a')).not.toBe(layoutV1.orderToken('b'));
  });
});

describe('card layout, state record v2: the ledger of order serials', () => {
  const v2 = (ledger: CardLedger) => ({ balanceCents: 1250, products: emptySlots, journal: [], ledger });
  const recordBytes = (blocks: Map<number, Uint8Array>) => Buffer.concat([...blocks.values()]);

  it('covers every serial up to the low-water mark and exactly the bits above it', () => {
    const ledger: CardLedger = { lowWater: 10, applied: [12, 300] };
    expect([1, 10, 12, 300].every((n) => ledgerCovers(ledger, n))).toBe(true);
    expect([11, 13, 299, 301].some((n) => ledgerCovers(ledger, n))).toBe(false);
  });

  it('advances the low-water mark when the low bits fill contiguously, in any order', () => {
    let ledger: CardLedger = { lowWater: 0, applied: [] };
    for (const serial of [3, 2, 5]) ledger = ledgerWith(ledger, serial) as CardLedger;
    expect(ledger).toEqual({ lowWater: 0, applied: [2, 3, 5] });
    ledger = ledgerWith(ledger, 1) as CardLedger;
    expect(ledger).toEqual({ lowWater: 3, applied: [5] });
    expect(ledgerWith(ledger, 2)).toBe(ledger); // already covered: unchanged
    expect(ledgerWith(ledger, 4)).toEqual({ lowWater: 5, applied: [] });
  });

  it(`records ${LEDGER_WINDOW} serials above the mark; one past the window is refused, never dropped`, () => {
    expect(LEDGER_WINDOW).toBe(352);
    const ledger: CardLedger = { lowWater: 7, applied: [] };
    expect(ledgerWith(ledger, 7 + LEDGER_WINDOW)).toEqual({ lowWater: 7, applied: [7 + LEDGER_WINDOW] });
    expect(ledgerWith(ledger, 7 + LEDGER_WINDOW + 1)).toBeNull();
    expect(() => layoutV1.encodeState({ ...v2({ lowWater: 7, applied: [7 + LEDGER_WINDOW + 1] }), sequence: 2 }, 'B')).toThrow(RangeError);
  });

  it('round-trips through the record: version 2, mark at offset 36, bitmap MSB first from offset 40, same size and CRC', () => {
    const ledger: CardLedger = { lowWater: 0x01020304, applied: [0x01020304 + 2, 0x01020304 + 9, 0x01020304 + LEDGER_WINDOW] };
    const blocks = layoutV1.encodeState({ ...v2(ledger), sequence: 5 }, 'B');
    const bytes = recordBytes(blocks);
    expect(bytes.length).toBe(96);
    expect(bytes[0]).toBe(2);
    expect([...bytes.subarray(36, 40)]).toEqual([1, 2, 3, 4]);
    expect(bytes[40]).toBe(0b0100_0000); // serial mark + 2 is bit 1
    expect(bytes[41]).toBe(0b1000_0000); // mark + 9 is bit 8
    expect(bytes[83]).toBe(0b0000_0001); // mark + 352 is the last bit
    expect([...bytes.subarray(84, 92)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const card = layoutV1.decode(new Map([...issueCardBlocks(layoutV1, identity, v2({ lowWater: 0, applied: [] })), ...blocks]));
    expect(card.activeSlot).toBe('B');
    expect(card.state).toEqual({ sequence: 5, balanceCents: 1250, products: emptySlots, journal: [], ledger });
  });

  it('refuses a record whose bitmap was never normalised (bit 0 set) as invalid', () => {
    const blocks = layoutV1.encodeState({ ...v2({ lowWater: 3, applied: [] }), sequence: 2 }, 'B');
    const bytes = recordBytes(blocks);
    bytes[40] = 0x80;
    // keep the CRC right, so that only the rule refuses it
    bytes.writeUInt32BE(crc32(bytes.subarray(0, 92)), 92);
    const torn = new Map([...blocks.keys()].map((b, i) => [b, new Uint8Array(bytes.subarray(i * 16, (i + 1) * 16))]));
    const card = layoutV1.decode(new Map([...issueCardBlocks(layoutV1, identity, v2({ lowWater: 0, applied: [] })), ...torn]));
    expect(card.activeSlot).toBe('A'); // the broken B is ignored
  });

  it('a v1 card (journal of tokens) is still read, and its first v2 write is tear-safe', async () => {
    const token = layoutV1.orderToken('order-1');
    const v1Card = new SimulatedCard('04A1B2C3', issueCardBlocks(layoutV1, identity, { balanceCents: 1250, products: emptySlots, journal: [token] }));
    const { access } = onReader(v1Card);
    const before = await readCard(access, layoutV1);
    expect(before.state).toEqual({ sequence: 1, balanceCents: 1250, products: emptySlots, journal: [token] });
    expect(before.state.ledger).toBeUndefined();
    // a v2 record cannot carry the journal: it is folded into the ledger by the caller
    await expect(writeState(access, layoutV1, before, { ...before.state, ledger: { lowWater: 1, applied: [] } })).rejects.toThrow(RangeError);
    for (let after = 0; after < 6; after++) {
      const torn = onReader(v1Card);
      torn.reader.armTear(after, 'writes');
      await expect(writeState(torn.access, layoutV1, before, { ...v2({ lowWater: 1, applied: [] }), balanceCents: 1750 })).rejects.toBeInstanceOf(CardGoneError);
      const { access: again } = onReader(v1Card);
      expect(await readCard(again, layoutV1)).toEqual(before);
    }
    const { access: last } = onReader(v1Card);
    const upgraded = await writeState(last, layoutV1, before, { ...v2({ lowWater: 1, applied: [] }), balanceCents: 1750 });
    expect(upgraded).toMatchObject({ activeSlot: 'B', state: { sequence: 2, balanceCents: 1750, journal: [], ledger: { lowWater: 1, applied: [] } } });
  });
});

describe('simulated reader', () => {
  it('emits status only on real change, and an access dies with its presence', async () => {
    const reader = new SimulatedReader();
    const seen: string[] = [];
    reader.subscribe((s) => seen.push(s.status));
    const card = issuedCard();
    reader.tap(card);
    const access = reader.card();
    reader.remove();
    reader.remove();
    reader.tap(card);
    await expect(access?.readBlock(4)).rejects.toBeInstanceOf(CardGoneError);
    reader.unplug();
    reader.tap(card);
    reader.plug();
    expect(seen).toEqual(['card_present', 'ready', 'card_present', 'no_reader', 'ready']);
  });
});
