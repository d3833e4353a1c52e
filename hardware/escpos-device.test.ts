// The USB/serial printer adapter against a real device file: a pseudo-terminal relayed to
// the virtual printer (test/pty-device.ts), one that never answers, one that is missing,
// one that vanishes mid-session and comes back.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageShows, qrCodeIn, startVirtualPrinter, type VirtualPrinter } from '../demo/virtual-printer.js';
import { CODE_ENTRY_URL } from '../domain/index.js';
import { PRINTER_CONDITIONS } from '../domain/printer.js';
import { encodeReceipt } from '../kiosk/receipt.js';
import { startPtyDevice, type PtyDevice } from '../test/pty-device.js';
import { createDevicePrinter } from './escpos-device.js';
import { PrinterError } from './receipt-printer.js';

const CODE = '4821-9034-7713';
const receipt = () =>
  encodeReceipt({
    stationName: 'Utrecht Centraal',
    at: new Date('2026-12-01T14:05:00Z'),
    cardNumber: '3528012345675678',
    language: 'nl',
    timeZone: 'Europe/Amsterdam',
    items: [{ order: { id: 'o-code', kind: 'kaartservicecode', orderedAt: '2026-11-30T10:00:00Z', expiresAt: null }, outcome: { kind: 'kaartservicecode', code: CODE } }],
  });

let printer: VirtualPrinter | null = null;
const devices: PtyDevice[] = [];
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'escpos-device-'));
});
afterEach(async () => {
  for (const device of devices.splice(0)) await device.vanish();
  await printer?.close();
  printer = null;
  rmSync(dir, { recursive: true, force: true });
});

