// The store's public record types and the zod schemas that check its JSON columns on
// the way in and on the way out (the wire's schemas are in protocol/).
import { z } from 'zod';
import type { DeliveryOutcome, OrderPayload } from '../domain/index.js';
import { orderPayloadSchema, sealedCodeSchema, type PickupReport } from '../protocol/kiosk-api.js';
import type { SqliteLogger } from '../sqlite/open.js';

export type { OrderPayload, PickupReport };

export type OrderStatus = 'pending' | 'delivered' | 'cancelled' | 'expired';
export const ORDER_STATUSES = ['pending', 'delivered', 'cancelled', 'expired'] as const satisfies readonly OrderStatus[];

export interface OrderRecord {
  id: string;
  cardNumber: string;
  payload: OrderPayload;
  status: OrderStatus;
  createdAt: string;
  expiresAt: string | null;
  updatedAt: string;
  /** The order's number on its card (the card's ledger records it); null until the feed gave it (migration 4). */
  serial: number | null;
  /** The back office's verdict kept back while a delivery of the order is in progress (migration 2). */
  remoteStatus: 'cancelled' | 'expired' | 'delivered' | null;
  /** The back office's signature of the order as offered (migration 7); null when it came otherwise (seeded). */
  signature: string | null;
  /** The version of the back office's change that signature is of (migration 9); null without one. */
  signedVersion: number | null;
}

export interface OrderInput {
  id: string;
  cardNumber: string;
  payload: OrderPayload;
  /** Defaults to 'pending' for a new order; an existing order keeps its status when omitted. */
  status?: OrderStatus;
  createdAt: string;
  expiresAt: string | null;
  /**
   * The order's number on its card. Omitted (seeding without a back office, the demo's
   * single kiosk): the next free one for the card in this store.
   */
  serial?: number;
}

export type DeliveryState = 'pending' | 'writing' | 'written' | 'reported' | 'abandoned';
export const DELIVERY_STATES = [
  'pending',
  'writing',
  'written',
  'reported',
  'abandoned',
] as const satisfies readonly DeliveryState[];

/**
 * What stands for a sealed kaartservicecode once the kiosk has forgotten it (its order
 * cancelled, expired, or delivered and past the day it is shown again): opens with no card.
 */
export const FORGOTTEN_CODE = 'forgotten';

/**
 * What a delivery did, as the journal keeps it: a kaartservicecode only in its sealed form
 * (opened again with the card's key when the same card shows it again), never in clear.
 */
export type StoredOutcome =
  | Exclude<DeliveryOutcome, { readonly kind: 'kaartservicecode' }>
  | { readonly kind: 'kaartservicecode'; readonly sealed: string };

export interface DeliveryRecord {
  id: string;
  orderId: string;
  cardNumber: string;
  cardUid: string;
  state: DeliveryState;
  outcome: StoredOutcome | null;
  failure: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxItem {
  id: number;
  deliveryId: string;
  report: PickupReport;
  attempts: number;
  createdAt: string;
}

/** Structural: pino, console-like adapters or a test spy all fit. */
export type StoreLogger = SqliteLogger;

// ---------------------------------------------------------------- schemas

const isoDate = z.iso.date();
const sealedOrForgotten = z.union([sealedCodeSchema, z.literal(FORGOTTEN_CODE)]);
/** An order's payload as the cache keeps it: the feed's, or a code forgotten (FORGOTTEN_CODE). */
export const storedPayloadSchema = z.union([
  orderPayloadSchema,
  z.strictObject({ kind: z.literal('kaartservicecode'), sealed: z.literal(FORGOTTEN_CODE) }),
]) satisfies z.ZodType<OrderPayload>;
export const deliveryOutcomeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('kaartservicecode'), sealed: sealedOrForgotten }),
  z.strictObject({
    kind: z.literal('product'),
    product: z.strictObject({ productCode: z.string().min(1), validFrom: isoDate, validUntil: isoDate }),
  }),
  z.strictObject({
    kind: z.literal('topup'),
    amountCents: z.number().int().positive(),
    balanceCents: z.number().int(),
  }),
]) satisfies z.ZodType<StoredOutcome>;

export interface ApplyChangesResult {
  /** new pending orders */
  readonly inserted: number;
  /** existing orders whose row changed (status or details) */
  readonly updated: number;
  /** remote states kept back because a delivery of the order is in progress */
  readonly deferred: number;
  /** changes with nothing to do: unknown order not pending, or delivered here already */
  readonly ignored: number;
}
