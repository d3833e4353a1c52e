// The web host under pressure, over real sockets on 127.0.0.1: a client that stops reading
// while the kiosk keeps publishing, a client that floods it with invalid messages, and valid
// events sent in a state that does not take them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_TECHNICIAN } from '../demo/cards.js';
import { startDemo } from '../demo/start.js';
import type { KioskView, ServerMessage } from '../kiosk/contract.js';
import type { RunningKiosk } from '../kiosk/compose.js';
import type { KioskService } from '../kiosk/service-types.js';
import { startWebHost, type WebHost } from '../kiosk/web-host.js';

let host: WebHost | null = null;
let running: RunningKiosk | null = null;
let dir = '';
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await host?.close();
  await running?.stop();
  host = null;
  running = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Everything the kiosk logged, as pino's JSON lines, and how many bytes that was. */
interface LogSpy {
  readonly lines: { level: number; msg: string; suppressed?: number }[];
  bytes: number;
}

function logSpy(): { log: pino.Logger; spy: LogSpy } {
  const spy: LogSpy = { lines: [], bytes: 0 };
  const log = pino({ level: 'info' }, {
    write: (line: string) => {
      spy.bytes += Buffer.byteLength(line);
      spy.lines.push(JSON.parse(line) as LogSpy['lines'][number]);
    },
  });
  return { log, spy };
}

function rendererDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-pressure-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>kiosk</title>');
  return renderer;
}

async function startDemoHost(log: pino.Logger): Promise<WebHost> {
  const renderer = rendererDir();
  running = await startDemo({ dataDir: join(dir, 'data'), log });
  host = await startWebHost({ service: running.service, log, rendererDir: renderer, health: running.service.maintenance.status });
  return host;
}

/** A kiosk service whose views the test publishes itself, as fast as it likes. */
function publishingService(view: KioskView): KioskService & { publish(view: KioskView): void } {
  const listeners = new Set<(view: KioskView) => void>();
  return {
    view: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receiveUiEvent: (raw) => ({ ok: false, error: `not in this test: ${JSON.stringify(raw)}` }),
    stop: async () => undefined,
    publish(next) {
      view = next;
      for (const listener of [...listeners]) listener(next);
    },
  };
}

interface Client {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[];
  next(predicate: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
}

function connect(url: string, path = '/ws'): Promise<Client> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}${path}`, { origin: url });
  closers.push(() => socket.terminate());
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as ServerMessage);
    for (const wake of [...waiters]) wake();
  });
  const next = (predicate: (m: ServerMessage) => boolean, timeoutMs = 5000) =>
    new Promise<ServerMessage>((resolve, reject) => {
      const check = () => {
        const seen = messages.find(predicate);
        if (!seen) return false;
        waiters.delete(wake);
        clearTimeout(timer);
        resolve(seen);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error('no matching message'));
      }, timeoutMs);
      if (!check()) waiters.add(wake);
    });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, next }));
    socket.once('error', reject);
  });
}

/**
 * A WebSocket client that completes the handshake and then never reads again: what a
 * frozen renderer or a stuck browser tab is to the kiosk.
 */
function connectAndStopReading(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: hostname, port: Number(port) });
    closers.push(() => socket.destroy());
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(
        'GET /ws HTTP/1.1\r\n' +
          `Host: ${hostname}:${port}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
          `Origin: ${url}\r\n\r\n`,
      );
    });
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (!head.startsWith('HTTP/1.1 101')) reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
      else resolve(socket);
    };
    socket.on('data', onData);
  });
}

