// The card leaves at every APDU of a delivery (the virtual card closes its connection
// instead of answering), then comes back: the order is on the card exactly once and the
// kiosk recorded one pickup. The PC/SC counterpart of test/exactly-once.test.ts, on both
// readers: on an ACR1252U the record is one UPDATE of 96 bytes (a tear inside one is in
// hardware/card-layout.test.ts: record A stays whole and active).
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerCovers } from '../../hardware/card-layout.js';
import type { ReaderModel, VirtualCard } from '../../hardware/virtual-card/virtual-card.js';
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

const READERS: readonly { model: ReaderModel; apdus: number; what: string }[] = [
  // The card read again (the sector still authenticated from the tap), AUTHENTICATE with key B,
  // the record written, only it read back (in that authentication).
  { model: 'acr122u', apdus: 28, what: '15 READs, AUTHENTICATE, 6 UPDATEs, 6 READs' },
  { model: 'acr1252u', apdus: 5, what: 'READs of 48 and 192 bytes, AUTHENTICATE, UPDATE of 96, READ of 96' },
];

const start = (model: ReaderModel) => startPcscKiosk({ multiBlock: model === 'acr1252u' }, { readerModel: model });

/** APDUs one delivery sends, counted on the card (auth, reads, writes, read-back). */
async function apdusPerDelivery(model: ReaderModel): Promise<number> {
  const kiosk = await start(model);
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

const totals = new Map<ReaderModel, number>();
for (const { model } of READERS) totals.set(model, await apdusPerDelivery(model));

describe.each(READERS)('a delivery over PC/SC on an $model, card torn away at every APDU', ({ model, apdus, what }) => {
  const total = totals.get(model) ?? 0;
  it(`counts the APDUs of a delivery: ${apdus} (${what})`, () => {
    expect(total).toBe(apdus);
  });

  it.each(Array.from({ length: total + 1 }, (_, i) => i))('card leaves before APDU %i, comes back: exactly once', async (n) => {
    k = await start(model);
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
