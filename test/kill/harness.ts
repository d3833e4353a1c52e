// Power cuts at the worst moments, for real: the demo kiosk runs as its own process (the
// web host over its own SQLite files, the embedded back office, the demo card wallet on
// disk); each round orders something for Anna online, collects it at the kiosk and
// SIGKILLs the kiosk at a random moment between Akkoord and a while into the delivered
// screen; then starts it again and holds the same card. Afterwards, nothing may be lost,
// nothing doubled, and every kaartservicecode that was delivered must have been shown
// again. Used by test/kill.test.ts (a few rounds) and `npm run chaos` (hundreds).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import { layoutV1 } from '../../hardware/card-layout.js';
import type { KioskView, ServerMessage } from '../../kiosk/contract.js';
import { DEMO_BACKOFFICE_FILE } from '../../demo/backoffice.js';
import { SimulatedWallet } from '../../demo/wallet.js';

/** The repository (this file runs from source in tests and bundled in dist/tools by run-ts). */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'demo', 'main.ts'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository above ${from}`);
  }
}
const root = repositoryRoot(import.meta.dirname);
const ANNA = '3528010012345678';

/** The demo's web-host entry, bundled once where its packages resolve (node_modules). */
export async function buildDemoEntry(): Promise<string> {
  const outfile = join(root, 'node_modules', '.cache', 'station-kiosk', 'kill-test', 'demo-main.mjs');
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({
    entryPoints: [join(root, 'demo', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

interface Child {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
}

function startChild(entry: string, dataDir: string, rendererDir: string): Promise<Child> {
  const proc = spawn(process.execPath, [entry], {
    env: { ...process.env, KIOSK_DATA_DIR: dataDir, PORT: '0', KIOSK_RENDERER_DIR: rendererDir, LOG_LEVEL: 'warn', KIOSK_READER: '', KIOSK_CONFIG: '', KIOSK_DEMO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the kiosk did not start: ${out}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Kiosk: (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ proc, url: match[1], exited });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the kiosk exited (${code}) before it served: ${out}`));
    });
  });
}

