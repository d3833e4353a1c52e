// The kiosk service as carriers see it: views that never leak, input that is validated.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from '../test/kiosk-harness.js';
import { DELAYS } from '../machine/delays.js';
import { CODE_SHOWN_AGAIN_MS } from './delivery.js';
import { readerEvents } from './kiosk.js';
import { waitForScreen } from '../test/wait-for-screen.js';

let k: TestKiosk | null = null;

/** The card taken away, and the screen that explains it (grace period, "Kaart weggenomen") waited out. */
async function walkAway(kiosk: TestKiosk) {
  kiosk.removeCard();
  kiosk.clock.increment(Math.max(DELAYS.deliveredGrace, DELAYS.cardRemovedNotice));
  await kiosk.waitFor('idle');
}
afterEach(async () => {
  await k?.close();
  k = null;
});

describe('reader states become machine events', () => {
  it('maps taps, swaps, removals and unplugging', () => {
    expect(readerEvents(null, { status: 'ready' })).toEqual([{ type: 'READER_STATUS', status: 'ready' }]);
    expect(readerEvents({ status: 'ready' }, { status: 'card_present', uid: 'A' })).toEqual([
      { type: 'READER_STATUS', status: 'card_present' },
      { type: 'CARD_PRESENT', uid: 'A' },
    ]);
    expect(readerEvents({ status: 'card_present', uid: 'A' }, { status: 'card_present', uid: 'B' })).toEqual([
      { type: 'CARD_REMOVED' },
      { type: 'CARD_PRESENT', uid: 'B' },
    ]);
    // An unreadable card leaving is a removal too, or its error screen would stay.
    expect(readerEvents({ status: 'card_error', error: 'no UID' }, { status: 'ready' })).toEqual([
      { type: 'CARD_REMOVED' },
      { type: 'READER_STATUS', status: 'ready' },
    ]);
    expect(readerEvents({ status: 'ready' }, { status: 'card_error', error: 'no UID' })).toEqual([
      { type: 'READER_STATUS', status: 'card_error' },
    ]);
    expect(readerEvents({ status: 'card_present', uid: 'A' }, { status: 'no_reader' })).toEqual([
      { type: 'CARD_REMOVED' },
      { type: 'READER_STATUS', status: 'no_reader' },
    ]);
  });
});

