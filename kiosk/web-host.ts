// The web host: the built renderer over HTTP and the KioskView/UiEvent contract over a
// WebSocket (/ws), on 127.0.0.1 only. For development, end-to-end tests and machines
// without an Electron binary. Given a dev channel (the demo's developer dock), it serves
// that on a WebSocket of its own (/dev); a station's web host has no /dev at all.
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { parseClientMessage, type KioskView, type MaintenanceStatus } from './contract.js';
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
  readonly health?: () => MaintenanceStatus;
  /** The developer dock's channel (demo only), served on /dev. */
  readonly devChannel?: DevChannelPort | undefined;
}

export interface WebHost {
  readonly url: string;
  close(): Promise<void>;
}

/** Largest message a renderer sends is well under 1 KiB; anything bigger is refused. */
const MAX_MESSAGE_BYTES = 4096;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { service, log } = options;
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
    server.get(path, { websocket: true }, (socket, request) => {
      // A page from another origin must not drive the kiosk (cross-site WebSocket hijacking).
      if (!allowedOrigins.has(request.headers.origin ?? '')) {
        log.warn({ origin: request.headers.origin, path }, 'refused a WebSocket from a foreign origin');
        socket.close(1008, 'origin not allowed');
        return;
      }
      const send = (message: { kind: 'view'; view: View } | { kind: 'rejected'; error: string }) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      const unsubscribe = channel.subscribe((view) => send({ kind: 'view', view }));
      send({ kind: 'view', view: channel.view() });
      socket.on('message', (data, isBinary) => {
        if (isBinary) {
          send({ kind: 'rejected', error: 'binary messages are not accepted' });
          return;
        }
        let raw: unknown;
        try {
          raw = JSON.parse(String(data));
        } catch {
          log.warn({ path }, 'rejected a message that is not JSON');
          send({ kind: 'rejected', error: 'not JSON' });
          return;
        }
        const result = channel.receive(raw);
        if (!result.ok) send({ kind: 'rejected', error: result.error });
      });
      socket.on('close', unsubscribe);
    });
  };

  serveSocket<KioskView>('/ws', {
    view: service.view,
    subscribe: service.subscribe,
    receive: (raw) => {
      const message = parseClientMessage(raw);
      if (!message.ok) {
        log.warn({ error: message.error }, 'rejected a malformed message from the renderer');
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
  return {
    url,
    close: () => server.close(),
  };
}

type Routable = { get(path: string, handler: (request: unknown, reply: { code(status: number): unknown }) => Promise<unknown>): unknown };

/**
 * GET /health: the maintenance status as JSON, 200 while the overall health is green or
 * amber and 503 when red, so a monitor that only reads status codes still sees trouble.
 */
export function registerHealthRoute(
  server: Routable,
  health: (() => MaintenanceStatus) | undefined,
  screen: () => string,
): void {
  server.get('/health', async (_request, reply) => {
    if (!health) return { overall: 'green', screen: screen() };
    const status = health();
    if (status.overall === 'red') reply.code(503);
    return { ...status, screen: screen() };
  });
}

/** The health endpoint alone, for the Electron host (which has no web host). */
export async function startHealthServer(options: {
  readonly health: () => MaintenanceStatus;
  readonly screen: () => string;
  readonly log: Logger;
  readonly port: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = Fastify({ loggerInstance: options.log.child({ component: 'health' }, { level: 'warn' }) });
  registerHealthRoute(server, options.health, options.screen);
  const url = await server.listen({ host: '127.0.0.1', port: options.port });
  return { url, close: () => server.close() };
}
