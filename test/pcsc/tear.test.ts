// The card leaves at every APDU of a delivery (the virtual card closes its connection
// instead of answering), then comes back: the order is on the card exactly once and the
// kiosk recorded one pickup. The PC/SC counterpart of test/exactly-once.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { layoutV1, ledgerCovers } from '../../hardware/card-layout.js';
import type { VirtualCard } from '../../hardware/virtual-card/virtual-card.js';
import { startPcscKiosk, waitForReader, type PcscKiosk } from './pcsc-harness.js';

const ORDER = 'demo-anna-topup';
const BALANCE_BEFORE = 1250;
const TOPUP = 2000;

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

async function upToConfirm(kiosk: PcscKiosk): Promise<VirtualCard> {
  await kiosk.tap('anna');
  await kiosk.waitFor('menu');
  kiosk.press({ type: 'PICKUP' });
  await kiosk.waitFor('orders');
  kiosk.press({ type: 'SELECT_ORDER', orderId: ORDER });
  await kiosk.waitFor('confirm');
  const card = kiosk.cards.get('anna');
  if (!card) throw new Error('no anna');
  return card;
}

/** APDUs one delivery sends, counted on the card (auth, reads, writes, read-back). */
async function apdusPerDelivery(): Promise<number> {
  const kiosk = await startPcscKiosk();
  try {
    const card = await upToConfirm(kiosk);
    const before = card.apdus;
    kiosk.press({ type: 'CONFIRM' });
    await kiosk.waitFor('delivered');
    return card.apdus - before;
  } finally {
    await kiosk.close();
  }
}

const total = await apdusPerDelivery();

describe('a delivery over PC/SC, card torn away at every APDU', () => {
  it('counts the APDUs of a delivery', () => {
    // LOAD KEY A+B, then per sector AUTHENTICATE + READ/UPDATE BINARY.
    expect(total).toBeGreaterThan(layoutV1.blocksToRead.length * 2 + 6);
  });

  it.each(Array.from({ length: total + 1 }, (_, i) => i))('card leaves before APDU %i, comes back: exactly once', async (n) => {
    k = await startPcscKiosk();
    const card = await upToConfirm(k);
    card.tearAfterApdus(n);
    k.press({ type: 'CONFIRM' });
    const after = await k.waitFor(['delivered', 'interrupted']);
    card.tearAfterApdus(null);
    if (after.screen.name === 'interrupted') {
      expect(n).toBeLessThan(total);
      await waitForReader(k.reader, (s) => s.status === 'ready', 8000, 'the torn card to be gone');
      await k.tap('anna');
      await k.waitFor('delivered');
    } else {
      expect(n).toBeGreaterThanOrEqual(total);
    }

    const onCard = k.decode('anna');
    // The delivery wrote a v2 record: the order's serial is in the card's ledger (once: the
    // balance below shows the top-up applied once).
    const serial = k.store.orders.get(ORDER)?.serial ?? null;
    expect(serial !== null && onCard.state.ledger !== undefined && ledgerCovers(onCard.state.ledger, serial)).toBe(true);
    expect(onCard.state.balanceCents).toBe(BALANCE_BEFORE + TOPUP);
    expect(k.store.orders.get(ORDER)?.status).toBe('delivered');
    expect(k.store.outbox.pending(100).filter((item) => item.report.orderId === ORDER)).toHaveLength(1);
    expect(k.store.deliveries.unsettledCount()).toBe(0);
  });
});
