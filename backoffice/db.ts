// The back office's own SQLite database: orders with a change sequence (the kiosks'
// changes feed), idempotent pickup reports, kiosks with hashed tokens, technician PIN
// hashes and the e-mail outbox. One writer; every state change bumps `seq` so the feed
// is "orders WHERE seq > cursor ORDER BY seq".
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomInt, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { openDatabase, type SqliteLogger } from '../sqlite/open.js';
import { journeyId, type CardJourney, type ClaimKind, type Language, type OrderPayload } from '../domain/index.js';
import {
  orderSignedText,
  type ClaimRequest,
  type FleetPinLock,
  type JourneyAssessment,
  type JourneyRefusal,
  type OrderChange,
  type PickupReport,
  type PinAttempt,
  type RemoteOrderStatus,
  type TechnicianCredential,
} from '../protocol/kiosk-api.js';
import type { AccountJourneys, BankAccountView, CodeRequest, CodeRequestResult, HistoryBankPayout, LinkedCard, LinkRefusal, OnlineClaimResult, PayoutPaid, PayoutsPage, PayoutsQuery, PayoutView, TrainService } from '../protocol/online-api.js';
import {
  alreadyClaimed,
  assess,
  claimKindOf,
  claimYear,
  CODE_REPEAT_MS,
  CODE_VALID_AFTER_PICKUP_MS,
  codeCheckKey,
  codeHash,
  decideDelay,
  decideForgotten,
  departureWindow,
  journeyKey,
  LINK_MAX_FAILURES,
  maskIban,
  matchService,
  sameCodeHash,
  type ClaimRecord,
  type Decision,
} from './claims.js';
import { NO_PIN_LOCK, nextPinLock } from './pin-lock.js';
import { BACKOFFICE_MIGRATIONS } from './migrations.js';
import type { PinHash } from './pins.js';
import { cardSealKey, loadSealMaster, sealCode } from './seal.js';

export { BACKOFFICE_MIGRATIONS };

export interface AuditEntryIn {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: string | null;
}

export type OrderRequest =
  | { kind: 'kaartservicecode'; cardNumber: string; email: string }
  | { kind: 'product'; cardNumber: string; email: string; productCode: string; validFrom: string; validUntil: string }
  | { kind: 'topup'; cardNumber: string; email: string; amountCents: number };

/** What the online side may see of an order: never the kaartservicecode. */
export interface OrderView {
  id: string;
  kind: OrderPayload['kind'];
  status: RemoteOrderStatus;
  cardNumber: string;
  createdAt: string;
  expiresAt: string | null;
  pickedUpAt: string | null;
  pickedUpBy: string | null;
  conflict: string | null;
}

export interface PickupResult {
  /**
   * 'recorded' the first time a delivery id is seen; 'duplicate' on every repeat, and for a
   * report of an order already picked up with the same card (the card holds it once).
   */
  status: 'recorded' | 'duplicate';
  conflict: string | null;
}

export interface EmailRow {
  id: number;
  orderId: string;
  to: string;
  template: 'ready' | 'picked-up' | 'cancelled' | 'code-requested' | 'code-ready';
  attempts: number;
  /** The traveller's language (a code requested online); null: the older English texts. */
  language: Language | null;
  /** The order's card (the e-mail shows its last four digits). */
  cardNumber: string;
}

/** A claim's outcome, and the journey it was for as the back office recorded it (the first report wins). */
export type ClaimOutcome = { result: OnlineClaimResult; notify: boolean };

/** A bank_accounts row as both engines keep it. */
export interface BankAccountRow {
  account_id: string;
  iban: string;
  holder: string;
  updated_at: string;
}
export const bankAccountOfRow = (row: BankAccountRow): BankAccountView => ({ accountId: row.account_id, iban: maskIban(row.iban), holder: row.holder, updatedAt: row.updated_at });

/** A payouts row as both engines keep it. */
export interface PayoutRow {
  seq: number;
  id: string;
  account_id: string;
  card_number: string;
  journey_id: string;
  kind: ClaimKind;
  amount_cents: number;
  iban: string | null;
  holder: string | null;
  iban_last4: string;
  status: 'pending' | 'paid';
  created_at: string;
  paid_at: string | null;
}
export const payoutOfRow = (row: PayoutRow): PayoutView => ({
  id: row.id,
  accountId: row.account_id,
  cardNumber: row.card_number,
  journeyId: row.journey_id,
  kind: row.kind,
  amountCents: row.amount_cents,
  iban: row.iban,
  holder: row.holder,
  ibanLast4: row.iban_last4,
  status: row.status,
  createdAt: row.created_at,
  paidAt: row.paid_at,
});
/** A new payout instruction's id. */
export const newPayoutId = (): string => `po_${randomBytes(12).toString('base64url')}`;
/** A page of `rows` fetched with one more than `limit`: the page, and the next page's cursor. */
export function payoutsPage(rows: readonly PayoutRow[], limit: number): PayoutsPage {
  const page = rows.slice(0, limit);
  return { payouts: page.map(payoutOfRow), next: rows.length > limit ? (page.at(-1)?.seq ?? null) : null };
}
/** What the travel history says of a claim paid to the bank (null: onto the card, or no claim). */
export function bankPayoutOf(claim: ClaimRow | undefined, payout: PayoutRow | undefined, account: BankAccountRow | undefined): HistoryBankPayout {
  if (!claim || (claim.payout_account ?? null) === null) return null;
  if (payout) return { payoutId: payout.id, status: payout.status, ibanLast4: payout.iban_last4 };
  if (claim.status === 'waiting') return { payoutId: null, status: 'waiting', ibanLast4: account ? account.iban.slice(-4) : null };
  return null;
}

/** A journeys row as both engines keep it. */
export interface JourneyRow {
  card_number: string;
  journey_id: string;
  check_in_station: string;
  check_in_at: string;
  check_out_station: string | null;
  check_out_at: string | null;
  charged_cents: number;
}
export const journeyOfRow = (row: JourneyRow): CardJourney => ({
  checkIn: { station: row.check_in_station, at: row.check_in_at },
  checkOut: row.check_out_station === null || row.check_out_at === null ? null : { station: row.check_out_station, at: row.check_out_at },
  chargedCents: row.charged_cents,
});

/** A train_services row as both engines keep it. */
export interface ServiceRow {
  service_id: string;
  line: 'standard' | 'highSpeed';
  from_station: string;
  to_station: string;
  scheduled_departure: string;
  scheduled_arrival: string;
  actual_arrival: string;
  announced_in_advance: number | boolean;
  force_majeure: number | boolean;
  other_carrier: number | boolean;
}
export const serviceOfRow = (row: ServiceRow): TrainService => ({
  serviceId: row.service_id,
  line: row.line,
  from: row.from_station,
  to: row.to_station,
  scheduledDeparture: row.scheduled_departure,
  scheduledArrival: row.scheduled_arrival,
  actualArrival: row.actual_arrival,
  announcedInAdvance: Boolean(row.announced_in_advance),
  forceMajeure: Boolean(row.force_majeure),
  otherCarrier: Boolean(row.other_carrier),
});

/** A claims row as both engines keep it. */
export interface ClaimRow {
  card_number: string;
  journey_id: string;
  kind: ClaimKind;
  status: 'waiting' | 'granted' | 'refused';
  claimed_at: string;
  destination: string | null;
  decision_after: string | null;
  amount_cents: number | null;
  reason: string | null;
  order_id: string | null;
  payout_account?: string | null;
  payout_id?: string | null;
}
export const claimOfRow = (row: ClaimRow): ClaimRecord => ({
  kind: row.kind,
  status: row.status,
  decisionAfter: row.decision_after,
  amountCents: row.amount_cents,
  reason: row.reason as JourneyRefusal | null,
  orderId: row.order_id,
  payoutId: row.payout_id ?? null,
});

export interface KioskRow {
  id: string;
  name: string;
  lastSeenAt: string | null;
  heartbeat: unknown;
}

/** The conflict of a pickup reported with another card number than the order's. */
export const PICKUP_QUARANTINED = 'quarantined: reported with another card number than the order';
/** The conflict of a pickup of an order the back office does not know. */
export const PICKUP_UNKNOWN_ORDER = 'quarantined: an order the back office does not know';

export class BackOfficeConflict extends Error {
  override name = 'BackOfficeConflict';
}
export class BackOfficeNotFound extends Error {
  override name = 'BackOfficeNotFound';
}

/** An order as both engines keep it (backoffice/pg-store.ts maps its rows to this). */
export interface OrderRow {
  id: string;
  card_number: string;
  email: string;
  kind: OrderPayload['kind'];
  payload: string;
  status: RemoteOrderStatus;
  created_at: string;
  expires_at: string | null;
  updated_at: string;
  seq: number;
  picked_up_at: string | null;
  picked_up_by: string | null;
  delivery_id: string | null;
  conflict: string | null;
  /** The order's number on its card (migration 3). */
  serial: number;
  /** On a card's first order after a gap: the serials skipped, inclusive (migration 5). */
  void_from: number | null;
  void_to: number | null;
  /** The back office's signature of the order as offered (migration 6). */
  signature: string | null;
}

/**
 * The back office's order signing key (Ed25519): read from `path`, or made there (mode 0600)
 * the first time; an in-memory database gets a throwaway one. Kiosks pin its public key.
 */
