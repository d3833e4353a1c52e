// Reading a card in as few exchanges as its reader allows, in whichever layout it is;
// writing exactly one record and reading back only it.
import { describe, expect, it } from 'vitest';
import { blockRuns, readCard, writeState } from './card-io.js';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS, type CardState } from './card-layout.js';
import type { CardAccess } from './card-reader.js';

const IDENTITY = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' } as const;
const STATE: Omit<CardState, 'sequence'> = { balanceCents: 1250, products: Array.from({ length: PRODUCT_SLOTS }, () => null), journal: [] };

/** An in-memory card that notes every request, as PcscReader would send it (`runs`: it
 * offers readBlocks / writeBlocks, as PcscReader does; without, block by block). */
function card(layout: 1 | 2, { runs = true }: { runs?: boolean } = {}) {
  const image = issueCardBlocks(layoutV1, IDENTITY, STATE, layout);
  const calls: string[] = [];
  const block = (n: number) => image.get(n) ?? new Uint8Array(16);
  const access: CardAccess = {
    uid: '04A1B2C3',
    readBlock: async (n) => (calls.push(`read ${n}`), block(n)),
    writeBlock: async (n, data) => {
      calls.push(`write ${n}`);
      image.set(n, data.slice());
    },
    ...(runs
      ? {
          readBlocks: async (first: number, count: number) => (calls.push(`read ${first}+${count}`), Array.from({ length: count }, (_, i) => block(first + i))),
          writeBlocks: async (first: number, data: readonly Uint8Array[]) => {
            calls.push(`write ${first}+${data.length}`);
            data.forEach((d, i) => image.set(first + i, d.slice()));
          },
        }
      : {}),
  };
  return { access, calls, image };
}

describe('readCard', () => {
  it('groups blocks into runs within one sector: layout 2 is one run (128–142), layout 1 one per sector', () => {
    expect(blockRuns(layoutV1.blocksToRead)).toEqual([{ first: 128, count: 15 }]);
    expect(blockRuns(layoutV1.olderLayouts?.[0]?.blocksToRead ?? [])).toEqual([4, 8, 12, 16, 20].map((first) => ({ first, count: 3 })));
    expect(blockRuns([1, 2, 3, 4, 5])).toEqual([{ first: 1, count: 3 }, { first: 4, count: 2 }]);
  });

  it('layout 2: the identity (3 blocks), then the rest of sector 32 (12): two requests, one sector', async () => {
    const { access, calls } = card(2);
    expect(await readCard(access, layoutV1)).toMatchObject({ identity: IDENTITY, activeSlot: 'A', layout: 2 });
    expect(calls).toEqual(['read 128+3', 'read 131+12']);
    // Block by block (a reader without readBlocks): the same 15 blocks, the same card.
    const single = card(2, { runs: false });
    expect(await readCard(single.access, layoutV1)).toEqual(await readCard(card(2).access, layoutV1));
    expect(single.calls).toEqual(Array.from({ length: 15 }, (_, i) => `read ${128 + i}`));
  });

  it('a card issued in layout 1: the identity blocks of sector 32 are blank, then its own blocks', async () => {
    const { access, calls } = card(1);
    expect(await readCard(access, layoutV1)).toMatchObject({ identity: IDENTITY, activeSlot: 'A', layout: 1 });
    expect(calls).toEqual(['read 128+3', 'read 4+3', 'read 8+3', 'read 12+3', 'read 16+3', 'read 20+3']);
  });

  it('a damaged identity in sector 32 is a corrupt card, never read as layout 1', async () => {
    const { access, image, calls } = card(2);
    // Layout-1 blocks that decode (a card personalised twice): not what the card says.
    for (const [n, data] of issueCardBlocks(layoutV1, IDENTITY, { ...STATE, balanceCents: 99 }, 1)) image.set(n, data);
    const damaged = (image.get(128) as Uint8Array).slice();
    damaged[10] = (damaged[10] ?? 0) ^ 0xff;
    image.set(128, damaged);
    await expect(readCard(access, layoutV1)).rejects.toMatchObject({ kind: 'corrupt' });
    expect(calls).toEqual(['read 128+3', 'read 131+12']);
  });

  it('a blank card is foreign (after both layouts were looked at)', async () => {
    const { access, calls, image } = card(2);
    image.clear();
    await expect(readCard(access, layoutV1)).rejects.toMatchObject({ kind: 'foreign' });
    expect(calls).toEqual(['read 128+3', 'read 4+3', 'read 8+3', 'read 12+3', 'read 16+3', 'read 20+3']);
  });
});

describe('writeState', () => {
  it.each([
    [2, ['read 128+3', 'read 131+12', 'write 137+6', 'read 137+6']],
    [1, ['read 128+3', 'read 4+3', 'read 8+3', 'read 12+3', 'read 16+3', 'read 20+3', 'write 16+3', 'write 20+3', 'read 16+3', 'read 20+3']],
  ] as const)('layout %s: the record not active, exactly its blocks, and only it read back', async (layout, expected) => {
    const { access, calls, image } = card(layout);
    const before = new Map([...image].map(([n, d]) => [n, d.slice()]));
    const current = await readCard(access, layoutV1);
    const written = await writeState(access, layoutV1, current, { ...current.state, balanceCents: 3250 });
    expect(calls).toEqual(expected);
    expect(written).toMatchObject({ activeSlot: 'B', layout, state: { sequence: 2, balanceCents: 3250 } });
    // Nothing but record B changed: the identity and record A are as they were.
    const recordB = [...layoutV1.encodeState({ ...current.state, sequence: 2 }, 'B', layout).keys()];
    for (const [n, data] of before) if (!recordB.includes(n)) expect(image.get(n)).toEqual(data);
    expect(await readCard(access, layoutV1)).toEqual(written);
  });

  it('a record that does not read back as written fails the verification', async () => {
    const { access } = card(2);
    const current = await readCard(access, layoutV1);
    const lying: CardAccess = { ...access, writeBlocks: async () => undefined };
    await expect(writeState(lying, layoutV1, current, { ...current.state, balanceCents: 3250 })).rejects.toMatchObject({ name: 'CardVerifyError' });
  });
});
