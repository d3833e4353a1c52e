// End-to-end latency in Chromium (npm run bench:e2e): a demo kiosk on the web host, the
// real renderer in headless Chromium, BENCH_RUNS runs (default 100) of
//   card tapped at the dock → menu painted → "Ophalen bestelling" → order list painted
//   "Akkoord" → delivered screen painted
// Each segment is split into the reader's share (time inside the simulated reader's block
// reads and writes, card persistence included), the kiosk's own share (the machine's time
// in readingCard/loadingOrders/delivering minus the reader's), and the rest: carrier
// (dock → its own WebSocket, /dev → reader → kiosk, view → browser) plus React rendering
// up to the next painted frame. Timestamps: performance.timeOrigin + now() on both sides
// (same machine clock).
// Prints a Markdown section for docs/performance.md.
import { demoSeal } from '../demo/seal.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import pino from 'pino';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { startDemo } from '../demo/start.js';
import { startWebHost } from '../kiosk/web-host.js';
import { pathToFileURL } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const ANNA = '3528010012345678';
// Run from the repository root (npm run bench:e2e); this file is bundled into dist/tools/.
const ROOT = process.cwd();
const now = () => performance.timeOrigin + performance.now();

// The reader's share: time spent inside the simulated reader's card access.
let readerMs = 0;
const originalCard = SimulatedReader.prototype.card;
SimulatedReader.prototype.card = function card(this: SimulatedReader) {
  const access = originalCard.call(this);
  if (access === null) return null;
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = performance.now();
      try {
        return await fn(...args);
      } finally {
        readerMs += performance.now() - start;
      }
    };
  return { ...access, readBlock: timed(access.readBlock), writeBlock: timed(access.writeBlock) };
};

const EXPLANATION = [
  '*reader*: time inside the simulated reader\'s block reads and writes (in memory; each write also',
  'saves the demo cards to disk). A real reader over PC/SC adds its own block times here (see above).',
  '*kiosk*: the machine\'s time in readingCard + loadingOrders, or in delivering, minus the reader\'s',
  '(decode, settle, SQLite lookups and the delivery journal). *carrier + render + paint*: the dock\'s',
  'tap over the WebSocket to the simulated reader, the view back to the page, React and the painted',
  'frame (marked at the second requestAnimationFrame after the screen changed, so up to one frame,',
  '16.7 ms, of waiting for the next frame is included per screen). The order list is one order long.',
];

