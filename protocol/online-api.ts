// The online channel's contract (Mijn NS and the web shop ⇄ the back office, /v1/online/*):
// what it may see of an order (never a kaartservicecode), the fleet and the audit as the
// back office answers them. The back office's routes declare these as their responses, so
// every answer is checked against them and the OpenAPI document (/openapi.json) is made
// from them.
import { z } from 'zod';
import { cardNumberSchema, isoDateTimeSchema, orderIdSchema, REMOTE_ORDER_STATUSES } from './kiosk-api.js';

export const orderViewSchema = z.strictObject({
  id: orderIdSchema,
  kind: z.enum(['kaartservicecode', 'product', 'topup']),
  status: z.enum(REMOTE_ORDER_STATUSES),
  cardNumber: cardNumberSchema,
  createdAt: isoDateTimeSchema,
  expiresAt: isoDateTimeSchema.nullable(),
  pickedUpAt: isoDateTimeSchema.nullable(),
  pickedUpBy: z.string().nullable(),
  conflict: z.string().nullable(),
});
export type OrderViewBody = z.infer<typeof orderViewSchema>;

export const kioskViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  lastSeenAt: isoDateTimeSchema.nullable(),
  /** The kiosk's last heartbeat as it sent it (`heartbeatSchema`), or null. */
  heartbeat: z.unknown(),
});

export const auditEntryViewSchema = z.strictObject({
  seq: z.number().int(),
  kioskId: z.string(),
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  actorKnown: z.boolean(),
  action: z.string(),
  detail: z.string().nullable(),
});

export const errorBodySchema = z.strictObject({ error: z.string() });
