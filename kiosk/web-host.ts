// The web host: the built renderer over HTTP and the KioskView/UiEvent contract over a
// WebSocket, on 127.0.0.1 only. For development, end-to-end tests and machines
// without an Electron binary.
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { parseClientMessage, type MaintenanceStatus, type ServerMessage } from './contract.js';
import type { KioskService } from './service-types.js';

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

  server.get('/ws', { websocket: true }, (socket, request) => {
    // A page from another origin must not drive the kiosk (cross-site WebSocket hijacking).
    if (!allowedOrigins.has(request.headers.origin ?? '')) {
      log.warn({ origin: request.headers.origin }, 'refused a WebSocket from a foreign origin');
      socket.close(1008, 'origin not allowed');
      return;
    }
    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const unsubscribe = service.subscribe((view) => send({ kind: 'view', view }));
    send({ kind: 'view', view: service.view() });
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        send({ kind: 'rejected', error: 'binary messages are not accepted' });
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        log.warn('rejected a message that is not JSON');
        send({ kind: 'rejected', error: 'not JSON' });
        return;
      }
      const message = parseClientMessage(raw);
      if (!message.ok) {
        log.warn({ error: message.error }, 'rejected a malformed message from the renderer');
        send({ kind: 'rejected', error: message.error });
        return;
      }
      const result =
        message.value.kind === 'ui'
          ? service.receiveUiEvent(message.value.event)
          : service.receiveDevCommand(message.value.command);
      if (!result.ok) send({ kind: 'rejected', error: result.error });
    });
    socket.on('close', unsubscribe);
  });

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
