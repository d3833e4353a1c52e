// Orders: what a traveller ordered online, as offered and as delivered.
// Pure data: no I/O, no Node, DOM or library types (domain/ imports nothing).
import { MAX_BALANCE_CENTS, type CardProduct } from './cards.js';

/**
 * An order as offered at the kiosk. The kaartservicecode itself is never part of it.
 * `serial`: the order's number on its card, what the card's ledger records (null or
 * absent: not known yet). `expiresAt`: the last moment it can be picked up (ISO; null or
 * absent: no deadline known).
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
) & { readonly serial?: number | null; readonly expiresAt?: string | null };

export type OrderKind = OfferedOrder['kind'];

/** What a finished delivery shows the traveller. Only here does a kaartservicecode appear in clear (in memory, never stored). */
export type DeliveryOutcome =
  | { readonly kind: 'kaartservicecode'; readonly code: string }
  | { readonly kind: 'product'; readonly product: CardProduct }
  | { readonly kind: 'topup'; readonly amountCents: number; readonly balanceCents: number };

/**
 * What an order carries, as the back office issues it. A kaartservicecode travels and is
 * kept only sealed to its card (protocol/kiosk-api.ts `sealedCodeSchema`): the kiosk opens
 * it with the key on the card when it delivers it.
 */
export type OrderPayload =
  | { kind: 'kaartservicecode'; sealed: string }
  | { kind: 'product'; productCode: string; validFrom: string; validUntil: string }
  | { kind: 'topup'; amountCents: number };

/**
 * Why an order that is offered cannot be delivered to this card as it is now: a top-up
 * that would take the balance past the card's maximum. Shown next to the order, which
 * cannot be chosen.
 */
export type OrderBlock = 'balanceLimit';

export function orderBlock(order: OfferedOrder, balanceCents: number): OrderBlock | null {
  if (order.kind === 'topup' && balanceCents + order.amountCents > MAX_BALANCE_CENTS) return 'balanceLimit';
  return null;
}

/**
 * The orders "Alles ophalen" collects, in the order it collects them: each one that can be
 * delivered after the ones before it (top-ups add up against the card's maximum), and one
 * kaartservicecode at most, last, so the screen that shows it is the one the run ends on
 * (a second code would be shown nowhere: it waits for a pickup of its own).
 */
export function collectAll(orders: readonly OfferedOrder[], balanceCents: number): OfferedOrder[] {
  const code = orders.find((o) => o.kind === 'kaartservicecode');
  const ordered = [...orders.filter((o) => o.kind !== 'kaartservicecode'), ...(code ? [code] : [])];
  const chosen: OfferedOrder[] = [];
  let balance = balanceCents;
  for (const order of ordered) {
    if (orderBlock(order, balance) !== null) continue;
    chosen.push(order);
    if (order.kind === 'topup') balance += order.amountCents;
  }
  return chosen;
}

/** One order collected in this visit, and what it did. */
export interface CollectedOrder {
  readonly order: OfferedOrder;
  readonly outcome: DeliveryOutcome;
}

/** Why an order that was on the list is no longer offered. */
export const GONE_REASONS = ['cancelled', 'expired', 'delivered', 'unavailable'] as const;
export type GoneReason = (typeof GONE_REASONS)[number];

/** An order that left the list while the traveller looked at it. */
export interface GoneOrder {
  readonly order: OfferedOrder;
  readonly reason: GoneReason;
}

/** What changed in the open list since the traveller saw it: politely announced. */
export interface OrderListChange {
  readonly added: number;
  readonly gone: readonly GoneOrder[];
}

/**
 * Where a traveller enters a kaartservicecode: Mijn NS, then "OV-chipkaart koppelen"
 * (card number and code). The delivered screen shows it as a QR code.
 */
export const CODE_ENTRY_URL = 'https://www.ns.nl/mijnns';
