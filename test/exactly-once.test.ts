// Tearing the card away at every block operation of a delivery, then bringing it back
// (at once, too late, or after a power cut), ends with each order applied exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { layoutV1, ledgerCovers, type DecodedCard } from '../hardware/card-layout.js';
import { DELAYS } from '../machine/delays.js';
import { startTestKiosk, type TestKiosk } from './kiosk-harness.js';

const ORDERS = [
  { id: 'demo-anna-code', kind: 'kaartservicecode' },
  { id: 'demo-anna-dal', kind: 'product' },
  { id: 'demo-anna-topup', kind: 'topup' },
] as const;
const BALANCE_BEFORE = 1250;
const TOPUP = 2000;

/** A delivery reads the card (15 blocks), writes a record (6) and reads only that record back (6). */
const RECORD_BLOCKS = 6;
const OPERATIONS_PER_DELIVERY = layoutV1.blocksToRead.length + 2 * RECORD_BLOCKS;

type Return = 'at once' | 'after the deadline' | 'after a power cut';

/** The order's serial is covered by the card's ledger (a delivery always writes a v2 record). */
function holds(kiosk: TestKiosk, card: DecodedCard, orderId: string): boolean {
  const serial = kiosk.store.orders.get(orderId)?.serial ?? null;
  if (!card.state.ledger) return card.state.journal.includes(layoutV1.orderToken(orderId));
  return serial !== null && ledgerCovers(card.state.ledger, serial);
}

let k: TestKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

async function chooseAndConfirm(kiosk: TestKiosk, orderId: string, tearAt: number | null) {
  kiosk.press({ type: 'PICKUP' });
  await kiosk.waitFor('orders');
  kiosk.press({ type: 'SELECT_ORDER', orderId });
  await kiosk.waitFor('confirm');
  if (tearAt !== null) kiosk.tearAfter(tearAt, 'operations');
  kiosk.press({ type: 'CONFIRM' });
}

async function finishDelivery(kiosk: TestKiosk, orderId: string, how: Return) {
  const screen = kiosk.view().screen.name;
  if (screen === 'delivered') return;
  expect(screen).toBe('interrupted');
  if (how === 'at once') {
    await kiosk.tapCard('anna');
    await kiosk.waitFor('delivered');
    return;
  }
  if (how === 'after the deadline') {
    kiosk.clock.increment(DELAYS.interruptedDeadline);
    await kiosk.waitFor('failed');
  } else {
    await kiosk.restart();
  }
  // The next read of the card settles the attempt from the card's ledger.
  await kiosk.tapCard('anna');
  const view = await kiosk.waitFor(['menu', 'delivered']);
  // Settled right: delivered exactly when the card holds the order, offered again otherwise.
  const onCard = holds(kiosk, await kiosk.inspect('anna'), orderId);
  const settled = kiosk.store.orders.get(orderId);
  expect(settled?.status).toBe(onCard ? 'delivered' : 'pending');
  expect(kiosk.store.deliveries.unsettledCount()).toBe(0);
  // What the card holds is shown to the traveller, so no kaartservicecode is ever lost.
  expect(view.screen.name).toBe(onCard ? 'delivered' : 'menu');
  if (view.screen.name === 'delivered') expect(view.screen.order.id).toBe(orderId);
  if (onCard) return;
  await chooseAndConfirm(kiosk, orderId, null);
  await kiosk.waitFor('delivered');
}

describe.each(ORDERS)('$kind: card torn away at every block operation', ({ id, kind }) => {
  const points = Array.from({ length: OPERATIONS_PER_DELIVERY + 1 }, (_, i) => i);
  describe.each(['at once', 'after the deadline', 'after a power cut'] as const)('card back %s', (how) => {
    it.each(points)('tear before operation %i', async (tearAt) => {
      k = startTestKiosk();
      await k.tapCard('anna');
      await k.waitFor('menu');
      await chooseAndConfirm(k, id, tearAt);
      await k.waitFor(['delivered', 'interrupted']);
      k.reader.disarmTear();
      await finishDelivery(k, id, how);

      // The card holds the order, recorded in its ledger (converted from v1 by the write).
      const card = await k.inspect('anna');
      expect(card.state.ledger).toBeDefined();
      expect(card.state.journal).toEqual([]);
      expect(holds(k, card, id)).toBe(true);
      expect(card.state.balanceCents).toBe(kind === 'topup' ? BALANCE_BEFORE + TOPUP : BALANCE_BEFORE);
      expect(card.state.products.filter((p) => p?.productCode === 'DAL_VOORDEEL')).toHaveLength(kind === 'product' ? 1 : 0);

      // One record write reached the card (torn writes leave the sequence as it was): a
      // kaartservicecode applied twice would show here, as it changes nothing else.
      expect(card.state.sequence).toBe(2);

      // The kiosk recorded one pickup, reported once, and offers the order no more.
      const done = k.store.deliveries.forOrder(id).filter((d) => d.state === 'written' || d.state === 'reported');
      expect(done).toHaveLength(1);
      expect(k.store.orders.get(id)?.status).toBe('delivered');
      expect(k.store.outbox.pending(100).filter((item) => item.report.orderId === id)).toHaveLength(1);
      expect(k.store.deliveries.unsettledCount()).toBe(0);
      expect(k.store.orders.offeredForCard('3528010012345678').map((o) => o.id)).not.toContain(id);
    });
  });
});
