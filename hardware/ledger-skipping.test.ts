// The card ledger's low-water mark skips serials the back office never handed out.
import { describe, expect, it } from 'vitest';
import { EMPTY_LEDGER, ledgerCovers, ledgerSkipping, ledgerWith, LEDGER_WINDOW } from './card-layout.js';

describe('ledgerSkipping', () => {
  it('jumps a void range that starts right above the mark, and a next serial then fits', () => {
    const ledger = { lowWater: 1, applied: [] };
    expect(ledgerWith(ledger, 1 + LEDGER_WINDOW + 1)).toBeNull(); // past the window without the skip
    const skipped = ledgerSkipping(ledger, [[2, 257]]);
    expect(skipped).toEqual({ lowWater: 257, applied: [] });
    expect(ledgerWith(skipped, 258)).toEqual({ lowWater: 258, applied: [] });
    expect(ledgerWith(skipped, 1 + LEDGER_WINDOW + 1)).toEqual({ lowWater: 257, applied: [354] });
  });

  it('keeps what the ledger records, and advances over it around the ranges', () => {
    const ledger = { lowWater: 3, applied: [5, 9, 300] };
    // 4 is void, 5 applied, 6..8 void, 9 applied, 10 open: the mark stops at 9
    const skipped = ledgerSkipping(ledger, [[4, 4], [6, 8]]);
    expect(skipped).toEqual({ lowWater: 9, applied: [300] });
    for (const serial of [1, 4, 5, 7, 9, 300]) expect(ledgerCovers(skipped, serial)).toBe(true);
    expect(ledgerCovers(skipped, 10)).toBe(false);
  });

  it('covers recorded serials inside a range it jumps, and leaves a range above an open serial alone', () => {
    expect(ledgerSkipping({ lowWater: 0, applied: [3] }, [[1, 10]])).toEqual({ lowWater: 10, applied: [] });
    const open = { lowWater: 0, applied: [] };
    expect(ledgerSkipping(open, [[2, 10]])).toBe(open); // serial 1 is open: nothing moves
  });

  it('chains ranges, and changes nothing without them', () => {
    expect(ledgerSkipping(EMPTY_LEDGER, [[1, 256], [257, 512]])).toEqual({ lowWater: 512, applied: [] });
    const ledger = { lowWater: 7, applied: [9] };
    expect(ledgerSkipping(ledger, [])).toBe(ledger);
    expect(LEDGER_WINDOW).toBe(352);
  });
});
