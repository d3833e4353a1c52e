// Several back-office instances on one PostgreSQL database (a throwaway cluster this file
// starts itself): an order placed through instance A reaches a kiosk streaming from
// instance B (LISTEN/NOTIFY, not the kiosk's poll: that is set to a minute here), each
// e-mail is sent by one instance, and a kiosk whose instance goes away while it streams
// reaches the other through the balancer (the fault proxy stands in for it) with nothing lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newToken } from '../../backoffice/db.js';
import type { Email, EmailSender } from '../../backoffice/email.js';
import { openBackOffice, type BackOfficeInstance } from '../../backoffice/server.js';
import { orderKeyFrom } from '../../sync/order-signature.js';
import { usePgCluster } from '../pg-cluster.js';
import { ANNA, eventually, pickUp, startFaultProxy, startKioskSync, type FaultProxy, type TestKioskSync } from './helpers.js';

const pgCluster = usePgCluster();

interface Instance {
  readonly bo: BackOfficeInstance;
  readonly url: string;
  readonly sent: Email[];
  placeTopup(amountCents?: number): Promise<string>;
}

describe('two back-office instances on one PostgreSQL database', () => {
  let dir: string;
  let databaseUrl: string;
  const onlineToken = newToken();
  let instances: Instance[];
  let kiosks: TestKioskSync[];
  let proxy: FaultProxy | null;

  async function start(name: string): Promise<Instance> {
    const sent: Email[] = [];
    const sender: EmailSender = {
      async send(email) {
        sent.push(email);
      },
    };
    const bo = await openBackOffice({
      file: '',
      databaseUrl,
      keyFiles: { orderKey: join(dir, 'order-key'), sealKey: join(dir, 'seal-key') },
      instanceId: name,
      onlineToken,
      emailSender: sender,
      emailIntervalMs: 20,
    });
    const url = await bo.listen(0);
    const instance: Instance = {
      bo,
      url,
      sent,
      async placeTopup(amountCents = 1000) {
        const response = await fetch(`${url}/v1/online/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${onlineToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'topup', cardNumber: ANNA, email: 'anna@example.org', amountCents }),
        });
        if (response.status !== 201) throw new Error(`placing an order through ${name}: HTTP ${response.status}`);
        return ((await response.json()) as { id: string }).id;
      },
    };
    instances.push(instance);
    return instance;
  }

  const kiosk = (baseUrl: string, token: string, orderKey: string) => {
    const k = startKioskSync(join(dir, `kiosk-${kiosks.length}.db`), baseUrl, token, {
      orderKey: orderKeyFrom(orderKey),
      // Only the live stream makes the kiosk pull within the test.
      pollIntervalMs: 60_000,
    });
    kiosks.push(k);
    return k;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bo-instances-'));
    databaseUrl = await pgCluster.cluster.newDatabase();
    instances = [];
    kiosks = [];
    proxy = null;
  });
  afterEach(async () => {
    for (const k of kiosks) await k.close();
    await proxy?.close();
    for (const i of instances) await i.bo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an order placed through A reaches a kiosk streaming from B at once; each e-mail goes out once', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    const token = newToken();
    await a.bo.store.registerKiosk('k1', 'Kiosk 1', token);
    const k = kiosk(b.url, token, b.bo.store.orderPublicKey);
    await eventually(() => k.client.status().liveConnected && k.client.status().cursor !== null, 5_000, 'the kiosk streaming from B');

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const placed = Date.now();
      const id = await (i % 2 === 0 ? a : b).placeTopup(100 + i);
      ids.push(id);
      await eventually(() => k.store.orders.get(id), 3_000, `order ${i} at the kiosk`);
      expect(Date.now() - placed).toBeLessThan(3_000);
    }
    // every "ready" e-mail sent once, by one instance or the other
    await eventually(() => a.sent.length + b.sent.length >= ids.length, 3_000, 'the e-mails');
    await new Promise((r) => setTimeout(r, 200));
    const all = [...a.sent, ...b.sent].map((e) => e.orderId).sort();
    expect(all).toEqual([...ids].sort());
  });

  it('B goes away while the kiosk streams from it: the kiosk reaches A through the balancer, nothing lost', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    const token = newToken();
    await a.bo.store.registerKiosk('k1', 'Kiosk 1', token);
    proxy = await startFaultProxy(b.url); // the load balancer, sending this kiosk to B
    const k = kiosk(proxy.url, token, a.bo.store.orderPublicKey);
    await eventually(() => k.client.status().liveConnected && k.client.status().cursor !== null, 5_000, 'the kiosk streaming from B');
    const first = await a.placeTopup(100);
    await eventually(() => k.store.orders.get(first), 3_000, 'the first order at the kiosk');
    // The traveller picks it up; its report is on its way while B goes.
    pickUp(k.store, first);

    const ids = [first];
    const placing = (async () => {
      for (let i = 0; i < 20; i++) {
        ids.push(await a.placeTopup(200 + i));
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await new Promise((r) => setTimeout(r, 60));
    await b.bo.close(); // B stops; its live streams end
    instances.splice(instances.indexOf(b), 1);
    await new Promise((r) => setTimeout(r, 50));
    proxy.retarget(a.url); // the balancer notices and sends the kiosk to A
    await placing;
    const last = ids.at(-1) ?? '';
    await eventually(() => k.store.orders.get(last), 5_000, 'the last order at the kiosk');
    for (const id of ids.slice(1)) expect(k.store.orders.get(id), id).toBeDefined();
    await eventually(async () => (await a.bo.store.getOrder(first))?.status === 'delivered', 5_000, 'the pickup at A');
    expect(await a.bo.store.pickupsForOrder(first)).toBe(1);
    expect(k.client.status()).toMatchObject({ liveConnected: true, outboxDepth: 0 });
    expect(k.client.status().cursor).toBe(String(await a.bo.store.head()));
  });
});
