// The kiosk ⇄ back-office wire contract (docs/sync-protocol.md): every path, request and
// response of /v1/kiosk/*, as zod schemas. The back office validates what it receives and
// types what it answers with these; the kiosk's sync client validates every answer with
// the same ones. One contract, imported by both sides.
import { z } from 'zod';
import { SERVICE_REASONS, isStationCode, type CardJourney, type NoCompensationReason, type OrderKind, type OrderPayload } from '../domain/index.js';

// ---------------------------------------------------------------- values

const isoDate = z.iso.date();
/** Any ISO 8601 date-time with Z or an offset. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });
/** An order id as the back office issues it and the renderer contract accepts it. */
export const orderIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const cardNumberSchema = z.string().regex(/^\d{16}$/);
/** The feed position: the back office's change sequence, as a decimal string. */
export const cursorSchema = z.string().regex(/^\d{1,15}$/);

// ---------------------------------------------------------------- sealed kaartservicecodes

/**
 * A kaartservicecode sealed to its card (docs/card-layout.md, "Seal key"): AES-128-GCM under
 * the card's seal key (HKDF-SHA256 of the back office's seal master, info sealKeyInfo),
 * the associated data sealedCodeAad; `ksc1.` then base64url of nonce (12 bytes),
 * ciphertext and tag (16 bytes). Only a kiosk holding the card (which reads the key from
 * the card's identity record) can open it; the feed, the kiosk's database and its logs
 * carry only this.
 */
export const SEALED_CODE_PREFIX = 'ksc1.';
export const SEAL_CIPHER = 'aes-128-gcm';
export const SEAL_KEY_BYTES = 16;
export const SEAL_NONCE_BYTES = 12;
export const SEAL_TAG_BYTES = 16;
/** A sealed code as it travels and is kept (a code of up to 64 characters). */
export const sealedCodeSchema = z.string().regex(/^ksc1\.[A-Za-z0-9_-]{38,128}$/);

/** The associated data of a sealed code: it opens only as this order's, for this card. */
export function sealedCodeAad(orderId: string, cardNumber: string): string {
  return JSON.stringify(['station-kaartservicecode-v1', orderId, cardNumber]);
}

/** HKDF's info for a card's seal key: the card number, in a context of its own. */
export function sealKeyInfo(cardNumber: string): string {
  return `station-kiosk card seal key v1:${cardNumber}`;
}

export const orderPayloadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('kaartservicecode'), sealed: sealedCodeSchema }),
  z.strictObject({
    kind: z.literal('product'),
    productCode: z.string().min(1),
    validFrom: isoDate,
    validUntil: isoDate,
  }),
  z.strictObject({ kind: z.literal('topup'), amountCents: z.number().int().positive() }),
]) satisfies z.ZodType<OrderPayload>;

// ---------------------------------------------------------------- GET /v1/kiosk/changes

/** The back office's state of an order: `delivered` means picked up (here or elsewhere). */
export type RemoteOrderStatus = 'pending' | 'cancelled' | 'expired' | 'delivered';
export const REMOTE_ORDER_STATUSES = ['pending', 'cancelled', 'expired', 'delivered'] as const satisfies readonly RemoteOrderStatus[];

/**
 * One entry of the back office's changes feed: the order's latest state. A pending order
 * carries its payload (a kaartservicecode included); any other state carries none.
 * `serial` is the order's number on its card (1, 2, 3, ... per card number: what the
 * card's ledger records); `version` grows with every change of the order (the back
 * office's change sequence), so a kiosk never lets an older change override a newer one.
 * `change` is a random id of this change: the kiosk names the change at its cursor by it
 * (the anchor), so that a restored or replaced database cannot pass for the one it
 * followed. `voidSerials`, on a card's first order after a gap in its serials (the back
 * office could not vouch for its counters: a restore), are the serials skipped: no order
 * of this back office has them, so the card's ledger may count them as closed.
 */
