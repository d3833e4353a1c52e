// `npm start` is cheap (issue 12): it builds only when a source changed since the last build,
// in a process of its own, and then the kiosk is the process itself — no build tool and no
// launcher left resident beside it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, sourcesStamp, writeStamp } from '../scripts/build-stamp.mjs';

const ROOT = join(import.meta.dirname, '..');
const dirs: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the build stamp', () => {
  function tree() {
    const root = temp('kiosk-stamp-');
    mkdirSync(join(root, 'kiosk'));
    mkdirSync(join(root, 'kiosk', 'node_modules'));
    writeFileSync(join(root, 'kiosk', 'main.ts'), 'export {};\n');
    writeFileSync(join(root, 'kiosk', 'main.test.ts'), 'export {};\n');
    writeFileSync(join(root, 'package.json'), '{}\n');
    return root;
  }

  it('stays the same while nothing changes, and changes when a source is edited', () => {
    const root = tree();
    const first = sourcesStamp(root);
    expect(sourcesStamp(root)).toBe(first);
    writeFileSync(join(root, 'kiosk', 'main.ts'), 'export const edited = 1;\n');
    expect(sourcesStamp(root)).not.toBe(first);
  });

  it('changes when a file only gets a new time (a checkout), a file is added, or package.json changes', () => {
    const root = tree();
    const first = sourcesStamp(root);
    utimesSync(join(root, 'kiosk', 'main.ts'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const second = sourcesStamp(root);
    expect(second).not.toBe(first);
    writeFileSync(join(root, 'kiosk', 'other.ts'), 'export {};\n');
    const third = sourcesStamp(root);
    expect(third).not.toBe(second);
    writeFileSync(join(root, 'package.json'), '{"name":"x"}\n');
    expect(sourcesStamp(root)).not.toBe(third);
  });

  it('ignores tests and installed packages, which no bundle contains', () => {
    const root = tree();
    const first = sourcesStamp(root);
    writeFileSync(join(root, 'kiosk', 'main.test.ts'), 'export const edited = 1;\n');
    writeFileSync(join(root, 'kiosk', 'node_modules', 'x.js'), 'module.exports = 1;\n');
    expect(sourcesStamp(root)).toBe(first);
  });

  it('a build counts only with its stamp and all its outputs in place', () => {
    const root = tree();
    mkdirSync(join(root, 'dist'));
    writeStamp(root, sourcesStamp(root));
    expect(buildIsCurrent(root)).toBe(false); // no outputs
    for (const file of ['renderer/index.html', 'kiosk/main.js', 'kiosk/pcsc-worker.js', 'demo/main.js', 'electron/main.cjs', 'electron/preload.cjs', 'demo/electron-main.cjs']) {
      mkdirSync(join(root, 'dist', file, '..'), { recursive: true });
      writeFileSync(join(root, 'dist', file), '');
    }
    expect(buildIsCurrent(root)).toBe(true);
    writeFileSync(join(root, 'kiosk', 'main.ts'), 'export const edited = 2;\n');
    expect(buildIsCurrent(root)).toBe(false);
  });
});

describe('npm start', () => {
  let proc: ChildProcess | null = null;
  afterEach(() => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    proc = null;
  });

  /** The pids whose parent is `pid` (from /proc). */
  function childrenOf(pid: number): number[] {
    const found: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(join('/proc', name, 'stat'), 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) found.push(Number(name));
      } catch {
        // gone meanwhile
      }
    }
    return found;
  }

  async function start(dataDir: string): Promise<{ output: string; children: number[]; exit: Promise<number | null> }> {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_CONFIG: '', PORT: '0', LOG_LEVEL: 'warn', KIOSK_READER: '', KIOSK_SHELL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = child;
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 150_000;
    while (!out.includes('Kiosk: http')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the kiosk never served:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const children = childrenOf(child.pid ?? -1);
    child.kill('SIGTERM');
    return { output: out, children, exit };
  }

  it('builds only when a source changed, and the kiosk is the process npm start runs', async () => {
    const first = await start(join(temp('kiosk-start-'), 'data'));
    await expect(first.exit).resolves.toBe(0);
    // Whether the first start built depends on what ran before; the second never builds.
    const second = await start(join(temp('kiosk-start-'), 'data'));
    expect(second.output).toContain('[start] The build is up to date.');
    expect(second.output).not.toContain('building');
    expect(second.output).toContain('starting the DEMO');
    // No kiosk child beside a launcher: the process serving is the one started.
    expect(second.children).toEqual([]);
    await expect(second.exit).resolves.toBe(0);
  }, 240_000);
});
