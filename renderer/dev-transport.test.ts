// The developer dock's own channel, renderer side: the preload's window.kioskDev in
// Electron, else one WebSocket to /dev.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DevBridge, DevDockView } from '../demo/dev-contract.js';
import { connectDevChannel, createDevWebSocket } from './dev-transport.js';
import type { SocketLike } from './transport.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  drop() {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }
  receive(data: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: typeof data === 'string' ? data : JSON.stringify(data) }));
  }
}

const dock: DevDockView = { cards: [{ id: 'anna', label: 'Anna · 5678' }], presentCardId: null, tearAfterWrites: null };

function setup() {
  const sockets: FakeSocket[] = [];
  const connection = createDevWebSocket('ws://kiosk.test/dev', {
    socket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
  });
  const views: (DevDockView | null)[] = [];
  connection.subscribe((view) => views.push(view));
  const socket = sockets[0];
  if (!socket) throw new Error('no socket');
  return { connection, sockets, socket, views };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('dev channel over a WebSocket', () => {
  it('delivers dock views and sends bare commands once open, dropping them before', () => {
    const { connection, socket, views } = setup();
    connection.send({ type: 'dev.remove' });
    socket.open();
    socket.receive({ kind: 'view', view: dock });
    connection.send({ type: 'dev.tap', cardId: 'anna' });
    expect(views).toEqual([dock]);
    expect(socket.sent).toEqual([{ type: 'dev.tap', cardId: 'anna' }]);
  });

  it('ignores garbage and logs refusals without passing them on as views', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { socket, views } = setup();
    socket.open();
    socket.receive('not json');
    socket.receive({ kind: 'view', view: { screen: { name: 'idle' } } });
    socket.receive({ kind: 'rejected', error: 'no demo card nobody' });
    expect(views).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('no demo card nobody'));
  });

  it('says the dock is gone when the socket closes, and does not reconnect by itself', () => {
    vi.useFakeTimers();
    try {
      const { sockets, socket, views } = setup();
      socket.open();
      socket.receive({ kind: 'view', view: dock });
      socket.drop();
      vi.advanceTimersByTime(60_000);
      expect(views).toEqual([dock, null]);
      expect(sockets).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a refused connection (a station has no /dev) never shows a dock', () => {
    const { socket, views } = setup();
    socket.drop();
    expect(views).toEqual([]);
  });

  it('close() closes the socket and stops the views', () => {
    const { connection, socket, views } = setup();
    socket.open();
    connection.close();
    socket.receive({ kind: 'view', view: dock });
    expect(socket.closed).toBe(true);
    expect(views).toEqual([]);
  });
});

describe('connectDevChannel', () => {
  it('uses the Electron preload bridge (window.kioskDev) when there is one, and close() unsubscribes', () => {
    const unsubscribe = vi.fn();
    const kioskDev: DevBridge = { subscribe: vi.fn(() => unsubscribe), send: vi.fn() };
    Object.defineProperty(window, 'kioskDev', { value: kioskDev, configurable: true });
    try {
      const connection = connectDevChannel();
      connection.subscribe(() => undefined);
      connection.send({ type: 'dev.remove' });
      expect(kioskDev.send).toHaveBeenCalledWith({ type: 'dev.remove' });
      connection.close();
      expect(unsubscribe).toHaveBeenCalledTimes(1);
    } finally {
      Reflect.deleteProperty(window, 'kioskDev');
    }
  });

  it('otherwise connects a WebSocket to /dev on this host', () => {
    const urls: string[] = [];
    class RecordingWebSocket {
      readyState = 0;
      constructor(url: string) {
        urls.push(url);
      }
      close() {}
    }
    vi.stubGlobal('WebSocket', RecordingWebSocket);
    connectDevChannel().close();
    expect(urls).toEqual([`ws://${location.host}/dev`]);
  });
});
