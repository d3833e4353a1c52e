// The demo is fail-closed (issue 12): it runs only when asked for, never on a station. The
// demo's entry refuses, saying why, when a station configuration exists (its data directory's
// station.json, $KIOSK_CONFIG, /etc/station-kiosk/station.json), under a station's service
// (NODE_ENV=production), from a packaged build, or when nobody asked for it; `npm start` with
// $KIOSK_CONFIG set runs the station's entry even when that file is missing (out of service).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { chooseEntry, demoRefusal } from '../scripts/demo-guard.mjs';

const ROOT = join(import.meta.dirname, '..');

/** A folder of its own for this test, removed when it ends. */
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-demo-guard-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let proc: ChildProcess | null = null;
afterEach(() => {
  if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  proc = null;
});

/** Runs `args` with Node until it exits or serves a kiosk (then it is stopped): its output and exit code. */
async function run(args: string[], env: NodeJS.ProcessEnv, ms = 120_000): Promise<{ output: string; code: number | null; served: boolean }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, KIOSK_CONFIG: '', KIOSK_DEMO: '', NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', KIOSK_READER: '', KIOSK_SHELL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc = child;
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) return { output, code: child.exitCode, served: false };
    if (output.includes('Kiosk: http')) {
      child.kill('SIGTERM');
      return { output, code: await exit, served: true };
    }
    if (Date.now() > deadline) throw new Error(`neither exited nor served:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const demoEntry = ['scripts/run-ts.mjs', 'demo/main.ts'];

describe('the demo entry, started by hand', () => {
  it('refuses on a data directory with a station configuration, saying why, and touches nothing there', async () => {
    const dataDir = temp();
    writeFileSync(join(dataDir, 'station.json'), '{}', { mode: 0o600 });
    const result = await run(demoEntry, { KIOSK_DATA_DIR: dataDir, KIOSK_DEMO: '1' });
    expect(result.served).toBe(false);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`The demo does not start: a station configuration exists (${join(dataDir, 'station.json')})`);
    expect(readdirSync(dataDir)).toEqual(['station.json']); // no demo back office, cards or database
  }, 150_000);

  it('refuses when nobody asked for it (no KIOSK_DEMO=1, not through npm start)', async () => {
    const dataDir = join(temp(), 'data');
    const result = await run(demoEntry, { KIOSK_DATA_DIR: dataDir });
    expect(result.served).toBe(false);
    expect(result.code).toBe(1);
    expect(result.output).toContain('The demo does not start: the demo starts only when asked for');
  }, 150_000);

  it('refuses under a station service (NODE_ENV=production)', async () => {
    const dataDir = join(temp(), 'data');
    const result = await run(demoEntry, { KIOSK_DATA_DIR: dataDir, KIOSK_DEMO: '1', NODE_ENV: 'production' });
    expect(result.served).toBe(false);
    expect(result.code).toBe(1);
    expect(result.output).toContain('The demo does not start: NODE_ENV is production');
  }, 150_000);
});

/** Whether `npm start` would run `npm install` first (scripts/ensure-deps.mjs): not in a test. */
function installCurrent(): boolean {
  const stamp = join(ROOT, 'node_modules', '.kiosk-install-stamp');
  const wanted = createHash('sha256').update(readFileSync(join(ROOT, 'package.json'))).update(readFileSync(join(ROOT, 'package-lock.json'))).digest('hex');
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted;
}

describe.skipIf(!installCurrent())('npm start with KIOSK_CONFIG naming a file that is not there (skipped when node_modules is not current: npm start would install first)', () => {
  it('runs the station (out of service: configMissing), not the demo', async () => {
    const dataDir = join(temp(), 'data');
    const configFile = join(temp(), 'station.json');
    const result = await run(['scripts/start.mjs'], { KIOSK_DATA_DIR: dataDir, KIOSK_CONFIG: configFile }, 200_000);
    expect(result.output).toContain(`[start] Station configuration ${configFile}: starting the station kiosk.`);
    expect(result.output).not.toMatch(/DEMO/);
    expect(result.served).toBe(true);
  }, 240_000);
});

describe('the decision (scripts/demo-guard.mjs)', () => {
  const none = () => false;
  const base = { dataDir: '/home/dev/.local/share/station-kiosk', packaged: false, exists: none };

  it('lets the demo start when asked for on a developer machine, and only then', () => {
    expect(demoRefusal({ ...base, env: { KIOSK_DEMO: '1' } })).toBeNull();
    expect(demoRefusal({ ...base, env: {} })).toMatch(/only when asked for/);
  });

  it('refuses from a packaged build, with KIOSK_CONFIG set, with a station.json beside the data or in /etc, under NODE_ENV=production', () => {
    const env = { KIOSK_DEMO: '1' };
    expect(demoRefusal({ ...base, env, packaged: true })).toMatch(/packaged/);
    expect(demoRefusal({ ...base, env: { ...env, KIOSK_CONFIG: '/etc/station-kiosk/station.json' } })).toMatch(/KIOSK_CONFIG is set/);
    expect(demoRefusal({ ...base, env, exists: (path) => path === join(base.dataDir, 'station.json') })).toMatch(/station configuration exists/);
    expect(demoRefusal({ ...base, env, exists: (path) => path === '/etc/station-kiosk/station.json' })).toMatch(/this machine is a station/);
    expect(demoRefusal({ ...base, env: { ...env, NODE_ENV: 'production' } })).toMatch(/NODE_ENV is production/);
  });

  it('npm start: a station with KIOSK_CONFIG set or a station.json in the data directory; the demo otherwise, unless refused', () => {
    expect(chooseEntry({ env: { KIOSK_CONFIG: '/nowhere/station.json' }, dataDir: base.dataDir, exists: none })).toEqual({ kind: 'station', configFile: '/nowhere/station.json' });
    expect(chooseEntry({ env: {}, dataDir: base.dataDir, exists: (path) => path === join(base.dataDir, 'station.json') })).toEqual({
      kind: 'station',
      configFile: join(base.dataDir, 'station.json'),
    });
    expect(chooseEntry({ env: {}, dataDir: base.dataDir, exists: none })).toEqual({ kind: 'demo', configFile: join(base.dataDir, 'station.json') });
    expect(chooseEntry({ env: {}, dataDir: base.dataDir, exists: (path) => path === '/etc/station-kiosk/station.json' })).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/this machine is a station/) as string,
    });
  });
});
