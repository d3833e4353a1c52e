// The back office over HTTP (Fastify): the online side that places and follows orders,
// and the kiosk side that syncs. Every body and query is checked with zod through
// Fastify's validator; each kiosk authenticates with its own bearer token (stored
// hashed), and an unknown token gets a bare 401.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest, type RawServerDefault } from 'fastify';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import {
  auditBatchSchema,
  cardNumberSchema,
  claimRequestSchema,
  claimResultSchema,
  journeysRequestSchema,
  journeysResponseSchema,
  type ClaimRequest,
  type ClaimResult,
  type JourneysRequest,
  type JourneysResponse,
  changesQuerySchema,
  auditAckSchema,
  changesPageSchema,
  deliveryParamsSchema,
  heartbeatSchema,
  pickupAckSchema,
  techniciansSchema,
  orderIdSchema,
  pickupReportSchema,
  type AuditAck,
  type AuditBatch,
  type PickupAck,
  type PickupReport,
  type TechnicianCredential,
  fleetPinLockSchema,
  pinAttemptSchema,
  type PinAttempt,
} from '../protocol/kiosk-api.js';
import {
  accountJourneysSchema,
  accountParamsSchema,
  auditEntryViewSchema,
  codeRequestResultSchema,
  codeRequestSchema,
  delaysImportResultSchema,
  delaysImportSchema,
  errorBodySchema,
  kioskViewSchema,
  linkedCardSchema,
  linkRefusalSchema,
  linkRequestSchema,
  bankAccountRequestSchema,
  bankAccountViewSchema,
  onlineClaimResultSchema,
  onlineClaimSchema,
  orderViewSchema,
  payoutPaidSchema,
  payoutParamsSchema,
  payoutsPageSchema,
  payoutsQuerySchema,
  type BankAccountRequest,
  type CodeRequest,
  type DelaysImport,
  type LinkRequest,
  type OnlineClaim,
  type OnlineClaimResult,
  type PayoutsQuery,
} from '../protocol/online-api.js';
import { parseIban } from './bank.js';
import { kioskClaimResult, maskIban } from './claims.js';
import { BackOfficeConflict, BackOfficeNotFound, hashToken, openBackOfficeDb, type BackOfficeDb, type OrderRequest } from './db.js';
import { createLiveFeed, type LiveFeed } from './live.js';
import { dispatchEmails, LogEmailSender, type EmailSender } from './email.js';
import { operatorConsole, type ConsoleOptions } from './console/index.js';
import { sqliteConsoleStore, type ConsoleStore } from './console-db.js';
import { openPgConsoleStore } from './console-pg.js';
import { openPgStore } from './pg-store.js';
import { sqliteStore, type BackOfficeStore } from './store.js';

declare module 'fastify' {
  interface FastifyRequest {
    kioskId?: string;
  }
}

