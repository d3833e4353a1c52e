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
  journeyRefusalSchema,
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
  /** Its claim is paid to the bank: `waiting` (claim not decided yet), `pending` / `paid` (the payout); null: no claim, or onto the card. */
  bankPayout: z.strictObject({ payoutId: z.string().nullable(), status: z.enum(['waiting', 'pending', 'paid']), ibanLast4: z.string().length(4).nullable() }).nullable(),
});
export type HistoryBankPayout = z.infer<typeof historyEntrySchema>['bankPayout'];
export const accountJourneysSchema = z.strictObject({
  cards: z.array(linkedCardSchema),
  journeys: z.array(historyEntrySchema),
});
export type AccountJourneys = z.infer<typeof accountJourneysSchema>;

/** A claim made online for a journey of a card linked to the account (the journey as the back office recorded it). */
export const PAYOUTS = ['card', 'bank'] as const;
export type PayoutTo = (typeof PAYOUTS)[number];

/**
 * A claim made online for a journey of a card linked to the account (the journey as the back
 * office recorded it). `payout`: `card` (default) — a top-up order picked up at a machine;
 * `bank` — paid to the account's bank account (`PUT …/bank-account` first).
 */
export const onlineClaimSchema = z.strictObject({
  cardNumber: cardNumberSchema,
  journeyId: isoDateTimeSchema,
  kind: z.enum(CLAIM_KINDS),
  destination: stationCodeSchema.optional(),
  payout: z.enum(PAYOUTS).default('card'),
});
export type OnlineClaim = z.infer<typeof onlineClaimSchema>;

export const payoutIdSchema = z.string().regex(/^po_[A-Za-z0-9_-]{1,64}$/);
/** An IBAN as shown to the traveller and in logs: its last 4 characters only ("•••• 4300"). */
export const maskedIbanSchema = z.string().regex(/^•••• [A-Z0-9]{4}$/);

/** The account's bank account (a refund paid to the bank goes there), as typed: validated (checksum, country format) by the back office. */
export const bankAccountRequestSchema = z.strictObject({
  iban: z.string().min(15).max(42),
  holder: z.string().trim().min(1).max(70),
});
export type BankAccountRequest = z.infer<typeof bankAccountRequestSchema>;
/** The bank account as the back office answers it: the IBAN masked. */
export const bankAccountViewSchema = z.strictObject({
  accountId: accountIdSchema,
  iban: maskedIbanSchema,
  holder: z.string(),
  updatedAt: isoDateTimeSchema,
});
export type BankAccountView = z.infer<typeof bankAccountViewSchema>;

/**
 * What an online claim answers: the kiosk's answers (`claimResultSchema`) and
 * `grantedToBank` (a payout instruction, no top-up order); `alreadyClaimed` names the
 * first claim's order or payout.
 */
export const onlineClaimResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('granted'), orderId: orderIdSchema, amountCents: z.number().int().positive() }),
  z.strictObject({ status: z.literal('grantedToBank'), payoutId: payoutIdSchema, amountCents: z.number().int().positive(), iban: maskedIbanSchema }),
  z.strictObject({ status: z.literal('waiting'), decisionAfter: isoDateTimeSchema }),
  z.strictObject({ status: z.literal('refused'), reason: journeyRefusalSchema }),
  z.strictObject({ status: z.literal('alreadyClaimed'), orderId: orderIdSchema.nullable(), payoutId: payoutIdSchema.nullable(), decisionAfter: isoDateTimeSchema.nullable() }),
]);
export type OnlineClaimResult = z.infer<typeof onlineClaimResultSchema>;

export const PAYOUT_STATUSES = ['pending', 'paid'] as const;
/**
 * A payout instruction for the operator's finance system: one per granted bank claim. The
 * IBAN and holder in full while it is pending (finance must pay it); null once it is paid
 * (cleared from the store), `ibanLast4` kept.
 */
export const payoutViewSchema = z.strictObject({
  id: payoutIdSchema,
  accountId: accountIdSchema,
  cardNumber: cardNumberSchema,
  journeyId: isoDateTimeSchema,
  kind: z.enum(CLAIM_KINDS),
  amountCents: z.number().int().positive(),
  iban: z.string().nullable(),
  holder: z.string().nullable(),
  ibanLast4: z.string().length(4),
  status: z.enum(PAYOUT_STATUSES),
  createdAt: isoDateTimeSchema,
  paidAt: isoDateTimeSchema.nullable(),
});
export type PayoutView = z.infer<typeof payoutViewSchema>;
export const MAX_PAYOUT_PAGE = 500;
export const payoutsQuerySchema = z.strictObject({
  status: z.enum(PAYOUT_STATUSES).default('pending'),
  /** The page after this cursor (`next` of the page before). */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAYOUT_PAGE).default(100),
});
export type PayoutsQuery = z.infer<typeof payoutsQuerySchema>;
export const payoutsPageSchema = z.strictObject({ payouts: z.array(payoutViewSchema), next: z.number().int().nullable() });
export type PayoutsPage = z.infer<typeof payoutsPageSchema>;
export const payoutParamsSchema = z.strictObject({ id: payoutIdSchema });
/** POST /payouts/:id/paid: the payout, and whether it was paid already (a second call changes nothing). */
export const payoutPaidSchema = z.strictObject({ payout: payoutViewSchema, alreadyPaid: z.boolean() });
export type PayoutPaid = z.infer<typeof payoutPaidSchema>;

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
