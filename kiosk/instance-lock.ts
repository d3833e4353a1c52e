// One kiosk per data directory: two processes on one database and one card reader would
// each deliver, sync and rotate the demo's token under the other's feet. A lock file
// (<data dir>/kiosk.lock, created exclusively, holding the owner's pid) says who owns it; a
// lock whose process is gone (a crash, kill -9, a power cut) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'kiosk.lock';

export class InstanceLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(`another kiosk (pid ${ownerPid}) is already running on ${dataDir}: stop it first, or give this one its own KIOSK_DATA_DIR`);
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  readonly file: string;
  release(): void;
}

/** Whether a process with this pid exists (also when it is another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the data directory's lock for this process, or throws InstanceLockedError naming the owner. */
export function acquireInstanceLock(dataDir: string, pid = process.pid): InstanceLock {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          // Only our own: a lock taken over meanwhile (we were presumed dead) is not ours.
          if (ownerOf(file) === pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = ownerOf(file);
    if (owner !== null && owner !== pid && processAlive(owner)) throw new InstanceLockedError(dataDir, owner);
    if (owner === pid) throw new InstanceLockedError(dataDir, owner);
    // Stale (its process is gone) or unreadable half-written: take it over.
    rmSync(file, { force: true });
  }
  throw new Error(`could not take the lock ${file}`);
}
