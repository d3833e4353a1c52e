// Entry point of a station's web host: `node dist/kiosk/main.js` (npm start does this when a
// station configuration exists and no Electron binary is installed).
import { startStation } from './station.js';
import { runWebHostEntry } from './web-entry.js';

runWebHostEntry(startStation, import.meta.url);
