// Installs what the kiosk needs before `npm start` / `npm test` run: the npm packages
// (when node_modules is missing or older than package-lock.json) and, when asked for,
// Debian packages (installed when running as root, otherwise the command is printed).
// Plain Node on purpose: it runs before any dependency is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.kiosk-install-stamp');

function say(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

function lockHash() {
  const lock = join(root, 'package-lock.json');
  const pkg = readFileSync(join(root, 'package.json'));
  return createHash('sha256').update(pkg).update(existsSync(lock) ? readFileSync(lock) : '').digest('hex');
}

export function ensureNodeVersion() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Node.js 20.19 or newer is needed (this is ${process.versions.node})`);
  }
}

/** Debian packages that `npm ci` needs to compile the native addons (PC/SC binding). */
export const BUILD_PACKAGES = ['libpcsclite-dev', 'g++', 'make', 'python3'];

export function ensureNpmPackages() {
  const wanted = lockHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) return;
  say('installing npm packages (better-sqlite3 compiles from source: this takes a few minutes the first time)');
  // `npm install`, not `npm ci`: the registry this machine uses omits some packages'
  // optional platform dependencies from its metadata (rollup's), so `npm ci` calls the
  // lockfile out of sync. `npm install` keeps the locked versions and tolerates that, but
  // would write the lockfile it resolved: `--no-save` keeps it from writing, and should an
  // npm write it anyway the committed bytes are put back. A dependency check never
  // changes package-lock.json; changing it is a deliberate `npm install <pkg>`.
  const lock = join(root, 'package-lock.json');
  const before = existsSync(lock) ? readFileSync(lock) : null;
  try {
    run('npm', ['install', '--no-audit', '--no-fund', '--no-save']);
  } finally {
    if (before && !readFileSync(lock).equals(before)) {
      writeFileSync(lock, before);
      say('npm rewrote package-lock.json: put back as it was');
    }
  }
  writeFileSync(stampFile, lockHash());
}

function isInstalled(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Installs Debian packages as root; otherwise prints the one command to run and fails. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    say(`installing Debian packages: ${missing.join(' ')}`);
    run('sh', ['-c', command], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return;
  }
  throw new Error(`missing Debian packages: ${missing.join(' ')}\nRun as root:\n  sudo sh -c '${command}'`);
}

export function electronBinary() {
  try {
    const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export function gitRoot() {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return root;
  }
}

export const projectRoot = root;

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureNodeVersion();
    // Extra Debian packages may be named on the command line (npm test asks for the
    // PC/SC daemon, the virtual reader and Chromium).
    ensureDebianPackages([...BUILD_PACKAGES, ...process.argv.slice(2)]);
    ensureNpmPackages();
  } catch (error) {
    process.stderr.write(`[setup] ${error.message}\n`);
    process.exit(1);
  }
}
