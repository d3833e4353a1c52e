// The back office's storage behind one interface, with two engines: the embedded SQLite
// file (backoffice/db.ts, the default: the demo, a single station, tests) and PostgreSQL
// for an operator's fleet (backoffice/pg-store.ts, BACKOFFICE_DATABASE_URL=postgres://…),
// which several back-office instances can share. server.ts, email.ts and main.ts use only
// this interface; both engines pass the same contract tests (backoffice/store.test.ts).
import type { CardJourney } from '../domain/index.js';
import type { ClaimRequest, FleetPinLock, JourneyAssessment, OrderChange, PickupReport, PinAttempt, TechnicianCredential } from '../protocol/kiosk-api.js';
import type { AccountJourneys, BankAccountView, PayoutPaid, PayoutsPage, PayoutsQuery, CodeRequest, CodeRequestResult, LinkedCard, LinkRefusal, TrainService } from '../protocol/online-api.js';
import type { AuditEntryIn, BackOfficeDb, ClaimOutcome, EmailRow, FixedOrder, KioskRow, OrderRequest, OrderView, PickupResult } from './db.js';
import type { PinHash } from './pins.js';
import type { FeedPage } from './live.js';

export interface ChangesPage {
  changes: OrderChange[];
  cursor: number;
  more: boolean;
  head: string;
  epoch: string;
  anchorSeq?: string | null;
}

export interface AuditView {
  seq: number;
  kioskId: string;
  id: number;
  at: string;
  actor: string;
  actorKnown: boolean;
  action: string;
  detail: string | null;
}

export interface AuditQuery {
  kiosk?: string | undefined;
  before?: number | undefined;
  limit?: number | undefined;
}

export interface BackOfficeStore {
  readonly engine: 'sqlite' | 'postgres';
  /** true when this open created the database (the demo seeds it then). */
  readonly created: boolean;
  /** The database's epoch: random, made with the database, kept by a backup. */
  readonly epoch: string;
  /** The public key kiosks pin to check the orders' signatures (SPKI DER, base64). */
  readonly orderPublicKey: string;
  /** The seal key a card is issued with (secret: for the issuing system only, never logged). */
  cardSealKey(cardNumber: string): Buffer;
  /** The feed's head: the highest sequence number handed out. */
  head(): Promise<number>;
  /** The current serial generation (0 until the back office first could not vouch for its counters). */
  serialGeneration(): Promise<number>;
  placeOrder(request: OrderRequest, fixed?: FixedOrder): Promise<OrderView>;
  cancelOrder(id: string): Promise<OrderView>;
  getOrder(id: string): Promise<OrderView | undefined>;
  /** Expires due pending orders (at most `limit`); returns how many. */
  expireDue(limit?: number): Promise<number>;
  changesSince(cursor: number, limit: number, anchor?: string): Promise<ChangesPage>;
  /**
   * The changes page as JSON text, ready to send (the same document as changesSince).
   * `closedUpTo`: a new kiosk's initial sync may be sent without the orders closed at or
   * before it (docs/sync-protocol.md, "What a kiosk holds"); both engines honour it.
   */
  changesJsonSince(cursor: number, limit: number, anchor?: string, closedUpTo?: number): Promise<string>;
  /** The page as changesJsonSince writes it, with where it ends: what the live stream pushes. */
  changesPage(cursor: number, limit: number): Promise<FeedPage>;
  recordPickup(kioskId: string, report: PickupReport): Promise<PickupResult>;
  pickupCount(): Promise<number>;
  pickupsForOrder(orderId: string): Promise<number>;
  conflicts(): Promise<OrderView[]>;
  registerKiosk(id: string, name: string, token: string): Promise<void>;
  kioskForToken(token: string): Promise<string | null>;
  heartbeat(kioskId: string, body: unknown): Promise<void>;
  kiosks(): Promise<KioskRow[]>;
  /** Stores a kiosk's audit entries; returns the ids it now holds (re-sent ones included). */
  recordAudit(kioskId: string, entries: readonly AuditEntryIn[]): Promise<number[]>;
  /** The audit log, newest arrival first; `seq` pages it (`before`). */
  audit(query?: AuditQuery): Promise<AuditView[]>;
  setTechnician(id: string, cardNumber: string, pin: PinHash): Promise<void>;
  /** Disables (or enables again) a technician; false when there is no such technician. */
  setTechnicianEnabled(id: string, enabled: boolean): Promise<boolean>;
  removeTechnician(id: string): Promise<boolean>;
  /** The enabled technicians, as kiosks get them. */
  technicians(): Promise<TechnicianCredential[]>;
  /** Counts a PIN attempt for an enabled technician across the fleet (backoffice/pin-lock.ts); null: no such technician. */
  pinAttempt(technicianId: string, outcome: PinAttempt['outcome']): Promise<FleetPinLock | null>;
  /**
   * Claims up to `limit` unsent e-mails for the dispatcher `by`, oldest first: none that
   * another dispatcher claimed less than `reclaimMs` ago (default EMAIL_RECLAIM_MS); its own
   * earlier claims `by` takes again (one dispatcher round at a time per `by`).
   */
  claimEmails(by: string, limit: number, reclaimMs?: number): Promise<EmailRow[]>;
  emailSent(id: number): Promise<void>;
  /** Records the failure and lets the e-mail go, for the next round. */
  emailFailed(id: number, error: string): Promise<void>;

