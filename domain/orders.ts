// Orders: what a traveller ordered online, as offered and as delivered.
// Pure data: no I/O, no Node, DOM or library types (domain/ imports nothing).
import type { CardProduct } from './cards.js';

/**
 * An order as offered at the kiosk. The kaartservicecode itself is never part of it.
 * `serial`: the order's number on its card, what the card's ledger records (null or
 * absent: not known yet).
 */
export type OfferedOrder = (
  | { readonly id: string; readonly kind: 'kaartservicecode'; readonly orderedAt: string }
  | {
      readonly id: string;
      readonly kind: 'product';
      readonly orderedAt: string;
      readonly productCode: string;
      readonly validFrom: string;
      readonly validUntil: string;
    }
  | { readonly id: string; readonly kind: 'topup'; readonly orderedAt: string; readonly amountCents: number }
) & { readonly serial?: number | null };

export type OrderKind = OfferedOrder['kind'];

/** What a finished delivery shows the traveller. Only here does a kaartservicecode appear. */
export type DeliveryOutcome =
  | { readonly kind: 'kaartservicecode'; readonly code: string }
  | { readonly kind: 'product'; readonly product: CardProduct }
  | { readonly kind: 'topup'; readonly amountCents: number; readonly balanceCents: number };

/** What an order carries, as the back office issues it (a kaartservicecode in clear only here). */
export type OrderPayload =
  | { kind: 'kaartservicecode'; code: string }
  | { kind: 'product'; productCode: string; validFrom: string; validUntil: string }
  | { kind: 'topup'; amountCents: number };
