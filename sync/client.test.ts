// The sync client against a back office that is down: it keeps trying, and nothing it
// leaves behind grows with the number of tries (abort listeners, signals, timers).
import { getEventListeners } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spyLogger, useTempFiles } from '../store/test-helpers.js';
import { createSyncClient, type SyncClient } from './client.js';

const files = useTempFiles();

/** A "back office" on 127.0.0.1 that is down: its port refuses every connection. */
async function downBackOffice(): Promise<string> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A back office that accepts every request and never answers it (a hung upstream). */
async function silentBackOffice(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req: IncomingMessage) => {
    requests.push(`${req.method} ${req.url ?? ''}`);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let client: SyncClient | null = null;
afterEach(async () => {
  await client?.stop();
  client = null;
  vi.unstubAllGlobals();
});

describe('the sync client while the back office is down', () => {
  it('reconnects again and again without piling up abort listeners on any signal', async () => {
    // Every AbortSignal the client makes (through AbortController) or hands to fetch is watched.
    const signals = new Set<AbortSignal>();
    const Original = globalThis.AbortController;
    vi.stubGlobal(
      'AbortController',
      class extends Original {
        constructor() {
          super();
          signals.add(this.signal);
        }
      },
    );
    const url = await downBackOffice();
    let liveAttempts = 0;
    try {
      const store = files.open();
      client = createSyncClient({
        baseUrl: url,
        token: 'k1-token',
        store,
        logger: spyLogger(),
        requestTimeoutMs: 1_000,
        backoff: { baseMs: 1, maxMs: 2 },
        pollIntervalMs: 3_600_000,
        outboxIntervalMs: 3_600_000,
        fetch: (input, init) => {
          if (init?.signal) signals.add(init.signal);
          if (String(input).endsWith('/v1/kiosk/events')) liveAttempts++;
          return fetch(input, init);
        },
      });
      client.start();
      await until(() => liveAttempts >= 200, 10_000, '200 attempts to open the live stream');
      expect(client.status()).toMatchObject({ online: false, liveConnected: false });

      const live = [...signals].filter((s) => !s.aborted);
      const most = Math.max(0, ...live.map((s) => getEventListeners(s, 'abort').length));
      expect(live.length).toBeGreaterThan(0);
      // One attempt in flight may hold a listener or two (its own link, fetch's); never one per try.
      expect(most).toBeLessThanOrEqual(2);
    } finally {
      await client?.stop();
    }
  });

  it('a request that gets no answer fails within its timeout', async () => {
    const office = await silentBackOffice();
    try {
      client = createSyncClient({
        baseUrl: office.url,
        token: 'k1-token',
        store: files.open(),
        logger: spyLogger(),
        requestTimeoutMs: 200,
        live: false,
      });
      const started = Date.now();
      await expect(client.syncNow()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(office.requests).toEqual([expect.stringMatching(/^GET \/v1\/kiosk\/changes\?cursor=0/)]);
    } finally {
      await office.close();
    }
  });

  it('a live stream that never answers is given up after the timeout and opened again; stop() ends it at once', async () => {
    const office = await silentBackOffice();
    try {
      client = createSyncClient({
        baseUrl: office.url,
        token: 'k1-token',
        store: files.open(),
        logger: spyLogger(),
        requestTimeoutMs: 100,
        backoff: { baseMs: 1, maxMs: 2 },
        pollIntervalMs: 3_600_000,
        outboxIntervalMs: 3_600_000,
      });
      client.start();
      const events = () => office.requests.filter((r) => r === 'GET /v1/kiosk/events').length;
      await until(() => events() >= 3, 3_000, 'three attempts to open the live stream');
      const stopped = Date.now();
      await client.stop();
      expect(Date.now() - stopped).toBeLessThan(500);
    } finally {
      await office.close();
    }
  });
});
