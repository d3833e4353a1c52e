// pcscd for tests, benchmarks and the developer: installs the Debian packages (as root),
// builds the TCP_NODELAY shim, starts `pcscd --foreground` with it and waits for its
// socket; stops only what it started.
// CLI: node scripts/pcscd.mjs start|stop|status|with <command...>.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { ensureDebianPackages, projectRoot as root } from './ensure-deps.mjs';

export const PCSC_PACKAGES = ['pcscd', 'libpcsclite-dev', 'vsmartcard-vpcd', 'pcsc-tools'];
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const cacheDir = join(root, 'node_modules', '.cache', 'station-kiosk');
const pidFile = join(cacheDir, 'pcscd.pid');

function say(message) {
  process.stdout.write(`[pcscd] ${message}\n`);
}

/** True when something answers on pcscd's socket. */
export function pcscdAnswers(path = PCSCD_SOCKET) {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitFor(check, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Builds the LD_PRELOAD shim once (rebuilt when its source is newer). */
export function buildNodelayShim() {
  const source = join(root, 'scripts', 'nodelay-shim.c');
  const library = join(cacheDir, 'libnodelay.so');
  if (existsSync(library) && statSync(library).mtimeMs >= statSync(source).mtimeMs) return library;
  mkdirSync(cacheDir, { recursive: true });
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', library, source, '-ldl']);
  return library;
}

/**
 * Makes sure pcscd runs. Returns { started: true, pid, stop } when this call started it
 * (with the shim unless `shim: false`), { started: false } when it was running already.
 */
export async function ensurePcscd({ shim = true, debug = false } = {}) {
  ensureDebianPackages(PCSC_PACKAGES);
  if (await pcscdAnswers()) return { started: false, pid: null, shim: null, stop: async () => undefined };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('pcscd is not running and only root can start it here: run `sudo pcscd` (or `sudo node scripts/pcscd.mjs start`)');
  }
  const env = { ...process.env };
  const library = shim ? buildNodelayShim() : null;
  if (library) env.LD_PRELOAD = library;
  // A stale socket from a killed pcscd makes the new one refuse to start.
  rmSync(PCSCD_SOCKET, { force: true });
  const args = ['--foreground', ...(debug ? ['-d', '-a'] : [])];
  const child = spawn('pcscd', args, { env, stdio: debug ? 'inherit' : 'ignore', detached: true });
  child.unref();
  const pid = child.pid;
  await waitFor(() => pcscdAnswers(), 5000, 'the pcscd socket');
  return { started: true, pid, shim: library, stop: () => stopPcscd(pid) };
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
export async function stopPcscd(pid, signal = 'SIGTERM') {
  if (!pid || !alive(pid)) return;
  process.kill(pid, signal);
  const until = Date.now() + 3000;
  while (alive(pid)) {
    if (Date.now() > until) process.kill(pid, 'SIGKILL');
    await sleep(20);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2] ?? 'status';
  try {
    if (command === 'start') {
      const result = await ensurePcscd({ debug: process.argv.includes('--debug') });
      if (result.started) {
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(pidFile, String(result.pid));
        say(`started pcscd (pid ${result.pid}) with the TCP_NODELAY shim ${result.shim}`);
      } else say('pcscd is running already (left as it is)');
    } else if (command === 'with') {
      // `with <command...>`: runs the command with pcscd up; stops pcscd after it only if
      // this call started it.
      const result = await ensurePcscd();
      const [program, ...args] = process.argv.slice(3);
      const run = spawnSync(program, args, { stdio: 'inherit' });
      if (result.started) await result.stop();
      process.exit(run.status ?? 1);
    } else if (command === 'stop') {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : null;
      if (!pid) say('no pcscd started by this script');
      else {
        await stopPcscd(pid);
        rmSync(pidFile, { force: true });
        say(`stopped pcscd (pid ${pid})`);
      }
    } else {
      say((await pcscdAnswers()) ? `running (${PCSCD_SOCKET})` : 'not running');
    }
  } catch (error) {
    process.stderr.write(`[pcscd] ${error.message}\n`);
    process.exit(1);
  }
}