/** Rewrites the e2e section of docs/performance.md (a full run only). */
function writeSection(body: string): void {
  const file = join(ROOT, 'docs/performance.md');
  if (RUNS !== 100 || !existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const start = '<!-- e2e:start -->';
  const end = '<!-- e2e:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`);
  process.stderr.write(`wrote the e2e section of ${file}\n`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Installs the paint marks: for each new data-screen, the time of the frame after it. */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { painted: Record<string, number> };
    w.painted = {};
    let last = '';
    new MutationObserver(() => {
      const screen = document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? '';
      if (screen === last) return;
      last = screen;
      // Two frames: the first callback runs before the paint, the second after it.
      requestAnimationFrame(() => requestAnimationFrame(() => (w.painted[screen] = performance.timeOrigin + performance.now())));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-screen'] });
  });
}

/** Clicks in the page (no automation round trip in the measurement) and returns when. */
async function click(page: Page, selector: string, text?: string): Promise<number> {
  return page.evaluate(
    ([sel, label]) => {
      const el = Array.from(document.querySelectorAll<HTMLElement>(sel)).find((e) => label === undefined || e.textContent?.trim() === label);
      if (!el) throw new Error(`no ${sel} ${label ?? ''}`);
      const t = performance.timeOrigin + performance.now();
      el.click();
      return t;
    },
    [selector, text] as const,
  );
}

async function painted(page: Page, screen: string): Promise<number> {
  const handle = await page.waitForFunction(
    (s) => (window as unknown as { painted: Record<string, number> }).painted[s],
    screen,
    { timeout: 10_000, polling: 5 },
  );
  return (await handle.jsonValue()) as number;
}

async function main(): Promise<void> {
  const build = (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as { buildAll(o: { quiet: boolean }): Promise<void> };
  await build.buildAll({ quiet: true });
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-e2e-'));
  mkdirSync(join(dir, 'data'));
  const log = pino({ level: 'silent' });
  const running = await startDemo({ dataDir: join(dir, 'data'), log });
  const until = Date.now() + 15_000;
  while (running.store.orders.offeredForCard(ANNA).length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  for (const order of running.store.orders.offeredForCard(ANNA)) running.store.orders.setStatus(order.id, 'cancelled');
  const host = await startWebHost({ service: running.service, devChannel: running.devChannel, log, rendererDir: join(ROOT, 'dist', 'renderer'), port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await page.goto(host.url);
  await page.locator('[data-screen="idle"]').waitFor();
  // The dock comes on its own channel (/dev), just after the kiosk's first view.
  await page.locator('.dev-dock').waitFor();

  // Server side: when the machine enters each state.
  const entered: Record<string, number> = {};
  let previous = '';
  running.service.actor.subscribe((snapshot) => {
    const value = snapshot.value as string | Record<string, string>;
    const state = typeof value === 'string' ? value : String(Object.values(value)[0]);
    if (state !== previous) entered[state] = now();
    previous = state;
  });

  type Sample = { total: number; reader: number; kiosk: number; rest: number };
  const card: Sample[] = [];
  const deliver: Sample[] = [];
  for (let i = 0; i < RUNS + 5; i++) {
    running.store.orders.upsert({
      id: `bench-${String(i)}`,
      cardNumber: ANNA,
      payload: { kind: 'kaartservicecode', sealed: demoSeal(`bench-${String(i)}`, ANNA, `B${String(1000 + i)}`) },
      createdAt: new Date().toISOString(),
      expiresAt: null,
    });
    await instrument(page);
    for (const key of Object.keys(entered)) delete entered[key];

    readerMs = 0;
    const tap = await click(page, '.dev-dock .dev-button', 'Anna · 5678');
    await painted(page, 'menu');
    const readReader = readerMs;
    const pickup = await click(page, '.kiosk-main .btn', 'Ophalen bestelling');
    const ordersPainted = await painted(page, 'orders');
    const lookupReader = readerMs - readReader;
    const kioskCard =
      ((entered.menu ?? NaN) - (entered.readingCard ?? NaN) - readReader) + ((entered.orders ?? NaN) - (entered.loadingOrders ?? NaN) - lookupReader);
    // The traveller's own time between the menu and the tap on "Ophalen bestelling" is not the kiosk's.
    const menuPainted = (await page.evaluate(() => (window as unknown as { painted: Record<string, number> }).painted.menu)) ?? NaN;
    const cardTotal = menuPainted - tap + (ordersPainted - pickup);

    await click(page, '.order-button');
    await painted(page, 'confirm');
    readerMs = 0;
    const akkoord = await click(page, '.kiosk-main .btn', 'Akkoord');
    const deliveredPainted = await painted(page, 'delivered');
    const deliverReader = readerMs;
    const kioskDeliver = (entered.delivered ?? NaN) - (entered.delivering ?? NaN) - deliverReader;
    const deliverTotal = deliveredPainted - akkoord;

    await click(page, '.kiosk-main .btn', 'Klaar');
    await click(page, '.dev-dock .dev-button', 'Kaart wegnemen');
    await page.locator('[data-screen="idle"]').waitFor();
    if (i < 5) continue; // warm-up
    card.push({ total: cardTotal, reader: readReader + lookupReader, kiosk: kioskCard, rest: cardTotal - kioskCard - readReader - lookupReader });
    deliver.push({ total: deliverTotal, reader: deliverReader, kiosk: kioskDeliver, rest: deliverTotal - kioskDeliver - deliverReader });
  }

  const row = (name: string, samples: Sample[]) => {
    const cell = (key: keyof Sample) =>
      `${percentile(samples.map((s) => s[key]), 50).toFixed(2)} / ${percentile(samples.map((s) => s[key]), 95).toFixed(2)}`;
    return `| ${name} | ${cell('total')} | ${cell('reader')} | ${cell('kiosk')} | ${cell('rest')} |`;
  };
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:e2e\`: ${String(RUNS)} runs (after 5 warm-up runs), headless Chromium ${browser.version()} at 1080×1920, ${String(cpus().length)} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.versions.node}, simulated reader.`,
    '',
    '| ms, p50 / p95 | total | reader | kiosk | carrier + render + paint |',
    '|---|---|---|---|---|',
    row('card tapped → menu painted, + "Ophalen bestelling" → order list painted', card),
    row('"Akkoord" → delivered screen painted', deliver),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeSection([...lines, '', ...EXPLANATION].join('\n'));
  await browser.close();
  await host.close();
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
