// The web host over real HTTP and WebSocket on 127.0.0.1, with a whole demo kiosk behind it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskView, ServerMessage } from '../kiosk/contract.js';
import { startWebHost, type WebHost } from '../kiosk/web-host.js';
import type { RunningKiosk } from '../kiosk/compose.js';
import { startDemo } from '../demo/start.js';
import { silentLog } from './kiosk-harness.js';

interface Client {
  socket: WebSocket;
  messages: ServerMessage[];
  next(predicate: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
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

async function start(): Promise<WebHost> {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-web-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  running = await startDemo({ dataDir: join(dir, 'data'), log: silentLog });
  host = await startWebHost({
    service: running.service,
    log: silentLog,
    rendererDir,
    health: running.service.maintenance.status,
  });
  return host;
}

function connect(url: string, origin: string): Promise<Client> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, { origin });
  clients.push(socket);
  const messages: ServerMessage[] = [];
  const waiters: { predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    messages.push(message);
    for (const w of [...waiters]) {
      if (w.predicate(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  const client: Client = {
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

  it('a demo card tapped from the dock shows the menu, then its orders, over the WebSocket', async () => {
    const { url } = await start();
    const client = await connect(url, url);
    const first = (await client.next((m) => m.kind === 'view')) as { kind: 'view'; view: KioskView };
    expect(first.view.demo).toBe(true);
    expect(first.view.dev?.cards.map((c) => c.id)).toContain('anna');
    client.send({ kind: 'dev', command: { type: 'dev.tap', cardId: 'anna' } });
    const menu = (await client.next(onScreen('menu'))) as { kind: 'view'; view: KioskView };
    expect(JSON.stringify(menu.view)).not.toContain('3528010012345678');
    client.send({ kind: 'ui', event: { type: 'PICKUP' } });
    const orders = (await client.next(onScreen('orders'))) as { kind: 'view'; view: KioskView };
    expect(JSON.stringify(orders.view)).not.toContain('4821-9034-7713');
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
});
