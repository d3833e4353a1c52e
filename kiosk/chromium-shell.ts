// The kiosk's screen on a machine without an Electron binary: Debian's Chromium in kiosk
// mode on the web host, supervised. A browser that exits (killed, its window closed, a
// crash) is started again; a page whose renderer crashed ("Aw, Snap!") is reloaded; a page
// that stops answering is treated as a dead browser. The supervisor talks to Chromium over
// the DevTools protocol on a pipe (--remote-debugging-pipe: fds 3 and 4, NUL-delimited
// JSON), so no port is opened and nothing else can drive the browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { z } from 'zod';

export interface ChromiumShellOptions {
  /** The web host's page, e.g. http://127.0.0.1:8080/. */
  readonly url: string;
  /** Chromium's profile; kept between starts (a fresh one per start would show first-run UI). */
  readonly userDataDir: string;
  readonly log: Logger;
  readonly binary?: string;
  /** DISPLAY and the like; the process environment by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Pause before a browser that exited is started again; doubled while it keeps dying young. */
  readonly restartDelayMs?: number;
  /** How often the page is asked whether it still answers; 0: never. */
  readonly probeEveryMs?: number;
  /** Probes in a row without an answer before the browser is killed and started again. */
  readonly probeFailures?: number;
  readonly extraArgs?: readonly string[];
  /**
   * A cookie for the kiosk page, set over the private DevTools pipe as each browser starts
   * (the web host's screen secret): no other program on the machine learns it.
   */
  readonly cookie?: { readonly name: string; readonly value: string };
}

export type ShellEvent =
  | { readonly type: 'started'; readonly pid: number; readonly start: number }
  | { readonly type: 'exited'; readonly code: number | null; readonly signal: string | null }
  | { readonly type: 'pageCrashed' }
  | { readonly type: 'reloaded' }
  | { readonly type: 'unresponsive' };

export interface ChromiumShell {
  /** Evaluates `expression` in the kiosk page; rejects when there is no page or no answer. */
  evaluate(expression: string, timeoutMs?: number): Promise<unknown>;
  /** The browser's process id, or null between two starts. */
  pid(): number | null;
  on(listener: (event: ShellEvent) => void): () => void;
  stop(): Promise<void>;
}

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const YOUNG_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

/** What a kiosk's Chromium is started with: full screen, nothing to click away, no first-run questions. */
export function chromiumArgs(url: string, userDataDir: string, extra: readonly string[] = []): string[] {
  return [
    '--kiosk',
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-pipe',
    '--no-first-run',
    '--no-default-browser-check',
    '--noerrdialogs',
    '--disable-session-crashed-bubble',
    '--disable-infobars',
    '--disable-translate',
    '--disable-features=Translate,TranslateUI,InfiniteSessionRestore',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--password-store=basic',
    '--autoplay-policy=no-user-gesture-required',
    // Chromium's sandbox refuses to run as root; a station runs it as its own user.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...extra,
    url,
  ];
}

/**
 * A new profile's preferences: no offer to translate the page (a Dutch kiosk in an English
 * browser would show one over the header), no "restore pages?" after a crash.
 */
export function prepareProfile(userDataDir: string): void {
  const preferences = join(userDataDir, 'Default', 'Preferences');
  if (existsSync(preferences)) return;
  mkdirSync(join(userDataDir, 'Default'), { recursive: true });
  const kiosk = {
    translate: { enabled: false },
    translate_blocked_languages: ['nl', 'en', 'de', 'fr'],
    profile: { exit_type: 'Normal', exited_cleanly: true },
    session: { restore_on_startup: 4 },
    credentials_enable_service: false,
  };
  writeFileSync(preferences, JSON.stringify(kiosk));
}

// ---------------------------------------------------------------- DevTools over the pipe

const cdpMessage = z.object({
  id: z.number().optional(),
  method: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ message: z.string() }).optional(),
  sessionId: z.string().optional(),
});
type CdpMessage = z.infer<typeof cdpMessage>;

