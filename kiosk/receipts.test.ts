// The receipt printer at the kiosk: printed on request, never twice by accident, and the
// traveller told before Akkoord when there will be none.
import { afterEach, describe, expect, it } from 'vitest';
import { imageShows, qrCodeIn, startVirtualPrinter, type VirtualPrinter } from '../demo/virtual-printer.js';
import { CODE_ENTRY_URL } from '../domain/index.js';
import { createDevicePrinter } from '../hardware/escpos-device.js';
import { createTcpPrinter } from '../hardware/escpos-tcp.js';
import { DELAYS } from '../machine/delays.js';
import { silentLog, startTestKiosk, type TestKiosk } from '../test/kiosk-harness.js';
import { startPtyDevice } from '../test/pty-device.js';
import { RETENTION_DAYS } from '../store/index.js';
import { testClock, useTempFiles } from '../store/test-helpers.js';
import { createReceiptService, receiptKey } from './receipts.js';
import { startHealthServer } from './web-host.js';
import type { KioskView } from './contract.js';

let k: TestKiosk | null = null;
let printer: VirtualPrinter | null = null;
afterEach(async () => {
  await k?.close();
  await printer?.close();
  k = null;
  printer = null;
});

/** Resolves with the first view (now or later) that `test` accepts. */
function viewWhere(kiosk: TestKiosk, test: (view: KioskView) => boolean, timeoutMs = 3000): Promise<KioskView> {
  return new Promise((resolve, reject) => {
    if (test(kiosk.view())) return resolve(kiosk.view());
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no such view; still ${JSON.stringify(kiosk.view().screen).slice(0, 300)}`));
    }, timeoutMs);
    const unsubscribe = kiosk.kiosk.subscribe((view) => {
      if (!test(view)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(view);
    });
  });
}

const receiptOf = (view: KioskView) =>
  view.screen.name === 'confirm' || view.screen.name === 'delivered' ? view.screen.receipt : undefined;

async function toConfirm(kiosk: TestKiosk, orderId: string) {
  await kiosk.tapCard('anna');
  await kiosk.waitFor('menu');
  kiosk.press({ type: 'PICKUP' });
  await kiosk.waitFor('orders');
  kiosk.press({ type: 'SELECT_ORDER', orderId });
  return kiosk.waitFor('confirm');
}

async function startWithPrinter(condition: Parameters<VirtualPrinter['setCondition']>[0] = 'ready') {
  printer = await startVirtualPrinter({ condition });
  k = startTestKiosk({ printer: createTcpPrinter({ host: printer.host, port: printer.port, timeoutMs: 1000 }) });
  return { kiosk: k, printer };
}

describe('Bon afdrukken', () => {
  it('prints the receipt of a kaartservicecode once: a second press, a replay and the same card after a restart print nothing more', async () => {
    const { kiosk, printer } = await startWithPrinter();
    await toConfirm(kiosk, 'demo-anna-code');
    await viewWhere(kiosk, (view) => receiptOf(view)?.available === true);
    kiosk.press({ type: 'CONFIRM' });
    const delivered = await kiosk.waitFor('delivered');
    expect(receiptOf(delivered)).toEqual({ available: true, state: 'none' });

    // Two presses in a row (a double tap): one receipt.
    expect(kiosk.kiosk.receiveUiEvent({ type: 'PRINT_RECEIPT' }).ok).toBe(true);
    expect(kiosk.kiosk.receiveUiEvent({ type: 'PRINT_RECEIPT' })).toMatchObject({ ok: false, notTaken: true });
    await viewWhere(kiosk, (view) => receiptOf(view)?.state === 'printed');
    expect(printer.receipts()).toHaveLength(1);
    const [receipt] = printer.receipts();
    expect(receipt && imageShows(receipt.png, '4821-9034-7713', { width: 2, height: 2, bold: true })).toBe(true);
    expect(receipt?.lines.map((line) => line.text).join('\n')).toContain('**** **** **** 5678');

    // The event replayed (a reconnected screen sending it again): refused, nothing printed.
    expect(kiosk.kiosk.receiveUiEvent({ type: 'PRINT_RECEIPT' })).toMatchObject({ ok: false, notTaken: true });

    // The same card after a restart: its code is shown again, but its receipt is not printed again.
    kiosk.removeCard();
    kiosk.clock.increment(DELAYS.deliveredGrace);
    await kiosk.waitFor('idle');
    await kiosk.restart();
    await kiosk.tapCard('anna');
    const again = await kiosk.waitFor('delivered');
    expect(again.screen.name === 'delivered' && again.screen.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034-7713' });
    kiosk.press({ type: 'PRINT_RECEIPT' });
    await viewWhere(kiosk, (view) => receiptOf(view)?.state === 'alreadyPrinted');
    expect(printer.receipts()).toHaveLength(1);
  });

  it('through a USB or serial printer (a device file): the delivery receipt is printed with the code and the QR code; unplugged, it is offline on the technician’s status, with the reason', async () => {
    printer = await startVirtualPrinter();
    const device = await startPtyDevice(printer);
    try {
      k = startTestKiosk({ printer: createDevicePrinter({ path: device.path, timeoutMs: 1000 }) });
      await toConfirm(k, 'demo-anna-code');
      await viewWhere(k, (view) => receiptOf(view)?.available === true);
      k.press({ type: 'CONFIRM' });
      await k.waitFor('delivered');
      k.press({ type: 'PRINT_RECEIPT' });
      await viewWhere(k, (view) => receiptOf(view)?.state === 'printed');
      expect(printer.receipts()).toHaveLength(1);
      const [receipt] = printer.receipts();
      if (!receipt) throw new Error('no receipt');
      expect(imageShows(receipt.png, '4821-9034-7713', { width: 2, height: 2, bold: true })).toBe(true);
      expect(qrCodeIn(receipt.png)).toBe(CODE_ENTRY_URL);
      expect(k.kiosk.maintenance.status().printer).toMatchObject({ health: 'green', condition: 'ready', name: `device ${device.path}`, reason: null });

      // Unplugged: offline on the technician's status, and no receipt offered.
      await device.vanish();
      expect(await k.receipts?.refresh()).toBe('offline');
      // EIO from the read, or the device file found gone first: the same fault, either way.
      expect(k.kiosk.maintenance.status().printer).toMatchObject({
        health: 'red',
        condition: 'offline',
        reason: expect.stringMatching(/^the device \/dev\/pts\/\d+ went away( \(EIO\))?$/),
      });
    } finally {
      await device.vanish();
    }
  });

  it('out of paper: the confirm screen says there is no receipt before Akkoord, and nothing is sent to the printer', async () => {
    const { kiosk, printer } = await startWithPrinter();
    expect(await kiosk.receipts?.refresh()).toBe('ready');
    printer.setCondition('paperOut');
    // Asked afresh as the confirm screen opens, not only when the next poll comes.
    await toConfirm(kiosk, 'demo-anna-code');
    const confirm = await viewWhere(kiosk, (view) => receiptOf(view)?.available === false && kiosk.receipts?.condition() === 'paperOut');
    expect(receiptOf(confirm)).toEqual({ available: false, state: 'none' });
    kiosk.press({ type: 'CONFIRM' });
    await kiosk.waitFor('delivered');
    kiosk.press({ type: 'PRINT_RECEIPT' });
    await viewWhere(kiosk, (view) => receiptOf(view)?.state === 'failed');
    expect(printer.receipts()).toEqual([]);

    // Paper in again: the receipt that never left can still be printed, once.
    printer.setCondition('ready');
    await kiosk.receipts?.refresh();
    kiosk.press({ type: 'PRINT_RECEIPT' });
    await viewWhere(kiosk, (view) => receiptOf(view)?.state === 'printed');
    expect(printer.receipts()).toHaveLength(1);
  });

  it('the printer on the technician’s status and in /health: red for the printer, amber overall', async () => {
    const { kiosk, printer } = await startWithPrinter('coverOpen');
    await kiosk.receipts?.refresh();
    const status = kiosk.kiosk.maintenance.status();
    expect(status.printer).toMatchObject({ health: 'red', condition: 'coverOpen', name: `tcp 127.0.0.1:${printer.port}` });
    expect(status.overall).not.toBe('green');
    // GET /health carries the same: 200 (the kiosk still serves), the printer red in it.
    const health = await startHealthServer({ health: kiosk.kiosk.maintenance.status, screen: () => 'idle', log: silentLog, port: 0 });
    try {
      const response = await fetch(`${health.url}/health`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { printer?: unknown }).printer).toMatchObject({ health: 'red', condition: 'coverOpen' });
    } finally {
      await health.close();
    }
    printer.setCondition('paperLow');
    await kiosk.receipts?.refresh();
    expect(kiosk.kiosk.maintenance.status().printer).toMatchObject({ health: 'amber', condition: 'paperLow' });
    printer.setCondition('ready');
    await kiosk.receipts?.refresh();
    expect(kiosk.kiosk.maintenance.status().printer).toMatchObject({ health: 'green', condition: 'ready' });
  });

  it('a station without a printer: no receipt on any screen, no printer in the status, and PRINT_RECEIPT is not taken', async () => {
    k = startTestKiosk();
    const confirm = await toConfirm(k, 'demo-anna-code');
    expect(confirm.screen).not.toHaveProperty('receipt');
    k.press({ type: 'CONFIRM' });
    const delivered = await k.waitFor('delivered');
    expect(delivered.screen).not.toHaveProperty('receipt');
    expect(k.kiosk.receiveUiEvent({ type: 'PRINT_RECEIPT' })).toMatchObject({ ok: false, notTaken: true });
    expect(k.kiosk.maintenance.status()).not.toHaveProperty('printer');
  });
});

describe('print once, across retention', () => {
  const files = useTempFiles();
  const DAY_MS = 86_400_000;

  it(`still holds after a retention pass within ${RETENTION_DAYS} days; the mark is gone after them`, async () => {
    printer = await startVirtualPrinter();
    const clock = testClock('2026-01-01T09:00:00.000Z');
    const store = files.open('kiosk.db', { now: clock.now });
    const service = createReceiptService({
      printer: createTcpPrinter({ host: printer.host, port: printer.port, timeoutMs: 1000 }),
      store,
      log: silentLog,
      now: clock.now,
      stationName: 'Teststation',
      pollMs: 60_000,
    });
    try {
      const input = {
        cardNumber: '3528012345675678',
        language: 'nl' as const,
        items: [{ order: { id: 'o-code', kind: 'kaartservicecode' as const, orderedAt: clock.iso(), expiresAt: null }, outcome: { kind: 'kaartservicecode' as const, code: '4821-9034-7713' } }],
      };
      expect(await service.print(input)).toBe('printed');
      clock.advance((RETENTION_DAYS - 1) * DAY_MS);
      while (store.retention.prune(clock.iso()).receipts > 0);
      expect(await service.print(input)).toBe('alreadyPrinted');
      expect(printer.receipts()).toHaveLength(1);

      clock.advance(2 * DAY_MS);
      expect(store.retention.prune(clock.iso()).receipts).toBe(1);
      expect(store.maintenance.settings.get(receiptKey(['o-code']))).toBeNull();
    } finally {
      service.close();
    }
  });
});
