// The WebSocket carrier: views in, events out, and a kiosk that keeps trying when the
// host restarts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KioskView } from '../kiosk/contract.js';
import { createBridge, createWebSocketBridge, reconnectDelay, type ConnectionStatus, type SocketLike } from './transport.js';
import { view } from './test/views.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
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

function setup() {
  const sockets: FakeSocket[] = [];
  const bridge = createWebSocketBridge('ws://kiosk.test/ws', {
    socket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
  const statuses: ConnectionStatus[] = [];
  bridge.subscribeConnection?.((status) => statuses.push(status));
  const views: KioskView[] = [];
  bridge.subscribe((v) => views.push(v));
  const latest = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket');
    return socket;
  };
  return { bridge, sockets, statuses, views, latest };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('WebSocket carrier', () => {
  it('delivers views and sends ui messages', () => {
    const { bridge, latest, views, statuses } = setup();
    latest().open();
    latest().receive({ kind: 'view', view: view({ name: 'idle' }) });
    expect(views).toEqual([view({ name: 'idle' })]);
    expect(statuses).toEqual(['connecting', 'open']);

    bridge.send({ type: 'PICKUP' });
    expect(latest().sent).toEqual([{ kind: 'ui', event: { type: 'PICKUP' } }]);
  });

  it('ignores garbage and logs rejections without passing them on as views', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { latest, views } = setup();
    latest().open();
    latest().receive('not json');
    latest().receive({ kind: 'view', view: { nonsense: true } });
    latest().receive({ kind: 'rejected', error: 'bad event' });
    expect(views).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('reports a lost connection, reconnects with capped backoff, and drops input meanwhile', () => {
    const { bridge, sockets, statuses, latest } = setup();
    latest().open();
    latest().drop();
    expect(statuses.at(-1)).toBe('lost');

    bridge.send({ type: 'CONFIRM' });
    expect(sockets.flatMap((socket) => socket.sent)).toEqual([]);

    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    latest().drop();
    vi.advanceTimersByTime(200);
    expect(sockets).toHaveLength(3);
    latest().open();
    expect(statuses).toEqual(['connecting', 'open', 'lost', 'open']);
  });

  it('gives a late subscriber the last view at once', () => {
    const { bridge, latest } = setup();
    latest().open();
    latest().receive({ kind: 'view', view: view({ name: 'idle' }, { language: 'en' }) });
    const late = vi.fn();
    bridge.subscribe(late);
    expect(late).toHaveBeenCalledWith(view({ name: 'idle' }, { language: 'en' }));
  });

  it('stops reconnecting when closed', () => {
    const { bridge, sockets, latest } = setup();
    latest().open();
    bridge.close();
    latest().drop();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
  });

  it('backs off exponentially up to the cap', () => {
    const backoff = { initialMs: 250, maxMs: 5_000 };
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => reconnectDelay(attempt, backoff))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });
});

describe('createBridge', () => {
  it('uses the Electron preload bridge when there is one', () => {
    const kiosk = { subscribe: () => () => undefined, send: vi.fn() };
    Object.defineProperty(window, 'kiosk', { value: kiosk, configurable: true });
    try {
      expect(createBridge()).toBe(kiosk);
    } finally {
      Reflect.deleteProperty(window, 'kiosk');
    }
  });

  it('otherwise connects a WebSocket to /ws on this host', () => {
    const urls: string[] = [];
    class RecordingWebSocket {
      readyState = 0;
      constructor(url: string) {
        urls.push(url);
      }
      close() {}
    }
    vi.stubGlobal('WebSocket', RecordingWebSocket);
    try {
      createBridge();
      expect(urls).toEqual([`ws://${location.host}/ws`]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
