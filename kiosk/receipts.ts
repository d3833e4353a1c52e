// The receipt printer as the kiosk runs it: its condition (DLE EOT, asked every few
// seconds and before every receipt) for the screens, the technician and GET /health, and
// the receipt of a delivery printed once. "Once" is remembered in the store
// (kiosk_settings, `receipt:<order ids>`) before the first byte goes out, so a second
// press, a reconnected screen, a replayed event or the same card shown its code again
// after a restart never prints it twice; it is forgotten again only when the printer was
// not reached at all (nothing can be on paper), or by retention RETENTION_DAYS later.
import type { Logger } from 'pino';
import { canPrint, type PrinterCondition } from '../domain/printer.js';
import { PrinterError, type ReceiptPrinter } from '../hardware/receipt-printer.js';
import { receiptMarkKey, type Store } from '../store/index.js';
import { encodeReceipt, type ReceiptInput } from './receipt.js';

export type ReceiptResult = 'printed' | 'alreadyPrinted';

export interface ReceiptService {
  readonly printerName: string;
  /** The printer's last known condition; null until it was first asked. */
  condition(): PrinterCondition | null;
  /** Why the printer last gave no usable answer (the adapter's words); null after a good one. */
  reason(): string | null;
  /** Called when the condition changes. */
  subscribe(listener: () => void): () => void;
  /** Asks the printer now (e.g. as the confirm screen opens). */
  refresh(): Promise<PrinterCondition>;
  /** Prints the receipt of these orders unless it was printed before. Rejects with a PrinterError. */
  print(input: Omit<ReceiptInput, 'stationName' | 'at'>, signal?: AbortSignal): Promise<ReceiptResult>;
  close(): void;
}

export interface ReceiptServiceOptions {
  readonly printer: ReceiptPrinter;
  readonly store: Store;
  readonly log: Logger;
  readonly now: () => Date;
  readonly stationName: string;
  /** How often the printer is asked its status; default 10 s. */
  readonly pollMs?: number;
}

/** The store's key for the receipt of these orders. */
export const receiptKey = receiptMarkKey;

export function createReceiptService(options: ReceiptServiceOptions): ReceiptService {
  const { printer, store, log, now } = options;
  const settings = store.maintenance.settings;
  const listeners = new Set<() => void>();
  let condition: PrinterCondition | null = null;
  let asking: Promise<PrinterCondition> | null = null;
  let closed = false;

  const note = (next: PrinterCondition) => {
    if (next === condition) return;
    const before = condition;
    condition = next;
    // The technician reads these in the log; the traveller sees the screens.
    const reason = canPrint(next) ? null : printer.reason();
    (canPrint(next) ? log.info : log.warn).call(log, { printer: printer.name, condition: next, before, ...(reason ? { reason } : {}) }, 'receipt printer condition');
    for (const listener of [...listeners]) listener();
  };

  const refresh = () => {
    asking ??= printer
      .status()
      .then((next) => {
        if (!closed) note(next);
        return next;
      })
      .finally(() => {
        asking = null;
      });
    return asking;
  };

  const poll = setInterval(() => void refresh(), options.pollMs ?? 10_000);
  poll.unref();
  void refresh();

  return {
    printerName: printer.name,
    condition: () => condition,
    reason: () => printer.reason(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    async print(input, signal) {
      const key = receiptKey(input.items.map((item) => item.order.id));
      if (settings.get(key) !== null) {
        log.info({ orders: input.items.length }, 'receipt asked for again: it was printed before, not printed twice');
        return 'alreadyPrinted';
      }
      const bytes = encodeReceipt({ ...input, stationName: options.stationName, at: now() });
      settings.set(key, now().toISOString());
      try {
        await printer.print(bytes, signal);
        log.info({ orders: input.items.length }, 'receipt printed');
        return 'printed';
      } catch (error) {
        const failure = error instanceof PrinterError ? error : new PrinterError(String(error), 'offline', true);
        // Nothing reached the paper: the traveller may try again.
        if (!failure.sent) settings.set(key, null);
        note(failure.condition);
        log.warn({ condition: failure.condition, sent: failure.sent, err: failure.message }, 'receipt not printed');
        throw failure;
      } finally {
        void refresh();
      }
    },
    close() {
      closed = true;
      clearInterval(poll);
      listeners.clear();
      printer.close();
    },
  };
}
