// Electron entry of the demo; bundled to dist/demo/electron-main.cjs with 'electron' external.
import { runElectronHost } from '../electron/host.js';
import { startDemo } from './start.js';

runElectronHost(startDemo);
