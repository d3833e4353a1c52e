// ATTACK (issue 11): a proxy between the kiosk and its back office rewrites the feed. It
// injects a 10-year product for Anna, raises a top-up's amount, and moves Bram's order to
// Anna's card. The kiosk pins the back office's order key: each rewritten offer is refused
// and logged, never stored; the genuine ones arrive. An order put into the kiosk's database
// by anything but the signed feed is neither offered nor written to the card.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutV1 } from '../../hardware/card-layout.js';
import { createDeliveryService } from '../../kiosk/delivery.js';
import { backOfficeConfigSchema } from '../../kiosk/sync-wiring.js';
import type { OrderChange } from '../../protocol/kiosk-api.js';
import { startRewriteProxy } from './rewrite-proxy.js';
import { orderKeyFrom } from '../../sync/order-signature.js';
import { ANNA, annaOnReader, BRAM, eventually, forEachEngine, startKioskSync, tempDir } from './helpers.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** The rewriting proxy, closed after the test. */
async function proxy(target: string, rewrite: (changes: OrderChange[]) => OrderChange[]): Promise<string> {
  const running = await startRewriteProxy(target, rewrite);
  cleanup.push(() => running.close());
  return running.url;
}

// On SQLite, and on two instances sharing PostgreSQL (signed by A, served by B: one key).
forEachEngine((engine) => {
describe('orders signed by the back office', () => {
  it('a proxy that injects, alters or moves orders gets none of them stored; the genuine ones arrive', async () => {
    const tmp = tempDir();
    const office = await engine.start(tmp.dir);
    cleanup.push(async () => {
      await office.close();
      tmp.remove();
    });
    const genuine = await office.topup(ANNA, 500);
    const altered = await office.topup(ANNA, 100);
    const brams = await office.topup(BRAM, 700);
    const injected = 'o_dalvoordeel10jaar';
    const url = await proxy(office.url, (changes) => {
      const out = changes.map((c): OrderChange => {
        if (c.orderId === altered && c.status === 'pending') return { ...c, payload: { kind: 'topup', amountCents: 15_000 } };
        return c;
      });
      const bram = changes.find((c) => c.orderId === brams);
      if (bram && bram.status === 'pending') out.push({ ...bram, orderId: 'o_moved', cardNumber: ANNA, serial: 90 });
      const template = changes.find((c) => c.status === 'pending');
      if (template && template.status === 'pending') {
        out.push({
          ...template,
          orderId: injected,
          serial: 91,
          payload: { kind: 'product', productCode: 'DAL_VOORDEEL', validFrom: '2026-12-01', validUntil: '2036-12-01' },
          signature: 'A'.repeat(86),
        });
      }
      return out;
    });
    const k = startKioskSync(join(tmp.dir, 'k1.db'), url, await office.kioskToken('k1'), { orderKey: orderKeyFrom(office.store.orderPublicKey) });
    cleanup.push(() => k.close());
    await k.client.syncNow();
    await eventually(() => k.store.orders.get(brams), 4000, "Bram's genuine order");

    expect(k.store.orders.get(genuine)?.payload).toEqual({ kind: 'topup', amountCents: 500 });
    expect(k.store.orders.get(altered)).toBeUndefined();
    expect(k.store.orders.get('o_moved')).toBeUndefined();
    expect(k.store.orders.get(injected)).toBeUndefined();
    const refused = k.log.entries.filter((e) => e.level === 'error' && /signature does not verify/.test(e.msg));
    expect(refused.map((e) => e.obj.orderId).sort()).toEqual([altered, injected, 'o_moved'].sort());
  });

  it('a refused change does not stop the feed: the anchor is the change at the cursor, so no reset, and the orders after it arrive', async () => {
    const tmp = tempDir();
    const office = await engine.start(tmp.dir);
    cleanup.push(async () => {
      await office.close();
      tmp.remove();
    });
    const ids = [await office.topup(ANNA, 100), await office.topup(ANNA, 200), await office.topup(ANNA, 300)];
    // The middle one is altered on the way, on a page of its own.
    const url = await proxy(office.url, (changes) =>
      changes.map((c): OrderChange => (c.orderId === ids[1] && c.status === 'pending' ? { ...c, payload: { kind: 'topup', amountCents: 9999 } } : c)),
    );
    const k = startKioskSync(join(tmp.dir, 'k1.db'), url, await office.kioskToken('k1'), { orderKey: orderKeyFrom(office.store.orderPublicKey), pageSize: 1 });
    cleanup.push(() => k.close());
    await k.client.syncNow();
    await k.client.syncNow();
    // Before the fix: the cursor stuck at 2, every pull "feed reset twice", the third order never came.
    expect(k.store.orders.get(ids[2] as string)?.payload).toEqual({ kind: 'topup', amountCents: 300 });
    expect(k.store.orders.get(ids[1] as string)).toBeUndefined();
    expect(k.store.sync.resets()).toEqual([]);
    expect(k.store.sync.cursor()).toBe('3');
  });

  it('an order put into the store by anything but the signed feed is neither offered nor written', async () => {
    const tmp = tempDir();
    const office = await engine.start(tmp.dir);
    cleanup.push(async () => {
      await office.close();
      tmp.remove();
    });
    const orderKey = orderKeyFrom(office.store.orderPublicKey);
    const genuine = await office.topup(ANNA, 500);
    const k = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'), { orderKey });
    cleanup.push(() => k.close());
    await eventually(() => k.store.orders.get(genuine), 4000, 'the genuine order');
    // Written straight into the database (a tampered disk, a stray tool).
    k.store.orders.upsert({ id: 'o_forged', cardNumber: ANNA, payload: { kind: 'topup', amountCents: 10_000 }, createdAt: new Date().toISOString(), expiresAt: null, serial: 50 });

    const { card, reader } = annaOnReader(1000);
    const log = pino({ level: 'silent' });
    const delivery = createDeliveryService({ reader, codec: layoutV1, store: k.store, now: () => new Date(), newId: randomUUID, log, orderKey });
    await delivery.readCard(card.uid);
    expect(delivery.lookupOrders(ANNA).map((o) => o.id)).toEqual([genuine]);
    await expect(
      delivery.deliver({ uid: card.uid, cardNumber: ANNA, order: { id: 'o_forged', kind: 'topup', orderedAt: '', amountCents: 10_000 } }),
    ).rejects.toMatchObject({ code: 'orderUnavailable' });
    expect((await delivery.readCard(card.uid)).balanceCents).toBe(1000);
    await delivery.deliver({ uid: card.uid, cardNumber: ANNA, order: delivery.lookupOrders(ANNA)[0]! });
    expect((await delivery.readCard(card.uid)).balanceCents).toBe(1500);
  });
});
});

describe('a station’s back-office configuration', () => {
  it('a station refuses a back office over plain http (other than this machine) and an order key that is none', () => {
    const office = { token: 'x'.repeat(32), orderKey: 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=' };
    expect(backOfficeConfigSchema.safeParse({ ...office, url: 'http://10.0.0.5:8090' }).success).toBe(false);
    expect(backOfficeConfigSchema.safeParse({ ...office, url: 'https://10.0.0.5:8090', tls: { ca: 'fleet-ca.pem' } }).success).toBe(true);
    expect(backOfficeConfigSchema.safeParse({ ...office, url: 'http://127.0.0.1:8090' }).success).toBe(true);
    expect(backOfficeConfigSchema.safeParse({ ...office, url: 'https://bo.example', tls: { ca: 'fleet-ca.pem' }, orderKey: 'bm90IGEga2V5IGF0IGFsbCwganVzdCBzb21lIHRleHQ=' }).success).toBe(false);
    expect(backOfficeConfigSchema.safeParse({ token: office.token, url: 'https://bo.example' }).success).toBe(false);
  });
});