async function relayed(condition: Parameters<VirtualPrinter['setCondition']>[0] = 'ready') {
  printer ??= await startVirtualPrinter({ condition });
  const device = await startPtyDevice(printer);
  devices.push(device);
  return { printer, device };
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('a printer on a device file (USB printer class, serial)', () => {
  it('is asked its status with DLE EOT through the device, in every condition', async () => {
    const { printer, device } = await relayed();
    const usb = createDevicePrinter({ path: device.path, timeoutMs: 1000 });
    expect(usb.name).toBe(`device ${device.path}`);
    for (const condition of PRINTER_CONDITIONS) {
      printer.setCondition(condition);
      expect(await usb.status()).toBe(condition);
    }
    expect(usb.reason()).toBeNull();
    expect(printer.statusQueries()).toBe(4 * PRINTER_CONDITIONS.length);
    usb.close();
  });

  it('prints a delivery receipt through the device: the printed image shows the code and the QR code to the account page', async () => {
    const { printer, device } = await relayed();
    const usb = createDevicePrinter({ path: device.path, timeoutMs: 1000 });
    await usb.print(receipt());
    expect(printer.receipts()).toHaveLength(1);
    const [printed] = printer.receipts();
    if (!printed) throw new Error('no receipt');
    expect(printed.cut).toBe(true);
    expect(imageShows(printed.png, CODE, { width: 2, height: 2, bold: true })).toBe(true);
    expect(imageShows(printed.png, '4821-9034-7714', { width: 2, height: 2, bold: true })).toBe(false);
    expect(qrCodeIn(printed.png)).toBe(CODE_ENTRY_URL);
    usb.close();
  });

  it('paper out or the cover open: says so through the device, and sends nothing', async () => {
    const { printer, device } = await relayed('paperOut');
    const usb = createDevicePrinter({ path: device.path, timeoutMs: 1000 });
    expect(await usb.status()).toBe('paperOut');
    expect(await failureOf(usb.print(receipt()))).toMatchObject({ condition: 'paperOut', sent: false });
    printer.setCondition('coverOpen');
    expect(await usb.status()).toBe('coverOpen');
    expect(await failureOf(usb.print(receipt()))).toMatchObject({ condition: 'coverOpen', sent: false });
    expect(printer.receipts()).toEqual([]);
    usb.close();
  });

  it('answers are never mixed up: status questions while a receipt prints each get their own answer', async () => {
    const { printer, device } = await relayed();
    const usb = createDevicePrinter({ path: device.path, timeoutMs: 1000 });
    const [before, printed, after] = await Promise.all([usb.status(), usb.print(receipt()), usb.status()]);
    expect([before, printed, after, usb.reason()]).toEqual(['ready', undefined, 'ready', null]);
    expect(printer.receipts()).toHaveLength(1);
    usb.close();
  });

  it('a device that never answers is offline within the timeout, never a hang', async () => {
    const device = await startPtyDevice('mute');
    devices.push(device);
    const usb = createDevicePrinter({ path: device.path, timeoutMs: 300 });
    const started = performance.now();
    expect(await usb.status()).toBe('offline');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(usb.reason()).toMatch(/no answer from .* within 300 ms/);
    const failure = await failureOf(usb.print(receipt()));
    expect(failure).toBeInstanceOf(PrinterError);
    expect(failure).toMatchObject({ condition: 'offline', sent: false });
    usb.close();
  });

  it('a device file that is missing is offline with a clear reason; it is opened once it is there', async () => {
    const { device } = await relayed();
    const path = join(dir, 'lp0');
    const usb = createDevicePrinter({ path, timeoutMs: 1000 });
    expect(await usb.status()).toBe('offline');
    expect(usb.reason()).toBe(`no device at ${path}`);
    const failure = await failureOf(usb.print(receipt()));
    expect(failure).toMatchObject({ condition: 'offline', sent: false });
    expect((failure as Error).message).toContain(`no device at ${path}`);
    // Plugged in (udev makes the link): the next question opens it.
    symlinkSync(device.path, path);
    expect(await usb.status()).toBe('ready');
    expect(usb.reason()).toBeNull();
    usb.close();
  });

  it('a file that is not a device is not written to', async () => {
    const path = join(dir, 'not-a-printer');
    writeFileSync(path, 'kept');
    const usb = createDevicePrinter({ path, timeoutMs: 300 });
    expect(await usb.status()).toBe('offline');
    expect(usb.reason()).toBe(`${path} is not a device`);
    expect(await failureOf(usb.print(receipt()))).toMatchObject({ condition: 'offline', sent: false });
    expect(readFileSync(path, 'utf8')).toBe('kept');
    usb.close();
  });

  it('the device going away while a receipt prints: the print fails at once (offline, bytes sent), not after the print timeout', async () => {
    const device = await startPtyDevice('statusOnly');
    devices.push(device);
    const usb = createDevicePrinter({ path: device.path, timeoutMs: 1000, printTimeoutMs: 10_000 });
    expect(await usb.status()).toBe('ready');
    const printing = failureOf(usb.print(receipt()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await device.vanish();
    const failure = await printing;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(failure).toBeInstanceOf(PrinterError);
    // A part of it may be on paper: the kiosk does not print it again by itself.
    expect(failure).toMatchObject({ condition: 'offline', sent: true });
    expect(usb.reason()).toMatch(/^the device \/dev\/pts\/\d+ went away( \(EIO\))?$/); // EIO, or the file found gone first
    usb.close();
  });

  it('the device vanishing mid-session: offline with the reason, nothing sent; back when it returns', async () => {
    const { printer, device } = await relayed();
    const path = join(dir, 'lp0');
    symlinkSync(device.path, path);
    const usb = createDevicePrinter({ path, timeoutMs: 1000 });
    expect(await usb.status()).toBe('ready');
    // Unplugged: the open descriptor is hung up and the device file is gone.
    await device.vanish();
    const started = performance.now();
    expect(await usb.status()).toBe('offline');
    expect(performance.now() - started).toBeLessThan(1500);
    // EIO from the hung-up descriptor, or the device file found gone first: either way.
    expect([`the device ${path} went away (EIO)`, `the device ${path} went away`]).toContain(usb.reason());
    // Asked again: opened afresh, and it is not there.
    expect(await usb.status()).toBe('offline');
    expect(usb.reason()).toBe(`no device at ${path}`);
    expect(await failureOf(usb.print(receipt()))).toMatchObject({ condition: 'offline', sent: false });
    // Plugged in again (a new device node behind the same name).
    const again = await startPtyDevice(printer);
    devices.push(again);
    unlinkSync(path);
    symlinkSync(again.path, path);
    expect(await usb.status()).toBe('ready');
    await usb.print(receipt());
    expect(printer.receipts()).toHaveLength(1);
    usb.close();
  });
});