const MiB = 1024 * 1024;

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a client that stops reading', () => {
  it('is dropped, not buffered, while 1 M views are produced; memory stays bounded and a reading client keeps up', async () => {
    const { log, spy } = logSpy();
    // A real view (the demo's idle screen), so each message is as big as the kiosk's.
    const renderer = rendererDir();
    const demo = await startDemo({ dataDir: join(dir, 'data'), log: pino({ level: 'silent' }) });
    const view = demo.service.view();
    await demo.stop();
    const service = publishingService(view);
    // Dropped after 2 s without reading (10 s in production), so the test need not wait.
    host = await startWebHost({ service, log, rendererDir: renderer, slowClient: { dropAfterMs: 2000 } });

    const stuck = await connectAndStopReading(host.url);
    // A client that reads, and keeps only what it last saw (1 M messages kept would be the
    // test's own memory).
    const reader = new WebSocket(`${host.url.replace('http', 'ws')}/ws`, { origin: host.url });
    closers.push(() => reader.terminate());
    let lastLanguage = '';
    let received = 0;
    reader.on('message', (data) => {
      received += 1;
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.kind === 'view') lastLanguage = message.view.language;
    });
    await new Promise((resolve) => reader.once('open', resolve));
    await until(() => received > 0, 'the first view');

    const VIEWS = Number(process.env.PRESSURE_VIEWS ?? 1_000_000);
    const BATCH = 5_000;
    // How far above its start the process's memory got; the unbounded host grows by the
    // size of every view it could not send (about a kilobyte each), so stop well before.
    const start = process.memoryUsage().rss;
    let peakGrowth = 0;
    let produced = 0;
    for (; produced < VIEWS; ) {
      for (let i = 0; i < BATCH; i++, produced++) {
        service.publish({ ...view, language: produced % 2 ? 'en' : 'nl' });
      }
      peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - start);
      if (peakGrowth > 400 * MiB) break;
      // The reading client reads: the kiosk is not the only one running.
      await nextTurn();
    }
    console.info(
      `web host, 1 M views with a client that stopped reading: rss +${(peakGrowth / MiB).toFixed(1)} MiB at most, ${received} views read by the other client`,
    );

    expect(produced).toBe(VIEWS);
    expect(peakGrowth).toBeLessThan(150 * MiB);
    const dropped = () => spy.lines.filter((l) => l.msg === 'dropped a WebSocket client that does not read what it is sent').length;
    await until(() => dropped() > 0, 'the stuck client dropped');
    expect(dropped()).toBe(1);
    // The client that reads gets the last view, and is still connected.
    service.publish({ ...view, language: 'fr' });
    await until(() => lastLanguage === 'fr', 'the last view read');
    expect(reader.readyState).toBe(WebSocket.OPEN);
    // The stuck one finds its connection closed once it reads again.
    const ended = new Promise<void>((resolve) => stuck.once('close', () => resolve()));
    stuck.resume();
    await ended;
  }, 120_000);
});

describe('a client flooding the kiosk with invalid messages', () => {
  it('50,000 invalid messages are each answered, but logged a few times and then counted, and /health still answers', async () => {
    const { log, spy } = logSpy();
    const { url } = await startDemoHost(log);
    const client = await connect(url);
    await client.next((m) => m.kind === 'view');
    const before = spy.bytes;
    let rejected = 0;
    client.socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as ServerMessage).kind === 'rejected') rejected += 1;
    });

    const FLOOD = 50_000;
    const bad = ['not json', JSON.stringify({ kind: 'ui', event: { type: 'EXPLODE' } }), JSON.stringify({ kind: 'ui', event: { type: 'PICKUP', extra: 1 } })];
    // Sent in bursts of 1000, each burst's answers read before the next: a client that reads.
    // (One that sends faster than it reads is dropped: the next test.)
    let healthAnswered = 0;
    let slowestHealthMs = 0;
    for (let sent = 0; sent < FLOOD; ) {
      for (let i = 0; i < 1000; i++, sent++) client.socket.send(bad[sent % bad.length] ?? '');
      // While the flood is being worked through, a monitor still gets its answer.
      if (sent % 10_000 === 0) {
        const asked = performance.now();
        healthAnswered += (await fetch(`${url}/health`)).status === 200 ? 1 : 0;
        slowestHealthMs = Math.max(slowestHealthMs, performance.now() - asked);
      }
      await until(() => rejected === sent || client.socket.readyState !== WebSocket.OPEN, 'the burst answered', 30_000);
    }
    expect(healthAnswered).toBe(FLOOD / 10_000);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(rejected).toBe(FLOOD);
    await host?.close(); // flushes what was held back: the counts of what was not logged
    host = null;

    const logBytes = spy.bytes - before;
    // A figure, not an assertion: timing belongs in benchmarks.
    console.info(`web host, ${FLOOD} invalid messages: ${logBytes} bytes of log, /health answered in ${slowestHealthMs.toFixed(0)} ms at most`);
    expect(logBytes).toBeLessThan(64 * 1024);
    const rejections = spy.lines.filter((l) => l.msg.startsWith('rejected') && l.suppressed === undefined);
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections.length).toBeLessThan(100);
    // What was not written out is counted, so the log still says how much happened.
    const counted = spy.lines.reduce((sum, l) => sum + (l.suppressed ?? 0), 0);
    expect(counted + rejections.length).toBe(FLOOD);
    expect(running?.service.view().screen.name).toBe('idle');
  }, 120_000);
});

