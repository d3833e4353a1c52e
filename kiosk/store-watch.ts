// Storage faults as states: the store tells of every fault an operation meets (disk full,
// read-only, corrupt, unreachable); the kiosk goes out of service with it, and this watch
// checks the store again every `recheckMs` (free space, quick_check, a committed write)
// until it passes, then the kiosk is back in service by itself. Nothing is deleted or
// moved: the journal and the outbox stay as they are.
import type { Logger } from 'pino';
import type { Fault } from '../domain/index.js';
import type { Store, StoreFault } from '../store/index.js';

/** How often a store with a fault is checked again. */
export const DEFAULT_RECHECK_MS = 15_000;

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

export function createStoreWatch(options: { readonly file: string; readonly log: Logger; readonly recheckMs?: number }): StoreWatch {
  const { file, log } = options;
  const recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
  let store: Store | null = null;
  let fault: Fault | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const listeners = new Set<(fault: Fault | null) => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener(fault);
  };

  const recheck = () => {
    if (!store || fault === null) return;
    const result = store.check();
    if (result.fault === null) {
      log.info({ file, was: fault.code, quickCheckMs: result.quickCheckMs }, 'storage fault gone: back in service');
      fault = null;
      if (timer) clearInterval(timer);
      timer = null;
      notify();
    } else if (result.fault.code !== fault.code || result.fault.detail !== fault.detail) {
      fault = { code: result.fault.code, file, detail: result.fault.detail };
      log.error({ file, fault: fault.code, detail: fault.detail }, 'storage fault changed: still out of service');
      notify();
    }
  };

  return {
    current: () => fault,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(next) {
      if (fault?.code === next.code) return;
      fault = { code: next.code, file, detail: next.detail };
      log.error({ file, fault: fault.code, detail: fault.detail, recheckMs }, 'storage fault: out of service until it is gone');
      if (!timer) {
        timer = setInterval(recheck, recheckMs);
        timer.unref();
      }
      notify();
    },
    attach(given) {
      store = given;
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      listeners.clear();
    },
  };
}
