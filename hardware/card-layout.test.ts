import { describe, expect, it } from 'vitest';
import { readCard, writeState } from './card-io.js';
import { CardGoneError } from './card-reader.js';
import {
  CardLayoutError,
  daysToIso,
  isoToDays,
  isTrailerBlock,
  issueCardBlocks,
  layoutV1,
  PRODUCT_SLOTS,
  sectorOfBlock,
  type CardIdentity,
} from './card-layout.js';
import { SimulatedCard, SimulatedReader } from './simulated-reader.js';

const identity: CardIdentity = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' };
const emptySlots = Array.from({ length: PRODUCT_SLOTS }, () => null);

function issuedCard(): SimulatedCard {
  return new SimulatedCard('04A1B2C3', issueCardBlocks(layoutV1, identity, { balanceCents: 1250, products: emptySlots, journal: [] }));
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

describe('card layout v1', () => {
  it('never uses a sector trailer or the manufacturer block', () => {
    for (const block of layoutV1.blocksToRead) {
      expect(isTrailerBlock(block)).toBe(false);
      expect(sectorOfBlock(block)).toBeGreaterThan(0);
    }
    expect(new Set(layoutV1.blocksToRead).size).toBe(layoutV1.blocksToRead.length);
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

  it('a blank card is foreign, a damaged identity is corrupt, two broken records are corrupt', () => {
    const blank = new SimulatedCard('04000001');
    const asMap = (c: SimulatedCard) => new Map(layoutV1.blocksToRead.map((b) => [b, c.blocks[b] as Uint8Array]));
    expect(() => layoutV1.decode(asMap(blank))).toThrow(expect.objectContaining({ kind: 'foreign' }));

    const damaged = issuedCard();
    flipByte(damaged, 5, 3);
    expect(() => layoutV1.decode(asMap(damaged))).toThrow(CardLayoutError);
    expect(() => layoutV1.decode(asMap(damaged))).toThrow(expect.objectContaining({ kind: 'corrupt' }));

    const noRecords = issuedCard();
    flipByte(noRecords, 9, 0);
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
