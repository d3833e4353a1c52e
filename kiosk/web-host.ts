// The web host: the built renderer over HTTP and the KioskView/UiEvent contract over a
// WebSocket (/ws), on 127.0.0.1 only. For development, end-to-end tests and machines
// without an Electron binary. Given a dev channel (the demo's developer dock), it serves
// that on a WebSocket of its own (/dev); a station's web host has no /dev at all.
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket, { type WebSocket } from '@fastify/websocket';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { parseClientMessage, type HealthReport, type KioskView } from './contract.js';
import { DEFAULT_LOG_LIMIT, rateLimitedLog, type LogLimit } from './log-limiter.js';
import type { DevChannelPort, KioskService } from './service-types.js';

export interface WebHostOptions {
  readonly service: KioskService;
  readonly log: Logger;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Status at a glance for fleet monitoring (GET /health). */
  readonly health?: () => HealthReport;
  /** The developer dock's channel (demo only), served on /dev. */
  readonly devChannel?: DevChannelPort | undefined;
  /** How a client that does not read what it is sent is treated; see DEFAULT_SLOW_CLIENT. */
  readonly slowClient?: Partial<SlowClientLimits>;
  /** How many refusals of one kind are logged per window (the rest are counted). */
  readonly logLimit?: LogLimit;
  /**
   * A secret made for this start that only the kiosk's own window gets (the Chromium shell
   * sets it as a cookie over its private DevTools pipe): /ws then opens only with cookie
   * `kiosk_screen=<secret>`, and for one screen at a time. Without it (the demo, tests)
   * the Origin check alone guards /ws.
   */
  readonly screenSecret?: string;
}

/** The cookie that carries the screen secret. */
export const SCREEN_COOKIE = 'kiosk_screen';

/** The screen secret in a Cookie header, compared in constant time. */
function hasScreenSecret(cookieHeader: string | undefined, secret: string): boolean {
  const value = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SCREEN_COOKIE}=`))
    ?.slice(SCREEN_COOKIE.length + 1);
  if (value === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(value), digest(secret));
}

/**
 * A view is a whole snapshot: a client that has not read the last ones needs only the
 * newest. Above `holdViewsAboveBytes` of unsent data, views are held back (only the newest
 * kept) until the client has read; a client that has not got below that mark for
 * `dropAfterMs`, or lets `dropAboveBytes` pile up (replies it does not read), is dropped.
 * The renderer reconnects and is sent the current view, so dropping loses nothing.
 */
export interface SlowClientLimits {
  readonly holdViewsAboveBytes: number;
  readonly dropAboveBytes: number;
  readonly dropAfterMs: number;
  /** How often a held-back client is looked at. */
  readonly checkEveryMs: number;
}

export const DEFAULT_SLOW_CLIENT: SlowClientLimits = {
  holdViewsAboveBytes: 64 * 1024,
  dropAboveBytes: 1024 * 1024,
  dropAfterMs: 10_000,
  checkEveryMs: 50,
};

export interface WebHost {
  readonly url: string;
  close(): Promise<void>;
}

/** Largest message a renderer sends is well under 1 KiB; anything bigger is refused. */
const MAX_MESSAGE_BYTES = 4096;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { service, log } = options;
  const limits: SlowClientLimits = { ...DEFAULT_SLOW_CLIENT, ...options.slowClient };
  // What clients send is theirs to choose, so how much of it reaches the log is not.
  const refusals = rateLimitedLog(log, options.logLimit ?? DEFAULT_LOG_LIMIT);
  const host = options.host ?? '127.0.0.1';
  const server = Fastify({ loggerInstance: log.child({ component: 'web-host' }, { level: 'warn' }) });
  await server.register(fastifyWebsocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });

  if (!existsSync(options.rendererDir)) {
    throw new Error(`the renderer is not built (${options.rendererDir} is missing): run npm run build`);
  }
  await server.register(fastifyStatic, { root: options.rendererDir, index: 'index.html' });

  server.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    return payload;
  });

  let allowedOrigins = new Set<string>();
  // DNS rebinding: a page of another site whose name resolves to 127.0.0.1 must not read
  // /health or talk to /ws; every request must name this host as this machine.
  let allowedHosts = new Set<string>();
  server.addHook('onRequest', async (request, reply) => {
    if (allowedHosts.has(request.headers.host ?? '')) return;
    refusals.warn({ host: (request.headers.host ?? '').slice(0, 100) }, 'refused a request for another host');
    await reply.code(421).send();
  });
  registerHealthRoute(server, options.health, () => service.view().screen.name);

  // A WebSocket is opened only on a socket route: an upgrade anywhere else (a station's
  // /dev, the static files) is answered 404 instead of being accepted and then dropped.
  const socketPaths = new Set<string>();
  server.addHook('onRequest', async (request, reply) => {
    if (request.ws && !socketPaths.has(request.routeOptions.url ?? '')) {
      log.warn({ url: request.url }, 'refused a WebSocket where there is none');
      await reply.code(404).send();
    }
  });

  /**
   * One WebSocket route: views go down as `{ kind: 'view' }`, each incoming text message
   * is parsed as JSON and handed to `receive`, whose refusal goes back as `{ kind: 'rejected' }`.
   */
  const serveSocket = <View>(
    path: string,
    channel: {
      readonly view: () => View;
      readonly subscribe: (listener: (view: View) => void) => () => void;
      readonly receive: (raw: unknown) => { ok: true } | { ok: false; error: string };
    },
  ) => {
    socketPaths.add(path);
    let screen: WebSocket | null = null;
    server.get(path, { websocket: true }, (socket, request) => {
      // A page from another origin must not drive the kiosk (cross-site WebSocket hijacking).
      if (!allowedOrigins.has(request.headers.origin ?? '')) {
        log.warn({ origin: request.headers.origin, path }, 'refused a WebSocket from a foreign origin');
        socket.close(1008, 'origin not allowed');
        return;
      }
      if (path === '/ws' && options.screenSecret !== undefined) {
        if (!hasScreenSecret(request.headers.cookie, options.screenSecret)) {
          refusals.warn({ path }, 'refused a WebSocket without the screen secret');
          socket.close(1008, 'not the kiosk screen');
          return;
        }
        // One screen at a time: a reloaded page replaces the one before.
        screen?.close(4000, 'replaced by a new screen');
        screen = socket;
        socket.on('close', () => {
          if (screen === socket) screen = null;
        });
      }
      const client = boundedSender(socket, limits, () => {
        refusals.warn({ path }, 'dropped a WebSocket client that does not read what it is sent');
      });
      const unsubscribe = channel.subscribe((view) => client.sendView({ kind: 'view', view }));
      client.sendView({ kind: 'view', view: channel.view() });
      const reject = (error: string) => client.sendReply({ kind: 'rejected', error });
      socket.on('message', (data, isBinary) => {
        if (isBinary) {
          refusals.warn({ path }, 'rejected a binary message');
          reject('binary messages are not accepted');
          return;
        }
        let raw: unknown;
        try {
          raw = JSON.parse(String(data));
        } catch {
          refusals.warn({ path }, 'rejected a message that is not JSON');
          reject('not JSON');
          return;
        }
        const result = channel.receive(raw);
        if (!result.ok) reject(result.error);
      });
      socket.on('close', () => {
        unsubscribe();
        client.close();
      });
    });
  };

  serveSocket<KioskView>('/ws', {
    view: service.view,
    subscribe: service.subscribe,
    receive: (raw) => {
      const message = parseClientMessage(raw);
      if (!message.ok) {
        refusals.warn({ error: message.error.slice(0, 200) }, 'rejected a malformed message from the renderer');
        return message;
      }
      return service.receiveUiEvent(message.value.event);
    },
  });
  // The developer dock: only when there is one (the demo). Its commands are validated
  // (and refusals logged) by the channel itself.
  if (options.devChannel) {
    const dev = options.devChannel;
    serveSocket<unknown>('/dev', { view: () => dev.view(), subscribe: (listener) => dev.subscribe(listener), receive: (raw) => dev.receive(raw) });
  }

  const address = await server.listen({ host, port: options.port ?? 0 });
  const url = address.replace('[::1]', 'localhost');
  const port = new URL(url).port;
  allowedOrigins = new Set([url, `http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, new URL(url).host]);
  return {
    url,
    close: async () => {
      await server.close();
      refusals.close();
    },
  };
}

