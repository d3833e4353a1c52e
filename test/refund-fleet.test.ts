// Issue 14, "Done when" 2 on the back office's side: a delay claimed at kiosk A is refunded
// as a top-up order that reaches both kiosks through the feed and is written onto the card
// once — at A; kiosk B, offline with the order still pending in its cache, does not offer or
// write it again (the card's ledger), and B's claim of the same journey (also at the same
// moment as A's) gets no second refund.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { readCard } from '../hardware/card-io.js';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS } from '../hardware/card-layout.js';
import { SimulatedCard, SimulatedReader } from '../hardware/simulated-reader.js';
import { KioskFailure } from '../domain/index.js';
import { createDeliveryService } from '../kiosk/delivery.js';
import { claimResultSchema, type ClaimResult } from '../protocol/kiosk-api.js';
import { ANNA, eventually, startBackOffice, startKioskSync, tempDir } from './sync/helpers.js';

const BALANCE = 1250;
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setUp() {
  const tmp = tempDir();
  const office = await startBackOffice(tmp.dir);
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  const card = new SimulatedCard(
    '04A1B2C3',
    issueCardBlocks(layoutV1, { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31', sealKey: office.bo.db.cardSealKey(ANNA) }, {
      balanceCents: BALANCE,
      products: Array.from({ length: PRODUCT_SLOTS }, () => null),
      journal: [],
    }),
  );
  const readers: SimulatedReader[] = [];
  const kiosk = (id: string) => {
    const reader = new SimulatedReader();
    readers.push(reader);
    const token = office.kioskToken(id);
    const sync = startKioskSync(join(tmp.dir, `${id}.db`), office.url, token);
    cleanup.push(() => sync.close().catch(() => undefined));
    const delivery = createDeliveryService({ reader, codec: layoutV1, store: sync.store, now: () => new Date(), newId: randomUUID, log: pino({ level: 'silent' }) });
    return {
      sync,
      delivery,
      async hold() {
        for (const r of readers) r.remove();
        reader.tap(card);
        await delivery.readCard(card.uid);
      },
      offered: () => delivery.lookupOrders(ANNA).map((o) => o.id),
      deliver: (orderId: string) => delivery.deliver({ uid: card.uid, cardNumber: ANNA, order: delivery.lookupOrders(ANNA).find((o) => o.id === orderId) ?? { id: orderId, kind: 'topup', orderedAt: '', amountCents: 1 } }),
      async syncNow() {
        await sync.client.syncNow();
        await eventually(() => sync.store.outbox.depth() === 0, 10_000, `${id}: outbox pushed`);
      },
      async claim(body: unknown): Promise<ClaimResult> {
        const response = await fetch(`${office.url}/v1/kiosk/claims`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(response.status).toBe(200);
        return claimResultSchema.parse(await response.json());
      },
    };
  };
  const balance = async () => {
    const reader = new SimulatedReader();
    reader.tap(card);
    const access = reader.card();
    if (!access) throw new Error('no card');
    return (await readCard(access, layoutV1)).state.balanceCents;
  };
  // A 70-minute delay ten days ago: the whole fare back.
  const t = Date.now() - 10 * 86_400_000;
  const at = (minutes: number) => new Date(t + minutes * 60_000).toISOString();
  const imported = await office.online('PUT', '/train-services', {
    services: [{ serviceId: 'IC-3016', line: 'standard', from: 'utrecht-centraal', to: 'amsterdam-centraal', scheduledDeparture: at(5), scheduledArrival: at(32), actualArrival: at(102) }],
  });
  expect(imported.status).toBe(200);
  const journey = { checkIn: { station: 'utrecht-centraal', at: at(0) }, checkOut: { station: 'amsterdam-centraal', at: at(106) }, chargedCents: 850 };
  return { office, kiosk, balance, claimBody: { cardNumber: ANNA, journey, kind: 'delay' } };
}

describe('a refund across two kiosks', () => {
  it('claimed at A and B at the same moment: one refund; written at A, not offered or written at offline B; reported once', async () => {
    const { office, kiosk, balance, claimBody } = await setUp();
    const a = kiosk('A');
    const b = kiosk('B');
    const [fromA, fromB] = await Promise.all([a.claim(claimBody), b.claim(claimBody)]);
    const granted = [fromA, fromB].find((r) => r.status === 'granted');
    if (granted?.status !== 'granted') throw new Error('not granted');
    expect(granted.amountCents).toBe(850);
    expect([fromA, fromB].filter((r) => r.status === 'alreadyClaimed')).toEqual([{ status: 'alreadyClaimed', orderId: granted.orderId, decisionAfter: null }]);

    await a.syncNow();
    await b.syncNow();
    expect(b.sync.store.orders.get(granted.orderId)?.status).toBe('pending');
    await b.sync.client.stop(); // B offline: its cache still says pending

    await a.hold();
    expect(a.offered()).toEqual([granted.orderId]);
    expect(await a.deliver(granted.orderId)).toMatchObject({ kind: 'topup', amountCents: 850 });
    await a.syncNow();
    expect(await balance()).toBe(BALANCE + 850);

    await b.hold();
    expect(b.offered()).toEqual([]);
    await expect(b.deliver(granted.orderId)).rejects.toSatisfy((e) => e instanceof KioskFailure && e.code === 'orderUnavailable');
    expect(await balance()).toBe(BALANCE + 850);

    // Claimed again, from either kiosk: the same order, nothing new in the feed.
    expect(await b.claim(claimBody)).toEqual({ status: 'alreadyClaimed', orderId: granted.orderId, decisionAfter: null });
    expect(office.bo.db.changesSince(0, 100).changes.map((c) => c.orderId)).toEqual([granted.orderId]);
    expect(office.bo.db.pickupsForOrder(granted.orderId)).toBe(1);
    expect(office.bo.db.getOrder(granted.orderId)).toMatchObject({ status: 'delivered', pickedUpBy: 'A', conflict: null });
  }, 30_000);
});
