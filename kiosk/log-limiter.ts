// Logging what the kiosk refuses, without letting whoever sends it decide how much is
// written: a flood of invalid messages must not fill the disk or stall the event loop on
// log writes. Per kind of line, the first few in a window are written; the rest are
// counted, and the count is written when the window ends (or when the limiter closes).
import type { Logger } from 'pino';

export interface LogLimit {
  /** Lines of one kind written per window; the rest are counted. */
  readonly lines: number;
  readonly windowMs: number;
}

export const DEFAULT_LOG_LIMIT: LogLimit = { lines: 20, windowMs: 60_000 };

export interface RateLimitedLog {
  /** `msg` is the kind: lines with the same message share one allowance. */
  warn(fields: Record<string, unknown>, msg: string): void;
  /** Writes the counts of what was held back, and stops the timers. */
  close(): void;
}

interface Window {
  written: number;
  suppressed: number;
  timer: ReturnType<typeof setTimeout>;
}

export function rateLimitedLog(log: Logger, limit: LogLimit = DEFAULT_LOG_LIMIT): RateLimitedLog {
  const windows = new Map<string, Window>();

  const end = (msg: string) => {
    const window = windows.get(msg);
    if (!window) return;
    clearTimeout(window.timer);
    windows.delete(msg);
    if (window.suppressed > 0) {
      log.warn({ suppressed: window.suppressed, windowMs: limit.windowMs }, `${msg} (more of these were not logged)`);
    }
  };

  return {
    warn(fields, msg) {
      let window = windows.get(msg);
      if (!window) {
        const timer = setTimeout(() => end(msg), limit.windowMs);
        // Not a reason to keep the process alive.
        timer.unref();
        window = { written: 0, suppressed: 0, timer };
        windows.set(msg, window);
      }
      if (window.written < limit.lines) {
        window.written += 1;
        log.warn(fields, msg);
      } else {
        window.suppressed += 1;
      }
    },
    close() {
      for (const msg of [...windows.keys()]) end(msg);
    },
  };
}
