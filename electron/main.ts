// Electron entry of a station kiosk; bundled to dist/electron/main.cjs with 'electron' external.
// Fail closed: without a usable configuration or database it shows the out-of-service screen
// and tries again until it can start (kiosk/fail-closed.ts).
import { startStationFailClosed } from '../kiosk/fail-closed.js';
import { runElectronHost } from './host.js';

runElectronHost(startStationFailClosed);
