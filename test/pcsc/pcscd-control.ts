// Lets tests stop and restart the pcscd that the global setup started. The pid of the
// pcscd we own is kept in a file so that the teardown stops the last one started.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePcscd, pcscdAnswers, stopPcscd } from '../../scripts/pcscd.mjs';

const stateFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', 'station-kiosk', 'pcscd-test.pid');

export function recordOwnedPcscd(pid: number | null): void {
  if (pid === null) {
    rmSync(stateFile, { force: true });
    return;
  }
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, String(pid));
}

/** The pid of the pcscd the test run started, or null when it uses one it found running. */
export function ownedPcscd(): number | null {
  return existsSync(stateFile) ? Number(readFileSync(stateFile, 'utf8')) : null;
}

export async function stopOwnedPcscd(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  await stopPcscd(ownedPcscd(), signal);
}

/** Starts pcscd (with the shim); resolves once its socket answers. */
export async function startOwnedPcscd(): Promise<void> {
  const handle = await ensurePcscd({ shim: true });
  if (handle.started) recordOwnedPcscd(handle.pid);
}

export { pcscdAnswers };