/** The kiosk's screen as a traveller drives it: its views over /ws, the dock over /dev. */
class Screen {
  private last: KioskView | null = null;
  private waiters: (() => void)[] = [];
  private dev: WebSocket | null = null;
  private constructor(private readonly ui: WebSocket) {
    // Listening before the socket opens: the first view can come in the same packet.
    ui.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.kind !== 'view') return;
      this.last = message.view;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(url: string): Promise<Screen> {
    const connect = (path: string) => new WebSocket(`${url.replace('http', 'ws')}${path}`, { headers: { origin: url } });
    const opened = (socket: WebSocket) =>
      new Promise<WebSocket>((resolve, reject) => {
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    const screen = new Screen(connect('/ws'));
    await opened(screen.ui);
    screen.dev = await opened(connect('/dev'));
    return screen;
  }

  view(): KioskView | null {
    return this.last;
  }

  async until<T>(test: (view: KioskView) => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.last ? test(this.last) : null;
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; the screen is ${JSON.stringify(this.last?.screen)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  press(event: object): void {
    this.ui.send(JSON.stringify({ kind: 'ui', event }));
  }

  tap(cardId: string): void {
    this.dev?.send(JSON.stringify({ type: 'dev.tap', cardId }));
  }

  remove(): void {
    this.dev?.send(JSON.stringify({ type: 'dev.remove' }));
  }

  close(): void {
    this.ui.terminate();
    this.dev?.terminate();
  }
}

interface Online {
  readonly url: string;
  readonly token: string;
}

async function online(dataDir: string): Promise<Online> {
  const { url, onlineToken } = JSON.parse(readFileSync(join(dataDir, DEMO_BACKOFFICE_FILE), 'utf8')) as { url: string; onlineToken: string };
  return { url, token: onlineToken };
}

async function call(api: Online, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  return response.json();
}

export interface KillReport {
  readonly rounds: number;
  /** Killed after the card was written (the order is on the card). */
  readonly landed: number;
  /** Killed before: the order was offered again and collected after the restart. */
  readonly notLanded: number;
  readonly codesDelivered: number;
  /** Of those, shown again on the next tap after the restart. */
  readonly codesShownAgain: number;
  readonly lost: string[];
  readonly doubled: string[];
  readonly codesNotShownAgain: string[];
  readonly balanceCents: { readonly expected: number; readonly onCard: number };
  readonly conflicts: number;
}

/**
 * `rounds` power cuts; each round's order alternates between a kaartservicecode and a
 * €0.10 top-up; the kill comes `0..maxDelayMs` after Akkoord.
 */
export async function runKills(options: { rounds: number; maxDelayMs?: number; log?: (line: string) => void }): Promise<KillReport> {
  const maxDelay = options.maxDelayMs ?? 1_200;
  const entry = await buildDemoEntry();
  const dir = mkdtempSync(join(tmpdir(), 'kill-test-'));
  const dataDir = join(dir, 'data');
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  const started = async () => {
    const child = await startChild(entry, dataDir, rendererDir);
    try {
      const screen = await Screen.open(child.url);
      await screen.until((v) => v.screen.name === 'idle');
      return { child, screen };
    } catch (error) {
      // A kiosk that started but never showed its idle screen is not left running.
      child.proc.kill('SIGKILL');
      throw error;
    }
  };

  let { child, screen } = await started();
  const startBalance = cardBalance(dataDir);
  let expectedBalance = startBalance;
  const report = { landed: 0, notLanded: 0, codesDelivered: 0, codesShownAgain: 0 };
  const lost: string[] = [];
  const doubled: string[] = [];
  const codesNotShownAgain: string[] = [];
  const delivered = new Set<string>();
  // The embedded back office gets a new port and online token at every start.
  let api = await online(dataDir);

  /** Taps Anna and collects `orderId`; resolves with how the screen ended. */
  const collect = async (orderId: string): Promise<void> => {
    screen.tap('anna');
    await screen.until((v) => v.screen.name === 'menu' || v.screen.name === 'delivered');
    if (screen.view()?.screen.name === 'delivered') screen.press({ type: 'PICKUP' });
    else screen.press({ type: 'PICKUP' });
    const list = await screen.until((v) => (v.screen.name === 'orders' || v.screen.name === 'noOrders' ? v.screen : null));
    if (list.name !== 'orders' || !list.orders.some((o) => o.id === orderId)) throw new Error(`order ${orderId} is not offered`);
    screen.press({ type: 'SELECT_ORDER', orderId });
    await screen.until((v) => v.screen.name === 'confirm');
    screen.press({ type: 'CONFIRM' });
  };

  try {
    for (let round = 0; round < options.rounds; round += 1) {
      const kind = round % 2 === 0 ? 'kaartservicecode' : 'topup';
      const order = (await call(api, 'POST', '/v1/online/orders', {
        kind,
        cardNumber: ANNA,
        email: 'kill-test@example.org',
        ...(kind === 'topup' ? { amountCents: 10 } : {}),
      })) as { id: string };
      // Wait until sync has brought it (the live stream, within a second).
      const offeredAt = Date.now();
      for (;;) {
        screen.tap('anna');
        await screen.until((v) => v.screen.name === 'menu' || v.screen.name === 'delivered');
        screen.press({ type: 'PICKUP' });
        const list = await screen.until((v) => (v.screen.name === 'orders' || v.screen.name === 'noOrders' ? v.screen : null));
        const offered = list.name === 'orders' && list.orders.some((o) => o.id === order.id);
        screen.press({ type: 'STOP' });
        screen.remove();
        await screen.until((v) => v.screen.name === 'idle');
        if (offered) break;
        if (Date.now() - offeredAt > 10_000) throw new Error(`order ${order.id} never reached the kiosk`);
        await sleep(100);
      }

      await collect(order.id);
      await sleep(Math.floor(Math.random() * maxDelay));
      child.proc.kill('SIGKILL');
      await child.exited;
      screen.close();
      ({ child, screen } = await started());
      api = await online(dataDir);

      // The same card again: a delivered code must be on screen; an order not written is offered.
      screen.tap('anna');
      const first = await screen.until((v) => (v.screen.name === 'menu' || v.screen.name === 'delivered' ? v.screen : null));
      const shownAgain = first.name === 'delivered' && first.order.id === order.id && first.outcome.kind === 'kaartservicecode';
      screen.press({ type: 'PICKUP' });
      const list = await screen.until((v) => (v.screen.name === 'orders' || v.screen.name === 'noOrders' ? v.screen : null));
      const stillOffered = list.name === 'orders' && list.orders.some((o) => o.id === order.id);
      screen.press({ type: 'STOP' });
      screen.remove();
      await screen.until((v) => v.screen.name === 'idle');

      if (stillOffered) {
        report.notLanded += 1;
        await collect(order.id);
        const done = await screen.until((v) => (v.screen.name === 'delivered' || v.screen.name === 'failed' ? v.screen : null));
        if (done.name !== 'delivered') throw new Error(`order ${order.id} could not be collected after the restart: ${JSON.stringify(done)}`);
        screen.press({ type: 'STOP' });
        screen.remove();
        await screen.until((v) => v.screen.name === 'idle');
      } else {
        report.landed += 1;
        if (kind === 'kaartservicecode') {
          report.codesDelivered += 1;
          if (shownAgain) report.codesShownAgain += 1;
          else codesNotShownAgain.push(order.id);
        }
      }
      if (kind === 'topup') expectedBalance += 10;
      if (delivered.has(order.id)) doubled.push(order.id);
      delivered.add(order.id);
      options.log?.(`round ${round + 1}/${options.rounds}: ${kind} ${stillOffered ? 'not landed' : 'landed'}${shownAgain ? ', code shown again' : ''}`);
    }
    // Let the outbox reach the back office, then compare.
    const deadline = Date.now() + 10_000;
    let pending: string[] = [];
    do {
      pending = [];
      for (const id of delivered) {
        const status = ((await call(api, 'GET', `/v1/online/orders/${id}`)) as { status: string }).status;
        if (status !== 'delivered') pending.push(id);
      }
      if (pending.length > 0) await sleep(200);
    } while (pending.length > 0 && Date.now() < deadline);
    lost.push(...pending);
    const conflicts = ((await call(api, 'GET', '/v1/online/conflicts')) as unknown[]).length;
    screen.close();
    child.proc.kill('SIGTERM');
    await child.exited;
    const onCard = cardBalance(dataDir);
    if (onCard !== expectedBalance) doubled.push(`balance: ${onCard} on the card, ${expectedBalance} expected`);
    return {
      rounds: options.rounds,
      ...report,
      lost,
      doubled,
      codesNotShownAgain,
      balanceCents: { expected: expectedBalance, onCard },
      conflicts,
    };
  } finally {
    screen.close();
    if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Anna's balance as her card (the demo wallet file) holds it. */
function cardBalance(dataDir: string): number {
  const { wallet } = SimulatedWallet.open(join(dataDir, 'demo-cards.json'), () => {
    throw new Error('no demo card file');
  });
  const card = wallet.get('anna')?.card;
  if (!card) throw new Error('no card anna');
  const blocks = new Map(layoutV1.blocksToRead.map((n) => [n, card.blocks[n] ?? new Uint8Array(16)]));
  return layoutV1.decode(blocks).state.balanceCents;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
