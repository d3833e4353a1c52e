// The store's public record types and the zod schemas that check every JSON column on
// the way in and on the way out.
import { z } from 'zod';
import type { DeliveryOutcome, OrderKind } from '../machine/types.js';

export type OrderStatus = 'pending' | 'delivered' | 'cancelled' | 'expired';
export const ORDER_STATUSES = ['pending', 'delivered', 'cancelled', 'expired'] as const satisfies readonly OrderStatus[];

export type OrderPayload =
  | { kind: 'kaartservicecode'; code: string }
  | { kind: 'product'; productCode: string; validFrom: string; validUntil: string }
  | { kind: 'topup'; amountCents: number };

export interface OrderRecord {
  id: string;
  cardNumber: string;
  payload: OrderPayload;
  status: OrderStatus;
  createdAt: string;
  expiresAt: string | null;
  updatedAt: string;
}

export interface OrderInput {
  id: string;
  cardNumber: string;
  payload: OrderPayload;
  /** Defaults to 'pending' for a new order; an existing order keeps its status when omitted. */
  status?: OrderStatus;
  createdAt: string;
  expiresAt: string | null;
}

export type DeliveryState = 'pending' | 'writing' | 'written' | 'reported' | 'abandoned';
export const DELIVERY_STATES = [
  'pending',
  'writing',
  'written',
  'reported',
  'abandoned',
] as const satisfies readonly DeliveryState[];

export interface DeliveryRecord {
  id: string;
  orderId: string;
  cardNumber: string;
  cardUid: string;
  state: DeliveryState;
  outcome: DeliveryOutcome | null;
  failure: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the back office is told about a pickup. Never contains a kaartservicecode. */
export interface PickupReport {
  deliveryId: string;
  orderId: string;
  cardNumber: string;
  deliveredAt: string;
  kind: OrderKind;
}

export interface OutboxItem {
  id: number;
  deliveryId: string;
  report: PickupReport;
  attempts: number;
  createdAt: string;
}

/** Structural: pino, console-like adapters or a test spy all fit. */
export interface StoreLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
}

// ---------------------------------------------------------------- schemas

const isoDate = z.iso.date();
/** Any ISO 8601 date-time with Z or an offset; the store keeps it normalised to UTC `...Z`. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

export const orderPayloadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('kaartservicecode'), code: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('product'),
    productCode: z.string().min(1),
    validFrom: isoDate,
    validUntil: isoDate,
  }),
  z.strictObject({ kind: z.literal('topup'), amountCents: z.number().int().positive() }),
]) satisfies z.ZodType<OrderPayload>;

export const deliveryOutcomeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('kaartservicecode'), code: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('product'),
    product: z.strictObject({ productCode: z.string().min(1), validFrom: isoDate, validUntil: isoDate }),
  }),
  z.strictObject({
    kind: z.literal('topup'),
    amountCents: z.number().int().positive(),
    balanceCents: z.number().int(),
  }),
]) satisfies z.ZodType<DeliveryOutcome>;

/** Strict: an extra field (a code, say) makes the report invalid rather than leak. */
export const pickupReportSchema = z.strictObject({
  deliveryId: z.string().min(1),
  orderId: z.string().min(1),
  cardNumber: z.string().min(1),
  deliveredAt: isoDateTimeSchema,
  kind: z.enum(['kaartservicecode', 'product', 'topup']),
}) satisfies z.ZodType<PickupReport>;

// ---------------------------------------------------------------- sync with the back office

/** An order id as the back office issues it and the renderer contract accepts it. */
export const orderIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const cardNumberSchema = z.string().regex(/^\d{16}$/);

/** The back office's state of an order: `delivered` means picked up (here or elsewhere). */
export type RemoteOrderStatus = 'pending' | 'cancelled' | 'expired' | 'delivered';
export const REMOTE_ORDER_STATUSES = ['pending', 'cancelled', 'expired', 'delivered'] as const satisfies readonly RemoteOrderStatus[];

/**
 * One entry of the back office's changes feed: the order's latest state. A pending order
 * carries its payload (a kaartservicecode included); any other state carries none.
 */
export type OrderChange =
  | {
      orderId: string;
      status: 'pending';
      cardNumber: string;
      payload: OrderPayload;
      createdAt: string;
      expiresAt: string | null;
    }
  | {
      orderId: string;
      status: 'cancelled' | 'expired' | 'delivered';
      cardNumber: string;
      payload: null;
      createdAt: string;
      expiresAt: string | null;
    };

export const orderChangeSchema = z.discriminatedUnion('status', [
  z.strictObject({
    orderId: orderIdSchema,
    status: z.literal('pending'),
    cardNumber: cardNumberSchema,
    payload: orderPayloadSchema,
    createdAt: isoDateTimeSchema,
    expiresAt: isoDateTimeSchema.nullable(),
  }),
  z.strictObject({
    orderId: orderIdSchema,
    status: z.enum(['cancelled', 'expired', 'delivered']),
    cardNumber: cardNumberSchema,
    payload: z.null(),
    createdAt: isoDateTimeSchema,
    expiresAt: isoDateTimeSchema.nullable(),
  }),
]) satisfies z.ZodType<OrderChange>;

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
