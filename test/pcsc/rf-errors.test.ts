// RF errors over the real stack: the strict virtual card answers 63 00 at a chosen APDU
// and halts (as a real card does on weak coupling) until the reader resets it. The worker
// reconnects with a reset, authenticates again and goes on: a top-up is delivered once,
// whichever APDU of the pickup the error hits; a card that keeps failing is "hold still",
// never a foreign card.
import { afterEach, describe, expect, it } from 'vitest';
import { startPcscKiosk, type PcscKiosk } from './pcsc-harness.js';

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

/** Tap, menu, Ophalen bestelling, the top-up, Akkoord: returns the screen it ends on. */
async function pickUpTopUp(kiosk: PcscKiosk): Promise<string> {
  await kiosk.tap('anna');
  await kiosk.waitFor('menu', 10_000);
  kiosk.press({ type: 'PICKUP' });
  await kiosk.waitFor('orders');
  kiosk.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-topup' });
  await kiosk.waitFor('confirm');
  kiosk.press({ type: 'CONFIRM' });
  return (await kiosk.waitFor(['delivered', 'interrupted'], 15_000)).screen.name;
}

describe('RF errors on the PC/SC reader (63 00, the card halted until reset)', () => {
  // ACR122U: the tap's 19 APDUs (UID, two LOAD KEYs, AUTHENTICATE, 15 READs), then Akkoord's
  // 28: the read before writing (15), AUTHENTICATE with key B (35), the 6 UPDATEs, the 6 READs back.
  it.each([3, 5, 12, 19, 20, 35, 38, 44, 47])('ACR122U, at APDU %i of the pickup: delivered once', async (n) => {
    k = await startPcscKiosk();
    const card = k.cards.get('anna');
    if (!card) throw new Error('no anna');
    const before = k.decode('anna').state.balanceCents;
    card.injectRfError(n - 1, { halt: true });
    expect(await pickUpTopUp(k)).toBe('delivered');
    expect(k.decode('anna').state.balanceCents).toBe(before + 2000);
    expect(k.store.orders.get('demo-anna-topup')?.status).toBe('delivered');
  });

  // ACR1252U: UID, LOAD KEY A, LOAD KEY B, AUTHENTICATE, READ 48, READ 192; then READ 48,
  // READ 192, AUTHENTICATE with key B, UPDATE 96, READ 96: an error at every one after the
  // UID (that one is a card error at the tap, as on the ACR122U).
  it.each([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])('ACR1252U, at APDU %i of the pickup: delivered once', async (n) => {
    k = await startPcscKiosk({ multiBlock: true }, { readerModel: 'acr1252u' });
    const card = k.cards.get('anna');
    if (!card) throw new Error('no anna');
    const before = k.decode('anna').state.balanceCents;
    card.injectRfError(n - 1, { halt: true });
    expect(await pickUpTopUp(k)).toBe('delivered');
    expect(k.decode('anna').state.balanceCents).toBe(before + 2000);
    expect(k.store.orders.get('demo-anna-topup')?.status).toBe('delivered');
  });

  it('a card that fails again after the reconnect reads as "hold it still" (unreadable), not foreign', async () => {
    k = await startPcscKiosk();
    const card = k.cards.get('anna');
    if (!card) throw new Error('no anna');
    // The error at the first READ after the authentication, and again after the reconnect.
    card.injectRfError(4);
    const first = card.chip.answer.bind(card.chip);
    let recovered = false;
    card.chip.answer = (command) => {
      const answer = first(command);
      if (!recovered && command[1] === 0x82 && card.apdus > 6) {
        recovered = true;
        card.chip.injectRfError(0); // the next APDU: the renewed authentication
      }
      return answer;
    };
    await k.tap('anna');
    const view = await k.waitFor(['menu', 'unknownCard'], 10_000);
    expect(view.screen).toMatchObject({ name: 'unknownCard', reason: 'unreadable' });
  });
});
