// ESC/POS real-time status: DLE EOT n (n = 1 printer, 2 off-line cause, 3 error cause,
// 4 roll paper sensor), each answered with one byte whose bits 1 and 4 are 1 and bits 0
// and 7 are 0 (Epson ESC/POS reference, "DLE EOT"). Also GS r 1, the paper sensor status
// a printer answers only once it has processed every byte before it.
import type { PrinterCondition } from '../domain/printer.js';

const DLE = 0x10;
const EOT = 0x04;
const GS = 0x1d;

/** The four status queries, in the order their answers come back. */
export const STATUS_QUERY = Uint8Array.from([DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 3, DLE, EOT, 4]);
/** "Transmit paper sensor status": its answer comes after everything sent before it is printed. */
export const PAPER_SENSOR_QUERY = Uint8Array.from([GS, 0x72, 1]);

/**
 * `bytes` with the paper sensor query last (GS r 1, n as 1 or as "1": receiptline ends a
 * receipt with it), so the printer answers once after everything before it.
 */
export function withPaperSensorQuery(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const asked = n >= 3 && bytes[n - 3] === GS && bytes[n - 2] === 0x72 && (bytes[n - 1] === 1 || bytes[n - 1] === 0x31);
  return asked ? bytes : Uint8Array.from([...bytes, ...PAPER_SENSOR_QUERY]);
}

/** A status byte as the printer sends it: fixed bits 1 and 4 set, 0 and 7 clear. */
export function isStatusByte(byte: number): boolean {
  return (byte & 0b1001_0011) === 0b0001_0010;
}

const bit = (byte: number, n: number) => (byte & (1 << n)) !== 0;

/**
 * The condition the answers to STATUS_QUERY describe, or null when they are not four
 * status bytes (a device that is not an ESC/POS printer, a garbled answer).
 */
export function parseStatus(answer: Uint8Array): PrinterCondition | null {
  if (answer.length !== 4 || !answer.every(isStatusByte)) return null;
  const [printer, offlineCause, errorCause, paper] = answer as unknown as [number, number, number, number];
  // Roll paper sensor: bits 5 and 6 paper end, bits 2 and 3 near end.
  if (bit(paper, 5) || bit(paper, 6) || bit(offlineCause, 5)) return 'paperOut';
  if (bit(offlineCause, 2)) return 'coverOpen';
  // Error cause: bit 3 autocutter, bit 5 unrecoverable, bit 6 auto-recoverable; off-line cause bit 6: an error.
  if (bit(errorCause, 3) || bit(errorCause, 5) || bit(errorCause, 6) || bit(offlineCause, 6)) return 'error';
  if (bit(printer, 3)) return 'offline';
  if (bit(paper, 2) || bit(paper, 3)) return 'paperLow';
  return 'ready';
}

/** GS r 1's answer: bits 2 and 3 paper end (0x0C); null when it is not a status byte of that shape. */
export function parsePaperSensor(byte: number): 'paperOut' | 'ok' | null {
  if ((byte & 0b1001_0000) !== 0) return null;
  return (byte & 0b1100) !== 0 ? 'paperOut' : 'ok';
}

/** The answers a printer in `condition` gives to STATUS_QUERY (for virtual printers and tests). */
export function statusAnswer(condition: PrinterCondition): Uint8Array {
  const base = 0b0001_0010;
  const printer = condition === 'ready' || condition === 'paperLow' ? base : base | (1 << 3);
  let offlineCause = base;
  let errorCause = base;
  let paper = base;
  switch (condition) {
    case 'ready':
    case 'offline':
      break;
    case 'paperLow':
      paper |= 0b1100;
      break;
    case 'paperOut':
      paper |= 0b1100 | 0b110_0000;
      offlineCause |= 1 << 5;
      break;
    case 'coverOpen':
      offlineCause |= 1 << 2;
      break;
    case 'error':
      offlineCause |= 1 << 6;
      errorCause |= 1 << 5;
      break;
    default: {
      const unreachable: never = condition;
      throw new Error(`unknown condition ${String(unreachable)}`);
    }
  }
  return Uint8Array.from([printer, offlineCause, errorCause, paper]);
}
