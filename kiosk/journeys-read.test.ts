// The kiosk's card read fills CardSummary.journeys from the card's travel log (newest first);
// a card without one has none; a delivery keeps the log and an open check-in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoWallet, seedDemoOrders } from '../demo/cards.js';
import { readCard } from '../hardware/card-io.js';
import { layoutV1 } from '../hardware/card-layout.js';
import { checkIn, checkOut } from '../hardware/gate.js';
import { CardIoError } from '../hardware/card-reader.js';
import { SimulatedReader, type SimulatedCard } from '../hardware/simulated-reader.js';
import { BOARDING_AMOUNT_CENTS, fareCents } from '../domain/index.js';
import { openStore, type Store } from '../store/index.js';
import { createDeliveryService } from './delivery.js';

const NOW = new Date('2026-11-21T12:00:00Z');
let dir = '';
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journeys-read-'));
  store = openStore(join(dir, 'kiosk.db'), { now: () => NOW });
  seedDemoOrders(store, NOW);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function kiosk(layout?: 1) {
  const reader = new SimulatedReader();
  const anna = demoWallet(layoutV1, layout ? { layout } : {}).find((entry) => entry.id === 'anna')?.card;
  if (!anna) throw new Error('no demo card anna');
  let n = 0;
  const delivery = createDeliveryService({ reader, codec: layoutV1, store, now: () => NOW, newId: () => `attempt-${++n}`, log: pino({ level: 'silent' }), orderKey: undefined });
  const tap = (card: SimulatedCard) => {
    reader.tap(card);
    const access = reader.card();
    if (!access) throw new Error('no card');
    return access;
  };
  return { reader, anna, delivery, tap };
}

const yesterday = (h: number, m: number) => new Date(Date.UTC(2026, 10, 20, h, m));

describe('CardSummary.journeys', () => {
  it.each([undefined, 1] as const)('a card without a travel log (layout %s): no journeys', async (layout) => {
    const { anna, delivery, tap } = kiosk(layout);
    const summary = await delivery.readCard(tap(anna).uid);
    expect(summary.balanceCents).toBe(1250);
    expect('journeys' in summary).toBe(false);
  });

  it('a card that went through the gates: its journeys, newest first; a top-up keeps them and the open check-in', async () => {
    const { anna, delivery, tap } = kiosk();
    // Anna's 12.50 is too little to check in: a top-up first.
    const first = await delivery.readCard(tap(anna).uid);
    const [topup] = delivery.lookupOrders(first.cardNumber).filter((o) => o.kind === 'topup');
    if (!topup) throw new Error('no top-up for anna');
    await delivery.deliver({ uid: anna.uid, cardNumber: first.cardNumber, order: topup });
    await checkIn(tap(anna), layoutV1, 'utrecht-centraal', yesterday(8, 10));
    await checkOut(tap(anna), layoutV1, 'amsterdam-centraal', yesterday(8, 55));
    await checkIn(tap(anna), layoutV1, 'amsterdam-centraal', yesterday(17, 30));
    const summary = await delivery.readCard(tap(anna).uid);
    const fare = fareCents('utrecht-centraal', 'amsterdam-centraal');
    expect(summary.journeys).toEqual([
      { checkIn: { station: 'amsterdam-centraal', at: '2026-11-20T17:30:00.000Z' }, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS },
      {
        checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:10:00.000Z' },
        checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T08:55:00.000Z' },
        chargedCents: fare,
      },
    ]);
    expect(summary.balanceCents).toBe(1250 + 2000 - fare - BOARDING_AMOUNT_CENTS);
    // A product delivered now keeps the travel log and the open check-in.
    const [product] = delivery.lookupOrders(summary.cardNumber).filter((o) => o.kind === 'product');
    if (!product) throw new Error('no product for anna');
    await delivery.deliver({ uid: anna.uid, cardNumber: summary.cardNumber, order: product });
    const after = await delivery.readCard(tap(anna).uid);
    expect(after.journeys).toEqual(summary.journeys);
    expect((await readCard(tap(anna), layoutV1)).state.travel?.checkedIn).toEqual(summary.journeys?.[0]?.checkIn);
    const out = await checkOut(tap(anna), layoutV1, 'utrecht-centraal', yesterday(18, 5));
    expect(out.card.state.balanceCents).toBe(summary.balanceCents + BOARDING_AMOUNT_CENTS - fare);
  });

  it('a travel log that cannot be read leaves the journeys out; the card is read and its orders offered', async () => {
    const { reader, delivery, tap } = kiosk();
    const sophie = demoWallet(layoutV1).find((entry) => entry.id === 'sophie')?.card;
    if (!sophie) throw new Error('no demo card sophie');
    await checkIn(tap(sophie), layoutV1, 'utrecht-centraal', yesterday(8, 0));
    await checkOut(tap(sophie), layoutV1, 'amsterdam-centraal', yesterday(9, 20));
    // The log's sector (33: blocks 144 and up) answers no more, as a card whose sector failed.
    const card = reader.card.bind(reader);
    reader.card = () => {
      const access = card();
      if (!access) return access;
      const broken = (block: number) => {
        if (block >= 144) throw new CardIoError(`block ${block}: authentication failed`);
      };
      return {
        ...access,
        uid: access.uid,
        readBlock: async (block, signal) => (broken(block), access.readBlock(block, signal)),
        ...(access.readBlocks ? { readBlocks: async (first: number, count: number, signal?: AbortSignal) => (broken(first), access.readBlocks!(first, count, signal)) } : {}),
      };
    };
    const summary = await delivery.readCard(tap(sophie).uid);
    expect(summary.balanceCents).toBe(14_000 - fareCents('utrecht-centraal', 'amsterdam-centraal'));
    expect('journeys' in summary).toBe(false);
    expect(delivery.lookupOrders(summary.cardNumber).length).toBeGreaterThan(0);
  });
});
