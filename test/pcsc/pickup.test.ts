// The traveller's path over the real PC/SC stack: tap → identify → Ophalen bestelling →
// Akkoord → write → verify → remove.
import { afterEach, describe, expect, it } from 'vitest';
import { startPcscKiosk, type PcscKiosk } from './pcsc-harness.js';

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

describe('picking up an order with a card on the PC/SC reader', () => {
  it('tops up Anna’s card: tap, orders, Akkoord, written and verified, card removed', async () => {
    k = await startPcscKiosk();
    await k.tap('anna');
    const menu = await k.waitFor('menu');
    expect(menu.screen).toMatchObject({ name: 'menu' });
    k.press({ type: 'PICKUP' });
    const orders = await k.waitFor('orders');
    expect(JSON.stringify(orders.screen)).toContain('demo-anna-topup');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
    await k.waitFor('confirm');
    k.press({ type: 'CONFIRM' });
    await k.waitFor('delivered');
    expect(k.decode('anna').state.balanceCents).toBe(1250 + 2000);
    expect(k.store.orders.get('demo-anna-topup')?.status).toBe('delivered');
    await k.remove('anna');
    // What was delivered stays up for a short grace period after the card left.
    const after = await k.waitFor('delivered');
    expect(after.screen.name === 'delivered' && after.screen.cardGone).toBe(true);
  });
});
