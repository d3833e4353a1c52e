// The developer dock's end of its own channel (demo/dev-contract.ts), apart from the
// kiosk's: in Electron the preload's `window.kioskDev` (IPC), elsewhere a WebSocket to
// /dev on this host. App opens it only while the view says `demo`; a station has no dev
// channel (no /dev route, no IPC listener), so no dock view ever comes and none is shown.
import type { DevBridge, DevCommand, DevDockView, DevServerMessage } from '../demo/dev-contract.js';
import { SOCKET_OPEN, viewIn, type SocketFactory, type SocketLike } from './transport.js';

declare global {
  interface Window {
    /** Present only inside the Electron kiosk window (electron/preload.ts). */
    readonly kioskDev?: DevBridge;
  }
}

export interface DevConnection {
  /** The dock views as they come; `null` once the channel is gone (the dock hides). */
  subscribe(listener: (view: DevDockView | null) => void): () => void;
  /** Dropped while not connected, like the kiosk's input. */
  send(command: DevCommand): void;
  close(): void;
}

/** Opens the dev channel; App calls it when the view turns `demo`, and closes it after. */
export type DevChannelConnector = () => DevConnection;

export const connectDevChannel: DevChannelConnector = () => {
  if (window.kioskDev) return devBridgeConnection(window.kioskDev);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createDevWebSocket(`${scheme}://${location.host}/dev`);
};

/** The preload's bridge as a connection: closing it unsubscribes what it subscribed. */
export function devBridgeConnection(bridge: DevBridge): DevConnection {
  const unsubscribes = new Set<() => void>();
  return {
    subscribe(listener) {
      const unsubscribe = bridge.subscribe(listener);
      unsubscribes.add(unsubscribe);
      return () => {
        unsubscribes.delete(unsubscribe);
        unsubscribe();
      };
    },
    send: (command) => bridge.send(command),
    close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      unsubscribes.clear();
    },
  };
}

function isDevServerMessage(value: unknown): value is DevServerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { kind?: unknown; view?: unknown; error?: unknown };
  if (message.kind === 'rejected') return typeof message.error === 'string';
  if (message.kind !== 'view' || typeof message.view !== 'object' || message.view === null) return false;
  return Array.isArray((message.view as { cards?: unknown }).cards);
}

/**
 * One WebSocket for one demo episode: no reconnecting of its own. When the host goes
 * away the kiosk's carrier reports the connection lost, App closes this one, and opens a
 * new one once the kiosk's views flow again.
 */
export function createDevWebSocket(url: string, options: { readonly socket?: SocketFactory } = {}): DevConnection {
  const open: SocketFactory = options.socket ?? ((target) => new WebSocket(target));
  const listeners = new Set<(view: DevDockView | null) => void>();
  let lastView: DevDockView | null = null;
  let socket: SocketLike | null = open(url);
  const current = socket;

  const emit = (view: DevDockView | null) => {
    lastView = view;
    for (const listener of [...listeners]) listener(view);
  };
  current.onerror = () => undefined;
  current.onmessage = (event) => {
    const view = viewIn(event.data, isDevServerMessage, 'developer dock');
    if (view !== null) emit(view);
  };
  current.onclose = () => {
    if (socket !== current) return;
    socket = null;
    if (lastView !== null) emit(null);
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (lastView) listener(lastView);
      return () => {
        listeners.delete(listener);
      };
    },
    send(command) {
      if (socket && socket.readyState === SOCKET_OPEN) socket.send(JSON.stringify(command));
    },
    close() {
      const closing = socket;
      socket = null;
      listeners.clear();
      closing?.close();
    },
  };
}