/** One masked text frame, as a client must send it (RFC 6455 5.3), for payloads under 126 bytes. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

describe('a client that floods and does not read the answers', () => {
  it('is dropped once its unread answers pile up; the log stays small', async () => {
    const { log, spy } = logSpy();
    const { url } = await startDemoHost(log);
    const flooder = await connectAndStopReading(url);
    const before = spy.bytes;
    const frame = maskedTextFrame(JSON.stringify({ kind: 'ui', event: { type: 'EXPLODE' } }));
    const dropped = () => spy.lines.some((l) => l.msg === 'dropped a WebSocket client that does not read what it is sent');
    // Written in bursts so the kiosk reads while the flooder writes, until the kiosk has had
    // enough (the kernel's socket buffers take a few MB of answers first).
    let sent = 0;
    for (; sent < 1_000_000 && !dropped(); sent += 1000) {
      flooder.write(Buffer.concat(Array.from({ length: 1000 }, () => frame)));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    console.info(`web host: a client that floods without reading is dropped after ${sent} messages`);
    expect(dropped()).toBe(true);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    await host?.close();
    host = null;
    expect(spy.bytes - before).toBeLessThan(64 * 1024);
    expect(running?.service.view().screen.name).toBe('idle');
  }, 60_000);
});

describe('a valid event in a state that does not take it', () => {
  it('is answered as rejected, naming the event and the screen, and changes nothing', async () => {
    const { log, spy } = logSpy();
    const { url } = await startDemoHost(log);
    const client = await connect(url);
    await client.next((m) => m.kind === 'view');
    client.socket.send(JSON.stringify({ kind: 'ui', event: { type: 'CONFIRM' } }));
    const rejected = await client.next((m) => m.kind === 'rejected');
    expect(rejected.kind === 'rejected' && rejected.error).toMatch(/CONFIRM.*idle/);
    expect(running?.service.view().screen.name).toBe('idle');
    expect(spy.lines.some((l) => l.msg === 'rejected a UiEvent the kiosk does not take now')).toBe(true);
  });

  it('a maintenance page before the PIN is rejected; the PIN itself, a language and activity are not', async () => {
    const { log } = logSpy();
    const { url } = await startDemoHost(log);
    const client = await connect(url);
    await client.next((m) => m.kind === 'view');
    const send = (event: unknown) => client.socket.send(JSON.stringify({ kind: 'ui', event }));
    send({ type: 'SERVICE_KEY' });
    await client.next((m) => m.kind === 'view' && m.view.screen.name === 'technicianCard');
    send({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: DEMO_TECHNICIAN.cardNumber });
    await client.next((m) => m.kind === 'view' && m.view.screen.name === 'pin');
    send({ type: 'MAINT_SHOW', page: 'log' });
    const rejected = await client.next((m) => m.kind === 'rejected');
    expect(rejected.kind === 'rejected' && rejected.error).toContain('MAINT_SHOW');
    // Accepted ones get no reply but the views they cause; activity is accepted anywhere.
    send({ type: 'ACTIVITY' });
    send({ type: 'SET_LANGUAGE', language: 'de' });
    await client.next((m) => m.kind === 'view' && m.view.language === 'de');
    send({ type: 'SUBMIT_PIN', pin: DEMO_TECHNICIAN.pin });
    await client.next((m) => m.kind === 'view' && m.view.screen.name === 'maintenance');
    expect(client.messages.filter((m) => m.kind === 'rejected')).toHaveLength(1);
  });
});
