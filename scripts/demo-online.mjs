/* global fetch */
// The running demo's embedded back office as the web shop and Mijn NS reach it: its address
// and online token are in <dataDir>/backoffice.json (demo/backoffice.ts writes it).
// Used by `npm run order` and `npm run account`. Plain Node (global fetch), no build needed.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

export function dataDir() {
  if (process.env.KIOSK_DATA_DIR) return process.env.KIOSK_DATA_DIR;
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'station-kiosk');
}

function connection() {
  const file = join(dataDir(), 'backoffice.json');
  try {
    const { url, onlineToken } = JSON.parse(readFileSync(file, 'utf8'));
    return { url, onlineToken };
  } catch {
    return fail(`No running demo back office found (${file}). Start the kiosk first: npm start`);
  }
}

/**
 * A call of the online API (/v1/online + path). An answer whose status is in `accepted`
 * (besides 2xx) is returned with its status; any other fails with what the back office said.
 */
export async function call(method, path, body, accepted = []) {
  const { url, onlineToken } = connection();
  let response;
  try {
    response = await fetch(`${url}/v1/online${path}`, {
      method,
      headers: { authorization: `Bearer ${onlineToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    return fail(`The back office at ${url} does not answer (${error.cause?.code ?? error.message}). Is the kiosk running?`);
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok && !accepted.includes(response.status)) fail(`HTTP ${response.status}: ${json?.error ?? text}`);
  return json;
}
