import { describe, expect, it } from 'vitest';
import type { CardState } from '../hardware/card-layout.js';
import { applyOrder } from './apply-order.js';

const card: CardState = { sequence: 7, balanceCents: 1250, products: [null, null, null, null], journal: ['00000000000000aa'] };
const TODAY = '2026-11-21';
const dal = { productCode: 'DAL_VOORDEEL', validFrom: '2026-11-21', validUntil: '2027-11-20' };

describe('what an order does to a card', () => {
  it('a top-up raises the balance and journals the order', () => {
    const result = applyOrder(card, { kind: 'topup', amountCents: 2000 }, '00000000000000bb', TODAY);
    expect(result).toEqual({
      ok: true,
      next: { balanceCents: 3250, products: card.products, journal: ['00000000000000bb', '00000000000000aa'] },
      outcome: { kind: 'topup', amountCents: 2000, balanceCents: 3250 },
    });
  });

  it('a top-up above EUR 150 is refused', () => {
    expect(applyOrder({ ...card, balanceCents: 14_000 }, { kind: 'topup', amountCents: 2000 }, '00000000000000bb', TODAY)).toEqual({
      ok: false,
      failure: 'balanceLimit',
    });
  });

  it('a product takes the first free slot, or one whose product has ended', () => {
    const ended = { productCode: 'WEEKEND_VRIJ', validFrom: '2025-01-01', validUntil: '2025-12-31' };
    const running = { productCode: 'TRAJECT_VRIJ', validFrom: '2026-01-01', validUntil: '2026-12-31' };
    const result = applyOrder({ ...card, products: [running, ended, running, running] }, { kind: 'product', ...dal }, '00000000000000bb', TODAY);
    expect(result.ok && result.next.products).toEqual([running, dal, running, running]);
  });

  it('a card with four running products has no room', () => {
    const running = { productCode: 'TRAJECT_VRIJ', validFrom: '2026-01-01', validUntil: '2026-12-31' };
    const full = { ...card, products: [running, running, running, running] };
    expect(applyOrder(full, { kind: 'product', ...dal }, '00000000000000bb', TODAY)).toEqual({ ok: false, failure: 'noFreeSlot' });
  });

  it('a kaartservicecode changes nothing but the journal, and is revealed in the outcome', () => {
    const result = applyOrder(card, { kind: 'kaartservicecode', code: '4821-9034-7713' }, '00000000000000bb', TODAY);
    expect(result.ok && result.next).toEqual({ balanceCents: 1250, products: card.products, journal: ['00000000000000bb', '00000000000000aa'] });
    expect(result.ok && result.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034-7713' });
  });

  it('the journal keeps the newest six', () => {
    const journal = ['1', '2', '3', '4', '5', '6'].map((d) => d.padStart(16, '0'));
    const result = applyOrder({ ...card, journal }, { kind: 'topup', amountCents: 1 }, 'ffffffffffffffff', TODAY);
    expect(result.ok && result.next.journal).toEqual(['ffffffffffffffff', ...journal.slice(0, 5)]);
  });
});
