// The web host over real HTTP and WebSocket on 127.0.0.1, with a whole demo kiosk behind
// it: the kiosk's contract on /ws, the developer dock's own channel on /dev; and a
// station's web host, which has no /dev.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DevDockView, DevServerMessage } from '../demo/dev-contract.js';
import type { KioskView, ServerMessage } from '../kiosk/contract.js';
import { startWebHost, type WebHost } from '../kiosk/web-host.js';
import { composeKiosk, createKioskLog, type RunningKiosk } from '../kiosk/compose.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { startDemo } from '../demo/start.js';
import { silentLog } from './kiosk-harness.js';

interface Client<M = ServerMessage> {
  socket: WebSocket;
  messages: M[];
  next(predicate: (m: M) => boolean, timeoutMs?: number): Promise<M>;
  send(data: unknown): void;
}

let host: WebHost | null = null;
let running: RunningKiosk | null = null;
let dir = '';
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await host?.close();
  await running?.stop();
  host = null;
  running = null;
  rmSync(dir, { recursive: true, force: true });
});

/** What was logged at warn and above, as pino's JSON lines. */
let logged: { msg: string; error?: string }[] = [];

function rendererDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-web-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  return rendererDir;
}

/** The demo on the web host, wired as demo/main.ts wires it (web-entry: the dev channel too). */
async function start(): Promise<WebHost> {
  const renderer = rendererDir();
  logged = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as { msg: string }) });
  running = await startDemo({ dataDir: join(dir, 'data'), log });
  host = await startWebHost({
    service: running.service,
    devChannel: running.devChannel,
    log,
    rendererDir: renderer,
    health: running.service.maintenance.status,
  });
  return host;
}

/** A station's composition (no demo parts) on the web host, wired as kiosk/main.ts wires it. */
async function startStationLike(): Promise<WebHost> {
  const renderer = rendererDir();
  running = await composeKiosk(
    { dataDir: join(dir, 'data'), kioskLog: createKioskLog(silentLog) },
    { stationName: 'Test station', demo: false, reader: () => new SimulatedReader(), backOffice: undefined },
  );
  host = await startWebHost({ service: running.service, devChannel: running.devChannel, log: silentLog, rendererDir: renderer });
  return host;
}