export interface BackOfficeOptions {
  /** SQLite file; ':memory:' for a throwaway one. (Not used with `databaseUrl`.) */
  readonly file: string;
  /**
   * A PostgreSQL database (`postgres://…`, BACKOFFICE_DATABASE_URL) instead of the SQLite
   * file: several instances may share it (openBackOffice; backoffice/pg-store.ts).
   */
  readonly databaseUrl?: string;
  /**
   * With `databaseUrl`: where the order signing key and the seal master are kept (files, 0600),
   * and the key that signs the operator console's session cookies (every instance needs the
   * same one; without it, a key for this process only).
   */
  readonly keyFiles?: { readonly orderKey: string; readonly sealKey: string; readonly sessionKey?: string };
  /** With `databaseUrl`: this instance's watermark file, which tells a restored database (pg-store.ts). */
  readonly watermarkFile?: string;
  /** This instance's name in the e-mail claims; default a random one per start. */
  readonly instanceId?: string;
  readonly log?: Logger;
  readonly now?: () => Date;
  /** Orders expire when not picked up within this window. Default 14 days. */
  readonly pickupWindowMs?: number;
  /** How often due orders are expired. Default 60 s. */
  readonly expiryIntervalMs?: number;
  readonly emailSender?: EmailSender;
  readonly emailIntervalMs?: number;
  /** The token of the online channel (Mijn NS) for /v1/online; or give only its hash. */
  readonly onlineToken?: string;
  /** The SHA-256 (hex) of the online channel's token, as the back office keeps it. */
  readonly onlineTokenHash?: string;
  /** SSE comment interval that keeps idle connections (and proxies) open. Default 15 s. */
  readonly keepAliveMs?: number;
  /** Changes made within this interval are pushed to the kiosks in one frame. Default 25 ms. */
  readonly pushIntervalMs?: number;
  /** Bytes a kiosk's stream may have waiting before frames to it are skipped (it pulls later). Default 1 MiB. */
  readonly streamBufferBytes?: number;
  /** Largest page of the changes feed. */
  readonly maxPage?: number;
  /**
   * Serve HTTPS with this certificate and key (PEM). With `clientCa`, every kiosk request
   * must also come with a client certificate issued by it whose CN is the kiosk's id
   * (mutual TLS); the online channel and /health do not need one.
   */
  readonly tls?: { readonly cert: string; readonly key: string; readonly clientCa?: string };
  /** A fixed seal master (the demo's) instead of the key file beside the database (backoffice/seal.ts). */
  readonly sealMaster?: Uint8Array;
  /** Requests per minute for a known token, and for a request without one (per address). */
  readonly rateLimit?: { readonly known: number; readonly unknown: number };
  /** The operator console at /console (backoffice/console/). */
  readonly console?: ConsoleOptions;
}

/** A back office on either engine (openBackOffice). */
export interface BackOfficeInstance {
  readonly app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;
  /** Its storage (backoffice/store.ts): what the routes use. */
  readonly store: BackOfficeStore;
  /** The operator console's tables on the same engine (backoffice/console-db.ts). */
  readonly consoleStore: ConsoleStore;
  /** Call after changing the database directly, so live streams push the change to the kiosks. */
  notify(): void;
  readonly live: LiveFeed;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** A back office on its SQLite file, with the file's synchronous API (tests, the demo). */
export interface BackOffice extends BackOfficeInstance {
  readonly db: BackOfficeDb;
}

export const DEFAULT_PICKUP_WINDOW_MS = 14 * 86_400_000;
/** How long close() lets requests in flight finish before it cuts the connections left. */
const CLOSE_GRACE_MS = 2_000;

const isoDate = z.iso.date();
export const orderRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('kaartservicecode'), cardNumber: cardNumberSchema, email: z.email() }),
  z.strictObject({
    kind: z.literal('product'),
    cardNumber: cardNumberSchema,
    email: z.email(),
    productCode: z.string().regex(/^[A-Z0-9_]{1,40}$/),
    validFrom: isoDate,
    validUntil: isoDate,
  }),
  z.strictObject({
    kind: z.literal('topup'),
    cardNumber: cardNumberSchema,
    email: z.email(),
    amountCents: z.number().int().min(1).max(15_000),
  }),
]) satisfies z.ZodType<OrderRequest>;

