// What an order does to a card: pure, so every rule is tested without a card.
import { ledgerWith, type CardLedger, type CardState } from '../hardware/card-layout.js';
import { MAX_BALANCE_CENTS, type CardProduct } from '../domain/index.js';
import type { OrderPayload } from '../domain/index.js';
import type { StoredOutcome } from '../store/index.js';

export type ApplyResult =
  | { readonly ok: true; readonly next: Omit<CardState, 'sequence'>; readonly outcome: StoredOutcome }
  | { readonly ok: false; readonly failure: 'balanceLimit' | 'noFreeSlot' | 'ledgerFull' };

/**
 * The card state after delivering `payload`, with the order's serial recorded in the
 * card's ledger (`ledger`: the card's, or the one a v1 card converts to), so applying the
 * order and recording it are one record write, always a v2 record.
 * `today` is an ISO date; a product slot whose product has ended before it may be reused.
 * `ledgerFull`: the serial lies past the ledger's window; nothing may be written.
 */
export function applyOrder(
  state: CardState,
  ledger: CardLedger,
  payload: OrderPayload,
  serial: number,
  today: string,
): ApplyResult {
  const nextLedger = ledgerWith(ledger, serial);
  if (!nextLedger) return { ok: false, failure: 'ledgerFull' };
  const journal: string[] = [];
  const withLedger = { ledger: nextLedger };
  switch (payload.kind) {
    case 'kaartservicecode':
      return {
        ok: true,
        next: { balanceCents: state.balanceCents, products: state.products, journal, ...withLedger },
        // Still sealed: the delivery opens it with the card's key for the screen only.
        outcome: { kind: 'kaartservicecode', sealed: payload.sealed },
      };
    case 'topup': {
      const balanceCents = state.balanceCents + payload.amountCents;
      if (balanceCents > MAX_BALANCE_CENTS) return { ok: false, failure: 'balanceLimit' };
      return {
        ok: true,
        next: { balanceCents, products: state.products, journal, ...withLedger },
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
      return {
        ok: true,
        next: { balanceCents: state.balanceCents, products, journal, ...withLedger },
        outcome: { kind: 'product', product },
      };
    }
    default: {
      const unreachable: never = payload;
      throw new Error(`unknown order kind ${JSON.stringify(unreachable)}`);
    }
  }
}

/** What the traveller is shown for an order the card already holds (settled afterwards). */
export function outcomeOnCard(state: CardState, payload: OrderPayload): StoredOutcome {
  switch (payload.kind) {
    case 'kaartservicecode':
      return { kind: 'kaartservicecode', sealed: payload.sealed };
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
