// Reizen en Geld Terug at a whole kiosk (real machine, delivery, SQLite file, simulated
// reader, the real sync client) against a small fake back office that implements the two
// routes strictly by the protocol's schemas (test/fake-claims-office.ts). The card's travel
// log is stubbed at the card read (the card layout's travel log is built apart): the
// journeys are put into the CardSummary the kiosk's readCard actor returns.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestKiosk, silentLog, NOW, type TestKiosk } from '../test/kiosk-harness.js';
import { startFakeClaimsOffice, noDelayKnown, type FakeClaimsOffice } from '../test/fake-claims-office.js';
import { journeyId, type CardJourney } from '../domain/index.js';
import { createSyncClient, type SyncClient } from '../sync/client.js';
import type { Store } from '../store/index.js';
import type { KioskView } from './contract.js';

const ANNA = '3528010012345678';
const delayed: CardJourney = {
  checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:02:00.000Z' },
  checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T09:10:00.000Z' },
  chargedCents: 890,
};
const onTime: CardJourney = {
  checkIn: { station: 'breda', at: '2026-11-19T07:30:00.000Z' },
  checkOut: { station: 'rotterdam-centraal', at: '2026-11-19T07:55:00.000Z' },
  chargedCents: 560,
};

let k: TestKiosk | null = null;
let office: FakeClaimsOffice | null = null;
let client: SyncClient | null = null;
afterEach(async () => {
  await k?.close();
  await client?.stop();
  await office?.close();
  k = office = client = null;
});

/** The card read as the kiosk does it, with these journeys in the travel log. */
function withTravelLog(kiosk: TestKiosk, journeys: readonly CardJourney[]): void {
  const delivery = kiosk.kiosk.delivery;
  const read = delivery.readCard.bind(delivery);
  delivery.readCard = async (uid, signal) => ({ ...(await read(uid, signal)), journeys });
}

/** The kiosk's own sync client for this back office (not started: only the journey routes are used here). */
function syncClient(to: FakeClaimsOffice | null, store: Store): SyncClient {
  if (!to) throw new Error('no back office');
  client = createSyncClient({ baseUrl: to.url, token: to.token, store, logger: silentLog, live: false });
  return client;
}

function screenOf<N extends KioskView['screen']['name']>(view: KioskView, name: N): Extract<KioskView['screen'], { name: N }> {
  if (view.screen.name !== name) throw new Error(`expected ${name}, got ${view.screen.name}`);
  return view.screen as Extract<KioskView['screen'], { name: N }>;
}

async function balanceOf(kiosk: TestKiosk, id: string): Promise<number> {
  return (await kiosk.inspect(id)).state.balanceCents;
}