const orderParams = z.strictObject({ id: orderIdSchema });
/** GET /v1/online/audit: one kiosk's entries, or all; newest arrival first, paged by `seq`. */
const auditQuerySchema = z.strictObject({
  kiosk: z.string().min(1).max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Equal hex digests, compared in constant time. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A request's caller: the online channel, a kiosk (token, and certificate under mutual TLS), or a stranger. */
type Caller =
  | { readonly kind: 'online' }
  | { readonly kind: 'kiosk'; readonly kioskId: string }
  | { readonly kind: 'stranger'; readonly bearer: boolean; readonly kioskId?: string; readonly certificate?: string | null };

/** The common name of the client certificate the TLS layer verified, or null when there is none. */
function peerName(request: FastifyRequest): string | null {
  const socket = request.raw.socket as TLSSocket;
  const peer = socket.authorized ? socket.getPeerCertificate() : null;
  return peer && typeof peer.subject?.CN === 'string' ? peer.subject.CN : null;
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
  return header.slice('Bearer '.length).trim() || null;
}

/** Only the token's hash is kept; a request's token is hashed and compared in constant time. */
function onlineTokenHashOf(options: BackOfficeOptions): string {
  const onlineTokenHash = options.onlineTokenHash ?? hashToken(options.onlineToken ?? '');
  if (!/^[0-9a-f]{64}$/.test(onlineTokenHash) || (options.onlineTokenHash === undefined && (options.onlineToken ?? '').length < 20)) {
    throw new Error('back office: an online token (at least 20 characters) or its SHA-256 hash is required');
  }
  return onlineTokenHash;
}

/** The back office on its SQLite file (`options.file`). */
export function createBackOffice(options: BackOfficeOptions): BackOffice {
  if (options.databaseUrl !== undefined) throw new Error('back office: a databaseUrl needs openBackOffice (asynchronous)');
  onlineTokenHashOf(options);
  const log = options.log ?? pino({ level: 'silent' });
  const now = options.now ?? (() => new Date());
  const db = openBackOfficeDb(options.file, { now, pickupWindowMs: options.pickupWindowMs ?? DEFAULT_PICKUP_WINDOW_MS, logger: log,
    ...(options.sealMaster ? { sealMaster: options.sealMaster } : {}),
  });
  const sessionKeyFile = options.file === ':memory:' || options.file === '' ? null : `${options.file}.session-key`;
  return { ...serve(sqliteStore(db), options, { store: sqliteConsoleStore(db.db, now), sessionKeyFile }), db };
}

/** The back office on PostgreSQL when `options.databaseUrl` is given, else on its SQLite file. */
export async function openBackOffice(options: BackOfficeOptions): Promise<BackOfficeInstance> {
  if (options.databaseUrl === undefined) return createBackOffice(options);
  onlineTokenHashOf(options);
  const log = options.log ?? pino({ level: 'silent' });
  const store = await openPgStore(options.databaseUrl, {
    now: options.now ?? (() => new Date()),
    pickupWindowMs: options.pickupWindowMs ?? DEFAULT_PICKUP_WINDOW_MS,
    logger: log,
    ...(options.keyFiles ? { orderKeyFile: options.keyFiles.orderKey, sealKeyFile: options.keyFiles.sealKey } : {}),
    ...(options.watermarkFile ? { watermarkFile: options.watermarkFile } : {}),
    ...(options.sealMaster ? { sealMaster: options.sealMaster } : {}),
  });
  const consoleStore = openPgConsoleStore(options.databaseUrl, { now: options.now ?? (() => new Date()) });
  return serve(store, options, { store: consoleStore, sessionKeyFile: options.keyFiles?.sessionKey ?? null });
}

/** The routes over a store, and the operator console over its own tables on the same engine. */
function serve(store: BackOfficeStore, options: BackOfficeOptions, consoleOn: { store: ConsoleStore; sessionKeyFile: string | null }): BackOfficeInstance {
  const log = options.log ?? pino({ level: 'silent' });
  const now = options.now ?? (() => new Date());
  const onlineTokenHash = onlineTokenHashOf(options);
  const instanceId = options.instanceId ?? `bo-${randomBytes(6).toString('base64url')}`;
  const sender = options.emailSender ?? new LogEmailSender(log);
  const maxPage = options.maxPage ?? 5000;

  const tls = options.tls;
  const app = Fastify({
    ...(tls
      ? {
          serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
            createHttpsServer(
              {
                cert: tls.cert,
                key: tls.key,
                minVersion: 'TLSv1.2',
                // Asked of every client, required (and checked against the kiosk) on kiosk routes.
                ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
              },
              handler,
            ) as unknown as RawServerDefault,
        }
      : {}),
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
  });
  // Rate limits: per token for the kiosks and the online channel, per address for requests
  // without a known token (guessing tokens is slow); /health is free.
  const limits = options.rateLimit ?? { known: 6000, unknown: 60 };
  // Who is calling, worked out once per request (the limit and the scopes' checks ask it):
  // a kiosk is a kiosk by its token and, with mutual TLS, by its certificate too, so a
  // stolen token alone is a stranger and cannot use up that kiosk's budget.
  const callers = new WeakMap<FastifyRequest, Promise<Caller>>();
  const identify = (request: FastifyRequest): Promise<Caller> => {
    const known = callers.get(request);
    if (known) return known;
    const found = identifyOnce(request);
    callers.set(request, found);
    return found;
  };
  const identifyOnce = async (request: FastifyRequest): Promise<Caller> => {
    const token = bearer(request);
    let found: Caller;
    if (token === null) found = { kind: 'stranger', bearer: false };
    else if (sameSecret(hashToken(token), onlineTokenHash)) found = { kind: 'online' };
    else {
      const kioskId = await store.kioskForToken(token);
      const certificate = tls?.clientCa ? peerName(request) : undefined;
      if (kioskId === null) found = { kind: 'stranger', bearer: true };
      else if (certificate !== undefined && certificate !== kioskId) found = { kind: 'stranger', bearer: true, kioskId, certificate };
      else found = { kind: 'kiosk', kioskId };
    }
    return found;
  };
  const caller = async (request: FastifyRequest): Promise<string> => {
    const who = await identify(request);
    return who.kind === 'online' ? 'online' : who.kind === 'kiosk' ? `kiosk:${who.kioskId}` : `ip:${request.ip}`;
  };
  // (The limit runs on onRequest; the token checks of the /v1 scopes on preValidation, after it.)
  void app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: caller,
    max: (_request: FastifyRequest, key: string) => (key.startsWith('ip:') ? limits.unknown : limits.known),
    allowList: (request: FastifyRequest) => request.url === '/health',
    onExceeded: (request: FastifyRequest, key: string) => {
      request.log.warn({ caller: key, path: request.url.split('?')[0] }, 'back office: rate limit reached (429)');
    },
  });
  app.setValidatorCompiler(({ schema }) => (data) => {
    const parsed = (schema as unknown as z.ZodType).safeParse(data);
    return parsed.success ? { value: parsed.data } : { error: new Error(z.prettifyError(parsed.error)) };
  });
  // The routes' response schemas (zod) make the OpenAPI document (GET /openapi.json); answers
  // are serialised as they are, not re-checked on the way out (one bad technician row must not
  // cost every kiosk the list: the kiosk checks each entry). test/sync/openapi.test.ts checks
  // live answers against the document.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Back office: online and kiosk API', version: '1' },
      components: {
        securitySchemes: {
          onlineToken: { type: 'http', scheme: 'bearer', description: 'The online channel’s token' },
          kioskToken: { type: 'http', scheme: 'bearer', description: 'One kiosk’s token (and its client certificate under mutual TLS)' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error instanceof BackOfficeNotFound) return reply.code(404).send({ error: error.message });
    if (error instanceof BackOfficeConflict) return reply.code(409).send({ error: error.message });
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'back office: request failed');
    else request.log.warn({ url: request.url, err: error.message }, 'back office: request refused');
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });

  // ------------------------------------------------------------ live stream (changes pushed)
  const live = createLiveFeed({
    head: () => store.head(),
    page: (from, limit) => store.changesPage(from, limit),
    epoch: store.epoch,
    log,
    intervalMs: options.pushIntervalMs,
    maxBufferedBytes: options.streamBufferBytes,
    keepAliveMs: options.keepAliveMs,
  });
  const notify = (): void => live.notify();
  // Another instance on the same database committed a change (PostgreSQL LISTEN/NOTIFY).
  const stopListening = store.onChange(notify);

  /** Waiting claims whose time came are decided (periodically, and before each journeys or claims request). */
  const decideClaims = async (): Promise<void> => {
    const { granted } = await store.decideDueClaims();
    if (granted > 0) notify();
  };
  const expiry = setInterval(() => {
    decideClaims().catch((error: unknown) => log.error({ err: error }, 'back office: deciding waiting claims failed'));
    store.expireDue().then(
      (expired) => {
        if (expired > 0) notify();
      },
      (error: unknown) => log.error({ err: error }, 'back office: expiring orders failed'),
    );
  }, options.expiryIntervalMs ?? 60_000);
  expiry.unref();

  let mailing: Promise<unknown> = Promise.resolve();
  const mail = () => {
    mailing = mailing.then(() => dispatchEmails(store, sender, log, { by: instanceId })).catch((error: unknown) => log.error({ err: error }, 'e-mail dispatch failed'));
  };
  const mailer = setInterval(mail, options.emailIntervalMs ?? 2_000);
  mailer.unref();

  // ------------------------------------------------------------ online side
  void app.register(
    async (online) => {
      online.addHook('preValidation', async (request, reply) => {
        const who = await identify(request);
        if (who.kind !== 'online') {
          // Logged without the token: only that a request was refused, from where.
          const bearerGiven = who.kind === 'kiosk' || who.bearer;
          request.log.warn({ path: request.url.split('?')[0], ip: request.ip, bearer: bearerGiven }, 'back office: online request refused (401)');
          return reply.code(401).send();
        }
      });
      const onlineDoc = { tags: ['online'], security: [{ onlineToken: [] }] };
      online.post('/orders', { schema: { ...onlineDoc, body: orderRequestSchema, response: { 201: orderViewSchema } } }, async (request, reply) => {
        const order = await store.placeOrder(request.body as OrderRequest);
        request.log.info({ orderId: order.id, kind: order.kind }, 'order placed');
        notify();
        mail();
        return reply.code(201).send(order);
      });
      online.get('/orders/:id', { schema: { ...onlineDoc, params: orderParams, response: { 200: orderViewSchema, 404: errorBodySchema } } }, async (request) => {
        const { id } = request.params as z.infer<typeof orderParams>;
        const order = await store.getOrder(id);
        if (!order) throw new BackOfficeNotFound(`no order ${id}`);
        return order;
      });
      online.post('/orders/:id/cancel', { schema: { ...onlineDoc, params: orderParams, response: { 200: orderViewSchema, 404: errorBodySchema, 409: errorBodySchema } } }, async (request) => {
        const { id } = request.params as z.infer<typeof orderParams>;
        const order = await store.cancelOrder(id);
        request.log.info({ orderId: id }, 'order cancelled');
        notify();
        mail();
        return order;
      });
      // ---------------------------------------------------- Mijn NS (issue 14)
      /** The last four digits only: a card number is personal data, and a code is never logged. */
      const card4 = (cardNumber: string): string => cardNumber.slice(-4);
      online.post('/kaartservicecode-requests', { schema: { ...onlineDoc, body: codeRequestSchema, response: { 200: codeRequestResultSchema, 201: codeRequestResultSchema } } }, async (request, reply) => {
        const result = await store.requestCode(request.body as CodeRequest);
        request.log.info({ orderId: result.order.id, card: card4(result.order.cardNumber), repeated: result.repeated }, 'kaartservicecode requested online');
        if (!result.repeated) {
          notify();
          mail();
        }
        return reply.code(result.repeated ? 200 : 201).send(result);
      });
      const LINK_STATUS = { wrongCode: 403, locked: 423, used: 409, notPickedUp: 409, expired: 410 } as const;
      online.post('/accounts/:accountId/cards', { schema: { ...onlineDoc, params: accountParamsSchema, body: linkRequestSchema, response: { 201: linkedCardSchema, 403: linkRefusalSchema, 409: linkRefusalSchema, 410: linkRefusalSchema, 423: linkRefusalSchema } } }, async (request, reply) => {
        const { accountId } = request.params as z.infer<typeof accountParamsSchema>;
        const { cardNumber, code } = request.body as LinkRequest;
        const result = await store.linkCard(accountId, cardNumber, code);
        if ('error' in result) {
          request.log.warn({ accountId, card: card4(cardNumber), refused: result.error, attemptsLeft: result.attemptsLeft }, 'card link refused');
          return reply.code(LINK_STATUS[result.error]).send(result);
        }
        request.log.info({ accountId, card: card4(cardNumber) }, 'card linked to an account');
        return reply.code(201).send(result);
      });
      online.get('/accounts/:accountId/journeys', { schema: { ...onlineDoc, params: accountParamsSchema, response: { 200: accountJourneysSchema } } }, async (request) => {
        const { accountId } = request.params as z.infer<typeof accountParamsSchema>;
        await decideClaims();
        return store.accountJourneys(accountId);
      });
      // The account's bank account, where a claim with payout 'bank' is paid (the IBAN validated; never logged, answered masked).
      online.put('/accounts/:accountId/bank-account', { schema: { ...onlineDoc, params: accountParamsSchema, body: bankAccountRequestSchema, response: { 200: bankAccountViewSchema, 400: errorBodySchema } } }, async (request, reply) => {
        const { accountId } = request.params as z.infer<typeof accountParamsSchema>;
        const body = request.body as BankAccountRequest;
        const parsed = parseIban(body.iban);
        if (!parsed.ok) {
          request.log.warn({ accountId }, 'bank account refused: not a valid IBAN');
          return reply.code(400).send({ error: parsed.error });
        }
        const view = await store.setBankAccount(accountId, parsed.iban, body.holder);
        request.log.info({ accountId, iban: maskIban(parsed.iban) }, 'bank account set');
        return view;
      });
      online.post('/accounts/:accountId/claims', { schema: { ...onlineDoc, params: accountParamsSchema, body: onlineClaimSchema, response: { 200: onlineClaimResultSchema, 404: errorBodySchema, 409: errorBodySchema } } }, async (request): Promise<OnlineClaimResult> => {
        const { accountId } = request.params as z.infer<typeof accountParamsSchema>;
        const body = request.body as OnlineClaim;
        if ((await store.accountOfCard(body.cardNumber)) !== accountId) return { status: 'refused', reason: 'notOurCard' };
        const journey = await store.journey(body.cardNumber, body.journeyId);
        if (journey === null) throw new BackOfficeNotFound('no such journey of this card');
        await decideClaims();
        const { result, notify: changed } = await store.claim('online', {
          cardNumber: body.cardNumber,
          journey,
          kind: body.kind,
          ...(body.destination === undefined ? {} : { destination: body.destination }),
        }, body.payout === 'bank' ? { accountId } : undefined);
        request.log.info({ accountId, card: card4(body.cardNumber), kind: body.kind, payout: body.payout, status: result.status }, 'claim made online');
        if (changed) notify();
        return result;
      });
      // The operator's realised times (the online token: the operator's systems are the online side's).
      online.put('/train-services', { schema: { ...onlineDoc, body: delaysImportSchema, response: { 200: delaysImportResultSchema } } }, async (request) => {
        const { services } = delaysImportSchema.parse(request.body as DelaysImport);
        const stored = await store.importServices(services);
        const { decided, granted } = await store.decideDueClaims();
        if (granted > 0) notify();
        request.log.info({ stored, decided }, 'train services imported');
        return { stored, decided };
      });
      // The finance side (the operator's systems, the online token): payout instructions of bank claims.
      online.get('/payouts', { schema: { ...onlineDoc, querystring: payoutsQuerySchema, response: { 200: payoutsPageSchema } } }, async (request) =>
        store.payouts(request.query as PayoutsQuery),
      );
      online.post('/payouts/:id/paid', { schema: { ...onlineDoc, params: payoutParamsSchema, response: { 200: payoutPaidSchema, 404: errorBodySchema } } }, async (request) => {
        const { id } = request.params as z.infer<typeof payoutParamsSchema>;
        const result = await store.markPayoutPaid(id);
        if (result === null) throw new BackOfficeNotFound(`no payout ${id}`);
        request.log.info({ payoutId: id, alreadyPaid: result.alreadyPaid, iban: `•••• ${result.payout.ibanLast4}` }, 'payout marked paid');
        return result;
      });
      online.get('/conflicts', { schema: { ...onlineDoc, response: { 200: z.array(orderViewSchema) } } }, async () => store.conflicts());
      online.get('/kiosks', { schema: { ...onlineDoc, response: { 200: z.array(kioskViewSchema) } } }, async () => store.kiosks());
      online.get('/audit', { schema: { ...onlineDoc, querystring: auditQuerySchema, response: { 200: z.array(auditEntryViewSchema) } } }, async (request) => {
        const { kiosk, before, limit } = request.query as z.infer<typeof auditQuerySchema>;
        return store.audit({ kiosk, before, limit });
      });
    },
    { prefix: '/v1/online' },
  );

  // ------------------------------------------------------------ kiosk side
  void app.register(
    async (kiosk) => {
      kiosk.addHook('preValidation', async (request, reply) => {
        const who = await identify(request);
        if (who.kind !== 'kiosk') {
          if (who.kind === 'stranger' && who.kioskId !== undefined) {
            // Mutual TLS: the certificate must be the fleet CA's and name this token's kiosk.
            request.log.warn(
              { kioskId: who.kioskId, certificate: who.certificate, ip: request.ip },
              'back office: kiosk request refused (no client certificate of this kiosk)',
            );
          } else {
            const bearerGiven = who.kind === 'online' || who.bearer;
            request.log.warn({ path: request.url.split('?')[0], ip: request.ip, bearer: bearerGiven }, 'back office: kiosk request refused (401)');
          }
          return reply.code(401).send();
        }
        request.kioskId = who.kioskId;
      });

      const kioskDoc = { tags: ['kiosk'], security: [{ kioskToken: [] }] };
      // The page is written by the database as JSON (not serialised here): documented, not re-checked.
      kiosk.get('/changes', { schema: { ...kioskDoc, querystring: changesQuerySchema, response: { 200: changesPageSchema } } }, async (request, reply) => {
        const { cursor, limit, anchor, closedUpTo } = request.query as z.infer<typeof changesQuerySchema>;
        const json = await store.changesJsonSince(Number(cursor), Math.min(limit, maxPage), anchor, closedUpTo === undefined ? undefined : Number(closedUpTo));
        return reply.type('application/json').send(json);
      });

      kiosk.put('/pickups/:deliveryId', { schema: { ...kioskDoc, params: deliveryParamsSchema, body: pickupReportSchema, response: { 200: pickupAckSchema, 400: errorBodySchema, 409: errorBodySchema } } }, async (request, reply) => {
        const { deliveryId } = request.params as z.infer<typeof deliveryParamsSchema>;
        const report = request.body as PickupReport;
        if (report.deliveryId !== deliveryId) return reply.code(400).send({ error: 'deliveryId differs from the URL' });
        const kioskId = request.kioskId ?? '?';
        const result = await store.recordPickup(kioskId, report);
        if (result.status === 'recorded') {
          const level = result.conflict ? 'warn' : 'info';
          request.log[level]({ deliveryId, orderId: report.orderId, kioskId, conflict: result.conflict }, 'pickup recorded');
          notify();
          mail();
        }
        const ack: PickupAck = { deliveryId, ...result };
        return ack;
      });

      kiosk.get('/technicians', { schema: { ...kioskDoc, response: { 200: techniciansSchema } } }, async (): Promise<TechnicianCredential[]> => store.technicians());

      // A PIN tried at a kiosk for a technician, or found right: counted across the fleet.
      kiosk.post(
        '/pin-attempts',
        { schema: { ...kioskDoc, body: pinAttemptSchema, response: { 200: fleetPinLockSchema, 404: errorBodySchema } } },
        async (request, reply) => {
          const { technicianId, outcome } = request.body as PinAttempt;
          const lock = await store.pinAttempt(technicianId, outcome);
          if (lock === null) return reply.code(404).send({ error: 'no such technician' });
          if (lock.lockedUntil !== null) request.log.warn({ kioskId: request.kioskId, technicianId, lockedUntil: lock.lockedUntil }, 'back office: technician locked across the fleet');
          return lock;
        },
      );

      kiosk.post('/audit', { schema: { ...kioskDoc, body: auditBatchSchema, response: { 200: auditAckSchema } } }, async (request) => {
        const { entries } = request.body as AuditBatch;
        const ack: AuditAck = { accepted: await store.recordAudit(request.kioskId ?? '?', entries) };
        return ack;
      });

      kiosk.post('/heartbeat', { schema: { ...kioskDoc, body: heartbeatSchema, response: { 204: z.void() } } }, async (request, reply) => {
        await store.heartbeat(request.kioskId ?? '?', request.body);
        return reply.code(204).send();
      });

      kiosk.post('/journeys', { schema: { ...kioskDoc, body: journeysRequestSchema, response: { 200: journeysResponseSchema } } }, async (request): Promise<JourneysResponse> => {
        const { cardNumber, journeys } = request.body as JourneysRequest;
        await decideClaims();
        return { journeys: await store.recordJourneys(cardNumber, journeys) };
      });

      kiosk.post('/claims', { schema: { ...kioskDoc, body: claimRequestSchema, response: { 200: claimResultSchema, 400: errorBodySchema, 409: errorBodySchema } } }, async (request): Promise<ClaimResult> => {
        const body = request.body as ClaimRequest;
        await decideClaims();
        const { result, notify: changed } = await store.claim(`kiosk:${request.kioskId ?? '?'}`, body);
        request.log.info({ kioskId: request.kioskId, kind: body.kind, status: result.status }, 'claim made at a kiosk');
        if (changed) notify();
        return kioskClaimResult(result);
      });

      kiosk.get('/events', { schema: { ...kioskDoc, description: 'The live stream (text/event-stream): head notices (`changes`, liveEventSchema) and pushed pages (`page`, livePageSchema); docs/sync-protocol.md.' } }, (request, reply) => {
        reply.hijack();
        live.open(reply.raw, request.kioskId ?? '?');
        request.log.info({ kioskId: request.kioskId }, 'kiosk live stream opened');
      });
    },
    { prefix: '/v1/kiosk' },
  );

  app.get('/health', async () => ({ ok: true }));
  void app.register(operatorConsole, {
    prefix: '/console',
    store,
    consoleStore: consoleOn.store,
    sessionKeyFile: consoleOn.sessionKeyFile,
    secure: tls !== undefined,
    now,
    ...options.console,
  });

  return {
    app,
    store,
    consoleStore: consoleOn.store,
    notify,
    live,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('back office: no TCP address');
      return `${tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
    },
    async close() {
      stopListening();
      clearInterval(expiry);
      clearInterval(mailer);
      await live.close();
      // Requests in flight get 2 s to finish; then every connection still open is cut (a
      // kiosk's keep-alive socket that never goes idle would hold the close for ever; the
      // kiosks retry, and every kiosk request is idempotent).
      const cut = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
      }
      await mailing;
      await store.close();
    },
  };
}
