// The kiosk as processes: one per data directory, and a launcher (npm start's) that passes
// every signal on and never leaves its kiosk behind, even when it is killed with -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoEntry } from './kill/harness.js';

let entry = '';
let dir = '';
const started: ChildProcess[] = [];
const FORWARD = join(import.meta.dirname, '..', 'scripts', 'forward.mjs');

beforeAll(async () => {
  entry = await buildDemoEntry();
}, 60_000);
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dataDir(): { data: string; renderer: string } {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-instance-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>kiosk</title>');
  return { data: join(dir, 'data'), renderer };
}

interface Run {
  readonly proc: ChildProcess;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], env: Record<string, string>): Run {
  const proc = spawn(command, args, { env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', KIOSK_READER: '', KIOSK_CONFIG: '', KIOSK_DEMO: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let out = '';
  proc.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return { proc, output: () => out, exited };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The kiosk's pid, as the launcher's child: found by its command line among /proc. */
async function kioskUnder(launcher: Run): Promise<number> {
  const { readdirSync, readFileSync } = await import('node:fs');
  let found = 0;
  await until(() => {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === launcher.proc.pid) found = Number(name);
      } catch {
        // gone
      }
    }
    return found > 0;
  }, 'the kiosk under the launcher');
  return found;
}

describe('one kiosk per data directory, as processes', () => {
  it('a second kiosk on the same data directory refuses to start, saying which is running and what to do', async () => {
    const { data, renderer } = dataDir();
    const first = run(process.execPath, [entry], { KIOSK_DATA_DIR: data, KIOSK_RENDERER_DIR: renderer });
    await until(() => first.output().includes('Kiosk: http'), 'the first kiosk serving');
    const second = run(process.execPath, [entry], { KIOSK_DATA_DIR: data, KIOSK_RENDERER_DIR: renderer });
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toContain(`another kiosk (pid ${first.proc.pid}) is already running on ${data}`);
    expect(second.output()).not.toContain('Kiosk: http');
    // The first one is untouched, and once it stops, a kiosk starts there again.
    expect(first.proc.exitCode).toBeNull();
    first.proc.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    const third = run(process.execPath, [entry], { KIOSK_DATA_DIR: data, KIOSK_RENDERER_DIR: renderer });
    await until(() => third.output().includes('Kiosk: http'), 'a kiosk again');
  }, 60_000);
});

describe("the launcher (npm start's)", () => {
  const launch = (data: string, renderer: string) =>
    run(process.execPath, ['--input-type=module', '-e', `import { runForwarding } from ${JSON.stringify(FORWARD)}; runForwarding(process.execPath, [${JSON.stringify(entry)}]);`], {
      KIOSK_DATA_DIR: data,
      KIOSK_RENDERER_DIR: renderer,
    });

  it('SIGTERM to the launcher stops the kiosk cleanly, and the launcher exits with it', async () => {
    const { data, renderer } = dataDir();
    const launcher = launch(data, renderer);
    await until(() => launcher.output().includes('Kiosk: http'), 'the kiosk serving');
    const kiosk = await kioskUnder(launcher);
    launcher.proc.kill('SIGTERM');
    await launcher.exited;
    await until(() => !alive(kiosk), 'the kiosk stopped');
  }, 60_000);

  it('every signal a kiosk acts on is passed on (SIGHUP, SIGINT, SIGQUIT too)', async () => {
    for (const signal of ['SIGHUP', 'SIGINT', 'SIGQUIT'] as const) {
      const { data, renderer } = dataDir();
      const launcher = launch(data, renderer);
      await until(() => launcher.output().includes('Kiosk: http'), 'the kiosk serving');
      const kiosk = await kioskUnder(launcher);
      launcher.proc.kill(signal);
      await launcher.exited;
      await until(() => !alive(kiosk), `the kiosk gone after ${signal}`);
    }
  }, 90_000);

  it('kill -9 of the launcher leaves no orphan: the kiosk notices and stops itself', async () => {
    const { data, renderer } = dataDir();
    const launcher = launch(data, renderer);
    await until(() => launcher.output().includes('Kiosk: http'), 'the kiosk serving');
    const kiosk = await kioskUnder(launcher);
    launcher.proc.kill('SIGKILL');
    await launcher.exited;
    try {
      await until(() => !alive(kiosk), 'the orphaned kiosk gone', 10_000);
    } finally {
      if (alive(kiosk)) process.kill(kiosk, 'SIGKILL');
    }
  }, 60_000);
});
