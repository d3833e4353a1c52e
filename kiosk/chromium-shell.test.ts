// The Chromium kiosk shell's supervision against a stand-in browser (fixtures/fake-chromium.mjs)
// that speaks the DevTools pipe; the real Chromium in a real X window is test/e2e/chromium-shell.e2e.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumArgs, startChromiumShell, type ChromiumShell, type ShellEvent } from './chromium-shell.js';

const FAKE = join(import.meta.dirname, 'fixtures', 'fake-chromium.mjs');
let dir = '';
let shell: ChromiumShell | null = null;
afterEach(async () => {
  await shell?.stop();
  shell = null;
  rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function start(mode: 'exit' | 'crash' | 'hang', options: { probeEveryMs?: number; cookie?: { name: string; value: string } } = {}) {
  dir = mkdtempSync(join(tmpdir(), 'shell-'));
  const recordFile = join(dir, 'record');
  const lines: { msg: string; restartInMs?: number }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  const events: ShellEvent[] = [];
  shell = startChromiumShell({
    url: 'http://127.0.0.1:1/',
    userDataDir: join(dir, 'profile'),
    log,
    binary: FAKE,
    env: { ...process.env, FAKE_CHROMIUM_MODE: mode, FAKE_CHROMIUM_RECORD: recordFile },
    restartDelayMs: 20,
    probeEveryMs: options.probeEveryMs ?? 0,
    probeFailures: 2,
    ...(options.cookie ? { cookie: options.cookie } : {}),
  });
  shell.on((event) => events.push(event));
  const record = () => (existsSync(recordFile) ? readFileSync(recordFile, 'utf8').split('\n').filter(Boolean) : []);
  return { lines, events, record };
}

describe('the Chromium kiosk shell', () => {
  it('starts Chromium in kiosk mode on the page, with its own profile and the DevTools pipe, and a profile that offers no translation', () => {
    const args = chromiumArgs('http://127.0.0.1:8080/', '/var/lib/station-kiosk/chromium-profile');
    expect(args).toEqual(expect.arrayContaining(['--kiosk', '--remote-debugging-pipe', '--user-data-dir=/var/lib/station-kiosk/chromium-profile', '--no-first-run']));
    expect(args.at(-1)).toBe('http://127.0.0.1:8080/');
    expect(args.some((arg) => arg.startsWith('--remote-debugging-port'))).toBe(false);
    const { record } = start('crash');
    expect(JSON.parse(readFileSync(join(dir, 'profile', 'Default', 'Preferences'), 'utf8'))).toMatchObject({ translate: { enabled: false } });
    return until(() => record().length > 0, 'started');
  });

  it("gives the page the web host's screen cookie over the pipe as each browser starts, never on its command line", async () => {
    const { record } = start('crash', { cookie: { name: 'kiosk_screen', value: 'secret-of-this-start' } });
    await until(() => record().some((line) => line.startsWith('Storage.setCookies')), 'the cookie set');
    const set = record().find((line) => line.startsWith('Storage.setCookies')) ?? '';
    expect(JSON.parse(set.slice('Storage.setCookies '.length))).toEqual({
      cookies: [{ name: 'kiosk_screen', value: 'secret-of-this-start', url: 'http://127.0.0.1:1/', httpOnly: true, sameSite: 'Strict' }],
    });
    expect(record().filter((line) => line.startsWith('start ')).every((line) => !line.includes('secret-of-this-start'))).toBe(true);
  });

  it('a browser that keeps dying young is started again after longer and longer pauses', async () => {
    const { lines, events } = start('exit');
    await until(() => events.filter((e) => e.type === 'started').length >= 4, 'four starts');
    const waits = lines.filter((l) => l.msg === 'the kiosk browser exited; starting it again').map((l) => l.restartInMs);
    expect(waits.slice(0, 3)).toEqual([20, 40, 80]);
  });

  it("a page whose renderer crashed is loaded again in the same browser", async () => {
    const { events, record } = start('crash');
    await until(() => events.some((e) => e.type === 'reloaded'), 'the page reloaded');
    expect(record()).toEqual(expect.arrayContaining(['Target.setDiscoverTargets', 'Target.attachToTarget', 'Page.navigate']));
    expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(await shell?.evaluate('document.readyState')).toBe('idle');
  });

  it('a page that stops answering is found out by the probe and its browser started again', async () => {
    const { events } = start('hang', { probeEveryMs: 1000 });
    await until(() => events.some((e) => e.type === 'unresponsive'), 'the hang noticed', 15_000);
    await until(() => events.filter((e) => e.type === 'started').length >= 2, 'started again');
    expect(events).toContainEqual({ type: 'exited', code: null, signal: 'SIGKILL' });
  }, 20_000);
});