export function loadOrderKey(path: string | null): KeyObject {
  if (path === null) return generateKeyPairSync('ed25519').privateKey;
  let pem: string | null = null;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`back office: cannot read its order signing key ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (pem !== null) {
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType ?? 'non-asymmetric'} key, not Ed25519`);
      return key;
    } catch (error) {
      throw new Error(`back office: ${path} is not an Ed25519 private key (PEM): ${(error as Error).message}`, { cause: error });
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return privateKey;
}

/** A public key as kiosks pin it (station.json backOffice.orderKey): SPKI DER in base64. */
export function exportOrderKey(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
}

/**
 * How many serials a card's counter skips when a new serial generation opens (a restore, a
 * replaced database): the most orders of one card that may have been handed out and lost.
 * Below the card ledger's window (352), so that the next order still fits beside the
 * card's older open ones (docs/card-layout.md, "Serials after a restore").
 */
export const SERIAL_GAP = 256;

/** Why the back office could not vouch for its serial counters (it opened a new generation). */
export type SerialGenerationReason = 'restored' | 'replaced' | 'unknown-anchor';

/** The head and epoch last written by this back office, kept beside the database file. */
export interface Watermark {
  epoch: string;
  head: number;
  /** The serial generation then: a restore must go beyond it, not repeat it. */
  generation: number;
}

/** Writes a watermark (mode 0600, replaced atomically). */
export function writeWatermarkFile(path: string, mark: Watermark): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(mark), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** The watermark at `path`, or null when there is none (or it cannot be read). */
export function readWatermarkFile(path: string): Watermark | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { epoch: e, head: h, generation: g } = parsed as Record<string, unknown>;
    return typeof e === 'string' && typeof h === 'number' ? { epoch: e, head: h, generation: typeof g === 'number' ? g : 0 } : null;
  } catch {
    return null;
  }
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
export const newToken = (): string => randomBytes(32).toString('base64url');
export const newOrderId = (): string => `o_${randomBytes(12).toString('base64url')}`;
export function newKaartservicecode(): string {
  const group = () => String(randomInt(0, 10_000)).padStart(4, '0');
  return `${group()}-${group()}-${group()}`;
}

export interface BackOfficeDbOptions {
  now: () => Date;
  /** How long an order waits at the machines before it expires. */
  pickupWindowMs: number;
  logger?: SqliteLogger;
  /** Told when a new serial generation opens (the operator must know of a restore). */
  /** Where the order signing key is kept; default beside the database (`<file>.order-key`). */
  orderKeyFile?: string;
  /**
   * Where the seal master is kept (the kaartservicecodes are sealed to their cards with keys
   * diversified from it, backoffice/seal.ts); default beside the database (`<file>.seal-key`).
   */
  sealKeyFile?: string;
  /** A fixed seal master instead of the file (the demo's, demo/seal.ts). */
  sealMaster?: Uint8Array;
  onSerialGeneration?: (event: { reason: SerialGenerationReason; generation: number; detail: Record<string, unknown> }) => void;
}

const silentLogger: SqliteLogger = { warn() {}, error() {}, info() {} };

/** An outbox row as both engines read it. */
export interface EmailSqlRow {
  id: number;
  order_id: string;
  to_address: string;
  template: EmailRow['template'];
  attempts: number;
  language: Language | null;
  card_number: string;
}
export const emailRowOf = (e: EmailSqlRow): EmailRow => ({
  id: e.id,
  orderId: e.order_id,
  to: e.to_address,
  template: e.template,
  attempts: e.attempts,
  language: e.language,
  cardNumber: e.card_number,
});

/** A request the back office refuses as malformed beyond what its schema says (400). */
export class BackOfficeBadRequest extends Error {
  override name = 'BackOfficeBadRequest';
  readonly statusCode = 400;
}

/** What a decided claim answers. */
export function claimResultOf(decision: Decision, orderId: string | null, payout: PayoutRow | null = null): OnlineClaimResult {
  switch (decision.status) {
    case 'granted':
      if (payout !== null) return { status: 'grantedToBank', payoutId: payout.id, amountCents: decision.amountCents, iban: maskIban(payout.iban ?? payout.iban_last4) };
      if (orderId === null) throw new Error('a claim granted onto the card without its refund order');
      return { status: 'granted', orderId, amountCents: decision.amountCents };
    case 'waiting':
      return { status: 'waiting', decisionAfter: decision.decisionAfter };
    case 'refused':
      return { status: 'refused', reason: decision.reason };
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The columns of a claim's decision. */
export function decisionColumns(decision: Decision, orderId: string | null, at: string) {
  return {
    status: decision.status,
    decided_at: decision.status === 'waiting' ? null : at,
    decision_after: decision.status === 'waiting' ? decision.decisionAfter : null,
    amount_cents: decision.status === 'granted' ? decision.amountCents : null,
    reason: decision.status === 'refused' ? decision.reason : null,
    order_id: orderId,
  };
}

/** A train service's columns, its times normalised to toISOString (so that they compare as text). */
export function serviceColumns(service: TrainService) {
  const norm = (t: string) => new Date(t).toISOString();
  return {
    service_id: service.serviceId,
    line: service.line,
    from_station: service.from,
    to_station: service.to,
    scheduled_departure: norm(service.scheduledDeparture),
    scheduled_arrival: norm(service.scheduledArrival),
    actual_arrival: norm(service.actualArrival),
    announced_in_advance: service.announcedInAdvance ? 1 : 0,
    force_majeure: service.forceMajeure ? 1 : 0,
    other_carrier: service.otherCarrier ? 1 : 0,
  };
}

/** A journey's columns. */
export function journeyColumns(cardNumber: string, journey: CardJourney, at: string): JourneyRow & { recorded_at: string } {
  return {
    card_number: cardNumber,
    journey_id: journeyKey(journeyId(journey)),
    check_in_station: journey.checkIn.station,
    check_in_at: journey.checkIn.at,
    check_out_station: journey.checkOut?.station ?? null,
    check_out_at: journey.checkOut?.at ?? null,
    charged_cents: journey.chargedCents,
    recorded_at: at,
  };
}

/**
 * An order that leaves `pending` (cancelled, expired, picked up) needs its sealed code no
 * more: it is forgotten with the change, so that even the back office's file keeps it only
 * while it can be picked up.
 */
const FORGET_SEALED = `CASE WHEN kind = 'kaartservicecode' THEN json_set(payload, '$.sealed', 'forgotten') ELSE payload END`;

export type BackOfficeDb = ReturnType<typeof openBackOfficeDb>;

/** What of an order row its signature covers. */
export type SignedOrderRow = Pick<OrderRow, 'id' | 'card_number' | 'serial' | 'payload' | 'void_from' | 'void_to' | 'seq' | 'status'>;

/** The signature of the order row's latest change, as kiosks check it (protocol/kiosk-api.ts orderSignedText). */
export function signOrderRow(key: KeyObject, row: SignedOrderRow): string {
  const text = orderSignedText({
    orderId: row.id,
    cardNumber: row.card_number,
    serial: row.serial,
    voidSerials: row.void_from === null || row.void_to === null ? null : [row.void_from, row.void_to],
    version: row.seq,
    status: row.status,
    payload: row.status === 'pending' ? (JSON.parse(row.payload) as OrderPayload) : null,
  });
  return sign(null, Buffer.from(text, 'utf8'), key).toString('base64url');
}

/**
 * Which signed text the stored signatures are of (backoffice_meta `signature_scheme`): a
 * database of before (offers only, without version and status) is signed afresh once.
 */
export const SIGNATURE_SCHEME = 'order-v2';

export const orderView = (row: OrderRow): OrderView => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  cardNumber: row.card_number,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  pickedUpAt: row.picked_up_at,
  pickedUpBy: row.picked_up_by,
  conflict: row.conflict,
});

