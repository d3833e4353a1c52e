// The receipt printer port, beside the card reader port (card-reader.ts). Adapters
// (network raw TCP, escpos-tcp.ts; a USB or serial device file, escpos-device.ts) implement it; the kiosk sees nothing else of the
// printer. It speaks ESC/POS bytes: what to print is composed elsewhere (kiosk/receipt.ts).
import type { PrinterCondition } from '../domain/printer.js';

export type { PrinterCondition } from '../domain/printer.js';

export interface ReceiptPrinter {
  /** For the technician: e.g. "tcp 10.1.2.3:9100", "device /dev/usb/lp0". */
  readonly name: string;
  /** Why the last question got no usable answer (not reached, no answer, a device gone); null after a good one. */
  reason(): string | null;
  /** Asks the printer now (DLE EOT 1–4); `offline` when it cannot be reached. */
  status(signal?: AbortSignal): Promise<PrinterCondition>;
  /**
   * Prints `bytes` if the printer says it can (asked right before), and waits until it
   * has taken them all. Rejects with a PrinterError saying whether anything was sent.
   */
  print(bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Lets go of the printer (a device file is opened again by the next print or status). */
  close(): void;
}

/**
 * A receipt that did not print. `sent`: some bytes reached the printer, so a part of the
 * receipt may be on paper (the kiosk does not print it again); otherwise nothing was sent.
 */
export class PrinterError extends Error {
  constructor(
    message: string,
    readonly condition: PrinterCondition,
    readonly sent: boolean,
  ) {
    super(message);
    this.name = 'PrinterError';
  }
}