describe('Reizen en Geld Terug at the kiosk', () => {
  it('card with journeys → eligible journey → claim → granted → Ophalen bestelling shows the refund once it is in the cache → Akkoord → balance raised once', async () => {
    let granted = 0;
    office = await startFakeClaimsOffice({
      assess: (j) =>
        journeyId(j) === journeyId(delayed)
          ? granted > 0
            ? { ...noDelayKnown(j), status: 'claimed', kind: 'delay', delayMinutes: 42, amountCents: 445, reason: null, orderId: 'refund-anna-1' }
            : { ...noDelayKnown(j), status: 'eligible', kind: 'delay', delayMinutes: 42, amountCents: 445, reason: null }
          : { ...noDelayKnown(j), delayMinutes: 2, reason: 'tooShort' },
      claim: () => (granted++ === 0 ? { status: 'granted', orderId: 'refund-anna-1', amountCents: 445 } : { status: 'alreadyClaimed', orderId: 'refund-anna-1', decisionAfter: null }),
    });
    k = startTestKiosk({ seed: false, journeys: (store) => syncClient(office, store) });
    withTravelLog(k, [delayed, onTime]);
    const before = await balanceOf(k, 'anna');

    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'JOURNEYS' });
    const list = screenOf(await k.waitFor('journeys'), 'journeys');
    expect(office.journeysRequests).toEqual([{ cardNumber: ANNA, journeys: [delayed, onTime] }]);
    expect(list.unavailable).toBeNull();
    expect(list.journeys.map((j) => [j.from, j.to, j.chargedCents, j.money?.status, j.money?.amountCents, j.claimable])).toEqual([
      ['utrecht-centraal', 'amsterdam-centraal', 890, 'eligible', 445, true],
      ['breda', 'rotterdam-centraal', 560, 'none', null, false],
    ]);
    expect(JSON.stringify(list)).not.toContain(ANNA);

    k.press({ type: 'SELECT_JOURNEY', journeyId: journeyId(delayed) });
    const confirm = screenOf(await k.waitFor('confirmClaim'), 'confirmClaim');
    expect(confirm.amountCents).toBe(445);
    k.press({ type: 'CONFIRM' });
    const result = screenOf(await k.waitFor('claimResult'), 'claimResult');
    expect(result.outcome).toEqual({ status: 'granted', orderId: 'refund-anna-1', amountCents: 445 });
    expect(result.pickup).toBe(true);
    // The refund is a top-up order that comes through the feed: not in this kiosk's cache yet.
    expect(result.refundReady).toBe(false);
    expect(office.claimRequests).toEqual([{ cardNumber: ANNA, journey: delayed, kind: 'delay' }]);

    k.press({ type: 'PICKUP' });
    const waiting = screenOf(await k.waitFor('noOrders'), 'noOrders');
    expect(waiting.refundComing).toBe(true);
    // The feed brings it (as the sync client stores a pending order): the open list follows the cache.
    k.store.orders.upsert({
      id: 'refund-anna-1',
      cardNumber: ANNA,
      payload: { kind: 'topup', amountCents: 445 },
      createdAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 14 * 86_400_000).toISOString(),
      serial: 1,
    });
    const orders = screenOf(await k.waitFor('orders', 4_000), 'orders');
    expect(orders.orders.map((o) => [o.id, o.kind === 'topup' && o.amountCents])).toEqual([['refund-anna-1', 445]]);
    expect(orders.refundComing).toBe(false);
    k.press({ type: 'SELECT_ORDER', orderId: 'refund-anna-1' });
    await k.waitFor('confirm');
    k.press({ type: 'CONFIRM' });
    const delivered = screenOf(await k.waitFor('delivered'), 'delivered');
    expect(delivered.outcome).toMatchObject({ kind: 'topup', amountCents: 445, balanceCents: before + 445 });
    expect(await balanceOf(k, 'anna')).toBe(before + 445);

    // Once: the same card again has nothing more to collect, and the claim is not made twice.
    k.removeCard();
    k.clock.increment(60_000);
    await k.waitFor('idle');
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('noOrders');
    k.press({ type: 'BACK' });
    await k.waitFor('menu');
    k.press({ type: 'JOURNEYS' });
    const again = screenOf(await k.waitFor('journeys'), 'journeys');
    expect(again.journeys[0]?.money?.status).toBe('claimed');
    expect(again.journeys[0]?.claimable).toBe(false);
    expect(await balanceOf(k, 'anna')).toBe(before + 445);
  });

  it('a back office that is down: the journeys from the card, no claim; a card without a travel log: none recorded', async () => {
    office = await startFakeClaimsOffice({});
    office.misbehave.journeys = { kind: 'status', status: 503 };
    k = startTestKiosk({ seed: false, journeys: (store) => syncClient(office, store) });
    withTravelLog(k, [delayed]);
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'JOURNEYS' });
    const list = screenOf(await k.waitFor('journeys'), 'journeys');
    expect(list.unavailable).toBe('unreachable');
    expect(list.journeys.map((j) => [j.from, j.to, j.chargedCents, j.money, j.claimable])).toEqual([['utrecht-centraal', 'amsterdam-centraal', 890, null, false]]);
    k.press({ type: 'SELECT_JOURNEY', journeyId: journeyId(delayed) });
    expect(k.view().screen.name).toBe('journeys');
    expect(office.claimRequests).toEqual([]);

    k.removeCard();
    k.clock.increment(60_000);
    await k.waitFor('idle');
    withTravelLog(k, []);
    await k.tapCard('bram');
    await k.waitFor('menu');
    k.press({ type: 'JOURNEYS' });
    const none = screenOf(await k.waitFor('journeys'), 'journeys');
    expect(none.journeys).toEqual([]);
    expect(none.unavailable).toBeNull();
  });

  it('a station without a back office: the journeys from the card, "not configured"', async () => {
    k = startTestKiosk({ seed: false });
    withTravelLog(k, [delayed]);
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'JOURNEYS' });
    expect(screenOf(await k.waitFor('journeys'), 'journeys').unavailable).toBe('notConfigured');
  });

  it('the new UiEvents are validated at the boundary: a journey id that is no check-in time, a station the network does not have, extra fields are refused; a stale one is not taken', async () => {
    k = startTestKiosk({ seed: false });
    const malformed = [
      { type: 'SELECT_JOURNEY', journeyId: 'drop table' },
      { type: 'SELECT_JOURNEY' },
      { type: 'SELECT_DESTINATION', station: 'atlantis' },
      { type: 'SELECT_DESTINATION', station: 'zwolle', amountCents: 99_999 },
      { type: 'JOURNEYS', cardNumber: ANNA },
    ];
    for (const event of malformed) {
      const result = k.kiosk.receiveUiEvent(event);
      expect(result.ok, JSON.stringify(event)).toBe(false);
      expect('notTaken' in result, JSON.stringify(event)).toBe(false);
    }
    // Valid, but not on the idle screen.
    for (const event of [{ type: 'JOURNEYS' }, { type: 'SELECT_JOURNEY', journeyId: journeyId(delayed) }, { type: 'SELECT_DESTINATION', station: 'zwolle' }]) {
      expect(k.kiosk.receiveUiEvent(event)).toMatchObject({ ok: false, notTaken: true });
    }
  });
});
