// Entry point of the demo in the web host: `node dist/demo/main.js` (npm start does this
// when no station configuration exists).
import { runWebHostEntry } from '../kiosk/web-entry.js';
import { startDemo } from './start.js';

runWebHostEntry(startDemo, import.meta.url);
