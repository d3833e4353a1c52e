// The kiosk's clock against the back office's, by the Date header of the sync answers. A
// kiosk clock far off (a dead RTC battery, no NTP) would expire every order on its own clock
// and show "Geen bestellingen" without a word: instead the technician is warned (amber on
// the status page and /health), and while it is off the kiosk judges expiry, pickup
// deadlines and the journal's times by the back office's clock (its own plus the offset).
import type { Logger } from 'pino';
import type { ClockStatus } from './contract.js';

/** Further off than this and the kiosk's clock is not trusted (amber, corrected). */
export const CLOCK_FAR_OFF_MS = 5 * 60_000;

export interface ClockWatch {
  /** The time to judge by: the kiosk's clock, or the back office's while the kiosk's is far off. */
  now(): Date;
  /** A sync answer's Date header, with the kiosk's clock when the request went out and when the answer came. */
  observe(dateHeader: string, sentAt: Date, receivedAt: Date): void;
  status(): ClockStatus;
}

export function createClockWatch(options: { readonly now: () => Date; readonly log: Logger }): ClockWatch {
  const { log } = options;
  let offsetMs: number | null = null;
  let farOff = false;
  return {
    now() {
      const own = options.now();
      return farOff && offsetMs !== null ? new Date(own.getTime() + offsetMs) : own;
    },
    observe(dateHeader, sentAt, receivedAt) {
      const server = Date.parse(dateHeader);
      if (Number.isNaN(server)) return;
      // The header has whole seconds; the answer was made between sending and receiving.
      const measured = server + 500 - (sentAt.getTime() + receivedAt.getTime()) / 2;
      offsetMs = measured;
      const wasFarOff = farOff;
      farOff = Math.abs(measured) > CLOCK_FAR_OFF_MS;
      if (farOff !== wasFarOff) {
        const seconds = Math.round(measured / 1000);
        if (farOff) log.warn({ offsetSeconds: seconds }, "the kiosk's clock is far off the back office's: orders are judged by the back office's clock");
        else log.info({ offsetSeconds: seconds }, "the kiosk's clock agrees with the back office's again");
      }
    },
    status: () => ({
      health: farOff ? 'amber' : 'green',
      offsetSeconds: offsetMs === null ? null : Math.round(offsetMs / 1000),
      farOff,
    }),
  };
}