  // ---------------------------------------------------------- Mijn NS (issue 14; backoffice/claims.ts)
  /**
   * Step 1: a kaartservicecode for the card, made here, sealed into its order, kept only as
   * its keyed hash; the 'code-requested' and 'code-ready' e-mails queued in `language`. A
   * request for the same card within CODE_REPEAT_MS, while its order waits, gets that order.
   */
  requestCode(request: CodeRequest): Promise<CodeRequestResult>;
  /** Step 4: links the card to the account with a code picked up at a machine (single use, expiring, LINK_MAX_FAILURES wrong codes per card). */
  linkCard(accountId: string, cardNumber: string, code: string): Promise<LinkedCard | LinkRefusal>;
  /** The account the card is linked to, or null. */
  accountOfCard(cardNumber: string): Promise<string | null>;
  /** Records a card's travel log (each journey once per card and journeyId; the first report wins) and assesses each. */
  recordJourneys(cardNumber: string, journeys: readonly CardJourney[]): Promise<JourneyAssessment[]>;
  /** A recorded journey of the card, or null. */
  journey(cardNumber: string, journeyId: string): Promise<CardJourney | null>;
  /**
   * A claim, decided at once or left waiting; once per card, journey and kind (`by`: a kiosk,
   * or 'online'). `notify`: a refund order entered the feed. With `bank` (online only), a
   * granted claim is a payout instruction to that account's bank account (it must have one:
   * else BackOfficeConflict), no order.
   */
  claim(by: string, request: ClaimRequest, bank?: { readonly accountId: string }): Promise<ClaimOutcome>;
  /** Keeps the account's bank account (`iban` validated and in electronic format, backoffice/bank.ts); a new one replaces it. */
  setBankAccount(accountId: string, iban: string, holder: string): Promise<BankAccountView>;
  /** The account's bank account (masked), or null. */
  bankAccount(accountId: string): Promise<BankAccountView | null>;
  /** The payout instructions of `status`, oldest first, after the cursor `after`; `next`: the cursor of the next page, or null. */
  payouts(query: PayoutsQuery): Promise<PayoutsPage>;
  /** Marks a payout paid (once; its IBAN and holder cleared); null for an unknown id. */
  markPayoutPaid(id: string): Promise<PayoutPaid | null>;
  /** Decides the waiting claims whose `decisionAfter` has passed (at most `limit`). */
  decideDueClaims(limit?: number): Promise<{ decided: number; granted: number }>;
  /** Stores the operator's realised train services (by serviceId, replacing what was there); returns how many. */
  importServices(services: readonly TrainService[]): Promise<number>;
  /** The cards linked to the account and their travel history, newest first, each journey assessed. */
  accountJourneys(accountId: string): Promise<AccountJourneys>;
  /**
   * Calls `listener` when another instance on the same database committed a change of the
   * feed (PostgreSQL LISTEN/NOTIFY); the SQLite engine has one process, so never. Returns
   * the unsubscribe function.
   */
  onChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The SQLite engine: today's synchronous database (backoffice/db.ts) behind the interface. */
export function sqliteStore(db: BackOfficeDb): BackOfficeStore {
  // Each call runs synchronously inside the promise: an exception becomes a rejection.
  const run = <T>(f: () => T): Promise<T> => new Promise((resolve) => resolve(f()));
  return {
    engine: 'sqlite',
    created: db.created,
    epoch: db.epoch,
    orderPublicKey: db.orderPublicKey,
    cardSealKey: (cardNumber) => db.cardSealKey(cardNumber),
    head: () => run(() => db.head()),
    serialGeneration: () => run(() => db.serialGeneration()),
    placeOrder: (request, fixed) => run(() => db.placeOrder(request, fixed)),
    cancelOrder: (id) => run(() => db.cancelOrder(id)),
    getOrder: (id) => run(() => db.getOrder(id)),
    expireDue: (limit) => run(() => db.expireDue(limit)),
    changesSince: (cursor, limit, anchor) => run(() => db.changesSince(cursor, limit, anchor)),
    changesJsonSince: (cursor, limit, anchor, closedUpTo) => run(() => db.changesJsonSince(cursor, limit, anchor, closedUpTo)),
    changesPage: (cursor, limit) => run(() => db.changesPage(cursor, limit)),
    recordPickup: (kioskId, report) => run(() => db.recordPickup(kioskId, report)),
    pickupCount: () => run(() => db.pickupCount()),
    pickupsForOrder: (orderId) => run(() => db.pickupsForOrder(orderId)),
    conflicts: () => run(() => db.conflicts()),
    registerKiosk: (id, name, token) => run(() => db.registerKiosk(id, name, token)),
    kioskForToken: (token) => run(() => db.kioskForToken(token)),
    heartbeat: (kioskId, body) => run(() => db.heartbeat(kioskId, body)),
    kiosks: () => run(() => db.kiosks()),
    recordAudit: (kioskId, entries) => run(() => db.recordAudit(kioskId, entries)),
    audit: (query) => run(() => db.audit(query)),
    setTechnician: (id, cardNumber, pin) => run(() => db.setTechnician(id, cardNumber, pin)),
    setTechnicianEnabled: (id, enabled) => run(() => db.setTechnicianEnabled(id, enabled)),
    removeTechnician: (id) => run(() => db.removeTechnician(id)),
    technicians: () => run(() => db.technicians()),
    pinAttempt: (id, outcome) => run(() => db.pinAttempt(id, outcome)),
    claimEmails: (by, limit, reclaimMs) => run(() => db.claimEmails(by, limit, reclaimMs)),
    emailSent: (id) => run(() => db.emailSent(id)),
    emailFailed: (id, error) => run(() => db.emailFailed(id, error)),
    requestCode: (request) => run(() => db.requestCode(request)),
    linkCard: (accountId, cardNumber, code) => run(() => db.linkCard(accountId, cardNumber, code)),
    accountOfCard: (cardNumber) => run(() => db.accountOfCard(cardNumber)),
    recordJourneys: (cardNumber, journeys) => run(() => db.recordJourneys(cardNumber, journeys)),
    journey: (cardNumber, id) => run(() => db.journey(cardNumber, id)),
    claim: (by, request, bank) => run(() => db.claim(by, request, bank)),
    setBankAccount: (accountId, iban, holder) => run(() => db.setBankAccount(accountId, iban, holder)),
    bankAccount: (accountId) => run(() => db.bankAccount(accountId)),
    payouts: (query) => run(() => db.payouts(query)),
    markPayoutPaid: (id) => run(() => db.markPayoutPaid(id)),
    decideDueClaims: (limit) => run(() => db.decideDueClaims(limit)),
    importServices: (services) => run(() => db.importServices(services)),
    accountJourneys: (accountId) => run(() => db.accountJourneys(accountId)),
    onChange: () => () => {},
    close: () => run(() => db.close()),
  };
}
