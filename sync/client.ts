// The kiosk's sync client: pulls the back office's changes feed into the store (paged,
// resumable: each page and the cursor after it commit in one transaction), takes the
// changes the live stream (SSE) pushes (and pulls when the stream says it missed some), and pushes the pickup
// outbox until every report is acknowledged. Every response is validated (and capped in
// size); a malformed one is logged and never applied. The feed cannot skip or go back in
// time: a page from another back office epoch, with a head below the cursor or without the
// kiosk's anchor starts the feed over from cursor 0 (docs/sync-protocol.md, "Feed resets"). While the back office is unreachable the kiosk keeps
// serving its cache and `status()` says it is offline.
import type { KeyObject } from 'node:crypto';
import { Agent, fetch as undiciFetch } from 'undici';
import { z } from 'zod';
import { orderSignatureValid } from './order-signature.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { KioskFailure, journeyId, type BackOfficeFailure, type CardJourney, type ClaimOutcome, type JourneyAssessment } from '../domain/index.js';
import {
  auditAckSchema,
  claimResultSchema,
  journeysResponseSchema,
  changesPageSchema,
  fleetPinLockSchema,
  liveEventSchema,
  livePageSchema,
  pickupAckSchema,
  KIOSK_API,
  technicianCredentialSchema,
  type ClaimRequest,
  type FleetPinLock,
  type Heartbeat,
  type LivePage,
  type PinAttempt,
  type OrderChange,
  type TechnicianCredential,
} from '../protocol/kiosk-api.js';
import type { ApplyChangesResult, Store, StoreLogger } from '../store/index.js';
import type { FeedResetReason } from '../store/sync-repo.js';

export interface SyncClientOptions {
  /** e.g. http://127.0.0.1:8090 */
  readonly baseUrl: string;
  /** This kiosk's bearer token. */
  readonly token: string;
  readonly store: Store;
  readonly logger: StoreLogger;
  readonly now?: () => Date;
  readonly pageSize?: number;
  readonly requestTimeoutMs?: number;
  /**
   * How long a question a traveller waits for (the journeys' assessment, a claim) may take
   * before it is a `timeout`. Default 5 s.
   */
  readonly interactiveTimeoutMs?: number;
  /** Largest response body accepted; a longer one is cut off and rejected. Default 8 MiB. */
  readonly maxResponseBytes?: number;
  /** Largest live-stream frame; one that grows past it without ending drops the stream. Default 2 MiB. */
  readonly maxFrameBytes?: number;
  readonly backoff?: BackoffPolicy;
  /** A full pull + push + heartbeat even without live notifications. Default 30 s. */
  readonly pollIntervalMs?: number;
  /** How often the outbox is checked for new pickups. Default 1 s. */
  readonly outboxIntervalMs?: number;
  /** Open the live stream (default true). */
  readonly live?: boolean;
  readonly fetch?: typeof fetch;
  readonly random?: () => number;
  /** Called after each applied page (tests, benchmarks, a view refresh). */
  readonly onApplied?: (result: ApplyChangesResult & { cursor: string }) => void;
  /**
   * Receives the technicians' PIN hashes (validated) after every successful poll, for the
   * maintenance mode's offline PIN check.
   */
  readonly onTechnicians?: (list: TechnicianPinHash[]) => void;
  /**
   * What the kiosk says of itself in every heartbeat (the operator console shows it): its
   * overall health and why it is out of service. A report that throws leaves them out.
   */
  readonly report?: () => Pick<Heartbeat, 'health' | 'outOfService'>;
  /**
   * The back office's order key (sync/order-signature.ts): a pending order whose signature
   * does not verify is refused, never stored. Every station has one (station.json); left
   * out only by tests of other things.
   */
  readonly orderKey?: KeyObject;
  /**
   * TLS to the back office (https): the fleet CA to pin (PEM; only certificates it issued are
   * trusted), and this kiosk's client certificate and key for mutual TLS.
   */
  readonly tls?: { readonly ca: string; readonly cert?: string; readonly key?: string };
  /**
   * Told the Date header of every answer, with this kiosk's clock (`now`) when the request
   * went out and when the answer came: how far the kiosk's clock is off (kiosk/clock-watch.ts).
   */
  readonly onServerDate?: (dateHeader: string, sentAt: Date, receivedAt: Date) => void;
}

