// Storage faults as states: the store tells of every fault an operation meets (disk full,
// read-only, corrupt, unreachable), and this watch looks at the file on disk every
// `verifyMs` while the kiosk is idle (a page damaged under the open connection is not seen
// through its cache). On a fault the kiosk goes out of service and the store lets go of the
// file (so it can be restored, repaired or remounted); every `recheckMs` the watch opens it
// again with the checks of a start (version, migrations, quick_check, free space, a
// committed write) until that passes, then the kiosk is back in service by itself, on the
// file as it is then. Nothing is deleted or moved: the journal and the outbox stay as they are.
import type { Logger } from 'pino';
import { sameFault, type Fault } from '../domain/index.js';
import type { Store, StoreFault } from '../store/index.js';

/** How often a store with a fault is checked again. */
export const DEFAULT_RECHECK_MS = 15_000;
/** How often the file on disk is checked while the kiosk is idle (quick_check: ~1 s at 100,000 pickups). */
export const DEFAULT_VERIFY_MS = 3_600_000;

export interface FaultSource {
  current(): Fault | null;
  /** Called with the new fault, or null when it is gone. */
  onChange(listener: (fault: Fault | null) => void): () => void;
}

export interface StoreWatch extends FaultSource {
  /** For `openStore`'s `onFault`. */
  report(fault: StoreFault): void;
  /** The store to check again (it exists only after `openStore`, which needs `report`). */
  attach(store: Store): void;
  close(): void;
}

export interface StoreWatchOptions {
  readonly file: string;
  readonly log: Logger;
  readonly recheckMs?: number;
  readonly verifyMs?: number;
  /** Whether the file on disk may be checked now (the kiosk idle: the check holds the event loop). */
  readonly mayVerify?: () => boolean;
}

export function createStoreWatch(options: StoreWatchOptions): StoreWatch {
  const { file, log } = options;
  const recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
  const verifyMs = options.verifyMs ?? DEFAULT_VERIFY_MS;
  let store: Store | null = null;
  let fault: Fault | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let release: ReturnType<typeof setImmediate> | null = null;
  const listeners = new Set<(fault: Fault | null) => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener(fault);
  };

  const recheck = () => {
    if (!store || fault === null) return;
    const result = store.reopen();
    if (result.fault === null) {
      log.info({ file, was: fault.code, quickCheckMs: result.quickCheckMs }, 'storage fault gone: back in service');
      fault = null;
      if (timer) clearInterval(timer);
      timer = null;
      notify();
    } else if (!sameFault({ code: result.fault.code, file, detail: result.fault.detail }, fault)) {
      fault = { code: result.fault.code, file, detail: result.fault.detail };
      log.error({ file, fault: fault.code, detail: result.fault.message }, 'storage fault changed: still out of service');
      notify();
    }
  };

  const verify = () => {
    if (!store || fault !== null || !(options.mayVerify?.() ?? true)) return;
    const result = store.verifyOnDisk();
    if (result.fault) {
      watch.report(result.fault);
    } else {
      log.debug({ file, quickCheckMs: result.quickCheckMs }, 'the database file on disk was checked');
    }
  };
  // Started with the store (a start that fails before has nothing to check, and no timer left behind).
  let verifier: ReturnType<typeof setInterval> | null = null;

  const watch: StoreWatch = {
    current: () => fault,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(next) {
      if (fault?.code === next.code) return;
      fault = { code: next.code, file, detail: next.detail };
      log.error({ file, fault: fault.code, detail: next.message, recheckMs }, 'storage fault: out of service until it is gone');
      if (!timer) {
        timer = setInterval(recheck, recheckMs);
        timer.unref();
      }
      // Let go of the file once the operation that met the fault has returned (a statement
      // may still be open under it now), so a technician can put a good one in its place.
      const seen = next;
      if (release) clearImmediate(release);
      release = setImmediate(() => {
        release = null;
        if (fault?.code === seen.code) store?.release(seen);
      });
      notify();
    },
    attach(given) {
      store = given;
      if (!verifier) {
        verifier = setInterval(verify, verifyMs);
        verifier.unref();
      }
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      if (verifier) clearInterval(verifier);
      verifier = null;
      if (release) clearImmediate(release);
      release = null;
      listeners.clear();
    },
  };
  return watch;
}
