// `npm start`: installs what is missing, builds when a source changed since the last build
// (in a process of its own, so no build tool stays loaded), and runs the kiosk: in Electron
// when its binary is installed, otherwise in the web host on 127.0.0.1, in this very
// process. With a station configuration ($KIOSK_CONFIG or <data dir>/station.json) it runs
// the station's entry (also when $KIOSK_CONFIG names a file that is missing: out of service);
// without one the demo's, and says so, unless this machine is a station
// (scripts/demo-guard.mjs). A station bundle has no demo to fall back to.
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIsCurrent } from './build-stamp.mjs';
import { chooseEntry, DEMO_ASKED } from './demo-guard.mjs';
import {
  BUILD_PACKAGES,
  electronBinary,
  ensureDebianPackages,
  ensureNodeVersion,
  ensureNpmPackages,
  projectRoot as root,
} from './ensure-deps.mjs';
import { runForwarding } from './forward.mjs';

try {
  ensureNodeVersion();
  ensureDebianPackages(BUILD_PACKAGES);
  ensureNpmPackages();
} catch (error) {
  process.stderr.write(`[setup] ${error.message}\n`);
  process.exit(1);
}

if (buildIsCurrent(root)) {
  process.stdout.write('[start] The build is up to date.\n');
} else {
  process.stdout.write('[start] Sources changed since the last build (or there is none): building.\n');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const dataDir = process.env.KIOSK_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'station-kiosk');
const choice = chooseEntry({ env: process.env, dataDir });
if (choice.kind === 'refused') {
  process.stderr.write(`[start] No station configuration (${choice.configFile}), and no demo either: ${choice.reason}.\n`);
  process.exit(1);
}
const station = choice.kind === 'station';
process.stdout.write(
  station
    ? `[start] Station configuration ${choice.configFile}: starting the station kiosk.\n`
    : `[start] No station configuration (${choice.configFile}): starting the DEMO (simulated reader, demo cards, embedded back office).\n`,
);
// The demo's entry starts only when asked for (scripts/demo-guard.mjs): this is the asking.
if (!station) process.env[DEMO_ASKED] = '1';
const electron = electronBinary();
const entry = station
  ? electron ? 'dist/electron/main.cjs' : 'dist/kiosk/main.js'
  : electron ? 'dist/demo/electron-main.cjs' : 'dist/demo/main.js';
if (electron) {
  // Every stop signal passed on; kill -9 of this launcher stops Electron too (forward.mjs).
  runForwarding(electron, [join(root, entry)], { cwd: root });
} else {
  process.stdout.write('[start] No Electron binary is installed: serving the kiosk in the web host instead.\n');
  // The kiosk is this process: no launcher beside it to forward signals or to be orphaned from.
  process.chdir(root);
  await import(pathToFileURL(join(root, entry)).href);
}
