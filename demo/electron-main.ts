// Electron entry of the demo; bundled to dist/demo/electron-main.cjs with 'electron' external.
// Fail closed: from a packaged build, on a station, or when nobody asked for it, it refuses
// and says why (scripts/demo-guard.mjs).
import { app } from 'electron';
import { runElectronHost } from '../electron/host.js';
import { demoRefusal } from '../scripts/demo-guard.mjs';
import { startDemo } from './start.js';

const refusal = demoRefusal({ env: process.env, dataDir: app.getPath('userData'), packaged: app.isPackaged });
if (refusal) {
  process.stderr.write(`The demo does not start: ${refusal}.\n`);
  app.exit(1);
} else {
  runElectronHost(startDemo);
}
