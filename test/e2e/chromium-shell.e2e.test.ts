// The Chromium kiosk shell in a real X window (Xvfb): the demo kiosk on the web host, Debian's
// Chromium in kiosk mode supervised by kiosk/chromium-shell.ts, and what goes wrong at a
// machine that runs for months — the browser killed, its window closed, its renderer
// crashed, its page hung. Each time the idle screen must come back by itself; how fast is
// printed, and the real window (the X root) is photographed into artifacts/chromium-shell/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../demo/start.js';
import { startChromiumShell, type ChromiumShell, type ShellEvent } from '../../kiosk/chromium-shell.js';
import type { RunningKiosk } from '../../kiosk/compose.js';
import { startWebHost, type WebHost } from '../../kiosk/web-host.js';
import { CHROMIUM, RENDERER_DIR, ROOT } from './harness.js';

const DISPLAY = ':121';
const SHOTS = join(ROOT, 'artifacts', 'chromium-shell');
const hasX = existsSync('/usr/bin/Xvfb') && existsSync('/usr/bin/openbox') && existsSync('/usr/bin/wmctrl');

let xvfb: ChildProcess | null = null;
let windowManager: ChildProcess | null = null;
let running: RunningKiosk | null = null;
let host: WebHost | null = null;
let shell: ChromiumShell | null = null;
let dir = '';
const events: ShellEvent[] = [];
const figures: string[] = [];

async function until<T>(probe: () => Promise<T | null> | T | null, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The screen the kiosk page shows, as the page's own DOM says. */
const screenShown = async () =>
  ((await shell?.evaluate(`document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? null`, 1000)) as string | null) ?? null;

/** Milliseconds from now until the idle screen shows again. */
async function idleAgainAfter(fault: () => void | Promise<void>, name: string): Promise<number> {
  const from = performance.now();
  await fault();
  await until(async () => ((await screenShown()) === 'idle' ? true : null), `the idle screen after: ${name}`);
  const ms = performance.now() - from;
  figures.push(`${name}: idle screen back in ${ms.toFixed(0)} ms`);
  photograph(name.replace(/\W+/g, '-'));
  return ms;
}

/** The X root window, i.e. what the station's screen shows. */
function photograph(name: string): void {
  mkdirSync(SHOTS, { recursive: true });
  const result = spawnSync('/usr/bin/import', ['-display', DISPLAY, '-window', 'root', join(SHOTS, `${name}.png`)]);
  if (result.status !== 0) throw new Error(`no screenshot: ${String(result.stderr)}`);
}

/** The browser's renderer processes: descendants of the browser whose command line says so. */
function rendererPids(browserPid: number): number[] {
  const parent = new Map<number, number>();
  const renderers: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === browserPid) return true;
    return false;
  };
  return renderers.filter(descends);
}

const nextStart = (after: number) => until(() => (events.some((e) => e.type === 'started' && e.start > after) ? true : null), 'the browser started again');
const startsSoFar = () => events.filter((e) => e.type === 'started').length;

