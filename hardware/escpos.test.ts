import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PRINTER_CONDITIONS } from '../domain/printer.js';
import { startVirtualPrinter, type VirtualPrinter } from '../demo/virtual-printer.js';
import { STATUS_QUERY, parsePaperSensor, parseStatus, statusAnswer, withPaperSensorQuery } from './escpos-status.js';
import { createTcpPrinter } from './escpos-tcp.js';
import { PrinterError } from './receipt-printer.js';

describe('DLE EOT status answers', () => {
  it('asks the four real-time statuses: printer, off-line cause, error cause, roll paper', () => {
    expect([...STATUS_QUERY]).toEqual([0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 3, 0x10, 4, 4]);
  });

  it('reads what an Epson TM printer answers', () => {
    // Fixed bits only: on line, nothing wrong.
    expect(parseStatus(Uint8Array.from([0x12, 0x12, 0x12, 0x12]))).toBe('ready');
    // Drawer pin high (bit 2 of n=1) is no fault.
    expect(parseStatus(Uint8Array.from([0x16, 0x12, 0x12, 0x12]))).toBe('ready');
    // Roll paper near end (bits 2, 3 of n=4): still prints.
    expect(parseStatus(Uint8Array.from([0x12, 0x12, 0x12, 0x1e]))).toBe('paperLow');
    // Paper end (bits 5, 6 of n=4), the printer off line because of it (bit 5 of n=2).
    expect(parseStatus(Uint8Array.from([0x1a, 0x32, 0x12, 0x7e]))).toBe('paperOut');
    // Cover open (bit 2 of n=2).
    expect(parseStatus(Uint8Array.from([0x1a, 0x16, 0x12, 0x12]))).toBe('coverOpen');
    // Autocutter error (bit 3 of n=3).
    expect(parseStatus(Uint8Array.from([0x1a, 0x52, 0x1a, 0x12]))).toBe('error');
    // Off line, no cause given.
    expect(parseStatus(Uint8Array.from([0x1a, 0x12, 0x12, 0x12]))).toBe('offline');
  });

  it('refuses answers that are not four status bytes', () => {
    expect(parseStatus(Uint8Array.from([0x12, 0x12, 0x12]))).toBeNull();
    expect(parseStatus(Uint8Array.from([0x00, 0x12, 0x12, 0x12]))).toBeNull();
    expect(parseStatus(Uint8Array.from([0x12, 0x12, 0x12, 0x93]))).toBeNull();
  });

  it('every condition survives its own answer', () => {
    for (const condition of PRINTER_CONDITIONS) expect(parseStatus(statusAnswer(condition))).toBe(condition);
  });

  it('asks GS r 1 once after a receipt: added unless the receipt ends with it (n as 1 or as "1", receiptline’s)', () => {
    expect([...withPaperSensorQuery(Uint8Array.from([0x41, 0x0a]))]).toEqual([0x41, 0x0a, 0x1d, 0x72, 1]);
    expect([...withPaperSensorQuery(Uint8Array.from([0x41, 0x1d, 0x72, 0x31]))]).toEqual([0x41, 0x1d, 0x72, 0x31]);
    expect([...withPaperSensorQuery(Uint8Array.from([0x41, 0x1d, 0x72, 1]))]).toEqual([0x41, 0x1d, 0x72, 1]);
  });

  it('reads GS r 1, the paper sensor answer after a receipt', () => {
    expect(parsePaperSensor(0x00)).toBe('ok');
    expect(parsePaperSensor(0x0c)).toBe('paperOut');
    expect(parsePaperSensor(0x90)).toBeNull();
  });
});

describe('the network printer (raw TCP) against the virtual printer', () => {
  let printer: VirtualPrinter | null = null;
  afterEach(async () => {
    await printer?.close();
    printer = null;
  });

  it('asks the printer its status over DLE EOT, in every condition', async () => {
    printer = await startVirtualPrinter();
    const tcp = createTcpPrinter({ host: printer.host, port: printer.port });
    for (const condition of PRINTER_CONDITIONS) {
      printer.setCondition(condition);
      expect(await tcp.status()).toBe(condition);
    }
    expect(printer.statusQueries()).toBe(4 * PRINTER_CONDITIONS.length);
  });

  it('a printer nobody answers on is offline', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    if (address === null || typeof address === 'string') throw new Error('no port');
    const tcp = createTcpPrinter({ host: '127.0.0.1', port: address.port, timeoutMs: 500 });
    expect(await tcp.status()).toBe('offline');
    expect(tcp.reason()).toMatch(/ECONNREFUSED/);
  });

  it('prints what it is sent, after asking whether it can', async () => {
    printer = await startVirtualPrinter();
    const tcp = createTcpPrinter({ host: printer.host, port: printer.port });
    await tcp.print(Uint8Array.from([0x1b, 0x40, ...Buffer.from('Bon 1234\n', 'latin1'), 0x1d, 0x56, 0x42, 0x00]));
    expect(printer.receipts().map((receipt) => receipt.lines.map((line) => line.text))).toEqual([['Bon 1234']]);
    expect(printer.receipts()[0]?.cut).toBe(true);
  });

  it('sends nothing to a printer that is out of paper, and says so', async () => {
    printer = await startVirtualPrinter({ condition: 'paperOut' });
    const tcp = createTcpPrinter({ host: printer.host, port: printer.port });
    const failure = await tcp.print(Uint8Array.from(Buffer.from('Bon\n', 'latin1'))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PrinterError);
    expect(failure).toMatchObject({ condition: 'paperOut', sent: false });
    expect(printer.receipts()).toEqual([]);
  });
});