export type OrderChange =
  | {
      orderId: string;
      status: 'pending';
      cardNumber: string;
      serial: number;
      version: number;
      change: string;
      voidSerials: readonly [number, number] | null;
      payload: OrderPayload;
      /** The back office's Ed25519 signature of orderSignedText(this), base64url. */
      signature: string;
      createdAt: string;
      expiresAt: string | null;
    }
  | {
      orderId: string;
      status: 'cancelled' | 'expired' | 'delivered';
      cardNumber: string;
      serial: number;
      version: number;
      change: string;
      voidSerials: readonly [number, number] | null;
      payload: null;
      /** The back office's signature of this change too: a cancel cannot be forged, nor an offer played again after it. */
      signature: string;
      createdAt: string;
      expiresAt: string | null;
    };

/** An order's serial on its card: 1 ... 2^32 - 1 (the card's ledger keeps a uint32). */
export const orderSerialSchema = z.number().int().min(1).max(0xffffffff);
const orderVersionSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** An Ed25519 signature (64 bytes) in base64url. */
export const orderSignatureSchema = z.string().regex(/^[A-Za-z0-9_-]{86}$/);

/** What the back office signs of every change of an order, and the kiosk checks. */
export interface SignedOrderFields {
  readonly orderId: string;
  readonly cardNumber: string;
  readonly serial: number;
  /** The serials of the card this order says are void (after a restore), or null. */
  readonly voidSerials: readonly [number, number] | null;
  /** The change's version and the state it puts the order in. */
  readonly version: number;
  readonly status: RemoteOrderStatus;
  /** What an offer puts on the card; null for a change that closes the order. */
  readonly payload: OrderPayload | null;
}

/**
 * The text of a change that the back office signs (Ed25519) and every kiosk verifies against
 * the back office's pinned key before it stores, offers or writes the order: who it is for,
 * its place on the card's ledger, the serials it declares void (after a restore: the card's
 * mark moves over them), the change's version and status, and what an offer puts on the
 * card. A proxy can neither forge a change nor play an old offer again over a newer change:
 * the version is signed, and a kiosk never takes a change older than one it has. (Not the
 * deadline: it moves while a delivery is in flight, and an order past it is closed by a
 * signed change of its own; a proxy that holds that change back is stopped only by TLS.)
 */
export function orderSignedText(order: SignedOrderFields): string {
  const p = order.payload;
  const payload =
    p === null
      ? []
      : p.kind === 'kaartservicecode'
        ? ['kaartservicecode-sealed', p.sealed]
        : p.kind === 'product'
          ? ['product', p.productCode, p.validFrom, p.validUntil]
          : ['topup', String(p.amountCents)];
  const voids = order.voidSerials === null ? '' : `${order.voidSerials[0]}-${order.voidSerials[1]}`;
  // A JSON array of strings: no field can run into the next.
  return JSON.stringify([
    'station-order-v2',
    order.orderId,
    order.cardNumber,
    String(order.serial),
    voids,
    String(order.version),
    order.status,
    ...payload,
  ]);
}

/** A change's random id (the feed's anchor). */
export const changeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/** Serials skipped after a gap, inclusive: from ≤ to. */
export const voidSerialsSchema = z
  .tuple([orderSerialSchema, orderSerialSchema])
  .refine(([from, to]) => from <= to, 'void serials: from after to')
  .readonly();

export const orderChangeSchema = z.discriminatedUnion('status', [
  z.strictObject({
    orderId: orderIdSchema,
    status: z.literal('pending'),
    cardNumber: cardNumberSchema,
    serial: orderSerialSchema,
    version: orderVersionSchema,
    change: changeIdSchema,
    voidSerials: voidSerialsSchema.nullable(),
    payload: orderPayloadSchema,
    signature: orderSignatureSchema,
    createdAt: isoDateTimeSchema,
    expiresAt: isoDateTimeSchema.nullable(),
  }),
  z.strictObject({
    orderId: orderIdSchema,
    status: z.enum(['cancelled', 'expired', 'delivered']),
    cardNumber: cardNumberSchema,
    serial: orderSerialSchema,
    version: orderVersionSchema,
    change: changeIdSchema,
    voidSerials: voidSerialsSchema.nullable(),
    payload: z.null(),
    signature: orderSignatureSchema,
    createdAt: isoDateTimeSchema,
    expiresAt: isoDateTimeSchema.nullable(),
  }),
]) satisfies z.ZodType<OrderChange>;

