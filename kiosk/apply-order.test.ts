import { describe, expect, it } from 'vitest';
import { LEDGER_WINDOW, type CardLedger, type CardState } from '../hardware/card-layout.js';
import { applyOrder } from './apply-order.js';

const ledger: CardLedger = { lowWater: 4, applied: [6] };
const card: CardState = { sequence: 7, balanceCents: 1250, products: [null, null, null, null], journal: [], ledger };
const TODAY = '2026-11-21';
const dal = { productCode: 'DAL_VOORDEEL', validFrom: '2026-11-21', validUntil: '2027-11-20' };

describe('what an order does to a card', () => {
  it('a top-up raises the balance and records the serial in the ledger (advancing the low-water mark)', () => {
    const result = applyOrder(card, ledger, { kind: 'topup', amountCents: 2000 }, 5, TODAY);
    expect(result).toEqual({
      ok: true,
      next: { balanceCents: 3250, products: card.products, journal: [], ledger: { lowWater: 6, applied: [] } },
      outcome: { kind: 'topup', amountCents: 2000, balanceCents: 3250 },
    });
  });

  it('a top-up above EUR 150 is refused', () => {
    expect(applyOrder({ ...card, balanceCents: 14_000 }, ledger, { kind: 'topup', amountCents: 2000 }, 5, TODAY)).toEqual({
      ok: false,
      failure: 'balanceLimit',
    });
  });

  it('a product takes the first free slot, or one whose product has ended', () => {
    const ended = { productCode: 'WEEKEND_VRIJ', validFrom: '2025-01-01', validUntil: '2025-12-31' };
    const running = { productCode: 'TRAJECT_VRIJ', validFrom: '2026-01-01', validUntil: '2026-12-31' };
    const result = applyOrder({ ...card, products: [running, ended, running, running] }, ledger, { kind: 'product', ...dal }, 5, TODAY);
    expect(result.ok && result.next.products).toEqual([running, dal, running, running]);
  });

  it('a card with four running products has no room', () => {
    const running = { productCode: 'TRAJECT_VRIJ', validFrom: '2026-01-01', validUntil: '2026-12-31' };
    const full = { ...card, products: [running, running, running, running] };
    expect(applyOrder(full, ledger, { kind: 'product', ...dal }, 5, TODAY)).toEqual({ ok: false, failure: 'noFreeSlot' });
  });

  it('a kaartservicecode changes nothing but the ledger, and is revealed in the outcome', () => {
    const sealed = `ksc1.${'A'.repeat(56)}`;
    const result = applyOrder(card, ledger, { kind: 'kaartservicecode', sealed }, 9, TODAY);
    expect(result.ok && result.next).toEqual({ balanceCents: 1250, products: card.products, journal: [], ledger: { lowWater: 4, applied: [6, 9] } });
    // Still sealed: the delivery opens it with the card's key, for the screen only.
    expect(result.ok && result.outcome).toEqual({ kind: 'kaartservicecode', sealed });
  });

  it('a v1 card is written as v2: its journal is gone from the record, folded into the ledger given', () => {
    const v1: CardState = { sequence: 3, balanceCents: 0, products: [null, null, null, null], journal: ['00000000000000aa'] };
    const result = applyOrder(v1, { lowWater: 2, applied: [] }, { kind: 'topup', amountCents: 1 }, 3, TODAY);
    expect(result.ok && result.next).toMatchObject({ journal: [], ledger: { lowWater: 3, applied: [] } });
  });

  it('a serial past the window is refused: nothing to write', () => {
    expect(applyOrder(card, ledger, { kind: 'topup', amountCents: 1 }, 4 + LEDGER_WINDOW + 1, TODAY)).toEqual({ ok: false, failure: 'ledgerFull' });
    expect(applyOrder(card, ledger, { kind: 'topup', amountCents: 1 }, 4 + LEDGER_WINDOW, TODAY).ok).toBe(true);
  });
});