export interface SyncStatus {
  /** The last exchange with the back office succeeded. */
  readonly online: boolean;
  readonly lastSuccessAt: string | null;
  /** Pickup reports not yet acknowledged. */
  readonly outboxDepth: number;
  /** Milliseconds since the last successful exchange; null if there never was one. */
  readonly lagMs: number | null;
  /** lagMs in whole seconds (what the maintenance status shows). */
  readonly lagSeconds: number | null;
  readonly liveConnected: boolean;
  readonly cursor: string | null;
  readonly lastError: string | null;
}

export interface SyncClient {
  start(): void;
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Pull every page, then push the outbox; rejects on failure (the background loop retries). */
  syncNow(): Promise<void>;
  /** Sends a heartbeat now (also sent at start and every poll); a failure is logged, never thrown. */
  heartbeat(): Promise<void>;
  /**
   * What each of the card's journeys can earn back, in the order asked. Rejects with a
   * KioskFailure<BackOfficeFailure>: `unreachable`, `timeout` or `invalidAnswer` (an answer
   * that fails the schema, contradicts itself or is about other journeys than asked).
   */
  assessJourneys(cardNumber: string, journeys: readonly CardJourney[]): Promise<JourneyAssessment[]>;
  /** A claim for one journey of the card on the reader; rejects as assessJourneys does. */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /**
   * Tells the back office of a PIN tried for a technician (or found right) and returns the
   * fleet's lock of that technician; null when the back office cannot say (offline, slow
   * past PIN_ATTEMPT_TIMEOUT_MS, an unknown technician, a malformed answer): the kiosk's
   * own lockout still holds. Never throws.
   */
  pinAttempt(attempt: PinAttempt): Promise<FleetPinLock | null>;
}

/** How long a technician waits for the fleet's word before the kiosk checks the PIN alone. */
export const PIN_ATTEMPT_TIMEOUT_MS = 2_000;

/** The back office answered, but not with what the protocol says. Never applied. */
export class SyncProtocolError extends Error {
  override name = 'SyncProtocolError';
}

/** A request that got no answer within its time. */
class RequestTimeout extends Error {
  override name = 'RequestTimeout';
}

function isTimeout(error: unknown): boolean {
  // fetch rejects with the abort reason itself, or (undici) with an AbortError caused by it.
  return error instanceof RequestTimeout || (error instanceof Error && error.cause instanceof RequestTimeout);
}

/** Why an assessment cannot be right for its journey, or null. */
function inconsistency(journey: CardJourney, a: JourneyAssessment): string | null {
  switch (a.status) {
    case 'eligible':
      if (a.kind === null) return 'eligible without a kind';
      if (a.kind === 'delay' && (a.amountCents === null || a.amountCents <= 0)) return 'a delay eligible without an amount';
      if (a.kind === 'forgottenCheckOut' && journey.checkOut !== null) return 'a forgotten check-out on a journey checked out';
      return null;
    case 'waiting':
      return a.decisionAfter === null ? 'waiting without a date' : null;
    case 'claimed':
      // Granted: its refund is an order, or (chosen online) a bank transfer with none.
      return null;
    case 'none':
      return a.reason === null ? 'nothing without a reason' : null;
  }
}

/** A 4xx for one pickup report: retrying the same request will not help. */
class RejectedReport extends Error {}

/** What GET /v1/kiosk/technicians serves: the shape the store caches. */
export type TechnicianPinHash = TechnicianCredential;

