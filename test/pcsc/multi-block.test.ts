// The APDUs of a pickup (tap, then Akkoord), counted by the virtual card emulating each
// reader. Layout 2 keeps the whole card in sector 32: an ACR1252U reads it with one
// authentication and two READ BINARY (the identity's 48 bytes, then the records' 192),
// writes a record with one UPDATE of 96 bytes and reads back only that record; an ACR122U
// reads and writes 16 bytes at a time.
// The keys are loaded once per reader session (the first tap), not at every tap. A card
// issued in layout 1 (sectors 1–5) is read and delivered to where it is.
// docs/performance.md ("APDUs per pickup") has the table these numbers make.
import { afterEach, describe, expect, it } from 'vitest';
import { startPcscKiosk, type PcscKiosk } from './pcsc-harness.js';

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

interface Counts {
  /** From the card's arrival to the menu: UID, keys (first tap only), authentication, reads. */
  tap: number;
  /** Akkoord: the card read again right before writing, the record written, it read back. */
  akkoord: number;
  /** The same card tapped again on the same reader (the keys are in its slots). */
  nextTap: number;
}

async function pickUp(kiosk: PcscKiosk): Promise<Counts> {
  const card = kiosk.cards.get('anna');
  if (!card) throw new Error('no anna');
  const layout = kiosk.decode('anna').layout;
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
  const delivered = card.apdus;
  const after = kiosk.decode('anna');
  expect(after.state.balanceCents).toBe(1250 + 2000);
  // Written where the card keeps its records: a card issued in layout 1 stays in layout 1.
  expect(after).toMatchObject({ layout, activeSlot: 'B', state: { sequence: 2 } });
  // Lifted on the delivered screen, tapped again: a new session reads the card (the menu:
  // Anna has two more orders).
  await kiosk.remove('anna');
  const again = card.apdus;
  await kiosk.tap('anna');
  await kiosk.waitFor('menu', 10_000);
  return { tap: tapped - start, akkoord: delivered - tapped, nextTap: card.apdus - again };
}

describe('APDUs of a pickup', () => {
  it('layout 2 on an ACR1252U (several blocks per READ / UPDATE): 6 on the tap, 5 on Akkoord (before: 13 + 28); 4 on a later tap', async () => {
    k = await startPcscKiosk({ multiBlock: true }, { readerModel: 'acr1252u' });
    expect(await pickUp(k)).toEqual({ tap: 6, akkoord: 5, nextTap: 4 });
  });

  it('layout 2 on an ACR122U (16 bytes per READ / UPDATE): 19 on the tap, 28 on Akkoord (before: 23 + 48); 17 on a later tap', async () => {
    k = await startPcscKiosk({ multiBlock: false });
    expect(await pickUp(k)).toEqual({ tap: 19, akkoord: 28, nextTap: 17 });
  });

  it('a card issued in layout 1 on an ACR1252U: read and delivered to where it is, 15 + 20 (before: 13 + 28)', async () => {
    k = await startPcscKiosk({ multiBlock: true }, { readerModel: 'acr1252u', cardLayout: 1 });
    expect(await pickUp(k)).toEqual({ tap: 15, akkoord: 20, nextTap: 13 });
  });

  it('a card issued in layout 1 on an ACR122U: 27 + 40 (before: 23 + 48)', async () => {
    k = await startPcscKiosk({ multiBlock: false }, { cardLayout: 1 });
    expect(await pickUp(k)).toEqual({ tap: 27, akkoord: 40, nextTap: 25 });
  });
});