describe.skipIf(!hasX)('the Chromium kiosk shell in a real X window', () => {
  beforeAll(async () => {
    xvfb = spawn('/usr/bin/Xvfb', [DISPLAY, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const env = { ...process.env, DISPLAY };
    // The socket can be there before the server takes clients: wait until one gets an answer.
    await until(() => (spawnSync('xdotool', ['getdisplaygeometry'], { env }).status === 0 ? true : null), 'Xvfb');
    // A window manager, as a station's X session has: it makes --kiosk full screen and
    // closes windows the way a person does (WM_DELETE_WINDOW). One that gave up (started
    // too early) is started again.
    const startWindowManager = () => spawn('/usr/bin/openbox', [], { stdio: 'ignore', env });
    windowManager = startWindowManager();
    await until(() => {
      if (windowManager && windowManager.exitCode !== null) windowManager = startWindowManager();
      return spawnSync('wmctrl', ['-m'], { env }).status === 0 ? true : null;
    }, 'the window manager');
    dir = mkdtempSync(join(tmpdir(), 'kiosk-shell-'));
    const log = pino({ level: 'silent' });
    running = await startDemo({ dataDir: join(dir, 'data'), log });
    host = await startWebHost({ service: running.service, devChannel: running.devChannel, log, rendererDir: RENDERER_DIR });
    shell = startChromiumShell({
      url: host.url,
      userDataDir: join(dir, 'chromium'),
      binary: CHROMIUM,
      log,
      env: { ...process.env, DISPLAY },
      restartDelayMs: 250,
      probeEveryMs: 1000,
      probeFailures: 3,
      extraArgs: ['--disable-gpu', '--disable-dev-shm-usage'],
    });
    shell.on((event) => events.push(event));
    const from = performance.now();
    await until(async () => ((await screenShown()) === 'idle' ? true : null), 'the first idle screen', 60_000);
    figures.push(`first start: idle screen in ${(performance.now() - from).toFixed(0)} ms`);
    photograph('first-start');
  }, 90_000);

  afterAll(async () => {
    await shell?.stop();
    await host?.close();
    await running?.stop();
    windowManager?.kill('SIGTERM');
    xvfb?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    console.info(`Chromium kiosk shell (Xvfb ${DISPLAY}):\n  ${figures.join('\n  ')}`);
  });

  it('the browser killed (kill -9): started again, the idle screen back', async () => {
    const pid = shell?.pid();
    expect(pid).toBeTypeOf('number');
    const starts = startsSoFar();
    await idleAgainAfter(() => void process.kill(pid ?? 0, 'SIGKILL'), 'browser killed');
    await nextStart(starts);
    expect(shell?.pid()).not.toBe(pid);
    expect(events).toContainEqual({ type: 'exited', code: null, signal: 'SIGKILL' });
  }, 60_000);

  const xdotool = (...args: string[]) => spawnSync('xdotool', args, { env: { ...process.env, DISPLAY }, encoding: 'utf8' });
  const browserWindows = () => xdotool('search', '--onlyvisible', '--class', 'chromium').stdout.trim().split('\n').filter(Boolean);

  it('the window closed (the window manager asks it to close, as Alt+F4 or a close button would): started again, the idle screen back', async () => {
    const pid = shell?.pid();
    const starts = startsSoFar();
    await idleAgainAfter(async () => {
      const windows = browserWindows();
      expect(windows.length).toBeGreaterThan(0);
      for (const window of windows) spawnSync('wmctrl', ['-i', '-c', `0x${Number(window).toString(16)}`], { env: { ...process.env, DISPLAY } });
      await nextStart(starts);
    }, 'window closed');
    expect(shell?.pid()).not.toBe(pid);
  }, 60_000);

  it("the window's X connection killed (xdotool windowkill): started again, the idle screen back", async () => {
    const pid = shell?.pid();
    const starts = startsSoFar();
    await idleAgainAfter(async () => {
      const windows = browserWindows();
      expect(windows.length).toBeGreaterThan(0);
      xdotool('windowkill', windows[0] ?? '');
      await nextStart(starts);
    }, 'window killed');
    expect(shell?.pid()).not.toBe(pid);
  }, 60_000);

  it('the renderer crashed (its process killed): the page reloaded in the same browser, the idle screen back', async () => {
    const pid = shell?.pid() ?? 0;
    const starts = startsSoFar();
    await idleAgainAfter(async () => {
      const renderers = await until(() => {
        const found = rendererPids(pid);
        return found.length > 0 ? found : null;
      }, 'a renderer process');
      for (const renderer of renderers) process.kill(renderer, 'SIGKILL');
      await until(() => (events.some((e) => e.type === 'pageCrashed') ? true : null), 'the crash noticed');
    }, 'renderer crashed');
    expect(events.some((e) => e.type === 'reloaded')).toBe(true);
    // Recovered without a new browser.
    expect(shell?.pid()).toBe(pid);
    expect(startsSoFar()).toBe(starts);
  }, 60_000);

  it('the page hung (the renderer stopped): found out by the probe, the browser started again, the idle screen back', async () => {
    const pid = shell?.pid() ?? 0;
    const starts = startsSoFar();
    const renderers = rendererPids(pid);
    expect(renderers.length).toBeGreaterThan(0);
    await idleAgainAfter(async () => {
      for (const renderer of renderers) process.kill(renderer, 'SIGSTOP');
      await until(() => (events.some((e) => e.type === 'unresponsive') ? true : null), 'the hang noticed', 30_000);
    }, 'page hung');
    await nextStart(starts);
    for (const renderer of renderers) {
      try {
        process.kill(renderer, 'SIGKILL');
      } catch {
        // gone with its browser
      }
    }
  }, 60_000);
});