function connect(url: string, origin: string, path?: '/ws', cookie?: string): Promise<Client>;
function connect(url: string, origin: string, path: '/dev'): Promise<Client<DevServerMessage>>;
function connect<M>(url: string, origin: string, path = '/ws', cookie?: string): Promise<Client<M>> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}${path}`, { origin, ...(cookie ? { headers: { cookie } } : {}) });
  clients.push(socket);
  const messages: M[] = [];
  const waiters: { predicate: (m: M) => boolean; resolve: (m: M) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as M;
    messages.push(message);
    for (const w of [...waiters]) {
      if (w.predicate(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  const client: Client<M> = {
    socket,
    messages,
    send: (data) => socket.send(typeof data === 'string' ? data : JSON.stringify(data)),
    next: (predicate, timeoutMs = 2000) =>
      new Promise((resolve, reject) => {
        const seen = messages.find(predicate);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error('no matching message')), timeoutMs);
        waiters.push({ predicate, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      }),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

const onScreen = (name: string) => (m: ServerMessage) => m.kind === 'view' && m.view.screen.name === name;

describe('web host', () => {
  it('serves the renderer with a strict CSP and a health endpoint', async () => {
    const { url } = await start();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>kiosk</title>');
    const response = await fetch(`${url}/health`);
    const health = (await response.json()) as Record<string, { health?: string; status?: string }> & { screen: string };
    // Demo mode has no back office: sync is amber, which is still a 200.
    expect(response.status).toBe(200);
    expect(health.screen).toBe('idle');
    expect(health.reader).toMatchObject({ health: 'green', status: 'ready' });
    expect(health.store).toMatchObject({ health: 'green', pendingOrders: 5 });
    expect(Object.keys(health)).toEqual(expect.arrayContaining(['overall', 'reader', 'store', 'sync', 'app', 'disk']));
  });

  it('a demo card tapped from the dock (on /dev) shows the menu, then its orders, on /ws', async () => {
    const { url } = await start();
    const client = await connect(url, url);
    const dock = await connect(url, url, '/dev');
    const first = (await client.next((m) => m.kind === 'view')) as { kind: 'view'; view: KioskView };
    expect(first.view.demo).toBe(true);
    expect(first.view).not.toHaveProperty('dev');
    const dockFirst = (await dock.next((m) => m.kind === 'view')) as { kind: 'view'; view: DevDockView };
    expect(dockFirst.view.cards.map((c) => c.id)).toContain('anna');
    expect(dockFirst.view.presentCardId).toBeNull();
    dock.send({ type: 'dev.tap', cardId: 'anna' });
    const menu = (await client.next(onScreen('menu'))) as { kind: 'view'; view: KioskView };
    expect(JSON.stringify(menu.view)).not.toContain('3528010012345678');
    await dock.next((m) => m.kind === 'view' && m.view.presentCardId === 'anna');
    client.send({ kind: 'ui', event: { type: 'PICKUP' } });
    const orders = (await client.next(onScreen('orders'))) as { kind: 'view'; view: KioskView };
    expect(JSON.stringify(orders.view)).not.toContain('4821-9034-7713');
    // Nothing of the dock travels on the kiosk's socket.
    expect(client.messages.every((m) => m.kind !== 'view' || !('dev' in m.view))).toBe(true);
  });

  it('the dock sees an armed tear, and the card leaving, on /dev', async () => {
    const { url } = await start();
    const dock = await connect(url, url, '/dev');
    await dock.next((m) => m.kind === 'view');
    dock.send({ type: 'dev.tearNextWrite', afterWrites: 2 });
    await dock.next((m) => m.kind === 'view' && m.view.tearAfterWrites === 2);
    dock.send({ type: 'dev.tap', cardId: 'bram' });
    await dock.next((m) => m.kind === 'view' && m.view.presentCardId === 'bram');
    dock.send({ type: 'dev.remove' });
    await dock.next((m) => m.kind === 'view' && m.view.presentCardId === null && dock.messages.length > 3);
  });

  it('the kiosk socket no longer takes developer commands', async () => {
    const { url } = await start();
    const client = await connect(url, url);
    await client.next((m) => m.kind === 'view');
    client.send({ kind: 'dev', command: { type: 'dev.tap', cardId: 'anna' } });
    const rejected = await client.next((m) => m.kind === 'rejected');
    expect(rejected.kind === 'rejected' && rejected.error).toContain('kind');
    expect(running?.service.view().screen.name).toBe('idle');
  });

  it('a malformed developer command is rejected on /dev with the reason, logged, and changes nothing', async () => {
    const { url } = await start();
    const dock = await connect(url, url, '/dev');
    await dock.next((m) => m.kind === 'view');
    const bad = [
      'not json',
      { type: 'dev.tap' },
      { type: 'dev.tap', cardId: 'anna', extra: 1 },
      { type: 'dev.tearNextWrite', afterWrites: -1 },
      { type: 'dev.explode' },
      { kind: 'dev', command: { type: 'dev.remove' } },
      { type: 'dev.tap', cardId: 'nobody' },
    ];
    for (const message of bad) dock.send(message);
    const rejections = () => dock.messages.filter((m): m is Extract<DevServerMessage, { kind: 'rejected' }> => m.kind === 'rejected');
    await dock.next(() => rejections().length === bad.length);
    expect(rejections().at(-1)?.error).toBe('no demo card nobody');
    expect(rejections()[1]?.error).toContain('cardId');
    // Every refusal is in the log too (the channel logs its own; the host the one that is not JSON).
    expect(logged.filter((line) => line.msg === 'rejected a developer-dock command')).toHaveLength(bad.length - 1);
    expect(logged.filter((line) => line.msg === 'rejected a message that is not JSON')).toHaveLength(1);
    expect(running?.service.view().screen.name).toBe('idle');
    expect(running?.devChannel?.view()).toMatchObject({ presentCardId: null, tearAfterWrites: null });
  });

  it('malformed messages are rejected with a reason and change nothing', async () => {
    const { url } = await start();
    const client = await connect(url, url);
    await client.next((m) => m.kind === 'view');
    const bad = [
      'not json',
      { kind: 'ui', event: { type: 'EXPLODE' } },
      { kind: 'ui', event: { type: 'PICKUP', extra: 1 } },
      { kind: 'ui', event: { type: 'SELECT_ORDER', orderId: '<script>' } },
      { kind: 'dev', command: { type: 'dev.tap', cardId: 'nobody' } },
    ];
    for (const message of bad) client.send(message);
    const rejected = () => client.messages.filter((m) => m.kind === 'rejected').length;
    await client.next(() => rejected() === bad.length);
    expect(rejected()).toBe(bad.length);
    expect(running?.service.view().screen.name).toBe('idle');
  });

  it('refuses a WebSocket from another origin', async () => {
    const { url } = await start();
    const client = await connect(url, 'http://evil.example');
    const closed = await new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    expect(closed).toBe(1008);
    expect(client.messages).toHaveLength(0);
  });

  it('refuses a dock WebSocket (/dev) from another origin, so a foreign page cannot tap cards', async () => {
    const { url } = await start();
    const dock = await connect(url, 'http://evil.example', '/dev');
    const closed = await new Promise<number>((resolve) => dock.socket.once('close', (code) => resolve(code)));
    expect(closed).toBe(1008);
    expect(dock.messages).toHaveLength(0);
    dock.send({ type: 'dev.tap', cardId: 'anna' });
    expect(running?.devChannel?.view()).toMatchObject({ presentCardId: null });
    expect(logged.some((line) => line.msg === 'refused a WebSocket from a foreign origin')).toBe(true);
  });
});

describe('the web host answers only its own screen (issue 11)', () => {
  it('ATTACK: a request naming another host (DNS rebinding) is refused, /health included', async () => {
    const { url } = await start();
    const port = new URL(url).port;
    const asked = (hostHeader: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host: hostHeader } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.once('error', reject);
        req.end();
      });
    expect(await asked(`evil.example:${port}`, '/health')).toBe(421);
    expect(await asked(`evil.example:${port}`, '/')).toBe(421);
    expect(await asked(`127.0.0.1:${port}`, '/health')).toBe(200);
    expect(await asked(`localhost:${port}`, '/')).toBe(200);
  });

  it("ATTACK: with a screen secret, a local program forging the kiosk's Origin cannot open /ws; the screen with the secret can, one at a time", async () => {
    const renderer = rendererDir();
    running = await composeKiosk(
      { dataDir: join(dir, 'data'), kioskLog: createKioskLog(silentLog) },
      { stationName: 'Test station', demo: false, reader: () => new SimulatedReader(), backOffice: undefined },
    );
    const screenSecret = 'a'.repeat(43);
    host = await startWebHost({ service: running.service, log: silentLog, rendererDir: renderer, screenSecret });
    const url = host.url;
    // Before: a forged Origin was all it took.
    const forged = await connect(url, url);
    expect(await new Promise<number>((resolve) => forged.socket.once('close', (code) => resolve(code)))).toBe(1008);
    expect(forged.messages).toHaveLength(0);
    const screen = await connect(url, url, '/ws', `kiosk_screen=${screenSecret}`);
    await screen.next((m) => m.kind === 'view');
    // A second screen with the secret replaces the first (a reloaded page), never two at once.
    const again = await connect(url, url, '/ws', `kiosk_screen=${screenSecret}`);
    await again.next((m) => m.kind === 'view');
    expect(await new Promise<number>((resolve) => screen.socket.once('close', (code) => resolve(code)))).toBe(4000);
  });
});

describe('a station on the web host', () => {
  it('has no dev channel: /dev is not there (404), /ws is, and its view says not demo', async () => {
    const { url } = await startStationLike();
    expect(running?.devChannel).toBeUndefined();
    const socket = new WebSocket(`${url.replace('http', 'ws')}/dev`, { origin: url });
    clients.push(socket);
    socket.on('error', () => undefined); // terminated in afterEach before it ever opened
    const status = await new Promise<number>((resolve, reject) => {
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => reject(new Error('a station served /dev')));
    });
    expect(status).toBe(404);
    const client = await connect(url, url);
    const first = (await client.next((m) => m.kind === 'view')) as { kind: 'view'; view: KioskView };
    expect(first.view.demo).toBe(false);
    expect(first.view).not.toHaveProperty('dev');
  });
});