/**
 * The back office database's identity: random, made when the database is created. A kiosk
 * that sees another epoch than the one stored with its cursor resyncs from cursor 0.
 */
export const epochSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const changesQuerySchema = z.strictObject({
  cursor: cursorSchema.default('0'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** The id of the change at the kiosk's cursor: lets it notice a feed that went back in time or was replaced. */
  anchor: changeIdSchema.optional(),
  /**
   * A kiosk that holds no order (a new one, syncing from 0) does not need orders that were
   * closed (cancelled, expired, picked up) before its sync began: their changes at or below
   * this sequence number may be left out, except the change at the page's cursor (the
   * anchor) and any that declares void serials. Ignoring it is always correct.
   */
  closedUpTo: cursorSchema.optional(),
});

/**
 * A change that came through the kiosk API's schema: the store takes it without validating
 * it a second time (`store.sync.applyCheckedChanges`). Only a zod parse makes one.
 */
export const checkedOrderChangeSchema = orderChangeSchema.brand<'CheckedOrderChange'>();
export type CheckedOrderChange = z.infer<typeof checkedOrderChangeSchema>;

export const changesPageSchema = z.strictObject({
  changes: z.array(checkedOrderChangeSchema),
  cursor: cursorSchema,
  more: z.boolean(),
  /** The feed's head when the page was read: `cursor` is never beyond it. */
  head: cursorSchema,
  epoch: epochSchema,
  /** With `anchor` in the query: that change's sequence number, null if the back office never had it. */
  anchorSeq: cursorSchema.nullable().optional(),
});
export type ChangesPage = z.infer<typeof changesPageSchema>;

// ---------------------------------------------------------------- GET /v1/kiosk/events

/** Each `changes` event of the live stream (the head notice): the feed's head (`cursor`) and the database's epoch. */
export const liveEventSchema = z.strictObject({ cursor: cursorSchema, epoch: epochSchema });
export type LiveEvent = z.infer<typeof liveEventSchema>;

/**
 * Each `page` event of the live stream: the changes themselves, pushed. It is the feed's page
 * after `from` (each order's latest change in (from, cursor]), so a kiosk at a cursor between
 * `from` and `cursor` applies the changes after its cursor; one before `from` pulls.
 */
export const livePageSchema = changesPageSchema.extend({ from: cursorSchema });
export type LivePage = z.infer<typeof livePageSchema>;

// ---------------------------------------------------------------- PUT /v1/kiosk/pickups/:deliveryId

/** What the back office is told about a pickup. Never contains a kaartservicecode. */
export interface PickupReport {
  deliveryId: string;
  orderId: string;
  cardNumber: string;
  deliveredAt: string;
  kind: OrderKind;
}

/** Strict: an extra field (a code, say) makes the report invalid rather than leak. */
export const pickupReportSchema = z.strictObject({
  deliveryId: z.string().min(1).max(100),
  orderId: z.string().min(1).max(64),
  cardNumber: z.string().min(1).max(32),
  deliveredAt: isoDateTimeSchema,
  kind: z.enum(['kaartservicecode', 'product', 'topup']),
}) satisfies z.ZodType<PickupReport>;

export const deliveryParamsSchema = z.strictObject({ deliveryId: z.string().min(1).max(100) });

export const pickupAckSchema = z.strictObject({
  deliveryId: z.string().min(1),
  status: z.enum(['recorded', 'duplicate']),
  conflict: z.string().nullable(),
});
export type PickupAck = z.infer<typeof pickupAckSchema>;

// ---------------------------------------------------------------- GET /v1/kiosk/technicians

export const pinHashParamsSchema = z
  .object({
    N: z.number().int().min(1024).max(2 ** 20),
    r: z.number().int().min(1).max(16),
    p: z.number().int().min(1).max(4),
    keylen: z.number().int().min(16).max(64),
  })
  .strict();

/** A technician's PIN as scrypt, hex salt and hash: served by the back office, cached by the kiosk. */
export const technicianCredentialSchema = z
  .object({
    technicianId: z.string().min(1).max(64),
    /** The technician card that opens maintenance with this PIN (null: service key only). */
    cardNumber: cardNumberSchema.nullable(),
    salt: z.string().regex(/^[0-9a-f]{16,128}$/),
    hash: z.string().regex(/^[0-9a-f]{32,256}$/),
    params: pinHashParamsSchema,
  })
  .strict();
export type TechnicianCredential = z.infer<typeof technicianCredentialSchema>;
export const techniciansSchema = z.array(technicianCredentialSchema);

// ---------------------------------------------------------------- POST /v1/kiosk/pin-attempts

/**
 * A PIN being tried for a technician at a kiosk (`trying`, before the kiosk checks it), or
 * found right (`ok`): the back office counts the attempts across the fleet, so that guesses
 * spread over many kiosks lock the technician everywhere (docs/architecture.md, "Trust").
 */
export const pinAttemptSchema = z.strictObject({
  technicianId: z.string().min(1).max(64),
  outcome: z.enum(['trying', 'ok']),
});
export type PinAttempt = z.infer<typeof pinAttemptSchema>;

/** The fleet's lock of that technician: locked until `lockedUntil` (null: not locked), and how many attempts are left before it locks. */
export const fleetPinLockSchema = z.strictObject({
  lockedUntil: isoDateTimeSchema.nullable(),
  attemptsLeft: z.number().int().min(0),
});
export type FleetPinLock = z.infer<typeof fleetPinLockSchema>;

// ---------------------------------------------------------------- POST /v1/kiosk/audit

/** A kiosk's maintenance audit entries (who, what, when), at most 100 per request. */
export const auditBatchSchema = z.strictObject({
  entries: z
    .array(
      z.strictObject({
        id: z.number().int().positive(),
        at: z.string().datetime(),
        actor: z.string().min(1).max(80),
        action: z.string().min(1).max(80),
        detail: z.string().max(500).nullable(),
      }),
    )
    .max(100),
});
export type AuditBatch = z.infer<typeof auditBatchSchema>;

export const auditAckSchema = z.strictObject({ accepted: z.array(z.number().int()) });
export type AuditAck = z.infer<typeof auditAckSchema>;

// ---------------------------------------------------------------- POST /v1/kiosk/heartbeat

export const heartbeatSchema = z.strictObject({
  cursor: z.string().nullable(),
  /** The back office epoch the kiosk's cursor belongs to. */
  epoch: epochSchema.nullable().optional(),
  outboxDepth: z.number().int().min(0),
  online: z.boolean(),
  version: z.string().max(40).optional(),
  /** The kiosk's own condition (its GET /health `overall`), shown in the operator console. */
  health: z.enum(['green', 'amber', 'red']).optional(),
  /** The reason travellers see while the kiosk is out of service; null in service. */
  outOfService: z.enum(SERVICE_REASONS).nullable().optional(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

// ---------------------------------------------------------------- POST /v1/kiosk/journeys

export const stationCodeSchema = z.string().min(1).max(40).refine(isStationCode, 'unknown station');
const gateTapSchema = z.strictObject({ station: stationCodeSchema, at: isoDateTimeSchema });
export const cardJourneySchema = z.strictObject({
  checkIn: gateTapSchema,
  checkOut: gateTapSchema.nullable(),
  chargedCents: z.number().int().min(0).max(100_000),
}) satisfies z.ZodType<CardJourney>;

/** A card's travel log as the kiosk read it, newest first: the back office records it (the travel history) and assesses each journey. */
export const journeysRequestSchema = z.strictObject({
  cardNumber: cardNumberSchema,
  journeys: z.array(cardJourneySchema).max(32),
});
export type JourneysRequest = z.infer<typeof journeysRequestSchema>;

export const CLAIM_KINDS = ['delay', 'forgottenCheckOut'] as const;
export const NO_COMPENSATION_REASONS = [
  'announcedInAdvance',
  'forceMajeure',
  'otherCarrier',
  'notCheckedInAndOut',
  'tooLate',
  'tooEarly',
  'belowMinimum',
  'tooShort',
] as const satisfies readonly NoCompensationReason[];
/** Why a journey earns nothing: a compensation rule, no delay known for it, or the yearly limit of forgotten check-outs. */
export const journeyRefusalSchema = z.enum([...NO_COMPENSATION_REASONS, 'noDelayKnown', 'yearlyLimit', 'notOurCard']);
export type JourneyRefusal = z.infer<typeof journeyRefusalSchema>;

/**
 * What one journey can earn: `eligible` (claim it now: `kind`, `amountCents`), `waiting` (a
 * claim made, decided after `decisionAfter`), `claimed` (granted: its refund is order
 * `orderId`), `none` (`reason`). `delayMinutes` when the back office knows the service's
 * realised arrival. A forgotten check-out is `eligible` with `amountCents` null: the amount
 * follows the destination the traveller names.
 */
export const journeyAssessmentSchema = z.strictObject({
  journeyId: isoDateTimeSchema,
  status: z.enum(['eligible', 'waiting', 'claimed', 'none']),
  kind: z.enum(CLAIM_KINDS).nullable(),
  delayMinutes: z.number().int().min(0).nullable(),
  amountCents: z.number().int().min(0).nullable(),
  reason: journeyRefusalSchema.nullable(),
  decisionAfter: isoDateTimeSchema.nullable(),
  orderId: orderIdSchema.nullable(),
});
export type JourneyAssessment = z.infer<typeof journeyAssessmentSchema>;
export const journeysResponseSchema = z.strictObject({ journeys: z.array(journeyAssessmentSchema).max(32) });
export type JourneysResponse = z.infer<typeof journeysResponseSchema>;

// ---------------------------------------------------------------- POST /v1/kiosk/claims

/**
 * A claim made at the kiosk for one journey of the card on the reader. Idempotent per card,
 * journey and kind: the same claim again answers what the first got (`alreadyClaimed`), from
 * any kiosk. `destination`: for a forgotten check-out, the station the traveller travelled to.
 */
export const claimRequestSchema = z.strictObject({
  cardNumber: cardNumberSchema,
  journey: cardJourneySchema,
  kind: z.enum(CLAIM_KINDS),
  destination: stationCodeSchema.optional(),
});
export type ClaimRequest = z.infer<typeof claimRequestSchema>;

/** `granted`: the refund is a top-up order `orderId` for the card, picked up at Ophalen bestelling like any other. */
export const claimResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('granted'), orderId: orderIdSchema, amountCents: z.number().int().positive() }),
  z.strictObject({ status: z.literal('waiting'), decisionAfter: isoDateTimeSchema }),
  z.strictObject({ status: z.literal('refused'), reason: journeyRefusalSchema }),
  z.strictObject({ status: z.literal('alreadyClaimed'), orderId: orderIdSchema.nullable(), decisionAfter: isoDateTimeSchema.nullable() }),
]);
export type ClaimResult = z.infer<typeof claimResultSchema>;

// ---------------------------------------------------------------- paths

/** Every path of the kiosk API, relative to the back office's base URL. */
export const KIOSK_API = {
  changes: '/v1/kiosk/changes',
  events: '/v1/kiosk/events',
  pickup: (deliveryId: string) => `/v1/kiosk/pickups/${encodeURIComponent(deliveryId)}`,
  technicians: '/v1/kiosk/technicians',
  audit: '/v1/kiosk/audit',
  heartbeat: '/v1/kiosk/heartbeat',
  pinAttempts: '/v1/kiosk/pin-attempts',
  journeys: '/v1/kiosk/journeys',
  claims: '/v1/kiosk/claims',
} as const;
