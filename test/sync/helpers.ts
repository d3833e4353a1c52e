// Test support for sync: a real back office on 127.0.0.1 (ephemeral port, SQLite in a
// temp dir), kiosk stores with sync clients, and a fault-injecting HTTP proxy between them.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { createBackOffice, openBackOffice, type BackOffice, type BackOfficeInstance, type BackOfficeOptions } from '../../backoffice/server.js';
import { newToken } from '../../backoffice/db.js';
import type { BackOfficeStore } from '../../backoffice/store.js';
import pgClient from 'pg';
import { usePgCluster } from '../pg-cluster.js';

const PgClient = pgClient.Client;
import { openStore, type Store } from '../../store/index.js';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS } from '../../hardware/card-layout.js';
import { SimulatedCard, SimulatedReader } from '../../hardware/simulated-reader.js';
import { createSyncClient, type SyncClient, type SyncClientOptions } from '../../sync/client.js';

export const ANNA = '3528010012345678';
export const BRAM = '3528010087654321';

import { spyLogger, type LogEntry } from '../../store/test-helpers.js';

export { spyLogger, type LogEntry };

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-sync-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningBackOffice {
  readonly bo: BackOffice;
  readonly url: string;
  readonly onlineToken: string;
  /** A registered kiosk's token. */
  kioskToken(id: string): string;
  /** The online API as the web shop uses it. */
  online(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  topup(cardNumber: string, amountCents?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startBackOffice(dir: string, extra: Partial<BackOfficeOptions> = {}): Promise<RunningBackOffice> {
  const onlineToken = newToken();
  const bo = createBackOffice({ file: join(dir, 'backoffice.db'), onlineToken, emailIntervalMs: 50, ...extra });
  const url = await bo.listen(0);
  const tokens = new Map<string, string>();
  const online = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/v1/online${path}`, {
      method,
      headers: { authorization: `Bearer ${onlineToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  return {
    bo,
    url,
    onlineToken,
    kioskToken(id) {
      let token = tokens.get(id);
      if (!token) {
        token = newToken();
        bo.db.registerKiosk(id, `Kiosk ${id}`, token);
        tokens.set(id, token);
      }
      return token;
    },
    online,
    async topup(cardNumber, amountCents = 1000) {
      const { status, json } = await online('POST', '/orders', { kind: 'topup', cardNumber, email: 'anna@example.org', amountCents });
      if (status !== 201) throw new Error(`placing an order: HTTP ${status} ${JSON.stringify(json)}`);
      return (json as { id: string }).id;
    },
    close: () => bo.close(),
  };
}

// ------------------------------------------------------------ the back office under test, on either engine

export type Engine = 'sqlite' | 'postgres';

/**
 * The back office a sync or fault test runs against: one instance on its SQLite file, or two
 * instances (A and B) on one PostgreSQL database of a throwaway cluster, with the traffic
 * split across them: the web shop (online, topup) goes through A, the kiosks (url) sync
 * with B, and `store` is B's (what serves the kiosks: spy on it). An order placed through A
 * reaches the kiosks only through the database and LISTEN/NOTIFY.
 */
export interface OfficeUnderTest {
  readonly engine: Engine;
  /** The instance the kiosks talk to (B on PostgreSQL). */
  readonly bo: BackOfficeInstance;
  /** Its storage: reads, and spies on what the kiosks are served. */
  readonly store: BackOfficeStore;
  /** The kiosks' address (B). */
  readonly url: string;
  /** The web shop's instance (A on PostgreSQL; the one instance on SQLite). */
  readonly shop: BackOfficeInstance;
  readonly onlineToken: string;
  /** A registered kiosk's token (registered on first use). */
  kioskToken(id: string): Promise<string>;
  /** The online API as the web shop uses it (through A). */
  online(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  topup(cardNumber: string, amountCents?: number): Promise<string>;
  /** The operator's backup: a consistent copy of the SQLite file, or a pg_dump of the database. */
  backup(): Promise<OfficeBackup>;
  /** Runs SQL on the database directly, as a tool beside the back office would. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /**
   * After close(): the back office started again on the same database (`fresh`: on a new,
   * empty one, another epoch; `restore`: on the backup restored), with the same keys, data
   * dir and kiosk tokens, on new ports.
   */
  restart(options?: RestartOptions): Promise<OfficeUnderTest>;
}

export interface OfficeBackup {
  readonly file: string;
}

export interface RestartOptions {
  readonly fresh?: boolean;
  readonly restore?: OfficeBackup;
  readonly extra?: Partial<BackOfficeOptions>;
}

export interface EngineFixture {
  readonly engine: Engine;
  /** Starts the back office for one test in `dir` (its SQLite file, or a new PostgreSQL database and key files). */
  start(dir: string, extra?: Partial<BackOfficeOptions>): Promise<OfficeUnderTest>;
}

/**
 * Runs `body` once per engine, in a describe block named after it: on SQLite, and on two
 * instances sharing one PostgreSQL (a cluster started once for the block, a new database per
 * start). The one set-up of the sync and fault suites.
 */
export function forEachEngine(body: (fixture: EngineFixture) => void): void {
  describe.each(['sqlite', 'postgres'] as const)('on %s', (engine) => {
    body(backOfficeUnderTest(engine));
  });
}

/** The fixture for one engine; on PostgreSQL it starts its cluster for the enclosing describe block. */
export function backOfficeUnderTest(engine: Engine): EngineFixture {
  const pg = engine === 'postgres' ? usePgCluster() : null;
  return {
    engine,
    async start(dir, extra = {}) {
      const onlineToken = newToken();
      const tokens = new Map<string, string>();
      if (!pg) {
        const file = join(dir, 'backoffice.db');
        let backups = 0;
        const open = async (more: Partial<BackOfficeOptions>): Promise<Opened> => {
          const bo = createBackOffice({ file, onlineToken, emailIntervalMs: 50, ...extra, ...more });
          const url = await bo.listen(0);
          return {
            a: bo,
            b: bo,
            url,
            shopUrl: url,
            backup() {
              const copy = join(dir, `backup-${++backups}.db`);
              bo.db.db.pragma('wal_checkpoint(TRUNCATE)');
              copyFileSync(file, copy);
              return Promise.resolve({ file: copy });
            },
            exec: (sql) => Promise.resolve(void bo.db.db.exec(sql)),
          };
        };
        return officeOf('sqlite', onlineToken, tokens, await open({}), async ({ fresh = false, restore, extra: more = {} }) => {
          if (fresh || restore) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
          if (restore) copyFileSync(restore.file, file);
          return open(more);
        });
      }
      let databaseUrl = await pg.cluster.newDatabase();
      let backups = 0;
      const open = async (more: Partial<BackOfficeOptions>): Promise<Opened> => {
        const options = (name: string): BackOfficeOptions => ({
          file: '',
          databaseUrl,
          keyFiles: { orderKey: join(dir, 'order-key'), sealKey: join(dir, 'seal-key') },
          watermarkFile: join(dir, `watermark-${name}`),
          instanceId: name,
          onlineToken,
          emailIntervalMs: 50,
          ...extra,
          ...more,
        });
        const a = await openBackOffice(options('instance-a'));
        const b = await openBackOffice(options('instance-b'));
        const shopUrl = await a.listen(0);
        return {
          a,
          b,
          url: await b.listen(0),
          shopUrl,
          async backup() {
            const copy = join(dir, `backup-${++backups}.pgdump`);
            await pg.cluster.dump(databaseUrl, copy);
            return { file: copy };
          },
          async exec(sql) {
            const client = new PgClient({ connectionString: databaseUrl });
            await client.connect();
            try {
              await client.query(sql);
            } finally {
              await client.end();
            }
          },
        };
      };
      return officeOf('postgres', onlineToken, tokens, await open({}), async ({ fresh = false, restore, extra: more = {} }) => {
        if (fresh) databaseUrl = await pg.cluster.newDatabase();
        if (restore) databaseUrl = await pg.cluster.restore(restore.file);
        return open(more);
      });
    },
  };
}

interface Opened {
  readonly a: BackOfficeInstance;
  readonly b: BackOfficeInstance;
  readonly url: string;
  readonly shopUrl: string;
  backup(): Promise<OfficeBackup>;
  exec(sql: string): Promise<void>;
}

function officeOf(
  engine: Engine,
  onlineToken: string,
  tokens: Map<string, string>,
  opened: Opened,
  reopen: (options: RestartOptions) => Promise<Opened>,
): OfficeUnderTest {
  const { a, b, url, shopUrl } = opened;
  const online = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${shopUrl}/v1/online${path}`, {
      method,
      headers: { authorization: `Bearer ${onlineToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  let closed = false;
  return {
    engine,
    bo: b,
    store: b.store,
    url,
    shop: a,
    onlineToken,
    async kioskToken(id) {
      let token = tokens.get(id);
      if (!token) {
        token = newToken();
        await a.store.registerKiosk(id, `Kiosk ${id}`, token);
        tokens.set(id, token);
      }
      return token;
    },
    online,
    async topup(cardNumber, amountCents = 1000) {
      const { status, json } = await online('POST', '/orders', { kind: 'topup', cardNumber, email: 'anna@example.org', amountCents });
      if (status !== 201) throw new Error(`placing an order: HTTP ${status} ${JSON.stringify(json)}`);
      return (json as { id: string }).id;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (b !== a) await b.close();
      await a.close();
    },
    backup: () => opened.backup(),
    exec: (sql) => opened.exec(sql),
    async restart(options = {}) {
      if (!closed) throw new Error('restart() after close()');
      const again = officeOf(engine, onlineToken, tokens, await reopen(options), reopen);
      for (const [id, token] of tokens) await again.shop.store.registerKiosk(id, `Kiosk ${id}`, token);
      return again;
    },
  };
}

export interface TestKioskSync {
  readonly store: Store;
  readonly client: SyncClient;
  readonly log: ReturnType<typeof spyLogger>;
  close(): Promise<void>;
}

/** A kiosk store with a running sync client. Fast timings so faults heal within a test. */
export function startKioskSync(
  file: string,
  baseUrl: string,
  token: string,
  extra: Partial<SyncClientOptions> = {},
): TestKioskSync {
  const log = spyLogger();
  const store = openStore(file, { logger: log });
  const client = createSyncClient({
    baseUrl,
    token,
    store,
    logger: log,
    pageSize: 50,
    requestTimeoutMs: 1_000,
    backoff: { baseMs: 20, maxMs: 200 },
    pollIntervalMs: 60_000,
    outboxIntervalMs: 50,
    ...extra,
  });
  client.start();
  return {
    store,
    client,
    log,
    async close() {
      await client.stop();
      store.close();
    },
  };
}

/** Polls until `check` returns true (or a value), failing after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Delivers an order at the kiosk as the delivery service would (card written). */
export function pickUp(store: Store, orderId: string, deliveryId = `d-${orderId}`): void {
  const order = store.orders.get(orderId);
  if (!order) throw new Error(`kiosk does not have order ${orderId}`);
  store.deliveries.begin({ id: deliveryId, orderId, cardNumber: order.cardNumber, cardUid: '04A1B2C3' });
  store.deliveries.markWriting(deliveryId);
  const p = order.payload;
  store.deliveries.complete(
    deliveryId,
    p.kind === 'topup'
      ? { kind: 'topup', amountCents: p.amountCents, balanceCents: p.amountCents + 100 }
      : p.kind === 'kaartservicecode'
        ? { kind: 'kaartservicecode', sealed: p.sealed }
        : { kind: 'product', product: { productCode: p.productCode, validFrom: p.validFrom, validUntil: p.validUntil } },
  );
}

// ------------------------------------------------------------------ fault proxy

export type Fault =
  | { type: 'down' } // connection reset before any response
  | { type: 'status'; status: number } // an error page instead of the back office
  | { type: 'slow'; ms: number } // the answer comes late
  | { type: 'cut' } // headers and half the body, then the connection drops
  | { type: 'duplicate' } // the request reaches the back office twice (a retried ack)
  | { type: 'body'; body: string }; // a malformed answer with status 200

export interface FaultRule {
  /** Which requests: method and a path prefix, e.g. 'PUT /v1/kiosk/pickups'. */
  readonly match: string;
  readonly fault: Fault;
  /** How many matching requests it hits; Infinity until removed. */
  times: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly hits: Map<string, number>;
  inject(match: string, fault: Fault, times?: number): FaultRule;
  clear(): void;
  /** Points the proxy at another back office address (a restarted one). */
  retarget(url: string): void;
  /** Ends open (live stream) connections, as a network cut would. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let upstream = new URL(target);
  let rules: FaultRule[] = [];
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const key = `${req.method} ${req.url ?? ''}`;
    const rule = rules.find((r) => r.times > 0 && key.startsWith(r.match));
    if (rule) {
      rule.times--;
      hits.set(rule.match, (hits.get(rule.match) ?? 0) + 1);
    }
    const fault = rule?.fault;

    if (req.url?.startsWith('/v1/kiosk/events') && !fault) {
      // the live stream is piped through as it comes
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      res.on('close', () => out.destroy());
      out.end();
      return;
    }

    switch (fault?.type) {
      case 'down':
        req.socket.destroy();
        return;
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
        return;
      case 'body':
        res.writeHead(200, { 'content-type': 'application/json' }).end(fault.body);
        return;
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.ms));
        break;
      default:
        break;
    }
    try {
      if (fault?.type === 'duplicate') await forward(req, body);
      const answer = await forward(req, body);
      if (fault?.type === 'cut') {
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
        setTimeout(() => res.destroy(), 5);
        return;
      }
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch {
      req.socket.destroy();
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    inject(match, fault, times = Infinity) {
      const rule: FaultRule = { match, fault, times };
      rules.push(rule);
      return rule;
    },
    clear() {
      rules = [];
    },
    retarget(url) {
      upstream = new URL(url);
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Anna's card on a simulated reader, issued with today's layout (v1, an empty journal), with this balance. */
export function annaOnReader(balanceCents = 1000): { card: SimulatedCard; reader: SimulatedReader } {
  const card = new SimulatedCard(
    '04A1B2C3',
    issueCardBlocks(layoutV1, { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31' }, {
      balanceCents,
      products: Array.from({ length: PRODUCT_SLOTS }, () => null),
      journal: [],
    }),
  );
  const reader = new SimulatedReader();
  reader.tap(card);
  return { card, reader };
}
