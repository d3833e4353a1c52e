// The renderer's end of a carrier. In Electron the preload exposes a KioskBridge as
// `window.kiosk` (IPC); everywhere else (web host, end-to-end tests) a WebSocket to the
// same host carries the same messages. (The developer dock has a channel of its own:
// dev-transport.ts.)
import type { KioskBridge, KioskView, ServerMessage, UiEvent } from '../kiosk/contract.js';

/**
 * `connecting`: no connection yet since start-up. `open`: views flow. `lost`: a
 * connection we had is gone and we are reconnecting; the last view is stale.
 */
export type ConnectionStatus = 'connecting' | 'open' | 'lost';

export interface RendererBridge extends KioskBridge {
  /**
   * Carriers that can drop (the WebSocket) report their status; the listener is called
   * at once with the current one. Electron IPC cannot drop, so it leaves this out.
   */
  subscribeConnection?(listener: (status: ConnectionStatus) => void): () => void;
}

export interface ClosableBridge extends RendererBridge {
  /** Closes the socket and stops reconnecting (tests, hot reload). */
  close(): void;
}

/** The parts of the DOM WebSocket this carrier uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Quick first retries (the host restarting), then no more than one attempt per 5 s. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5_000 };

export const SOCKET_OPEN = 1;

export function createBridge(): RendererBridge {
  if (window.kiosk) return window.kiosk;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketBridge(`${scheme}://${location.host}/ws`);
}

/**
 * The view a socket message carries, or null: a message that is not JSON or not of the
 * channel's shape is ignored, a rejection of what we sent is noted (both in the console).
 */
export function viewIn<V>(
  data: unknown,
  isMessage: (value: unknown) => value is { kind: 'view'; view: V } | { kind: 'rejected'; error: string },
  channel: string,
): V | null {
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    console.warn(`${channel}: ignored a message that is not JSON`);
    return null;
  }
  if (!isMessage(message)) {
    console.warn(`${channel}: ignored a message of an unknown shape`);
    return null;
  }
  if (message.kind === 'rejected') {
    console.warn(`${channel}: what we sent was refused: ${message.error}`);
    return null;
  }
  return message.view;
}

export function reconnectDelay(attempt: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
}

function isServerMessage(value: unknown): value is ServerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { kind?: unknown; view?: unknown; error?: unknown };
  if (message.kind === 'rejected') return typeof message.error === 'string';
  if (message.kind !== 'view' || typeof message.view !== 'object' || message.view === null) return false;
  const screen = (message.view as { screen?: unknown }).screen;
  return typeof screen === 'object' && screen !== null && typeof (screen as { name?: unknown }).name === 'string';
}

export function createWebSocketBridge(
  url: string,
  options: { readonly socket?: SocketFactory; readonly backoff?: Backoff } = {},
): ClosableBridge {
  const open: SocketFactory = options.socket ?? ((target) => new WebSocket(target));
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const viewListeners = new Set<(view: KioskView) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let lastView: KioskView | null = null;
  let socket: SocketLike | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function setStatus(next: ConnectionStatus): void {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function connect(): void {
    retryTimer = undefined;
    const current = open(url);
    socket = current;
    current.onopen = () => {
      attempt = 0;
      setStatus('open');
    };
    current.onmessage = (event) => {
      const view = viewIn(event.data, isServerMessage, 'kiosk');
      if (view === null) return;
      lastView = view;
      for (const listener of viewListeners) listener(view);
    };
    // An error is always followed by close, which is where we reconnect.
    current.onerror = () => undefined;
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      if (closed) return;
      if (status === 'open') setStatus('lost');
      retryTimer = setTimeout(connect, reconnectDelay(attempt, backoff));
      attempt += 1;
    };
  }

  // Input while disconnected is dropped, not queued: a tap replayed after reconnecting
  // would act on a screen the traveller no longer sees.
  function post(message: { kind: 'ui'; event: UiEvent }): void {
    if (socket && socket.readyState === SOCKET_OPEN) socket.send(JSON.stringify(message));
  }

  connect();

  return {
    subscribe(listener) {
      viewListeners.add(listener);
      if (lastView) listener(lastView);
      return () => {
        viewListeners.delete(listener);
      };
    },
    subscribeConnection(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => {
        statusListeners.delete(listener);
      };
    },
    send(event) {
      post({ kind: 'ui', event });
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      socket?.close();
      socket = null;
    },
  };
}
