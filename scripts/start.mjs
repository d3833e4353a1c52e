// `npm start`: installs what is missing, builds, and runs the kiosk: in Electron when its
// binary is installed, otherwise in the web host on 127.0.0.1. With a station
// configuration ($KIOSK_CONFIG or <data dir>/station.json) it runs the station's entry;
// without one the demo's, and says so. The choice is made here, once: a station bundle
// has no demo to fall back to.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
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

const { buildAll } = await import('./build.mjs');
await buildAll({ quiet: true });

const dataDir = process.env.KIOSK_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'station-kiosk');
const configFile = process.env.KIOSK_CONFIG ?? join(dataDir, 'station.json');
const station = existsSync(configFile);
process.stdout.write(
  station
    ? `[start] Station configuration ${configFile}: starting the station kiosk.\n`
    : `[start] No station configuration (${configFile}): starting the DEMO (simulated reader, demo cards, embedded back office).\n`,
);
const electron = electronBinary();
const entry = station
  ? electron ? 'dist/electron/main.cjs' : 'dist/kiosk/main.js'
  : electron ? 'dist/demo/electron-main.cjs' : 'dist/demo/main.js';
const [command, args] = [electron ?? process.execPath, [join(root, entry)]];
if (!electron) {
  process.stdout.write('[start] No Electron binary is installed: serving the kiosk in the web host instead.\n');
}
// Every stop signal passed on; kill -9 of this launcher stops the kiosk too (forward.mjs).
runForwarding(command, args, { cwd: root });
