// Every card that is not one of ours ends on the unknownCard screen, never in a crash:
// other kinds of contactless card, a blank Classic card, other keys, a damaged layout,
// a card that answers garbage.
import { afterEach, describe, expect, it } from 'vitest';
import { startPcscKiosk, waitForReader, type PcscKiosk } from './pcsc-harness.js';

let k: PcscKiosk | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

describe('cards that are not ours, on the PC/SC reader', () => {
  it.each([
    ['bankcard', 'foreignCard'],
    ['desfire', 'foreignCard'],
    ['ultralight', 'foreignCard'],
    ['classic1k', 'foreignCard'],
    ['blank', 'foreignCard'],
    ['otherkeys', 'foreignCard'],
    ['corrupt', 'corruptCard'],
  ] as const)('%s ends in unknownCard (%s), and the next card reads normally', async (id, reason) => {
    k ??= await startPcscKiosk();
    await k.tap(id);
    const view = await k.waitFor('unknownCard');
    expect(view.screen).toMatchObject({ name: 'unknownCard', reason });
    await k.remove(id);
    await k.waitFor('idle');
    await k.tap('bram');
    await k.waitFor('menu');
    await k.remove('bram');
    // Taken away on the menu: "Kaart weggenomen" (the next tap starts afresh from there).
    await k.waitFor(['cardRemoved', 'idle']);
  });

  it('a card that answers garbage is a card error: unknownCard (unreadable)', async () => {
    k = await startPcscKiosk();
    const card = k.cards.get('anna');
    card?.answerGarbage(true);
    await k.tap('anna');
    expect(k.reader.state().status).toBe('card_error');
    const view = await k.waitFor('unknownCard');
    expect(view.screen).toMatchObject({ name: 'unknownCard', reason: 'unreadable' });
    card?.answerGarbage(false);
    // Taking the unreadable card away ends its session like any other card's.
    await k.remove('anna');
    await k.waitFor('idle');
    await k.tap('anna');
    await k.waitFor('menu');
  });

  it('a station whose keys do not open the card: unknownCard (foreignCard), and no crash', async () => {
    k = await startPcscKiosk({ keyA: '000000000000', keyB: '111111111111' });
    await k.tap('anna');
    const view = await k.waitFor('unknownCard');
    expect(view.screen).toMatchObject({ name: 'unknownCard', reason: 'foreignCard' });
    await k.remove('anna');
    await waitForReader(k.reader, (s) => s.status === 'ready');
    await k.waitFor('idle');
    // The card itself is untouched.
    expect(k.decode('anna').state.balanceCents).toBe(1250);
  });
});