class CdpPipe {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly out: Writable,
    input: Readable,
    private readonly onEvent: (message: CdpMessage) => void,
  ) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 1);
        this.receive(text);
      }
    });
    input.on('close', () => this.fail(new Error('the browser closed its DevTools pipe')));
    out.on('error', () => this.fail(new Error('the browser closed its DevTools pipe')));
  }

  private receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const message = cdpMessage.safeParse(parsed);
    if (!message.success) return;
    const { id } = message.data;
    if (id === undefined) return this.onEvent(message.data);
    const waiter = this.pending.get(id);
    if (!waiter) return;
    this.pending.delete(id);
    if (message.data.error) waiter.reject(new Error(message.data.error.message));
    else waiter.resolve(message.data.result ?? {});
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (result) => (clearTimeout(timer), resolve(result)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  fail(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

const targetInfos = z.object({ targetInfos: z.array(z.object({ targetId: z.string(), type: z.string(), url: z.string() })) });
const attached = z.object({ sessionId: z.string() });
const evaluated = z.object({ result: z.object({ value: z.unknown().optional() }), exceptionDetails: z.object({ text: z.string() }).optional() });
const crashedTarget = z.object({ targetId: z.string() });

// ---------------------------------------------------------------- the supervisor

export function startChromiumShell(options: ChromiumShellOptions): ChromiumShell {
  const { log, url } = options;
  const binary = options.binary ?? DEFAULT_CHROMIUM;
  const baseDelay = options.restartDelayMs ?? 500;
  const probeEvery = options.probeEveryMs ?? 5000;
  const probeFailures = options.probeFailures ?? 3;
  prepareProfile(options.userDataDir);

  const listeners = new Set<(event: ShellEvent) => void>();
  const emit = (event: ShellEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  let stopping = false;
  let child: ChildProcess | null = null;
  let cdp: CdpPipe | null = null;
  let starts = 0;
  let youngDeaths = 0;
  let restartTimer: ReturnType<typeof setTimeout> | null = null;
  let probeTimer: ReturnType<typeof setInterval> | null = null;
  let unanswered = 0;

  /** Runs `work` in a session attached to the kiosk page. */
  const inPage = async <T>(work: (pipe: CdpPipe, sessionId: string) => Promise<T>, targetId?: string): Promise<T> => {
    const pipe = cdp;
    if (!pipe) throw new Error('no browser');
    let target = targetId;
    if (!target) {
      const { targetInfos: targets } = targetInfos.parse(await pipe.send('Target.getTargets'));
      target = targets.find((t) => t.type === 'page')?.targetId;
      if (!target) throw new Error('the browser has no page');
    }
    const { sessionId } = attached.parse(await pipe.send('Target.attachToTarget', { targetId: target, flatten: true }));
    try {
      return await work(pipe, sessionId);
    } finally {
      void pipe.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    }
  };

  const reloadCrashed = async (targetId: string) => {
    emit({ type: 'pageCrashed' });
    log.error({}, 'the kiosk page crashed; reloading it');
    try {
      await inPage((pipe, sessionId) => pipe.send('Page.navigate', { url }, sessionId), targetId);
      emit({ type: 'reloaded' });
    } catch (error) {
      // A page that cannot even be reloaded: start the browser again.
      log.error({ err: error }, 'the crashed kiosk page could not be reloaded; restarting the browser');
      child?.kill('SIGKILL');
    }
  };

  const onCdpEvent = (message: CdpMessage) => {
    if (message.method === 'Target.targetCrashed') {
      const crashed = crashedTarget.safeParse(message.params);
      if (crashed.success) void reloadCrashed(crashed.data.targetId);
    }
  };

  const probe = async () => {
    if (!cdp) return;
    try {
      await evaluate('document.readyState', Math.max(1000, Math.min(probeEvery, 5000)));
      unanswered = 0;
    } catch {
      unanswered += 1;
      if (unanswered >= probeFailures) {
        unanswered = 0;
        emit({ type: 'unresponsive' });
        log.error({ probes: probeFailures }, 'the kiosk page does not answer; restarting the browser');
        child?.kill('SIGKILL');
      }
    }
  };

  const launch = () => {
    restartTimer = null;
    if (stopping) return;
    starts += 1;
    const startedAt = Date.now();
    const browser = spawn(binary, chromiumArgs(url, options.userDataDir, options.extraArgs), {
      env: options.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    child = browser;
    const [, , stderr, toBrowser, fromBrowser] = browser.stdio;
    // Chromium is chatty on stderr; only its last words matter, when it dies.
    let lastWords = '';
    stderr?.setEncoding('utf8');
    stderr?.on('data', (chunk: string) => (lastWords = (lastWords + chunk).slice(-2000)));
    if (toBrowser && fromBrowser && 'write' in toBrowser && 'read' in fromBrowser) {
      const pipe = new CdpPipe(toBrowser as Writable, fromBrowser as Readable, onCdpEvent);
      cdp = pipe;
      pipe.send('Target.setDiscoverTargets', { discover: true }).catch(() => undefined);
      if (options.cookie) {
        const cookie = { ...options.cookie, url, httpOnly: true, sameSite: 'Strict' };
        pipe.send('Storage.setCookies', { cookies: [cookie] }).catch((error: unknown) => {
          log.error({ err: String(error) }, 'could not give the kiosk page its screen cookie');
        });
      }
    }
    browser.once('spawn', () => {
      log.info({ pid: browser.pid, start: starts }, 'the kiosk browser is started');
      emit({ type: 'started', pid: browser.pid ?? -1, start: starts });
    });
    browser.once('error', (error) => log.error({ err: error, binary }, 'the kiosk browser could not be started'));
    browser.once('exit', (code, signal) => {
      cdp?.fail(new Error('the browser is gone'));
      cdp = null;
      child = null;
      emit({ type: 'exited', code, signal });
      if (stopping) return;
      // Dying young again and again: wait longer each time, up to a limit, so a broken
      // browser does not spin; one that ran a while is back after the base pause.
      youngDeaths = Date.now() - startedAt < YOUNG_MS ? youngDeaths + 1 : 0;
      const wait = Math.min(baseDelay * 2 ** Math.max(0, youngDeaths - 1), MAX_RESTART_DELAY_MS);
      log.error({ code, signal, restartInMs: wait, lastWords: lastWords.split('\n').slice(-5).join('\n') }, 'the kiosk browser exited; starting it again');
      restartTimer = setTimeout(launch, wait);
    });
  };

  const evaluate = async (expression: string, timeoutMs = 5000): Promise<unknown> =>
    inPage(async (pipe, sessionId) => {
      const answer = evaluated.parse(await pipe.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId, timeoutMs));
      if (answer.exceptionDetails) throw new Error(answer.exceptionDetails.text);
      return answer.result.value;
    });

  launch();
  if (probeEvery > 0) {
    probeTimer = setInterval(() => void probe(), probeEvery);
    probeTimer.unref();
  }

  return {
    evaluate,
    pid: () => child?.pid ?? null,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      if (probeTimer) clearInterval(probeTimer);
      const browser = child;
      if (!browser) return;
      const exited = new Promise<void>((resolve) => browser.once('exit', () => resolve()));
      browser.kill('SIGTERM');
      const timer = setTimeout(() => browser.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
