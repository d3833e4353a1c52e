// The receipt printer as the rest of the system speaks of it: what the printer reports
// (its DLE EOT status, or that it cannot be reached) and what became of a receipt.

/**
 * The printer's condition. `paperLow`: the near-end sensor, it still prints; `offline`:
 * not reachable, or reporting itself off line without a cause we know; `error`: a cutter
 * or unrecoverable error.
 */
export const PRINTER_CONDITIONS = ['ready', 'paperLow', 'paperOut', 'coverOpen', 'error', 'offline'] as const;
export type PrinterCondition = (typeof PRINTER_CONDITIONS)[number];

/** Whether a receipt can be printed in this condition. */
export function canPrint(condition: PrinterCondition | null): boolean {
  return condition === 'ready' || condition === 'paperLow';
}

/**
 * A receipt on the delivered screen: `none` not asked for yet, `printing`, `printed`,
 * `alreadyPrinted` (asked again for a delivery whose receipt this kiosk printed before:
 * not printed twice), `failed` (nothing was sent to the printer, or it stopped).
 */
export const RECEIPT_STATES = ['none', 'printing', 'printed', 'alreadyPrinted', 'failed'] as const;
export type ReceiptState = (typeof RECEIPT_STATES)[number];
