// Entry point of the demo in the web host: `node dist/demo/main.js` (npm start does this
// when no station configuration exists). Fail closed: on a station, from a packaged build,
// or when nobody asked for it, it refuses and says why (scripts/demo-guard.mjs).
import { defaultDataDir } from '../kiosk/compose.js';
import { runWebHostEntry } from '../kiosk/web-entry.js';
import { demoRefusal } from '../scripts/demo-guard.mjs';
import { startDemo } from './start.js';

const refusal = demoRefusal({
  env: process.env,
  dataDir: process.env.KIOSK_DATA_DIR ?? defaultDataDir(),
  packaged: import.meta.url.includes('/app.asar/'),
});
if (refusal) {
  process.stderr.write(`The demo does not start: ${refusal}.\n`);
  process.exit(1);
}
runWebHostEntry(startDemo, import.meta.url);
