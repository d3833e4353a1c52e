// What an order does to a card: pure, so every rule is tested without a card.
import { JOURNAL_ENTRIES, type CardState } from '../hardware/card-layout.js';
import { MAX_BALANCE_CENTS, type CardProduct, type DeliveryOutcome } from '../domain/index.js';
import type { OrderPayload } from '../domain/index.js';

export type ApplyResult =
  | { readonly ok: true; readonly next: Omit<CardState, 'sequence'>; readonly outcome: DeliveryOutcome }
  | { readonly ok: false; readonly failure: 'balanceLimit' | 'noFreeSlot' };

/**
 * The card state after delivering `payload`, with the order's token at the head of the
 * journal, so applying the order and recording it are one record write.
 * `today` is an ISO date; a product slot whose product has ended before it may be reused.
 */
export function applyOrder(state: CardState, payload: OrderPayload, token: string, today: string): ApplyResult {
  const journal = [token, ...state.journal.filter((t) => t !== token)].slice(0, JOURNAL_ENTRIES);
  switch (payload.kind) {
    case 'kaartservicecode':
      return {
        ok: true,
        next: { balanceCents: state.balanceCents, products: state.products, journal },
        outcome: { kind: 'kaartservicecode', code: payload.code },
      };
    case 'topup': {
      const balanceCents = state.balanceCents + payload.amountCents;
      if (balanceCents > MAX_BALANCE_CENTS) return { ok: false, failure: 'balanceLimit' };
      return {
        ok: true,
        next: { balanceCents, products: state.products, journal },
        outcome: { kind: 'topup', amountCents: payload.amountCents, balanceCents },
      };
    }
    case 'product': {
      const product: CardProduct = {
        productCode: payload.productCode,
        validFrom: payload.validFrom,
        validUntil: payload.validUntil,
      };
      const slot = state.products.findIndex((p) => p === null || p.validUntil < today);
      if (slot < 0) return { ok: false, failure: 'noFreeSlot' };
      const products = state.products.map((p, i) => (i === slot ? product : p));
      return { ok: true, next: { balanceCents: state.balanceCents, products, journal }, outcome: { kind: 'product', product } };
    }
    default: {
      const unreachable: never = payload;
      throw new Error(`unknown order kind ${JSON.stringify(unreachable)}`);
    }
  }
}

/** What the traveller is shown for an order the card already holds (settled afterwards). */
export function outcomeOnCard(state: CardState, payload: OrderPayload): DeliveryOutcome {
  switch (payload.kind) {
    case 'kaartservicecode':
      return { kind: 'kaartservicecode', code: payload.code };
    case 'topup':
      return { kind: 'topup', amountCents: payload.amountCents, balanceCents: state.balanceCents };
    case 'product':
      return {
        kind: 'product',
        product: { productCode: payload.productCode, validFrom: payload.validFrom, validUntil: payload.validUntil },
      };
    default: {
      const unreachable: never = payload;
      throw new Error(`unknown order kind ${JSON.stringify(unreachable)}`);
    }
  }
}
