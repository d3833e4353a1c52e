// An ACR1252U reads several blocks of a sector with one READ BINARY: the kiosk reads the
// layout in one exchange per sector there, and block by block on other readers. Counted by
// the virtual card, which emulates either reader.
import { afterEach, describe, expect, it } from 'vitest';
import { startPcscKiosk, type PcscKiosk } from './pcsc-harness.js';

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

async function pickUp(kiosk: PcscKiosk): Promise<{ tap: number; akkoord: number }> {
  const card = kiosk.cards.get('anna');
  if (!card) throw new Error('no anna');
  const start = card.apdus;
  await kiosk.tap('anna');
  await kiosk.waitFor('menu', 10_000);
  const tapped = card.apdus;
  kiosk.press({ type: 'PICKUP' });
  await kiosk.waitFor('orders');
  kiosk.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
  await kiosk.waitFor('confirm');
  kiosk.press({ type: 'CONFIRM' });
  await kiosk.waitFor('delivered', 15_000);
  expect(kiosk.decode('anna').state.balanceCents).toBe(1250 + 2000);
  return { tap: tapped - start, akkoord: card.apdus - tapped };
}

describe('APDUs of a pickup', () => {
  it('ACR122U (16 bytes per READ): 23 on the tap, 48 on Akkoord', async () => {
    k = await startPcscKiosk({ multiBlock: false });
    expect(await pickUp(k)).toEqual({ tap: 23, akkoord: 48 });
  });

  it('ACR1252U (a sector per READ): 13 on the tap, 28 on Akkoord, and the same card afterwards', async () => {
    k = await startPcscKiosk({ multiBlock: true }, { readerModel: 'acr1252u' });
    expect(await pickUp(k)).toEqual({ tap: 13, akkoord: 28 });
  });
});
