// The online channel's contract (Mijn NS and the web shop ⇄ the back office, /v1/online/*):
// what it may see of an order (never a kaartservicecode), the fleet and the audit as the
// back office answers them. The back office's routes declare these as their responses, so
// every answer is checked against them and the OpenAPI document (/openapi.json) is made
// from them.
import { z } from 'zod';
import {
  CLAIM_KINDS,
  cardJourneySchema,
  cardNumberSchema,
  isoDateTimeSchema,
  journeyAssessmentSchema,
  orderIdSchema,
  REMOTE_ORDER_STATUSES,
  stationCodeSchema,
} from './kiosk-api.js';

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

// ---------------------------------------------------------------- Mijn NS (issue 14)

export const LINK_LANGUAGES = ['nl', 'en', 'de', 'fr'] as const;

/** Step 1: a kaartservicecode for a card, requested online; the e-mails go in `language`. */
export const codeRequestSchema = z.strictObject({
  cardNumber: cardNumberSchema,
  email: z.email(),
  language: z.enum(LINK_LANGUAGES),
});
export type CodeRequest = z.infer<typeof codeRequestSchema>;

/** The kaartservicecode order (never the code); `repeated`: the same card asked within the repeat window, so this is the first request's. */
export const codeRequestResultSchema = z.strictObject({ order: orderViewSchema, repeated: z.boolean() });
export type CodeRequestResult = z.infer<typeof codeRequestResultSchema>;

export const accountIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const accountParamsSchema = z.strictObject({ accountId: accountIdSchema });

/** Step 4: link a card to an account with the code revealed at the machine (spaces and dashes ignored). */
export const linkRequestSchema = z.strictObject({
  cardNumber: cardNumberSchema,
  code: z.string().min(1).max(40),
});
export type LinkRequest = z.infer<typeof linkRequestSchema>;

export const linkedCardSchema = z.strictObject({ cardNumber: cardNumberSchema, accountId: accountIdSchema, linkedAt: isoDateTimeSchema });
export type LinkedCard = z.infer<typeof linkedCardSchema>;

/**
 * Why a link was refused: `wrongCode` (no code of this card; `attemptsLeft` before it
 * locks), `locked` (too many wrong codes), `used` (the code linked a card already),
 * `notPickedUp` (the code was not yet revealed at a machine), `expired`.
 */
export const LINK_REFUSALS = ['wrongCode', 'locked', 'used', 'notPickedUp', 'expired'] as const;
export const linkRefusalSchema = z.strictObject({ error: z.enum(LINK_REFUSALS), attemptsLeft: z.number().int().min(0).nullable() });
export type LinkRefusal = z.infer<typeof linkRefusalSchema>;

/** One journey of a linked card's travel history, with what it can earn. */
export const historyEntrySchema = z.strictObject({
  cardNumber: cardNumberSchema,
  journey: cardJourneySchema,
  assessment: journeyAssessmentSchema,
});
export const accountJourneysSchema = z.strictObject({
  cards: z.array(linkedCardSchema),
  journeys: z.array(historyEntrySchema),
});
export type AccountJourneys = z.infer<typeof accountJourneysSchema>;

/** A claim made online for a journey of a card linked to the account (the journey as the back office recorded it). */
export const onlineClaimSchema = z.strictObject({
  cardNumber: cardNumberSchema,
  journeyId: isoDateTimeSchema,
  kind: z.enum(CLAIM_KINDS),
  destination: stationCodeSchema.optional(),
});
export type OnlineClaim = z.infer<typeof onlineClaimSchema>;

// ---------------------------------------------------------------- operator: realised times

/**
 * One train service as the operator realised it: planned departure from `from`, planned and
 * actual arrival at `to`. Journeys are matched to it (docs/sync-protocol.md, "Journeys and claims").
 */
export const trainServiceSchema = z.strictObject({
  serviceId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  line: z.enum(['standard', 'highSpeed']),
  from: stationCodeSchema,
  to: stationCodeSchema,
  scheduledDeparture: isoDateTimeSchema,
  scheduledArrival: isoDateTimeSchema,
  actualArrival: isoDateTimeSchema,
  announcedInAdvance: z.boolean().default(false),
  forceMajeure: z.boolean().default(false),
  otherCarrier: z.boolean().default(false),
});
export type TrainService = z.infer<typeof trainServiceSchema>;
export const delaysImportSchema = z.strictObject({ services: z.array(trainServiceSchema).min(1).max(10_000) });
export type DelaysImport = z.input<typeof delaysImportSchema>;
export const delaysImportResultSchema = z.strictObject({ stored: z.number().int().min(0), decided: z.number().int().min(0) });