/** Default cap of a response body (a changes page of 5000 orders is well under 2 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Default cap of one live-stream frame (a pushed page of 500 changes is some 350 KiB). */
export const DEFAULT_MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** Pushed pages waiting behind a pull; past it they are dropped and the next pull fetches them. */
const MAX_QUEUED_FRAMES = 256;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const { store, logger } = options;
  const base = options.baseUrl.replace(/\/+$/, '');
  // Over https the back office's certificate must be issued by the pinned fleet CA (not by
  // whatever the system trusts), and the kiosk shows its own client certificate if it has one.
  const tls = options.tls;
  let tlsAgent: Agent | null = null;
  const agent = (): Agent =>
    (tlsAgent ??= new Agent({
      connect: {
        ca: tls?.ca,
        ...(tls?.cert !== undefined ? { cert: tls.cert } : {}),
        ...(tls?.key !== undefined ? { key: tls.key } : {}),
        rejectUnauthorized: true,
      },
    }));
  const doFetch: typeof fetch =
    options.fetch ??
    (tls ? ((input, init) => undiciFetch(input as string, { ...(init as object), dispatcher: agent() }) as unknown as Promise<Response>) : fetch);
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 5000;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const interactiveTimeoutMs = options.interactiveTimeoutMs ?? 5_000;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const pollIntervalMs = options.pollIntervalMs ?? 30_000;
  const outboxIntervalMs = options.outboxIntervalMs ?? 1_000;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;

  let running = false;
  let stopping = new AbortController();
  let online = false;
  let liveConnected = false;
  let lastSuccess: Date | null = null;
  let lastError: string | null = null;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  let outboxTimer: NodeJS.Timeout | null = null;
  let cycle: Promise<void> | null = null;
  let again = false;
  let live: Promise<void> | null = null;
  // Pushed pages are applied only on a connection a pull has verified (the pull checks the
  // anchor); each live connection gets a number.
  let connection = 0;
  let verifiedConnection = -1;
  let queuedFrames = 0;

  const succeeded = () => {
    online = true;
    lastSuccess = now();
    lastError = null;
  };

  /**
   * One AbortController per request or live-stream connection, aborted by its own timer or
   * by stop(). Both links are undone when the attempt ends, so nothing is left behind on
   * the client's lifetime signal however often it retries. (Not `AbortSignal.any([...,
   * AbortSignal.timeout()])`: on Node 20 that timeout can be collected before it fires,
   * nodejs/node#57736, and the request then hangs for good.)
   */
  async function attempt<T>(what: string, run: (signal: AbortSignal, disarm: () => void) => Promise<T>, limitMs = timeoutMs): Promise<T> {
    const controller = new AbortController();
    const lifetime = stopping.signal;
    const onStop = () => controller.abort(lifetime.reason);
    if (lifetime.aborted) onStop();
    else lifetime.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(() => controller.abort(new RequestTimeout(`${what}: no answer within ${limitMs} ms`)), limitMs);
    try {
      return await run(controller.signal, () => clearTimeout(timer));
    } finally {
      clearTimeout(timer);
      lifetime.removeEventListener('abort', onStop);
      // Whatever is still open of this attempt (a live stream's body) goes with it.
      controller.abort();
    }
  }

  /** Resolves after `ms`, or at once when the client stops; leaves no listener behind. */
  function pause(ms: number): Promise<void> {
    const lifetime = stopping.signal;
    if (lifetime.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        lifetime.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      lifetime.addEventListener('abort', done, { once: true });
    });
  }

  function request(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, limitMs = timeoutMs): Promise<{ status: number; json: unknown }> {
    return attempt(`${method} ${path}`, async (signal) => {
      const init: RequestInit = {
        method,
        signal,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      };
      if (body !== undefined) init.body = JSON.stringify(body);
      const sentAt = now();
      const response = await doFetch(`${base}${path}`, init);
      const dateHeader = response.headers.get('date');
      if (dateHeader) options.onServerDate?.(dateHeader, sentAt, now());
      // The whole body is read before anything is applied (and within the timeout): a cut
      // connection fails here, and so does a body past the byte cap.
      const text = await readCapped(response, `${method} ${path}`);
      if (response.status >= 500) throw new Error(`${method} ${path}: HTTP ${response.status}`);
      if (response.status === 401) throw new SyncProtocolError(`${method} ${path}: the back office refused this kiosk's token (401)`);
      if (text === '') return { status: response.status, json: undefined };
      try {
        return { status: response.status, json: JSON.parse(text) as unknown };
      } catch (cause) {
        logger.error({ path, status: response.status }, 'sync: malformed response rejected (not JSON)');
        throw new SyncProtocolError(`${method} ${path}: response is not JSON`, { cause });
      }
    }, limitMs);
  }

  /**
   * A question a traveller waits for: POSTed with the interactive timeout, its answer
   * validated; whatever goes wrong becomes a KioskFailure<BackOfficeFailure> (logged
   * without the card number or the body).
   */
  async function ask<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const fail = (code: BackOfficeFailure, error?: unknown): never => {
      logger.warn({ path, code, ...(error === undefined ? {} : { err: describe(error) }) }, 'sync: the back office gave no usable answer');
      throw new KioskFailure<BackOfficeFailure>(code, `${path}: ${code}`);
    };
    let answer: { status: number; json: unknown };
    try {
      answer = await request('POST', path, body, interactiveTimeoutMs);
    } catch (error) {
      if (error instanceof SyncProtocolError) return fail('invalidAnswer', error);
      if (isTimeout(error)) return fail('timeout', error);
      return fail('unreachable', error);
    }
    if (answer.status !== 200) return fail('invalidAnswer', new Error(`HTTP ${String(answer.status)}`));
    const parsed = schema.safeParse(answer.json);
    if (!parsed.success) {
      logger.error({ path, issues: z.prettifyError(parsed.error) }, 'sync: malformed response rejected');
      return fail('invalidAnswer');
    }
    return parsed.data;
  }

  async function assessJourneys(cardNumber: string, journeys: readonly CardJourney[]): Promise<JourneyAssessment[]> {
    if (journeys.length === 0) return [];
    const answer = await ask(KIOSK_API.journeys, { cardNumber, journeys }, journeysResponseSchema);
    // Believed only when it assesses exactly the journeys asked, each once, and each consistently.
    const byId = new Map(answer.journeys.map((a) => [a.journeyId, a]));
    const lie = (why: string): never => {
      logger.error({ path: KIOSK_API.journeys, why }, 'sync: malformed response rejected');
      throw new KioskFailure<BackOfficeFailure>('invalidAnswer', `${KIOSK_API.journeys}: ${why}`);
    };
    if (byId.size !== answer.journeys.length) lie('a journey assessed twice');
    if (answer.journeys.length !== journeys.length) lie('other journeys than asked');
    return journeys.map((journey) => {
      const assessed = byId.get(journeyId(journey));
      if (!assessed) return lie('other journeys than asked');
      const why = inconsistency(journey, assessed);
      if (why) lie(why);
      return assessed;
    });
  }

  async function pinAttempt(body: PinAttempt): Promise<FleetPinLock | null> {
    try {
      const { status, json } = await request('POST', KIOSK_API.pinAttempts, body, Math.min(timeoutMs, PIN_ATTEMPT_TIMEOUT_MS));
      if (status === 404) {
        logger.warn({ technicianId: body.technicianId }, 'sync: the back office knows no such technician (PIN attempt not counted across the fleet)');
        return null;
      }
      if (status !== 200) throw new SyncProtocolError(`POST ${KIOSK_API.pinAttempts}: HTTP ${status}`);
      return validate(fleetPinLockSchema, json, KIOSK_API.pinAttempts);
    } catch (error) {
      logger.warn({ err: describe(error), technicianId: body.technicianId }, "sync: no fleet PIN lock from the back office; the kiosk's own lockout holds");
      return null;
    }
  }

  function claim(request: ClaimRequest): Promise<ClaimOutcome> {
    return ask(KIOSK_API.claims, request, claimResultSchema);
  }

  /** The body as text, read chunk by chunk; past `maxResponseBytes` the read is cancelled and rejected. */
  async function readCapped(response: Response, what: string): Promise<string> {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxResponseBytes) {
      await response.body?.cancel().catch(() => undefined);
      logger.error({ what, bytes: declared, cap: maxResponseBytes }, 'sync: malformed response rejected (over the byte cap)');
      throw new SyncProtocolError(`${what}: response over the byte cap (${declared} > ${maxResponseBytes})`);
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let bytes = 0;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxResponseBytes) {
        await reader.cancel().catch(() => undefined);
        logger.error({ what, cap: maxResponseBytes }, 'sync: malformed response rejected (over the byte cap)');
        throw new SyncProtocolError(`${what}: response over the byte cap (${maxResponseBytes} bytes)`);
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  }

  /** A page that cannot be right: logged as a protocol error, never applied. */
  function reject(why: string, detail: Record<string, unknown>): never {
    logger.error(detail, `sync: malformed response rejected (${why})`);
    throw new SyncProtocolError(`changes feed: ${why}`);
  }

  function validate<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    logger.error({ path, issues: z.prettifyError(parsed.error) }, 'sync: malformed response rejected');
    throw new SyncProtocolError(`${path}: malformed response`);
  }

  /** Starts the feed over from cursor 0 (deliveries and outbox untouched) and says why. */
  function resetFeed(reason: FeedResetReason, page: { epoch: string; head: string }, detail: Record<string, unknown>): void {
    const before = store.sync.feed();
    store.sync.resetFeed({ reason, epoch: page.epoch, head: page.head });
    logger.warn(
      { reason, ...detail, cursor: before.cursor, epoch: before.epoch, newEpoch: page.epoch, head: page.head },
      'sync: feed reset; resyncing from cursor 0',
    );
  }

  /**
   * The page's changes without those whose signature does not verify (injected, altered, for
   * another card, an old offer played again with a new version, a forged cancel): those are
   * never stored, and each is logged. The page is still taken (its cursor moves on): a forged
   * entry must not stop the genuine ones.
   */
  function signedOnly<T extends OrderChange>(changes: readonly T[]): readonly T[] {
    const key = options.orderKey;
    if (!key) return changes;
    return changes.flatMap((change): T[] => {
      if (!orderSignatureValid(key, change, change.signature)) {
        logger.error(
          { orderId: change.orderId, serial: change.serial, status: change.status, version: change.version },
          "sync: an order change whose signature does not verify with the back office's key was refused (not stored)",
        );
        return [];
      }
      // Only an offer may declare void serials: on any other change they are dropped.
      return [change.status === 'pending' || change.voidSerials === null ? change : { ...change, voidSerials: null }];
    });
  }

  async function pull(): Promise<void> {
    let resets = 0;
    const onConnection = connection;
    // A kiosk that holds no order yet needs none that was closed before its sync began: after
    // the first page it asks the back office to leave those out (docs/sync-protocol.md,
    // "What a kiosk holds"). Kept for this pull only: a restart goes on without it.
    let closedUpTo: string | null = null;
    const fresh = (feed: { cursor: string | null }) => (feed.cursor ?? '0') === '0' && Object.values(store.orders.countByStatus()).every((n) => n === 0);
    let startedFresh = fresh(store.sync.feed());
    for (;;) {
      const feed = store.sync.feed();
      const cursor = feed.cursor ?? '0';
      const anchor = cursor !== '0' && feed.anchor !== null ? `&anchor=${encodeURIComponent(feed.anchor)}` : '';
      const closed = closedUpTo === null ? '' : `&closedUpTo=${closedUpTo}`;
      const path = `${KIOSK_API.changes}?cursor=${encodeURIComponent(cursor)}&limit=${pageSize}${anchor}${closed}`;
      const { status, json } = await request('GET', path);
      if (status !== 200) throw new SyncProtocolError(`GET changes: HTTP ${status}`);
      const page = validate(changesPageSchema, json, KIOSK_API.changes);
      const [at, returned, head] = [Number(cursor), Number(page.cursor), Number(page.head)];
      // Pages that cannot be right, whatever the kiosk holds: nothing applied, the cursor stays.
      if (page.changes.length > pageSize) reject('more changes than asked', { limit: pageSize, changes: page.changes.length });
      // A page that moves the cursor past the head it reports itself. (The back office echoes
      // a cursor it has no changes after: that one is judged below, as a head behind the kiosk.)
      if (returned > head && returned !== at) reject('cursor beyond the head', { cursor, returned: page.cursor, head: page.head });
      // The back office is another database, or its feed went back in time: start over from
      // 0 (once per pull; a second reset in one pull is a back office that cannot decide).
      const rewind: [FeedResetReason, Record<string, unknown>] | null =
        feed.epoch !== null && page.epoch !== feed.epoch
          ? ['epoch', {}]
          : feed.epoch === null && at > 0
            ? ['legacy', {}]
            : head < at
              ? ['rewound', {}]
              : // The anchor names the change at the cursor: a back office that has it elsewhere,
                // or not at all, is not the feed this cursor belongs to.
                anchor !== '' && (page.anchorSeq === undefined || page.anchorSeq === null || Number(page.anchorSeq) !== at)
                ? ['anchor', { anchor: feed.anchor, anchorSeq: page.anchorSeq ?? null }]
                : null;
      if (rewind) {
        if (resets++ > 0) reject('feed reset twice in one pull', { reason: rewind[0] });
        resetFeed(rewind[0], page, rewind[1]);
        closedUpTo = null;
        startedFresh = fresh(store.sync.feed());
        continue;
      }
      if (startedFresh && closedUpTo === null) closedUpTo = page.head;
      if (returned < at) reject('cursor went back', { cursor, returned: page.cursor });
      // The anchor is the change at the page's cursor (its version is the cursor), also when
      // that one was refused; entries added around it do not move it.
      const atCursor = page.changes.findLast((c) => c.version === returned)?.change;
      const result = store.sync.applyCheckedChanges(signedOnly(page.changes), page.cursor, { epoch: page.epoch, anchor: atCursor ?? page.changes.at(-1)?.change });
      succeeded();
      options.onApplied?.({ ...result, cursor: page.cursor });
      if (!page.more || page.changes.length === 0) {
        verifiedConnection = onConnection;
        return;
      }
    }
  }

  /**
   * A page the live stream pushed. It follows the feed from `from`: a kiosk at a cursor in
   * [from, cursor) applies the changes after its own cursor (the page holds each order's
   * latest change in that range, so nothing between is missing); a kiosk behind `from`, in
   * another epoch, or on a connection no pull has verified yet, pulls instead. A page that
   * cannot be right is rejected like a pulled one (nothing applied) and a pull follows.
   */
  function applyPushed(page: LivePage): void {
    if (verifiedConnection !== connection) return trigger();
    const feed = store.sync.feed();
    if (feed.epoch !== page.epoch) return trigger();
    const [at, from, to, head] = [Number(feed.cursor ?? '0'), Number(page.from), Number(page.cursor), Number(page.head)];
    const wrong =
      to < from ? 'cursor before from' : to > head ? 'cursor beyond the head' : page.changes.some((c) => c.version <= from || c.version > to) ? 'change outside the page' : null;
    if (wrong) {
      logger.error({ from: page.from, cursor: page.cursor, head: page.head }, `sync: malformed live page rejected (${wrong})`);
      return trigger();
    }
    if (to <= at) return; // the kiosk is there already (a pull was quicker)
    if (from > at) return trigger(); // a gap: the pull fills it
    const fresh = page.changes.filter((c) => c.version > at);
    const atCursor = fresh.findLast((c) => c.version === to)?.change;
    try {
      const result = store.sync.applyCheckedChanges(signedOnly(fresh), page.cursor, { epoch: page.epoch, anchor: atCursor ?? fresh.at(-1)?.change });
      succeeded();
      options.onApplied?.({ ...result, cursor: page.cursor });
    } catch (error) {
      logger.warn({ err: describe(error) }, 'sync: a pushed page could not be applied; pulling instead');
      trigger();
    }
  }

  /** Pushed pages wait for a pull or push in progress, and are applied in the order they came. */
  function enqueuePushed(page: LivePage): void {
    if (queuedFrames >= MAX_QUEUED_FRAMES) return trigger();
    queuedFrames++;
    // The chain never rejects: a pull or "sync now" queued after this page must still run.
    exchange = exchange.then(() => {
      queuedFrames--;
      if (!running) return; // stopped meanwhile: the store may be closed
      try {
        applyPushed(page);
      } catch (error) {
        // The store could not be read (a storage fault): the pull that follows reports it.
        logger.warn({ err: describe(error) }, 'sync: a pushed page could not be applied; pulling instead');
        trigger();
      }
    });
  }

  async function pushOne(deliveryId: string, report: unknown): Promise<void> {
    const path = KIOSK_API.pickup(deliveryId);
    const { status, json } = await request('PUT', path, report);
    if (status !== 200) {
      logger.error({ deliveryId, status, body: json }, 'sync: pickup report refused by the back office');
      throw new RejectedReport(`pickup ${deliveryId}: HTTP ${status}`);
    }
    const ack = validate(pickupAckSchema, json, path);
    if (ack.deliveryId !== deliveryId) {
      logger.error({ deliveryId, acked: ack.deliveryId }, 'sync: malformed response rejected (ack for another delivery)');
      throw new SyncProtocolError('acknowledgement for another delivery');
    }
    store.outbox.ack(deliveryId);
    succeeded();
    if (ack.conflict) logger.warn({ deliveryId, conflict: ack.conflict }, 'sync: the back office recorded the pickup with a conflict');
  }

  async function push(): Promise<void> {
    const skipped = new Set<number>();
    for (;;) {
      const items = store.outbox.pending(50 + skipped.size).filter((i) => !skipped.has(i.id));
      if (items.length === 0) return;
      for (const item of items) {
        store.outbox.recordAttempt(item.id);
        try {
          await pushOne(item.deliveryId, item.report);
        } catch (error) {
          // A refused report stays in the outbox (an operator looks at it); the others go on.
          if (error instanceof RejectedReport) skipped.add(item.id);
          else throw error;
        }
      }
    }
  }

  // One heartbeat at a time, each made when it goes: a later one (with more to say) can never
  // be overtaken by an earlier one still on its way.
  let beating: Promise<void> = Promise.resolve();
  function heartbeat(): Promise<void> {
    beating = beating.then(sendHeartbeat);
    return beating;
  }
  async function sendHeartbeat(): Promise<void> {
    try {
      const { cursor, epoch } = store.sync.feed();
      let self: Pick<Heartbeat, 'health' | 'outOfService'> = {};
      try {
        self = options.report?.() ?? {};
      } catch (error) {
        logger.warn({ err: describe(error) }, 'sync: the heartbeat goes without the kiosk\'s health (its report failed)');
      }
      const beat: Heartbeat = { cursor, epoch, outboxDepth: store.outbox.depth(), online, ...self };
      await request('POST', KIOSK_API.heartbeat, beat);
    } catch (error) {
      logger.warn({ err: describe(error) }, 'sync: heartbeat failed');
    }
  }

  async function technicians(): Promise<void> {
    if (!options.onTechnicians) return;
    try {
      const { status, json } = await request('GET', KIOSK_API.technicians);
      if (status !== 200) throw new SyncProtocolError(`GET technicians: HTTP ${status}`);
      // One bad credential must not cost every technician their offline login: each entry
      // is checked on its own; a bad one is skipped and named (never its hash).
      const entries = validate(z.array(z.unknown()).max(10_000), json, KIOSK_API.technicians);
      const list: TechnicianPinHash[] = [];
      for (const entry of entries) {
        const parsed = technicianCredentialSchema.safeParse(entry);
        if (parsed.success) list.push(parsed.data);
        else {
          const id = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).technicianId : undefined;
          logger.error(
            { technicianId: typeof id === 'string' ? id.slice(0, 64) : null, fields: parsed.error.issues.map((i) => i.path.join('.')) },
            'sync: an invalid technician credential from the back office was skipped',
          );
        }
      }
      options.onTechnicians(list);
    } catch (error) {
      logger.warn({ err: describe(error) }, 'sync: technician PIN hashes not refreshed');
    }
  }

  /** The maintenance audit log goes to the back office too; a re-sent entry is a no-op there. */
  async function pushAudit(): Promise<void> {
    for (;;) {
      const entries = store.maintenance.audit.unsynced(100);
      if (entries.length === 0) return;
      const { status, json } = await request('POST', KIOSK_API.audit, {
        entries: entries.map(({ id, at, actor, action, detail }) => ({ id, at, actor, action, detail })),
      });
      if (status !== 200) throw new SyncProtocolError(`POST audit: HTTP ${status}`);
      const { accepted } = validate(auditAckSchema, json, KIOSK_API.audit);
      const sent = new Set(entries.map((e) => e.id));
      store.maintenance.audit.markSynced(accepted.filter((id) => sent.has(id)));
      if (accepted.length === 0) return;
    }
  }

  // One exchange at a time: a technician's "sync now" waits for the background cycle
  // instead of racing it (a race would be harmless — pages and acks are idempotent — but
  // noisy).
  let exchange: Promise<unknown> = Promise.resolve();
  function syncNow(): Promise<void> {
    const run = exchange.then(async () => {
      await pull();
      await push();
      await pushAudit();
    });
    exchange = run.catch(() => undefined);
    return run;
  }

  function scheduleRetry(): void {
    if (!running || retryTimer) return;
    const delay = backoffDelay(Math.min(failures - 1, 30), policy, random);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      trigger();
    }, delay);
  }

  /** Run a cycle now, or once more after the one in progress. */
  function trigger(): void {
    if (!running) return;
    if (cycle) {
      again = true;
      return;
    }
    cycle = (async () => {
      do {
        again = false;
        try {
          await syncNow();
          failures = 0;
        } catch (error) {
          if (!running) return;
          failures++;
          online = false;
          lastError = describe(error);
          logger.warn({ err: lastError, failures }, 'sync: back office unreachable or refused; retrying');
          scheduleRetry();
          return;
        }
      } while (again && running);
    })().finally(() => {
      cycle = null;
    });
  }

  /** One connection of the live stream, until it ends or fails. */
  function liveOnce(onConnected: () => void): Promise<void> {
    // The connection and its headers must come within the request timeout; the stream
    // itself then lasts as long as it lasts.
    return attempt(`GET ${KIOSK_API.events}`, async (signal, disarm) => {
      const response = await doFetch(`${base}${KIOSK_API.events}`, {
        headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
        signal,
      });
      disarm();
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel();
        throw new Error(`live stream: HTTP ${response.status}`);
      }
      onConnected();
      const decoder = new TextDecoder();
      let buffer = '';
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = frame.split('\n');
          const data = lines
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (data === '') continue; // a keep-alive comment
          let parsed: unknown;
          try {
            parsed = JSON.parse(data);
          } catch {
            parsed = undefined;
          }
          if (lines.some((line) => line === 'event: page')) {
            const page = livePageSchema.safeParse(parsed);
            if (page.success) enqueuePushed(page.data);
            else {
              logger.error({ issues: z.prettifyError(page.error).slice(0, 500) }, 'sync: malformed live page rejected');
              trigger();
            }
            continue;
          }
          const event = liveEventSchema.safeParse(parsed);
          if (!event.success) {
            logger.error({ frame: frame.slice(0, 200) }, 'sync: malformed live event rejected');
            continue;
          }
          // Another head or another database than the kiosk's, or a connection no pull has
          // verified yet: pull (the pull checks the anchor, notices a head below the cursor or a
          // new epoch and starts the feed over).
          const feed = store.sync.feed();
          if (verifiedConnection !== connection || event.data.cursor !== feed.cursor || event.data.epoch !== feed.epoch) trigger();
        }
        // No unbounded buffering: what is left is one unfinished frame; past the cap it drops
        // the stream (the loop reconnects and pulls; the feed has whatever it was about).
        if (buffer.length > maxFrameBytes) {
          await reader.cancel().catch(() => undefined);
          throw new Error(`live stream: frame over ${maxFrameBytes} bytes without an end`);
        }
      }
      throw new Error('live stream ended');
    });
  }

  async function liveLoop(): Promise<void> {
    let tries = 0;
    while (running) {
      try {
        await liveOnce(() => {
          connection++;
          liveConnected = true;
          tries = 0;
        });
      } catch (error) {
        liveConnected = false;
        if (!running) return;
        logger.warn({ err: describe(error), attempt: tries }, 'sync: live stream lost; reconnecting');
        await pause(backoffDelay(Math.min(tries++, 30), policy, random));
        // Whatever happened while the stream was down is in the feed.
        trigger();
      }
    }
  }

  return {
    heartbeat,
    assessJourneys,
    claim,
    pinAttempt,
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      trigger();
      if (options.live ?? true) live = liveLoop();
      pollTimer = setInterval(() => {
        trigger();
        void heartbeat();
        void technicians();
      }, pollIntervalMs);
      outboxTimer = setInterval(() => {
        if (!retryTimer && store.outbox.depth() > 0) trigger();
      }, outboxIntervalMs);
      void heartbeat();
      void technicians();
    },
    async stop() {
      if (!running) return;
      running = false;
      stopping.abort();
      for (const timer of [retryTimer, pollTimer, outboxTimer]) if (timer) clearTimeout(timer);
      retryTimer = pollTimer = outboxTimer = null;
      await Promise.allSettled([cycle, live]);
      liveConnected = false;
      // Its sockets would keep the process alive; a later start makes a new one.
      const closing = tlsAgent;
      tlsAgent = null;
      await closing?.close().catch(() => undefined);
    },
    status() {
      const at = lastSuccess;
      const lagMs = at ? Math.max(0, now().getTime() - at.getTime()) : null;
      return {
        online,
        lastSuccessAt: at ? at.toISOString() : null,
        outboxDepth: store.outbox.depth(),
        lagMs,
        lagSeconds: lagMs === null ? null : Math.floor(lagMs / 1000),
        liveConnected,
        cursor: store.sync.cursor(),
        lastError,
      };
    },
    syncNow,
  };
}
