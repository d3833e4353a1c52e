// Electron entry of a station kiosk; bundled to dist/electron/main.cjs with 'electron' external.
import { startStation } from '../kiosk/station.js';
import { runElectronHost } from './host.js';

runElectronHost(startStation);
