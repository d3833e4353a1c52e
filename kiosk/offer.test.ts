// What a traveller is offered and told, with the whole kiosk on a real store: the open
// list follows the order cache, an order that went is explained, what cannot be
// delivered is not offered (or shown as not possible), every order has its deadline.
import { demoSeal } from '../demo/seal.js';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, startTestKiosk, type TestKiosk } from '../test/kiosk-harness.js';
import type { KioskView, Screen } from './contract.js';
import { createOffer } from './offer.js';

let k: TestKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

const ANNA = '3528010012345678';
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

function ordersOf(view: KioskView): Extract<Screen, { name: 'orders' }> {
  if (view.screen.name !== 'orders') throw new Error(`not the orders screen: ${view.screen.name}`);
  return view.screen;
}

/** Waits until the kiosk's view satisfies `check` (the list follows the cache by itself). */
async function until(kiosk: TestKiosk, check: (view: KioskView) => boolean, timeoutMs = 4000): Promise<KioskView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const view = kiosk.view();
    if (check(view)) return view;
    if (Date.now() > end) throw new Error(`view never matched: ${JSON.stringify(view.screen)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function annaOrders(kiosk: TestKiosk) {
  await kiosk.tapCard('anna');
  await kiosk.waitFor('menu');
  kiosk.press({ type: 'PICKUP' });
  return ordersOf(await kiosk.waitFor('orders'));
}

describe('the open list follows the order cache', () => {
  it('an order placed while the list is open appears, and is announced', async () => {
    k = startTestKiosk();
    const first = await annaOrders(k);
    expect(first.orders).toHaveLength(3);
    expect(first.change).toBeNull();
    k.store.orders.upsert({
      id: 'late-topup',
      cardNumber: ANNA,
      payload: { kind: 'topup', amountCents: 500 },
      createdAt: NOW.toISOString(),
      expiresAt: later(14),
    });
    const view = ordersOf(await until(k, (v) => v.screen.name === 'orders' && v.screen.orders.length === 4));
    expect(view.orders.map((o) => o.id)).toContain('late-topup');
    expect(view.change).toEqual({ added: 1, gone: [] });
  });

  it('an order placed while "Geen bestellingen" is up: the list appears with it', async () => {
    k = startTestKiosk();
    await k.tapCard('bram');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('noOrders');
    k.store.orders.upsert({
      id: 'bram-late-code',
      cardNumber: '3528010087654321',
      payload: { kind: 'kaartservicecode', sealed: demoSeal('bram-late-code', '3528010087654321', '1111-2222-3333') },
      createdAt: NOW.toISOString(),
      expiresAt: later(14),
    });
    const view = ordersOf(await until(k, (v) => v.screen.name === 'orders'));
    expect(view.orders.map((o) => o.id)).toEqual(['bram-late-code']);
    expect(view.change).toEqual({ added: 1, gone: [] });
    expect(JSON.stringify(view)).not.toContain('1111-2222-3333');
  });

  it('an order cancelled while the list is open leaves it, and the list says it was cancelled', async () => {
    k = startTestKiosk();
    await annaOrders(k);
    k.store.orders.setStatus('demo-anna-dal', 'cancelled');
    const view = ordersOf(await until(k, (v) => v.screen.name === 'orders' && v.screen.orders.length === 2));
    expect(view.change?.gone.map((g) => [g.order.id, g.reason])).toEqual([['demo-anna-dal', 'cancelled']]);
    // The announcement never carries a kaartservicecode.
    expect(JSON.stringify(view)).not.toContain('4821-9034-7713');
  });

  it('Akkoord on an order cancelled after it was chosen says it was cancelled, not "probeer het later opnieuw"', async () => {
    k = startTestKiosk();
    await annaOrders(k);
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
    await k.waitFor('confirm');
    k.store.orders.setStatus('demo-anna-topup', 'cancelled');
    k.press({ type: 'CONFIRM' });
    const failed = await k.waitFor('failed');
    expect(failed.screen).toEqual({ name: 'failed', reason: 'orderCancelled', collected: [], retry: false, chooseAnother: true });
    // Andere bestelling kiezen: the list again, without the cancelled order.
    k.press({ type: 'BACK' });
    const again = ordersOf(await k.waitFor('orders'));
    expect(again.orders.map((o) => o.id)).toEqual(['demo-anna-code', 'demo-anna-dal']);
  });

  it('Akkoord on an order whose pickup deadline passed after it was chosen says it expired', async () => {
    let now = NOW;
    k = startTestKiosk({ now: () => now });
    await annaOrders(k);
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
    await k.waitFor('confirm');
    now = new Date(NOW.getTime() + 31 * 86_400_000);
    k.press({ type: 'CONFIRM' });
    const failed = await k.waitFor('failed');
    expect(failed.screen.name === 'failed' && failed.screen.reason).toBe('orderExpired');
  });
});

describe('offer only what can be delivered', () => {
  it('every order on the list carries its pickup deadline', async () => {
    k = startTestKiosk();
    const view = await annaOrders(k);
    for (const order of view.orders) expect(order.expiresAt).toBe(later(30));
  });

  it('a top-up that would pass the card limit is listed as not possible (balance limit), the rest is not', async () => {
    k = startTestKiosk();
    await k.tapCard('sophie');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    const view = ordersOf(await k.waitFor('orders'));
    expect(view.orders.map((o) => [o.kind, o.blocked])).toEqual([
      ['kaartservicecode', null],
      ['topup', 'balanceLimit'],
    ]);
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-sophie-topup' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(k.view().screen.name).toBe('orders');
  });

  it('an order for a product this kiosk cannot write is not offered, and logged once (without its payload)', async () => {
    k = startTestKiosk();
    k.store.orders.upsert({
      id: 'future-product',
      cardNumber: ANNA,
      payload: { kind: 'product', productCode: 'NS_FLEX_2030', validFrom: '2026-12-01', validUntil: '2027-11-30' },
      createdAt: NOW.toISOString(),
      expiresAt: later(14),
    });
    const lines: { msg: string; orderId?: string; productCode?: string }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const offer = createOffer({ store: k.store, delivery: k.kiosk.delivery, log, now: () => NOW });
    expect(offer.lookupOrders(ANNA).map((o) => o.id)).not.toContain('future-product');
    offer.lookupOrders(ANNA);
    expect(lines).toEqual([
      expect.objectContaining({ orderId: 'future-product', productCode: 'NS_FLEX_2030', msg: expect.stringContaining('not offered') }),
    ]);
    // And the kiosk's own list leaves it out too.
    const view = await annaOrders(k);
    expect(view.orders.map((o) => o.id)).not.toContain('future-product');
  });

  it('why an order left the list: cancelled, expired by status or by time, delivered, unknown', () => {
    k = startTestKiosk();
    const offer = k.kiosk.offer;
    k.store.orders.setStatus('demo-anna-dal', 'cancelled');
    k.store.orders.setStatus('demo-anna-topup', 'expired');
    expect(offer.whyGone('demo-anna-dal')).toBe('cancelled');
    expect(offer.whyGone('demo-anna-topup')).toBe('expired');
    expect(offer.whyGone('no-such-order')).toBe('unavailable');
    const late = createOffer({ store: k.store, delivery: k.kiosk.delivery, log: pino({ level: 'silent' }), now: () => new Date(later(31)) });
    expect(late.whyGone('demo-anna-code')).toBe('expired');
    expect(late.explain('demo-anna-code', 'orderUnavailable')).toBe('orderExpired');
    expect(late.explain('demo-anna-code', 'balanceLimit')).toBe('balanceLimit');
  });
});


describe('Alles ophalen', () => {
  it('collects all of Anna’s orders with one Akkoord: each on the card once, the code shown last', async () => {
    k = startTestKiosk();
    const list = await annaOrders(k);
    expect(list.collectAll).toBe(true);
    k.press({ type: 'PICKUP_ALL' });
    const confirm = await k.waitFor('confirm');
    expect(confirm.screen.name === 'confirm' && [confirm.screen.order.id, ...confirm.screen.also.map((o) => o.id)]).toEqual([
      'demo-anna-dal',
      'demo-anna-topup',
      'demo-anna-code',
    ]);
    k.press({ type: 'CONFIRM' });
    const delivered = await until(k, (v) => v.screen.name === 'delivered');
    expect(delivered.screen.name === 'delivered' && delivered.screen.outcome).toEqual({ kind: 'kaartservicecode', code: '4821-9034-7713' });
    expect(delivered.screen.name === 'delivered' && delivered.screen.collected.map((c) => c.order.id)).toEqual(['demo-anna-dal', 'demo-anna-topup']);
    expect(delivered.screen.name === 'delivered' && delivered.screen.moreOrders).toBe(false);
    const card = await k.inspect('anna');
    expect(card.state.balanceCents).toBe(1250 + 2000);
    expect(card.state.products.filter((p) => p?.productCode === 'DAL_VOORDEEL')).toHaveLength(1);
    for (const id of ['demo-anna-dal', 'demo-anna-topup', 'demo-anna-code']) expect(k.store.orders.get(id)?.status).toBe('delivered');
  });
});
