// Entry point of a station's web host: `node dist/kiosk/main.js` (npm start does this when a
// station configuration exists and no Electron binary is installed). Fail closed: without a
// usable configuration or database it serves the out-of-service screen and a red /health,
// and tries again until it can start (kiosk/fail-closed.ts).
import { startStationFailClosed } from './fail-closed.js';
import { runWebHostEntry } from './web-entry.js';

runWebHostEntry(startStationFailClosed, import.meta.url);