/**
 * Sends to one client without buffering for it: views are held back (the newest kept) while
 * the client has not read, replies are sent while there is room, and a client that stays
 * behind is terminated (see SlowClientLimits).
 */
function boundedSender(
  socket: WebSocket,
  limits: SlowClientLimits,
  onDrop: () => void,
): { sendView(message: unknown): void; sendReply(message: unknown): void; close(): void } {
  let held: unknown = undefined;
  let hasHeld = false;
  let behindSince = 0;
  let check: ReturnType<typeof setInterval> | null = null;
  const open = () => socket.readyState === socket.OPEN;
  const stopChecking = () => {
    if (check) clearInterval(check);
    check = null;
  };
  const drop = () => {
    stopChecking();
    hasHeld = false;
    held = undefined;
    if (!open()) return;
    onDrop();
    socket.terminate();
  };
  const lookAgain = () => {
    if (!open()) return stopChecking();
    if (socket.bufferedAmount <= limits.holdViewsAboveBytes) {
      stopChecking();
      if (hasHeld) {
        const message = held;
        hasHeld = false;
        held = undefined;
        socket.send(JSON.stringify(message));
      }
      return;
    }
    if (Date.now() - behindSince >= limits.dropAfterMs) drop();
  };
  return {
    sendView(message) {
      if (!open()) return;
      if (check || socket.bufferedAmount > limits.holdViewsAboveBytes) {
        held = message;
        hasHeld = true;
        if (!check) {
          behindSince = Date.now();
          check = setInterval(lookAgain, limits.checkEveryMs);
        }
        return;
      }
      socket.send(JSON.stringify(message));
    },
    sendReply(message) {
      if (!open()) return;
      if (socket.bufferedAmount > limits.dropAboveBytes) return drop();
      socket.send(JSON.stringify(message));
    },
    close: stopChecking,
  };
}

type Routable = { get(path: string, handler: (request: unknown, reply: { code(status: number): unknown }) => Promise<unknown>): unknown };

/**
 * GET /health: the maintenance status as JSON, 200 while the overall health is green or
 * amber and 503 when red, so a monitor that only reads status codes still sees trouble;
 * `reason` is the code of a fault that keeps the kiosk out of service (else null).
 */
export function registerHealthRoute(server: Routable, health: (() => HealthReport) | undefined, screen: () => string): void {
  server.get('/health', async (_request, reply) => {
    if (!health) return { overall: 'green', screen: screen() };
    const status = health();
    if (status.overall === 'red') reply.code(503);
    return { ...status, reason: status.fault?.code ?? null, screen: screen() };
  });
}

/** The health endpoint alone, for the Electron host (which has no web host). */
export async function startHealthServer(options: {
  readonly health: () => HealthReport;
  readonly screen: () => string;
  readonly log: Logger;
  readonly port: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = Fastify({ loggerInstance: options.log.child({ component: 'health' }, { level: 'warn' }) });
  registerHealthRoute(server, options.health, options.screen);
  const url = await server.listen({ host: '127.0.0.1', port: options.port });
  return { url, close: () => server.close() };
}