/** The feed entry of an order row, `change` the id of its change (feed_log). */
export function orderChange(row: OrderRow, change: string): OrderChange {
  const base = {
    orderId: row.id,
    cardNumber: row.card_number,
    serial: row.serial,
    version: row.seq,
    change,
    voidSerials: row.void_from === null || row.void_to === null ? null : ([row.void_from, row.void_to] as [number, number]),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
  return row.status === 'pending'
    ? { ...base, status: 'pending', payload: JSON.parse(row.payload) as OrderPayload, signature: row.signature ?? '' }
    : { ...base, status: row.status, payload: null, signature: row.signature ?? '' };
}

/** What the order carries; a kaartservicecode only sealed to its card (the clear code is kept nowhere). */
export function orderPayloadOf(sealMaster: Uint8Array, request: OrderRequest, id: string, code?: string): OrderPayload {
  switch (request.kind) {
    case 'kaartservicecode':
      return { kind: 'kaartservicecode', sealed: sealCode(sealMaster, id, request.cardNumber, code ?? newKaartservicecode()) };
    case 'product':
      return { kind: 'product', productCode: request.productCode, validFrom: request.validFrom, validUntil: request.validUntil };
    case 'topup':
      return { kind: 'topup', amountCents: request.amountCents };
    default: {
      const unreachable: never = request;
      throw new Error(`unknown order kind ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A changes page as JSON text: the entries (JSON each), then the cursor, `more` and the tail. */
export function changesPageJson(entries: readonly string[], cursor: number, more: boolean, tail: { head: string; epoch: string; anchorSeq?: string | null }): string {
  return `{"changes":[${entries.join(',')}],"cursor":"${cursor}","more":${more},${JSON.stringify(tail).slice(1, -1)}}`;
}

/** Fixed arguments of placeOrder (the demo's seeded orders, tests). */
export interface FixedOrder {
  id?: string;
  code?: string;
  createdAt?: string;
  expiresAt?: string;
  /** No 'ready' e-mail (a code requested online gets its own two; a refund has no address). */
  quiet?: boolean;
}

/** An e-mail claimed longer ago than this is taken over by another dispatcher (one that died). */
export const EMAIL_RECLAIM_MS = 5 * 60_000;

/** What the operator should do when backoffice.db cannot be opened (in the error message). */
export const BACKOFFICE_DB_ADVICE = {
  corrupt:
    'The back office cannot run without it. Keep the file for analysis and restore the latest backup of it; ' +
    'without one, move it aside and start again with an empty database: its orders, pickups and kiosk ' +
    'registrations are then gone (kiosks need new tokens).',
  tooNew:
    'This back office is older than the one that last used the database (a downgrade?): install that version ' +
    'or a newer one again.',
} as const;

export function openBackOfficeDb(file: string, options: BackOfficeDbOptions) {
  const { db, migration } = openDatabase(file, {
    migrations: BACKOFFICE_MIGRATIONS,
    logger: options.logger ?? silentLogger,
    what: 'back office',
    advice: BACKOFFICE_DB_ADVICE,
  });
  const created = migration.from === 0;
  const iso = () => options.now().toISOString();

  const s = {
    nextSeq: db.prepare<[], number>(`UPDATE counters SET value = value + 1 WHERE name = 'seq' RETURNING value`).pluck(),
    headSeq: db.prepare<[], number>(`SELECT value FROM counters WHERE name = 'seq'`).pluck(),
    epoch: db.prepare<[], string>(`SELECT value FROM backoffice_meta WHERE key = 'epoch'`).pluck(),
    generation: db.prepare<[], string>(`SELECT value FROM backoffice_meta WHERE key = 'serial_generation'`).pluck(),
    setGeneration: db.prepare<[string]>(`UPDATE backoffice_meta SET value = ? WHERE key = 'serial_generation'`),
    logChange: db.prepare<[number, string]>('INSERT INTO feed_log (seq, change_id) VALUES (?, ?)'),
    seqOfChange: db.prepare<[string], number>('SELECT seq FROM feed_log WHERE change_id = ?').pluck(),
    changeIdAt: db.prepare<[number], string>('SELECT change_id FROM feed_log WHERE seq = ?').pluck(),
    insertOrder: db.prepare<[OrderRow]>(
      `INSERT INTO orders (id, card_number, email, kind, payload, status, created_at, expires_at, updated_at, seq,
         picked_up_at, picked_up_by, delivery_id, conflict, serial, void_from, void_to, signature)
       VALUES (@id, @card_number, @email, @kind, @payload, @status, @created_at, @expires_at,
         @updated_at, @seq, @picked_up_at, @picked_up_by, @delivery_id, @conflict, @serial, @void_from, @void_to, @signature)`,
    ),
    counterOf: db.prepare<[string], { last_serial: number; generation: number }>(
      'SELECT last_serial, generation FROM card_counters WHERE card_number = ?',
    ),
    setCounter: db.prepare<[string, number, number]>(
      `INSERT INTO card_counters (card_number, last_serial, generation) VALUES (?, ?, ?)
       ON CONFLICT (card_number) DO UPDATE SET last_serial = excluded.last_serial, generation = excluded.generation`,
    ),
    orderById: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    setStatus: db.prepare<[{ id: string; status: RemoteOrderStatus; at: string; seq: number }]>(
      `UPDATE orders SET status = @status, updated_at = @at, seq = @seq, payload = ${FORGET_SEALED} WHERE id = @id`,
    ),
    markPickedUp: db.prepare<[{ id: string; at: string; seq: number; by: string; delivery: string; conflict: string | null }]>(
      `UPDATE orders SET status = 'delivered', updated_at = @at, seq = @seq, picked_up_at = @at, picked_up_by = @by, payload = ${FORGET_SEALED},
         delivery_id = @delivery,
         conflict = CASE WHEN @conflict IS NULL THEN conflict ELSE coalesce(conflict || '; ', '') || @conflict END
       WHERE id = @id`,
    ),
    addConflict: db.prepare<[string, string, string]>(
      `UPDATE orders SET conflict = coalesce(conflict || '; ', '') || ?, updated_at = ? WHERE id = ?`,
    ),
    changesSince: db.prepare<[number, number], OrderRow>('SELECT * FROM orders WHERE seq > ? ORDER BY seq LIMIT ?'),
    // The feed's hot path: SQLite writes each entry's JSON, so the server neither parses
    // the stored payload nor builds objects. The same shape as toChange below.
    // @closed: leave out (change NULL) what was closed at or before it, for a new kiosk; NULL: nothing.
    changesJsonSince: db.prepare<[{ cursor: number; limit: number; closed: number | null }], { seq: number; change: string | null }>(
      `SELECT o.seq, CASE WHEN @closed IS NULL OR o.status = 'pending' OR o.void_from IS NOT NULL OR o.seq > @closed THEN json_object(
         'orderId', o.id, 'status', o.status, 'cardNumber', o.card_number, 'serial', o.serial, 'version', o.seq,
         'change', f.change_id,
         'voidSerials', CASE WHEN o.void_from IS NULL THEN NULL ELSE json_array(o.void_from, o.void_to) END,
         'payload', CASE WHEN o.status = 'pending' THEN json(o.payload) ELSE NULL END,
         'signature', o.signature,
         'createdAt', o.created_at, 'expiresAt', o.expires_at) END AS change
       FROM orders AS o JOIN feed_log AS f ON f.seq = o.seq WHERE o.seq > @cursor ORDER BY o.seq LIMIT @limit`,
    ),
    dueForExpiry: db.prepare<[string, number], { id: string }>(
      `SELECT id FROM orders WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
    ),
    conflicts: db.prepare<[], OrderRow>('SELECT * FROM orders WHERE conflict IS NOT NULL ORDER BY updated_at'),
    pickupById: db.prepare<[string], { order_id: string; conflict: string | null }>(
      'SELECT order_id, conflict FROM pickups WHERE delivery_id = ?',
    ),
    insertPickup: db.prepare(
      `INSERT INTO pickups VALUES (@delivery_id, @order_id, @kiosk_id, @card_number, @kind, @delivered_at, @received_at, @conflict)`,
    ),
    pickupCount: db.prepare<[], number>('SELECT count(*) FROM pickups').pluck(),
    pickupsForOrder: db.prepare<[string], number>('SELECT count(*) FROM pickups WHERE order_id = ?').pluck(),
    kioskByHash: db.prepare<[string], { id: string }>('SELECT id FROM kiosks WHERE token_hash = ?'),
    upsertKiosk: db.prepare<[string, string, string]>(
      `INSERT INTO kiosks (id, name, token_hash) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash`,
    ),
    heartbeat: db.prepare<[string, string, string]>('UPDATE kiosks SET last_seen_at = ?, heartbeat = ? WHERE id = ?'),
    // actor_known: the actor is a technician of this back office (migration 7).
    insertAudit: db.prepare(
      `INSERT INTO kiosk_audit (kiosk_id, local_id, at, actor, action, detail, received_at, actor_known)
       VALUES (@kiosk, @id, @at, @actor, @action, @detail, @received, EXISTS (SELECT 1 FROM technicians WHERE id = @actor))
       ON CONFLICT (kiosk_id, local_id) DO NOTHING`,
    ),
    // Newest arrival first (rowid: the order entries arrived in), optionally one kiosk's,
    // before a given arrival (paging).
    audit: db.prepare<
      [{ kiosk: string | null; before: number | null; limit: number }],
      { seq: number; kiosk_id: string; local_id: number; at: string; actor: string; action: string; detail: string | null; actor_known: number }
    >(
      `SELECT rowid AS seq, kiosk_id, local_id, at, actor, action, detail, actor_known FROM kiosk_audit
       WHERE (@kiosk IS NULL OR kiosk_id = @kiosk) AND (@before IS NULL OR rowid < @before)
       ORDER BY rowid DESC LIMIT @limit`,
    ),
    kiosks: db.prepare<[], { id: string; name: string; last_seen_at: string | null; heartbeat: string | null }>(
      'SELECT id, name, last_seen_at, heartbeat FROM kiosks ORDER BY id',
    ),
    upsertTechnician: db.prepare(
      `INSERT INTO technicians (id, card_number, salt, hash, params) VALUES (@id, @card_number, @salt, @hash, @params)
       ON CONFLICT (id) DO UPDATE SET card_number = excluded.card_number, salt = excluded.salt,
         hash = excluded.hash, params = excluded.params`,
    ),
    // What the kiosks get: the enabled technicians (migration 8).
    technicians: db.prepare<[], { id: string; card_number: string; salt: string; hash: string; params: string }>(
      'SELECT id, card_number, salt, hash, params FROM technicians WHERE disabled_at IS NULL ORDER BY id',
    ),
    setTechnicianDisabled: db.prepare<[string | null, string]>('UPDATE technicians SET disabled_at = ? WHERE id = ?'),
    removeTechnician: db.prepare<[string]>('DELETE FROM technicians WHERE id = ?'),
    enabledTechnician: db.prepare<[string], number>('SELECT 1 FROM technicians WHERE id = ? AND disabled_at IS NULL').pluck(),
    pinLockOf: db.prepare<[string], { attempts: number; locks: number; locked_until: string | null }>(
      'SELECT attempts, locks, locked_until FROM technician_pin_locks WHERE technician_id = ?',
    ),
    setPinLock: db.prepare<[{ id: string; attempts: number; locks: number; locked_until: string | null; at: string }]>(
      `INSERT INTO technician_pin_locks (technician_id, attempts, locks, locked_until, updated_at) VALUES (@id, @attempts, @locks, @locked_until, @at)
       ON CONFLICT (technician_id) DO UPDATE SET attempts = excluded.attempts, locks = excluded.locks,
         locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
    ),
    queueEmail: db.prepare<[string, string, EmailRow['template'], string, Language | null]>(
      'INSERT INTO emails (order_id, to_address, template, created_at, language) VALUES (?, ?, ?, ?, ?)',
    ),
    unsentEmails: db.prepare<[number], EmailSqlRow>(
      `SELECT e.id, e.order_id, e.to_address, e.template, e.attempts, e.language, coalesce(o.card_number, '') AS card_number
       FROM emails AS e LEFT JOIN orders AS o ON o.id = e.order_id WHERE e.sent_at IS NULL ORDER BY e.id LIMIT ?`,
    ),
    cardOfOrder: db.prepare<[string], string>('SELECT card_number FROM orders WHERE id = ?').pluck(),
    // ------------------------------------------------ Mijn NS (migration 11)
    codeRequest: db.prepare<[string], { order_id: string; language: Language }>('SELECT order_id, language FROM code_requests WHERE order_id = ?'),
    recentCodeRequest: db.prepare<[string, string], { order_id: string }>(
      `SELECT c.order_id FROM code_requests AS c JOIN orders AS o ON o.id = c.order_id
       WHERE c.card_number = ? AND c.requested_at > ? AND o.status = 'pending' ORDER BY c.requested_at LIMIT 1`,
    ),
    insertCodeRequest: db.prepare(
      `INSERT INTO code_requests (order_id, card_number, email, language, code_hash, requested_at) VALUES (@order_id, @card_number, @email, @language, @code_hash, @requested_at)`,
    ),
    codesOfCard: db.prepare<[string], { order_id: string; code_hash: string; used_at: string | null; status: RemoteOrderStatus; picked_up_at: string | null }>(
      `SELECT c.order_id, c.code_hash, c.used_at, o.status, o.picked_up_at FROM code_requests AS c JOIN orders AS o ON o.id = c.order_id
       WHERE c.card_number = ? ORDER BY c.requested_at`,
    ),
    failuresOf: db.prepare<[string], number>('SELECT failures FROM link_attempts WHERE card_number = ?').pluck(),
    addFailure: db.prepare<[{ card: string; at: string }]>(
      `INSERT INTO link_attempts (card_number, failures, last_failure_at) VALUES (@card, 1, @at)
       ON CONFLICT (card_number) DO UPDATE SET failures = failures + 1, last_failure_at = @at`,
    ),
    clearFailures: db.prepare<[string]>('DELETE FROM link_attempts WHERE card_number = ?'),
    useCode: db.prepare<[string, string, string]>('UPDATE code_requests SET used_at = ?, account_id = ? WHERE order_id = ?'),
    linkCard: db.prepare<[{ card: string; account: string; at: string; order: string }]>(
      `INSERT INTO card_links (card_number, account_id, linked_at, order_id) VALUES (@card, @account, @at, @order)
       ON CONFLICT (card_number) DO UPDATE SET account_id = excluded.account_id, linked_at = excluded.linked_at, order_id = excluded.order_id`,
    ),
    linksOf: db.prepare<[string], { card_number: string; account_id: string; linked_at: string }>(
      'SELECT card_number, account_id, linked_at FROM card_links WHERE account_id = ? ORDER BY linked_at',
    ),
    accountOfCard: db.prepare<[string], string>('SELECT account_id FROM card_links WHERE card_number = ?').pluck(),
    insertJourney: db.prepare(
      `INSERT INTO journeys (card_number, journey_id, check_in_station, check_in_at, check_out_station, check_out_at, charged_cents, recorded_at)
       VALUES (@card_number, @journey_id, @check_in_station, @check_in_at, @check_out_station, @check_out_at, @charged_cents, @recorded_at)
       ON CONFLICT (card_number, journey_id) DO NOTHING`,
    ),
    journey: db.prepare<[string, string], JourneyRow>('SELECT * FROM journeys WHERE card_number = ? AND journey_id = ?'),
    journeysOfCard: db.prepare<[string], JourneyRow>('SELECT * FROM journeys WHERE card_number = ? ORDER BY journey_id DESC'),
    upsertService: db.prepare(
      `INSERT INTO train_services VALUES (@service_id, @line, @from_station, @to_station, @scheduled_departure, @scheduled_arrival,
         @actual_arrival, @announced_in_advance, @force_majeure, @other_carrier, @updated_at)
       ON CONFLICT (service_id) DO UPDATE SET line = excluded.line, from_station = excluded.from_station, to_station = excluded.to_station,
         scheduled_departure = excluded.scheduled_departure, scheduled_arrival = excluded.scheduled_arrival,
         actual_arrival = excluded.actual_arrival, announced_in_advance = excluded.announced_in_advance,
         force_majeure = excluded.force_majeure, other_carrier = excluded.other_carrier, updated_at = excluded.updated_at`,
    ),
    servicesFor: db.prepare<[string, string, string, string], ServiceRow>(
      `SELECT * FROM train_services WHERE from_station = ? AND to_station = ? AND scheduled_departure >= ? AND scheduled_departure <= ?`,
    ),
    claim: db.prepare<[string, string, string], ClaimRow>('SELECT * FROM claims WHERE card_number = ? AND journey_id = ? AND kind = ?'),
    // Refunds paid to the bank (migration 13).
    bankAccount: db.prepare<[string], BankAccountRow>('SELECT * FROM bank_accounts WHERE account_id = ?'),
    setBankAccount: db.prepare(
      `INSERT INTO bank_accounts (account_id, iban, holder, updated_at) VALUES (@account_id, @iban, @holder, @updated_at)
       ON CONFLICT (account_id) DO UPDATE SET iban = excluded.iban, holder = excluded.holder, updated_at = excluded.updated_at`,
    ),
    insertPayout: db.prepare(
      `INSERT INTO payouts (id, account_id, card_number, journey_id, kind, amount_cents, iban, holder, iban_last4, status, created_at)
       VALUES (@id, @account_id, @card_number, @journey_id, @kind, @amount_cents, @iban, @holder, @iban_last4, 'pending', @created_at)`,
    ),
    payoutById: db.prepare<[string], PayoutRow>('SELECT * FROM payouts WHERE id = ?'),
    payoutOfClaim: db.prepare<[string, string, string], PayoutRow>('SELECT * FROM payouts WHERE card_number = ? AND journey_id = ? AND kind = ?'),
    payoutsPage: db.prepare<[string, number, number], PayoutRow>('SELECT * FROM payouts WHERE status = ? AND seq > ? ORDER BY seq LIMIT ?'),
    payoutPaid: db.prepare<[string, string], unknown>(`UPDATE payouts SET status = 'paid', paid_at = ?, iban = NULL, holder = NULL WHERE id = ? AND status = 'pending'`),
    setClaimPayout: db.prepare<[string | null, string, string, string], unknown>('UPDATE claims SET payout_id = ? WHERE card_number = ? AND journey_id = ? AND kind = ?'),
    claimsOfCard: db.prepare<[string], ClaimRow>('SELECT * FROM claims WHERE card_number = ?'),
    insertClaim: db.prepare(
      `INSERT INTO claims (card_number, journey_id, kind, status, claimed_at, claimed_by, destination, decision_after, decided_at, amount_cents, reason, order_id, service_id, payout_account, payout_id)
       VALUES (@card_number, @journey_id, @kind, @status, @claimed_at, @claimed_by, @destination, @decision_after, @decided_at, @amount_cents, @reason, @order_id, @service_id, @payout_account, @payout_id)`,
    ),
    // A card is on a train once: another journey's claim on the same service, not refused.
    claimOnService: db.prepare<[string, string, string], ClaimRow>(
      `SELECT * FROM claims WHERE card_number = ? AND service_id = ? AND journey_id != ? AND status IN ('waiting', 'granted') ORDER BY claimed_at LIMIT 1`,
    ),
    decideClaim: db.prepare(
      `UPDATE claims SET status = @status, decided_at = @decided_at, amount_cents = @amount_cents, reason = @reason, order_id = @order_id,
         decision_after = @decision_after, service_id = @service_id
       WHERE card_number = @card_number AND journey_id = @journey_id AND kind = @kind AND status = 'waiting'`,
    ),
    dueClaims: db.prepare<[string, number], ClaimRow>(`SELECT * FROM claims WHERE status = 'waiting' AND decision_after <= ? ORDER BY decision_after LIMIT ?`),
    forgottenGranted: db.prepare<[string, string, string], number>(
      `SELECT count(*) FROM claims WHERE card_number = ? AND kind = 'forgottenCheckOut' AND status = 'granted' AND claimed_at >= ? AND claimed_at < ?`,
    ).pluck(),
    // Claimed by one dispatcher (migration 9): the unsent ones nobody else holds, or whose claim is stale.
    claimEmails: db.prepare<[{ by: string; at: string; stale: string; limit: number }], Omit<EmailSqlRow, 'card_number'>>(
      `UPDATE emails SET claimed_by = @by, claimed_at = @at
       WHERE id IN (SELECT id FROM emails WHERE sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < @stale OR claimed_by = @by)
                    ORDER BY id LIMIT @limit)
       RETURNING id, order_id, to_address, template, attempts, language`,
    ),
    emailSent: db.prepare<[string, number]>('UPDATE emails SET sent_at = ?, attempts = attempts + 1 WHERE id = ?'),
    // A failed e-mail is let go, for the next round (of any dispatcher).
    emailFailed: db.prepare<[string, number]>(
      'UPDATE emails SET last_error = ?, attempts = attempts + 1, claimed_by = NULL, claimed_at = NULL WHERE id = ?',
    ),
  };

  /** This database's epoch (migration 004): every changes page and live event carries it. */
  const storedEpoch = s.epoch.get();
  if (storedEpoch === undefined) throw new Error('back office database without an epoch (backoffice_meta)');
  const epoch: string = storedEpoch;

  // ---------------------------------------------------------- serial generations
  const generation = (): number => Number(s.generation.get() ?? '0');
  /** Opens a new serial generation: every card's next serial skips SERIAL_GAP. */
  let openedThisStart = false;
  function openSerialGeneration(reason: SerialGenerationReason, detail: Record<string, unknown>, floor = 0): void {
    // Beyond the one the watermark saw too: the same backup restored twice must not hand
    // out the serials of the first restore again.
    const next = Math.max(generation(), floor) + 1;
    openedThisStart = true;
    s.setGeneration.run(String(next));
    const event = { reason, generation: next, detail };
    (options.logger ?? silentLogger).error(
      { ...event.detail, reason, generation: next, gap: SERIAL_GAP },
      'back office: its serial counters may be behind the cards (restored or replaced database): every card skips a gap of serials',
    );
    options.onSerialGeneration?.(event);
  }

  /** The card's next serial; after a new generation, beyond a gap that the order names as void. */
  function serialFor(cardNumber: string): { serial: number; void_from: number | null; void_to: number | null } {
    const counter = s.counterOf.get(cardNumber) ?? { last_serial: 0, generation: 0 };
    const current = generation();
    if (counter.generation >= current) {
      s.setCounter.run(cardNumber, counter.last_serial + 1, current);
      return { serial: counter.last_serial + 1, void_from: null, void_to: null };
    }
    // A gap for every generation the counter missed: each may have handed out SERIAL_GAP.
    const voidFrom = counter.last_serial + 1;
    const voidTo = counter.last_serial + SERIAL_GAP * (current - counter.generation);
    s.setCounter.run(cardNumber, voidTo + 1, current);
    return { serial: voidTo + 1, void_from: voidFrom, void_to: voidTo };
  }

  /** The next change's sequence number, logged with a new random id (its anchor). */
  function bump(): number {
    const seq = s.nextSeq.get() ?? 0;
    s.logChange.run(seq, randomBytes(12).toString('base64url'));
    scheduleWatermark();
    return seq;
  }

  // ---------------------------------------------------------- the watermark beside the file
  // Written after changes (at most every 50 ms, and on close): a database whose head is
  // below it is a restored backup; one of another epoch replaced the database at this path.
  // (A throwaway in-memory database has no file to keep it beside.)
  const watermarkFile = file === ':memory:' || file === '' ? null : `${file}.watermark`;
  let watermarkTimer: NodeJS.Timeout | null = null;
  function writeWatermark(): void {
    if (watermarkTimer) clearTimeout(watermarkTimer);
    watermarkTimer = null;
    if (watermarkFile === null) return;
    writeWatermarkFile(watermarkFile, { epoch, head: s.headSeq.get() ?? 0, generation: generation() });
  }
  function scheduleWatermark(): void {
    if (watermarkTimer || watermarkFile === null) return;
    watermarkTimer = setTimeout(() => {
      try {
        writeWatermark();
      } catch (error) {
        (options.logger ?? silentLogger).warn({ err: String(error), file: watermarkFile }, 'back office: could not write the watermark');
      }
    }, 50);
    watermarkTimer.unref();
  }
  const readWatermark = (): Watermark | null => (watermarkFile === null ? null : readWatermarkFile(watermarkFile));

  // A database whose head is below the watermark was restored from a backup; one of
  // another epoch replaced the database that was here. Either way its counters may be
  // behind serials that cards already hold.
  {
    const mark = readWatermark();
    const head = s.headSeq.get() ?? 0;
    if (mark && mark.epoch === epoch && mark.head > head) {
      db.transaction(() => openSerialGeneration('restored', { head, watermarkHead: mark.head }, mark.generation))();
    } else if (mark && mark.epoch !== epoch) {
      db.transaction(() => openSerialGeneration('replaced', { watermarkEpoch: mark.epoch }, mark.generation))();
    }
    try {
      writeWatermark();
    } catch (error) {
      (options.logger ?? silentLogger).warn({ err: String(error), file: watermarkFile }, 'back office: could not write the watermark');
    }
  }

  // ---------------------------------------------------------- order signatures
  const orderKeyPath = watermarkFile === null ? null : (options.orderKeyFile ?? `${file}.order-key`);
  // A database with signed orders whose key is gone: a new key would make every kiosk refuse
  // every new order. The operator must bring the key back (or knowingly move it aside).
  if (orderKeyPath !== null && !existsSync(orderKeyPath)) {
    const signed = db.prepare<[], number>('SELECT count(*) FROM orders WHERE signature IS NOT NULL').pluck().get() ?? 0;
    if (signed > 0) {
      db.close();
      throw new Error(
        `back office: its order signing key ${orderKeyPath} is missing, but ${signed} orders were signed with it: ` +
          'restore the key file with the database (kiosks pin its public key); only for a new key on purpose, ' +
          'clear orders.signature first and give every kiosk the new backOffice.orderKey',
      );
    }
  }
  const orderKey = loadOrderKey(orderKeyPath);
  const signOrder = (row: SignedOrderRow): string => signOrderRow(orderKey, row);
  const setSignature = db.prepare<[string, string]>('UPDATE orders SET signature = ? WHERE id = ?');
  /** Signs the order's latest change (after every change of its row, in the same transaction). */
  const resign = (id: string): void => {
    const row = s.orderById.get(id);
    if (row) setSignature.run(signOrder(row), id);
  };
  // ---------------------------------------------------------- sealed kaartservicecodes
  const sealKeyPath = watermarkFile === null || options.sealMaster ? null : (options.sealKeyFile ?? `${file}.seal-key`);
  // The cards in the field carry keys diversified from the master: a new master would make
  // every code sealed from now on unreadable with every card issued so far.
  if (sealKeyPath !== null && !existsSync(sealKeyPath)) {
    const sealed = db.prepare<[], number>(`SELECT count(*) FROM orders WHERE json_extract(payload, '$.sealed') IS NOT NULL`).pluck().get() ?? 0;
    if (sealed > 0) {
      db.close();
      throw new Error(
        `back office: its seal master key ${sealKeyPath} is missing, but ${sealed} kaartservicecodes were sealed with it: ` +
          'restore the key file with the database (every card issued carries a key derived from it)',
      );
    }
  }
  const sealMaster: Uint8Array = options.sealMaster ?? loadSealMaster(sealKeyPath);
  // Codes kept in clear by a back office of before: sealed now; a pending one is offered
  // again in its sealed form (a new change), so that the kiosks drop the clear one.
  {
    const clear = db
      .prepare<[], OrderRow>(`SELECT * FROM orders WHERE kind = 'kaartservicecode' AND json_extract(payload, '$.code') IS NOT NULL`)
      .all();
    const reseal = db.prepare<[{ id: string; payload: string; seq: number; at: string }]>(
      'UPDATE orders SET payload = @payload, signature = NULL, seq = @seq, updated_at = @at WHERE id = @id',
    );
    db.transaction(() => {
      for (const row of clear) {
        const { code } = JSON.parse(row.payload) as { code: string };
        const payload = JSON.stringify({ kind: 'kaartservicecode', sealed: sealCode(sealMaster, row.id, row.card_number, code) });
        reseal.run({ id: row.id, payload, seq: row.status === 'pending' ? bump() : row.seq, at: iso() });
        resign(row.id);
      }
    })();
  }

  // Orders of before signatures (migration 6), or signed by a back office of before (offers
  // only, without version and status), are signed now, as they are: every change a kiosk gets
  // carries its signature.
  {
    const scheme = db.prepare<[], string>(`SELECT value FROM backoffice_meta WHERE key = 'signature_scheme'`).pluck().get();
    const rows = db.prepare<[number], OrderRow & { rid: number }>(
      `SELECT rowid AS rid, * FROM orders WHERE rowid > ? ${scheme === SIGNATURE_SCHEME ? 'AND signature IS NULL' : ''} ORDER BY rowid LIMIT 10000`,
    );
    db.transaction(() => {
      for (let after = 0, batch = rows.all(after); batch.length > 0; batch = rows.all(after)) {
        for (const row of batch) setSignature.run(signOrder(row), row.id);
        after = batch.at(-1)?.rid ?? after;
      }
      db.prepare(`INSERT INTO backoffice_meta (key, value) VALUES ('signature_scheme', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(SIGNATURE_SCHEME);
    })();
  }

  let unknownAnchorNoted = false;
  /** What every page says besides its changes: the head (read after the rows) and the epoch. */
  const pageTail = (anchor: string | undefined) => {
    const tail: { head: string; epoch: string; anchorSeq?: string | null } = { head: String(s.headSeq.get() ?? 0), epoch };
    if (anchor !== undefined) {
      const seq = s.seqOfChange.get(anchor);
      tail.anchorSeq = seq === undefined ? null : String(seq);
      // A kiosk has seen a change this database never had: its counters may be behind.
      // (Once per start, and not when the watermark already told of a restore at this start.)
      if (seq === undefined && !unknownAnchorNoted && !openedThisStart) {
        unknownAnchorNoted = true;
        db.transaction(() => openSerialGeneration('unknown-anchor', {}))();
      }
    }
    return tail;
  };
  /** A page of the feed as JSON, built from the rows' own JSON (nothing parsed or re-formatted). */
  const changesPage = (cursor: number, limit: number, anchor?: string, closedUpTo?: number): { json: string; cursor: number; more: boolean } => {
    const rows = s.changesJsonSince.all({ cursor, limit: limit + 1, closed: closedUpTo ?? null });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const next = last?.seq ?? cursor;
    const more = rows.length > limit;
    // A new kiosk's initial sync: orders closed before it began are left out (no JSON made for
    // them), but never the change at the page's cursor (the kiosk's next anchor) nor one with
    // void serials.
    if (last && last.change === null) last.change = s.changesJsonSince.get({ cursor: last.seq - 1, limit: 1, closed: null })?.change ?? null;
    const sent = page.flatMap((r) => (r.change === null ? [] : [r.change]));
    return { json: changesPageJson(sent, next, more, pageTail(anchor)), cursor: next, more };
  };


  const toView = orderView;
  const toChange = (row: OrderRow): OrderChange => orderChange(row, s.changeIdAt.get(row.seq) ?? '');
  const payloadOf = (request: OrderRequest, id: string, code?: string): OrderPayload => orderPayloadOf(sealMaster, request, id, code);

  const placeOrder = db.transaction(
    (request: OrderRequest, fixed?: FixedOrder): OrderView => {
      const at = iso();
      const id = fixed?.id ?? newOrderId();
      if (s.orderById.get(id)) throw new BackOfficeConflict(`order ${id} exists`);
      const createdAt = fixed?.createdAt ?? at;
      const serial = serialFor(request.cardNumber);
      const row: OrderRow = {
        id,
        card_number: request.cardNumber,
        email: request.email,
        kind: request.kind,
        payload: JSON.stringify(payloadOf(request, id, fixed?.code)),
        status: 'pending',
        created_at: createdAt,
        expires_at: fixed?.expiresAt ?? new Date(Date.parse(createdAt) + options.pickupWindowMs).toISOString(),
        updated_at: at,
        seq: bump(),
        picked_up_at: null,
        picked_up_by: null,
        delivery_id: null,
        conflict: null,
        ...serial,
        signature: null,
      };
      row.signature = signOrder(row);
      s.insertOrder.run(row);
      if (fixed?.quiet !== true) s.queueEmail.run(id, request.email, 'ready', at, null);
      return toView(row);
    },
  );

  const cancelOrder = db.transaction((id: string): OrderView => {
    const row = s.orderById.get(id);
    if (!row) throw new BackOfficeNotFound(`no order ${id}`);
    if (row.status === 'cancelled') return toView(row);
    if (row.status !== 'pending') throw new BackOfficeConflict(`order ${id} is ${row.status}`);
    s.setStatus.run({ id, status: 'cancelled', at: iso(), seq: bump() });
    resign(id);
    if (row.email !== '') s.queueEmail.run(id, row.email, 'cancelled', iso(), languageOf(id));
    return toView(s.orderById.get(id) as OrderRow);
  });

  const expireDue = db.transaction((limit: number): number => {
    const at = iso();
    const due = s.dueForExpiry.all(at, limit);
    for (const { id } of due) {
      s.setStatus.run({ id, status: 'expired', at, seq: bump() });
      resign(id);
    }
    return due.length;
  });

  const recordPickup = db.transaction((kioskId: string, report: PickupReport): PickupResult => {
    const seen = s.pickupById.get(report.deliveryId);
    if (seen) {
      if (seen.order_id !== report.orderId) {
        throw new BackOfficeConflict(`delivery ${report.deliveryId} was reported for another order`);
      }
      return { status: 'duplicate', conflict: seen.conflict };
    }
    const at = iso();
    const order = s.orderById.get(report.orderId);
    if (order?.status === 'delivered' && order.card_number === report.cardNumber && order.delivery_id !== null) {
      // Another kiosk's report of the one write on this card: every kiosk checks the card's
      // record (ledger or journal) before it writes, so the card holds the order once. A
      // kiosk whose own attempt did not land may take that write for its own when it reads
      // the card before it hears of the other pickup. Not a second pickup, not a conflict.
      (options.logger ?? silentLogger).info(
        { orderId: order.id, deliveryId: report.deliveryId, kioskId, firstDelivery: order.delivery_id },
        'back office: a second kiosk reported the pickup of an order already picked up with the same card (the card holds it once)',
      );
      return { status: 'duplicate', conflict: null };
    }
    const keepPickup = (conflict: string | null) =>
      s.insertPickup.run({
        delivery_id: report.deliveryId,
        order_id: report.orderId,
        kiosk_id: kioskId,
        card_number: report.cardNumber,
        kind: report.kind,
        delivered_at: report.deliveredAt,
        received_at: at,
        conflict,
      });
    // What a kiosk claims is checked: a pickup of an order this back office does not know (lost
    // in a restore, or made up) or with another card number than the order's is quarantined —
    // kept for the operator, but it delivers nothing, creates nothing and mails nobody.
    const quarantine = !order ? PICKUP_UNKNOWN_ORDER : order.card_number !== report.cardNumber ? PICKUP_QUARANTINED : null;
    if (quarantine !== null) {
      keepPickup(quarantine);
      if (order) s.addConflict.run(quarantine, at, order.id);
      (options.logger ?? silentLogger).warn({ orderId: report.orderId, deliveryId: report.deliveryId, kioskId, quarantine }, 'back office: pickup quarantined');
      return { status: 'recorded', conflict: quarantine };
    }
    if (!order) throw new BackOfficeNotFound(`no order ${report.orderId}`); // (quarantined above)
    const conflict = order.status === 'pending' ? null : `picked up after it was ${order.status}`;
    keepPickup(conflict);
    if (order.status !== 'delivered') {
      // The card was written: whatever the back office thought, the order is delivered.
      s.markPickedUp.run({ id: order.id, at, seq: bump(), by: kioskId, delivery: report.deliveryId, conflict });
      resign(order.id);
      if (order.email !== '') s.queueEmail.run(order.id, order.email, 'picked-up', at, languageOf(order.id));
      // The card holder collected a code at a machine: wrong codes typed before are forgiven.
      if (order.kind === 'kaartservicecode' && s.codeRequest.get(order.id)) s.clearFailures.run(order.card_number);
    } else if (conflict) {
      s.addConflict.run(conflict, at, order.id);
    }
    return { status: 'recorded', conflict };
  });

  // ---------------------------------------------------------- Mijn NS (issue 14)
  const checkKey = codeCheckKey(sealMaster);
  const languageOf = (orderId: string): Language | null => s.codeRequest.get(orderId)?.language ?? null;

  /** Step 1: the code is made here, sealed to the card (the order) and kept only as its keyed hash. */
  const requestCode = db.transaction((request: CodeRequest): CodeRequestResult => {
    const at = iso();
    const since = new Date(options.now().getTime() - CODE_REPEAT_MS).toISOString();
    const recent = s.recentCodeRequest.get(request.cardNumber, since);
    const first = recent ? s.orderById.get(recent.order_id) : undefined;
    if (first) return { order: toView(first), repeated: true };
    const code = newKaartservicecode();
    const order = placeOrder({ kind: 'kaartservicecode', cardNumber: request.cardNumber, email: request.email }, { code, quiet: true });
    s.insertCodeRequest.run({
      order_id: order.id,
      card_number: request.cardNumber,
      email: request.email,
      language: request.language,
      code_hash: codeHash(checkKey, request.cardNumber, code),
      requested_at: at,
    });
    // Both at once: the order is in the feed as this transaction commits.
    s.queueEmail.run(order.id, request.email, 'code-requested', at, request.language);
    s.queueEmail.run(order.id, request.email, 'code-ready', at, request.language);
    return { order, repeated: false };
  });

  /** Step 4: every code of the card is compared (constant time each, none skipped). */
  const linkCard = db.transaction((accountId: string, cardNumber: string, code: string): LinkedCard | LinkRefusal => {
    const at = iso();
    const failures = s.failuresOf.get(cardNumber) ?? 0;
    if (failures >= LINK_MAX_FAILURES) return { error: 'locked', attemptsLeft: 0 };
    const typed = codeHash(checkKey, cardNumber, code);
    let found: ReturnType<typeof s.codesOfCard.all>[number] | null = null;
    for (const candidate of s.codesOfCard.all(cardNumber)) if (sameCodeHash(candidate.code_hash, typed) && found === null) found = candidate;
    if (found === null) {
      s.addFailure.run({ card: cardNumber, at });
      const left = LINK_MAX_FAILURES - failures - 1;
      return { error: left > 0 ? 'wrongCode' : 'locked', attemptsLeft: left };
    }
    if (found.used_at !== null) return { error: 'used', attemptsLeft: null };
    if (found.status === 'pending') return { error: 'notPickedUp', attemptsLeft: null };
    if (found.status !== 'delivered' || found.picked_up_at === null) return { error: 'expired', attemptsLeft: null };
    if (options.now().getTime() >= Date.parse(found.picked_up_at) + CODE_VALID_AFTER_PICKUP_MS) return { error: 'expired', attemptsLeft: null };
    s.useCode.run(at, accountId, found.order_id);
    s.linkCard.run({ card: cardNumber, account: accountId, at, order: found.order_id });
    s.clearFailures.run(cardNumber);
    return { cardNumber, accountId, linkedAt: at };
  });

  const serviceFor = (journey: CardJourney) => {
    const out = journey.checkOut;
    if (out === null) return null;
    const w = departureWindow(journey);
    return matchService(journey, s.servicesFor.all(journey.checkIn.station, out.station, w.from, w.to).map(serviceOfRow));
  };
  const forgottenThisYear = (cardNumber: string, at: string): number => {
    const year = claimYear(at);
    return s.forgottenGranted.get(cardNumber, year.start, year.end) ?? 0;
  };
  const assessRow = (row: JourneyRow): JourneyAssessment => {
    const journey = journeyOfRow(row);
    const claim = s.claim.get(row.card_number, row.journey_id, claimKindOf(journey));
    return assess(journey, { service: serviceFor(journey), claim: claim ? claimOfRow(claim) : null, forgottenGrantedThisYear: forgottenThisYear(row.card_number, iso()), now: options.now() });
  };
  /** A granted claim's money: a top-up order for the card, through the feed like any other (no e-mail: no address). */
  const refundOrder = (cardNumber: string, amountCents: number): string =>
    placeOrder({ kind: 'topup', cardNumber, email: '', amountCents }, { quiet: true }).id;
  /**
   * A granted claim paid to the bank: one payout instruction for the claim (its key is unique),
   * the account's bank account copied into it. Without a bank account (none was ever set),
   * null: the caller pays onto the card.
   */
  const bankPayout = (claimKey: { card_number: string; journey_id: string; kind: ClaimKind }, accountId: string, amountCents: number, at: string): PayoutRow | null => {
    const account = s.bankAccount.get(accountId);
    if (!account) return null;
    const id = newPayoutId();
    s.insertPayout.run({ id, account_id: accountId, card_number: claimKey.card_number, journey_id: claimKey.journey_id, kind: claimKey.kind, amount_cents: amountCents, iban: account.iban, holder: account.holder, iban_last4: account.iban.slice(-4), created_at: at });
    return s.payoutById.get(id) ?? null;
  };

  const recordJourneys = db.transaction((cardNumber: string, journeys: readonly CardJourney[]): JourneyAssessment[] => {
    const at = iso();
    for (const journey of journeys) s.insertJourney.run(journeyColumns(cardNumber, journey, at));
    return journeys.flatMap((journey) => {
      const row = s.journey.get(cardNumber, journeyKey(journeyId(journey)));
      // Answered with the journeyId as the kiosk sent it (it matches the answer to its journey).
      return row ? [{ ...assessRow(row), journeyId: journeyId(journey) }] : [];
    });
  });

  /** One claim, decided in one transaction: the same card, journey and kind again answers what the first got. */
  const claim = db.transaction((by: string, request: ClaimRequest, bank?: { readonly accountId: string }): ClaimOutcome => {
    const at = iso();
    if (bank !== undefined && !s.bankAccount.get(bank.accountId)) throw new BackOfficeConflict('the account has no bank account: set one first (PUT /v1/online/accounts/:accountId/bank-account)');
    s.insertJourney.run(journeyColumns(request.cardNumber, request.journey, at));
    const row = s.journey.get(request.cardNumber, journeyKey(journeyId(request.journey)));
    if (!row) throw new Error('journey not recorded');
    const journey = journeyOfRow(row); // the first report of it wins
    const existing = s.claim.get(request.cardNumber, row.journey_id, request.kind);
    if (existing) return { result: alreadyClaimed(claimOfRow(existing)), notify: false };
    let decision: Decision;
    let service: TrainService | null = null;
    if (request.kind === 'forgottenCheckOut') {
      if (journey.checkOut !== null) throw new BackOfficeConflict('the journey was checked out: no forgotten check-out to claim');
      if (request.destination === undefined) throw new BackOfficeBadRequest('a forgotten check-out is claimed with its destination');
      decision = decideForgotten(journey, request.destination, forgottenThisYear(request.cardNumber, at), at);
    } else {
      service = serviceFor(journey);
      // One refund per card and train: another journey of this card on it was claimed already.
      const onService = service === null ? undefined : s.claimOnService.get(request.cardNumber, service.serviceId, row.journey_id);
      if (onService) return { result: alreadyClaimed(claimOfRow(onService)), notify: false };
      decision = decideDelay(journey, service, at, options.now());
    }
    const key = { card_number: request.cardNumber, journey_id: row.journey_id, kind: request.kind };
    const payout = decision.status === 'granted' && bank !== undefined ? bankPayout(key, bank.accountId, decision.amountCents, at) : null;
    const orderId = decision.status === 'granted' && payout === null ? refundOrder(request.cardNumber, decision.amountCents) : null;
    s.insertClaim.run({
      service_id: service?.serviceId ?? null,
      ...key,
      claimed_at: at,
      claimed_by: by,
      destination: request.destination ?? null,
      payout_account: bank?.accountId ?? null,
      payout_id: payout?.id ?? null,
      ...decisionColumns(decision, orderId, at),
    });
    return { result: claimResultOf(decision, orderId, payout), notify: orderId !== null };
  });

  /** Waiting claims whose time has come, decided now; returns how many were decided and how many granted. */
  const decideDue = db.transaction((limit: number): { decided: number; granted: number } => {
    const at = iso();
    let decided = 0;
    let granted = 0;
    for (const c of s.dueClaims.all(at, limit)) {
      const row = s.journey.get(c.card_number, c.journey_id);
      if (!row) continue;
      const journey = journeyOfRow(row);
      const service = serviceFor(journey);
      const decision = decideDelay(journey, service, c.claimed_at, options.now());
      if (decision.status === 'waiting') continue;
      // Another journey of this card on the same train was claimed (made-up journeys): this one
      // is that claim's, its refund no second one.
      const onService = service === null ? undefined : s.claimOnService.get(c.card_number, service.serviceId, c.journey_id);
      // Paid to the bank when so claimed online (a payout, nothing for the feed), else onto the card.
      const payout = decision.status !== 'granted' || onService || (c.payout_account ?? null) === null ? null : bankPayout(c, c.payout_account ?? '', decision.amountCents, at);
      const orderId = decision.status !== 'granted' ? null : onService ? onService.order_id : payout !== null ? null : refundOrder(c.card_number, decision.amountCents);
      s.decideClaim.run({ card_number: c.card_number, journey_id: c.journey_id, kind: c.kind, service_id: service?.serviceId ?? null, ...decisionColumns(decision, orderId, at) });
      const payoutId = payout?.id ?? (onService ? (onService.payout_id ?? null) : null);
      if (payoutId !== null) s.setClaimPayout.run(payoutId, c.card_number, c.journey_id, c.kind);
      decided++;
      if (orderId !== null && !onService) granted++;
    }
    return { decided, granted };
  });

  const importServices = db.transaction((services: readonly TrainService[]): number => {
    const at = iso();
    for (const service of services) s.upsertService.run({ ...serviceColumns(service), updated_at: at });
    return services.length;
  });

  const accountJourneys = (accountId: string): AccountJourneys => {
    const cards = s.linksOf.all(accountId).map((l) => ({ cardNumber: l.card_number, accountId: l.account_id, linkedAt: l.linked_at }));
    const journeys = cards.flatMap(({ cardNumber }) =>
      s.journeysOfCard.all(cardNumber).map((row) => {
        const kind = claimKindOf(journeyOfRow(row));
        const c = s.claim.get(cardNumber, row.journey_id, kind);
        const bankPayout = bankPayoutOf(c, s.payoutOfClaim.get(cardNumber, row.journey_id, kind), c?.payout_account ? s.bankAccount.get(c.payout_account) : undefined);
        return { cardNumber, journey: journeyOfRow(row), assessment: assessRow(row), bankPayout };
      }),
    );
    return { cards, journeys };
  };

  const markPayoutPaid = db.transaction((id: string): PayoutPaid | null => {
    const changed = s.payoutPaid.run(iso(), id) as { changes: number };
    const row = s.payoutById.get(id);
    return row ? { payout: payoutOfRow(row), alreadyPaid: changed.changes === 0 } : null;
  });

  const pinAttempt = db.transaction((id: string, outcome: PinAttempt['outcome']): FleetPinLock | null => {
    if (s.enabledTechnician.get(id) === undefined) return null;
    const stored = s.pinLockOf.get(id);
    const row = stored ? { attempts: stored.attempts, locks: stored.locks, lockedUntil: stored.locked_until } : NO_PIN_LOCK;
    const next = nextPinLock(row, outcome, options.now());
    s.setPinLock.run({ id, attempts: next.row.attempts, locks: next.row.locks, locked_until: next.row.lockedUntil, at: iso() });
    return next.answer;
  });

  return {
    file,
    /** true when this call created the database (the demo seeds it then). */
    created,
    db,
    close: () => {
      try {
        writeWatermark();
      } catch (error) {
        (options.logger ?? silentLogger).warn({ err: String(error), file: watermarkFile }, 'back office: could not write the watermark');
      }
      db.close();
    },
    /** The public key kiosks pin to check the orders' signatures (SPKI DER, base64). */
    orderPublicKey: exportOrderKey(orderKey),
    /** The seal key a card is issued with (secret: for the issuing system only, never logged). */
    cardSealKey: (cardNumber: string): Buffer => cardSealKey(sealMaster, cardNumber),
    /** The current serial generation (0 until the back office first could not vouch for its counters). */
    serialGeneration: generation,
    head: (): number => s.headSeq.get() ?? 0,
    /** The database's epoch: random, made with the database, kept by a backup. */
    epoch,
    placeOrder: (request: OrderRequest, fixed?: Parameters<typeof placeOrder>[1]) => placeOrder.immediate(request, fixed),
    cancelOrder: (id: string) => cancelOrder.immediate(id),
    getOrder: (id: string): OrderView | undefined => {
      const row = s.orderById.get(id);
      return row ? toView(row) : undefined;
    },
    /** Expires due pending orders (in batches); returns how many. */
    expireDue: (limit = 1000): number => expireDue.immediate(limit),
    changesSince(
      cursor: number,
      limit: number,
      anchor?: string,
    ): { changes: OrderChange[]; cursor: number; more: boolean; head: string; epoch: string; anchorSeq?: string | null } {
      const rows = s.changesSince.all(cursor, limit + 1);
      const page = rows.slice(0, limit);
      return { changes: page.map(toChange), cursor: page.at(-1)?.seq ?? cursor, more: rows.length > limit, ...pageTail(anchor) };
    },
    /** The changes page as JSON text, ready to send. */
    changesJsonSince(cursor: number, limit: number, anchor?: string, closedUpTo?: number): string {
      return changesPage(cursor, limit, anchor, closedUpTo).json;
    },
    /** The page as `changesJsonSince` writes it, with where it ends (the live stream pushes it as is). */
    changesPage: (cursor: number, limit: number): { json: string; cursor: number; more: boolean } => changesPage(cursor, limit),
    recordPickup: (kioskId: string, report: PickupReport) => recordPickup.immediate(kioskId, report),
    pickupCount: (): number => s.pickupCount.get() ?? 0,
    pickupsForOrder: (orderId: string): number => s.pickupsForOrder.get(orderId) ?? 0,
    conflicts: (): OrderView[] => s.conflicts.all().map(toView),
    registerKiosk(id: string, name: string, token: string): void {
      s.upsertKiosk.run(id, name, hashToken(token));
    },
    kioskForToken(token: string): string | null {
      return s.kioskByHash.get(hashToken(token))?.id ?? null;
    },
    heartbeat(kioskId: string, body: unknown): void {
      s.heartbeat.run(iso(), JSON.stringify(body), kioskId);
    },
    kiosks: (): KioskRow[] =>
      s.kiosks.all().map((k) => ({
        id: k.id,
        name: k.name,
        lastSeenAt: k.last_seen_at,
        heartbeat: k.heartbeat === null ? null : (JSON.parse(k.heartbeat) as unknown),
      })),
    /** Stores a kiosk's audit entries; returns the ids it now holds (re-sent ones included). */
    recordAudit: db.transaction((kioskId: string, entries: readonly AuditEntryIn[]): number[] => {
      const at = iso();
      for (const e of entries) s.insertAudit.run({ kiosk: kioskId, id: e.id, at: e.at, actor: e.actor, action: e.action, detail: e.detail, received: at });
      return entries.map((e) => e.id);
    }),
    /** The audit log, newest arrival first; `seq` pages it (`before`). */
    audit: (query: { kiosk?: string | undefined; before?: number | undefined; limit?: number | undefined } = {}) =>
      s.audit.all({ kiosk: query.kiosk ?? null, before: query.before ?? null, limit: query.limit ?? 500 }).map((a) => ({
        seq: a.seq,
        kioskId: a.kiosk_id,
        id: a.local_id,
        at: a.at,
        actor: a.actor,
        actorKnown: a.actor_known === 1,
        action: a.action,
        detail: a.detail,
      })),
    setTechnician(id: string, cardNumber: string, pin: PinHash): void {
      s.upsertTechnician.run({ id, card_number: cardNumber, salt: pin.salt, hash: pin.hash, params: JSON.stringify(pin.params) });
    },
    /** Disables (or enables again) a technician; false when there is no such technician. */
    setTechnicianEnabled(id: string, enabled: boolean): boolean {
      return s.setTechnicianDisabled.run(enabled ? null : iso(), id).changes === 1;
    },
    /** Deletes a technician; false when there was none. */
    removeTechnician: (id: string): boolean => s.removeTechnician.run(id).changes === 1,
    /** Counts a PIN attempt across the fleet (backoffice/pin-lock.ts), in an immediate transaction; null: no enabled technician of that id. */
    pinAttempt: (id: string, outcome: PinAttempt['outcome']): FleetPinLock | null => pinAttempt.immediate(id, outcome),
    technicians: (): TechnicianCredential[] =>
      s.technicians.all().map((t) => ({
        technicianId: t.id,
        cardNumber: t.card_number,
        salt: t.salt,
        hash: t.hash,
        params: JSON.parse(t.params) as PinHash['params'],
      })),
    unsentEmails: (limit: number): EmailRow[] => s.unsentEmails.all(limit).map(emailRowOf),
    /**
     * Claims up to `limit` unsent e-mails for dispatcher `by`, oldest first: none that another
     * dispatcher claimed less than `reclaimMs` ago (its own claims it takes again).
     */
    claimEmails: (by: string, limit: number, reclaimMs = EMAIL_RECLAIM_MS): EmailRow[] => {
      const now = options.now();
      return s.claimEmails
        .all({ by, at: now.toISOString(), stale: new Date(now.getTime() - reclaimMs).toISOString(), limit })
        .sort((a, b) => a.id - b.id)
        .map((e) => emailRowOf({ ...e, card_number: s.cardOfOrder.get(e.order_id) ?? '' }));
    },
    emailSent: (id: number): void => void s.emailSent.run(iso(), id),
    /** Step 1 of Mijn NS: a kaartservicecode requested online (a repeat within CODE_REPEAT_MS gets the first). */
    requestCode: (request: CodeRequest): CodeRequestResult => requestCode.immediate(request),
    /** Step 4: links the card to the account with its code, or says why not. */
    linkCard: (accountId: string, cardNumber: string, code: string): LinkedCard | LinkRefusal => linkCard.immediate(accountId, cardNumber, code),
    /** The account the card is linked to, or null. */
    accountOfCard: (cardNumber: string): string | null => s.accountOfCard.get(cardNumber) ?? null,
    /** Records a card's travel log (each journey once) and assesses each journey. */
    recordJourneys: (cardNumber: string, journeys: readonly CardJourney[]): JourneyAssessment[] => recordJourneys.immediate(cardNumber, journeys),
    /** A card's recorded journey, or null. */
    journey: (cardNumber: string, id: string): CardJourney | null => {
      const row = s.journey.get(cardNumber, journeyKey(id));
      return row ? journeyOfRow(row) : null;
    },
    claim: (by: string, request: ClaimRequest, bank?: { readonly accountId: string }): ClaimOutcome => claim.immediate(by, request, bank),
    setBankAccount: (accountId: string, iban: string, holder: string): BankAccountView => {
      const row = { account_id: accountId, iban, holder, updated_at: iso() };
      s.setBankAccount.run(row);
      return bankAccountOfRow(row);
    },
    bankAccount: (accountId: string): BankAccountView | null => {
      const row = s.bankAccount.get(accountId);
      return row ? bankAccountOfRow(row) : null;
    },
    payouts: (query: PayoutsQuery): PayoutsPage => payoutsPage(s.payoutsPage.all(query.status, query.after, query.limit + 1), query.limit),
    markPayoutPaid: (id: string): PayoutPaid | null => markPayoutPaid.immediate(id),
    // Asked before every journeys and claims request: a write transaction only when a claim is due.
    decideDueClaims: (limit = 500): { decided: number; granted: number } =>
      s.dueClaims.all(iso(), 1).length === 0 ? { decided: 0, granted: 0 } : decideDue.immediate(limit),
    importServices: (services: readonly TrainService[]): number => importServices.immediate(services),
    accountJourneys,
    emailFailed: (id: number, error: string): void => void s.emailFailed.run(error, id),
  };
}
