// Reading a card in as few exchanges as its reader allows.
import { describe, expect, it } from 'vitest';
import { blockRuns, readCard } from './card-io.js';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS } from './card-layout.js';
import type { CardAccess } from './card-reader.js';

const blocks = issueCardBlocks(
  layoutV1,
  { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' },
  { balanceCents: 1250, products: Array.from({ length: PRODUCT_SLOTS }, () => null), journal: [] },
);
const block = (n: number) => blocks.get(n) ?? new Uint8Array(16);

describe('readCard', () => {
  it('groups the layout into one run per sector: 4–6, 8–10, 12–14, 16–18, 20–22', () => {
    expect(blockRuns(layoutV1.blocksToRead)).toEqual([4, 8, 12, 16, 20].map((first) => ({ first, count: 3 })));
    expect(blockRuns([1, 2, 3, 4, 5])).toEqual([{ first: 1, count: 3 }, { first: 4, count: 2 }]);
  });

  it('uses readBlocks when the reader offers it (5 requests), else readBlock (15), and decodes the same card', async () => {
    const calls: string[] = [];
    const single: CardAccess = {
      uid: '04A1B2C3',
      readBlock: (n) => (calls.push(`block ${n}`), Promise.resolve(block(n))),
      writeBlock: () => Promise.reject(new Error('not here')),
    };
    const one = await readCard(single, layoutV1);
    expect(calls).toHaveLength(15);
    calls.length = 0;
    const multi: CardAccess = {
      ...single,
      readBlocks: (first, count) => (calls.push(`blocks ${first}+${count}`), Promise.resolve(Array.from({ length: count }, (_, i) => block(first + i)))),
    };
    const many = await readCard(multi, layoutV1);
    expect(calls).toEqual(['blocks 4+3', 'blocks 8+3', 'blocks 12+3', 'blocks 16+3', 'blocks 20+3']);
    expect(many).toEqual(one);
  });
});