describe('a traveller at the kiosk', () => {
  it('collects the kaartservicecode: masked until Akkoord, then shown, then no longer offered', async () => {
    k = startTestKiosk();
    await k.tapCard('anna');
    const menu = await k.waitFor('menu');
    expect(menu.screen.name === 'menu' && menu.screen.card.maskedNumber).toBe('•••• •••• •••• 5678');
    // The menu says how many wait: the three Anna can collect.
    expect(menu.screen.name === 'menu' && menu.screen.waiting).toBe(3);
    k.press({ type: 'PICKUP' });
    const orders = await k.waitFor('orders');
    expect(orders.screen.name === 'orders' && orders.screen.orders.map((o) => o.kind)).toEqual(['kaartservicecode', 'product', 'topup']);
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-code' });
    const confirm = await k.waitFor('confirm');
    for (const view of [menu, orders, confirm]) {
      const text = JSON.stringify(view);
      expect(text).not.toContain('4821-9034-7713');
      expect(text).not.toContain('3528010012345678');
    }
    k.press({ type: 'CONFIRM' });
    const delivered = await k.waitFor('delivered');
    expect(delivered.screen.name === 'delivered' && delivered.screen.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034-7713' });

    // The same card again: the code is shown again (the first screen may never have been
    // read), and the order is no longer offered.
    await walkAway(k);
    await k.tapCard('anna');
    const again = await k.waitFor('delivered');
    expect(again.screen.name === 'delivered' && again.screen.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034-7713' });
    k.press({ type: 'PICKUP' });
    const after = await k.waitFor('orders');
    expect(after.screen.name === 'orders' && after.screen.orders.map((o) => o.id)).not.toContain('demo-anna-code');

    await k.restart();
    await k.waitFor('delivered');
    k.press({ type: 'PICKUP' });
    const afterRestart = await k.waitFor('orders');
    expect(afterRestart.screen.name === 'orders' && afterRestart.screen.orders.map((o) => o.id)).toEqual(['demo-anna-dal', 'demo-anna-topup']);
  });

  it('shows a delivered kaartservicecode again on every tap of its card for a day, then no more', async () => {
    let now = new Date('2026-11-21T12:00:00Z');
    k = startTestKiosk({ now: () => now });
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('orders');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-code' });
    await k.waitFor('confirm');
    k.press({ type: 'CONFIRM' });
    await k.waitFor('delivered');
    await walkAway(k);

    now = new Date(now.getTime() + CODE_SHOWN_AGAIN_MS - 60_000);
    await k.tapCard('anna');
    const again = await k.waitFor('delivered');
    expect(again.screen.name === 'delivered' && again.screen.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034-7713' });
    // Another card is never shown Anna's code.
    await walkAway(k);
    await k.tapCard('bram');
    await k.waitFor('menu');
    await walkAway(k);

    now = new Date(now.getTime() + 2 * 60_000);
    await k.tapCard('anna');
    const later = await k.waitFor(['menu', 'delivered']);
    expect(later.screen.name).toBe('menu');
  });

  it('a top-up that would pass EUR 150 is shown as not possible, cannot be chosen, and the order stays', async () => {
    k = startTestKiosk();
    await k.tapCard('sophie');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    const orders = await k.waitFor('orders');
    const topup = orders.screen.name === 'orders' ? orders.screen.orders.find((o) => o.id === 'demo-sophie-topup') : undefined;
    expect(topup?.blocked).toBe('balanceLimit');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-sophie-topup' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(k.view().screen.name).toBe('orders');
    expect(k.store.orders.offeredForCard('3528010055550000').map((o) => o.id)).toContain('demo-sophie-topup');
    expect((await k.inspect('sophie')).state.balanceCents).toBe(14_000);
  });

  it.each([
    ['blank', 'foreignCard'],
    ['corrupt', 'corruptCard'],
    ['eva', 'expiredCard'],
  ] as const)('the %s card gets unknownCard (%s)', async (id, reason) => {
    k = startTestKiosk();
    await k.tapCard(id);
    const view = await k.waitFor('unknownCard');
    expect(view.screen).toEqual({ name: 'unknownCard', reason });
  });

  it('a card without orders says so', async () => {
    k = startTestKiosk();
    await k.tapCard('bram');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('noOrders');
  });

  it('rejects malformed UiEvents, and a developer-dock command is not a UiEvent', () => {
    k = startTestKiosk();
    expect(k.kiosk.receiveUiEvent({ type: 'PICKUP', extra: true }).ok).toBe(false);
    expect(k.kiosk.receiveUiEvent('PICKUP').ok).toBe(false);
    expect(k.kiosk.receiveUiEvent({ type: 'SET_LANGUAGE', language: 'xx' }).ok).toBe(false);
    expect(k.kiosk.receiveUiEvent({ type: 'dev.tap', cardId: 'anna' }).ok).toBe(false);
    expect(k.view().screen.name).toBe('idle');
  });

  it('a valid event the screen does not take is rejected, naming both, and changes nothing', async () => {
    k = startTestKiosk();
    await k.waitFor('idle');
    const confirm = k.kiosk.receiveUiEvent({ type: 'CONFIRM' });
    expect(confirm).toEqual({ ok: false, error: 'CONFIRM is not taken on the idle screen', notTaken: true });
    // Activity only says someone is there: taken on every screen, also where no timer runs.
    expect(k.kiosk.receiveUiEvent({ type: 'ACTIVITY' }).ok).toBe(true);
    expect(k.kiosk.receiveUiEvent({ type: 'SET_LANGUAGE', language: 'en' }).ok).toBe(true);
    await k.tapCard('anna');
    await k.waitFor('menu');
    expect(k.kiosk.receiveUiEvent({ type: 'SELECT_ORDER', orderId: 'demo-anna-code' })).toMatchObject({ ok: false });
    expect(k.kiosk.receiveUiEvent({ type: 'PICKUP' }).ok).toBe(true);
    await k.waitFor('orders');
    expect(k.kiosk.receiveUiEvent({ type: 'SELECT_ORDER', orderId: 'demo-anna-code' }).ok).toBe(true);
  });

  it('in maintenance, what the technician machine does not take now is rejected too', async () => {
    k = startTestKiosk();
    await k.waitFor('idle');
    expect(k.kiosk.receiveUiEvent({ type: 'SERVICE_KEY' }).ok).toBe(true);
    await k.waitFor('technicianCard');
    expect(k.kiosk.receiveUiEvent({ type: 'SUBMIT_PIN', pin: '135790' })).toEqual({
      ok: false,
      error: 'SUBMIT_PIN is not taken on the technicianCard screen',
      notTaken: true,
    });
    expect(k.kiosk.receiveUiEvent({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: '9999000012340001' }).ok).toBe(true);
    await k.waitFor('pin');
    expect(k.kiosk.receiveUiEvent({ type: 'MAINT_SHOW', page: 'log' })).toEqual({ ok: false, error: 'MAINT_SHOW is not taken on the pin screen', notTaken: true });
    expect(k.kiosk.receiveUiEvent({ type: 'SUBMIT_TECHNICIAN_CARD', cardNumber: '9999000012340001' })).toMatchObject({ ok: false, notTaken: true });
    expect(k.kiosk.receiveUiEvent({ type: 'SERVICE_KEY' }).ok).toBe(false);
    expect(k.kiosk.receiveUiEvent({ type: 'SET_LANGUAGE', language: 'de' }).ok).toBe(true);
    expect(k.view().screen.name).toBe('pin');
  });
});

describe('the idle screen', () => {
  it('says where the reader is, as the station configures it', async () => {
    const { createKiosk } = await import('./kiosk.js');
    const { SimulatedReader } = await import('../hardware/simulated-reader.js');
    const { layoutV1 } = await import('../hardware/card-layout.js');
    const { openStore } = await import('../store/index.js');
    const { silentLog } = await import('../test/kiosk-harness.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-idle-'));
    const store = openStore(join(dir, 'kiosk.db'));
    const reader = new SimulatedReader();
    const kiosk = createKiosk({ reader, codec: layoutV1, store, log: silentLog, readerPosition: 'right' });
    try {
      const view = await waitForScreen(kiosk, 'idle', 2000);
      expect(view.screen).toEqual({ name: 'idle', readerPosition: 'right' });
    } finally {
      await kiosk.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the developer dock is not part of the kiosk service', () => {
  it('the KioskView has no dev key, and the service takes no developer commands', () => {
    k = startTestKiosk();
    expect(Object.keys(k.view()).sort()).toEqual(['assist', 'demo', 'inactivityWarning', 'language', 'screen', 'serviceKey', 'timing']);
    expect(k.view().demo).toBe(false);
    expect('receiveDevCommand' in k.kiosk).toBe(false);
  });
});
