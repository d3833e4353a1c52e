// One demo kiosk per test, on the real web host, in a temporary data directory, with a
// simulated clock for the machine's delays (the E2E steps the timers instead of waiting);
// and Debian's Chromium, headless, driving the real renderer (dist/renderer).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SimulatedClock } from 'xstate';
import type { RunningKiosk } from '../../kiosk/compose.js';
import { startDemo } from '../../demo/start.js';
import { startWebHost, type WebHost } from '../../kiosk/web-host.js';
import { silentLog } from '../kiosk-harness.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
export const SCREENSHOT_DIR = join(ROOT, 'artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface E2EKiosk {
  /** The kiosk's data directory (the demo's back office writes backoffice.json there). */
  readonly dataDir: string;
  readonly running: RunningKiosk;
  readonly host: WebHost;
  readonly clock: SimulatedClock;
  readonly page: Page;
  close(): Promise<void>;
}

/** The two screens a kiosk has: portrait and landscape. */
export interface Viewport {
  readonly name: 'portrait' | 'landscape';
  readonly width: number;
  readonly height: number;
}
export const VIEWPORTS: readonly Viewport[] = [
  { name: 'portrait', width: 1080, height: 1920 },
  { name: 'landscape', width: 1920, height: 1080 },
];

export async function openKiosk(
  browser: Browser,
  viewport: Pick<Viewport, 'width' | 'height'> = { width: 1500, height: 1100 },
): Promise<E2EKiosk> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  mkdirSync(join(dir, 'data'));
  const clock = new SimulatedClock();
  const running = await startDemo({ dataDir: join(dir, 'data'), log: silentLog, clock });
  // Demo orders reach the kiosk by sync from the embedded back office: wait for Anna's.
  const until = Date.now() + 15_000;
  while (running.store.orders.offeredForCard('3528010012345678').length < 3) {
    if (Date.now() > until) throw new Error('demo orders did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const host = await startWebHost({ service: running.service, devChannel: running.devChannel, log: silentLog, rendererDir: RENDERER_DIR, port: 0 });
  // bypassCSP: the kiosk's CSP (script-src 'self') would refuse the injected axe-core.
  const page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height }, bypassCSP: true });
  await page.goto(host.url);
  await page.locator('[data-screen="idle"]').waitFor({ timeout: 15_000 });
  // The developer dock comes on its own channel (/dev), just after the kiosk's first view.
  await page.locator('.dev-dock').waitFor({ timeout: 15_000 });
  return {
    dataDir: join(dir, 'data'),
    running,
    host,
    clock,
    page,
    async close() {
      await page.close();
      await host.close();
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** Runs axe-core (WCAG 2.x A/AA and best practice) on the page as it is. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

/** Buttons on the kiosk screen (not the developer dock) smaller than 44 x 44 CSS px. */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.kiosk button, .kiosk select'))
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 44 || box.height < 44)
      .map(({ el, box }) => `${el.textContent?.trim() ?? '?'} (${Math.round(box.width)}x${Math.round(box.height)})`),
  );
}

/**
 * The screen's own buttons (not the header's, not the dock's) that do not lie wholly in
 * the first screenful, the page scrolled to the top: a traveller must not have to scroll
 * to act.
 */
export async function actionsBelowFold(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    window.scrollTo(0, 0);
    return Array.from(document.querySelectorAll<HTMLElement>('.kiosk-main button'))
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.bottom > window.innerHeight || box.right > window.innerWidth)
      .map(({ el, box }) => `${el.textContent?.trim() ?? '?'} (bottom ${String(Math.round(box.bottom))} of ${String(window.innerHeight)})`);
  });
}

/** A kaartservicecode on screen broken over more than one line. */
export async function codeWrapped(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const code = document.querySelector<HTMLElement>('[data-testid="kaartservicecode"]');
    if (!code) return false;
    const range = document.createRange();
    range.selectNodeContents(code);
    const lines = new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)));
    return lines.size > 1;
  });
}
