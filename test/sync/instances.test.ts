// Several back-office instances on one PostgreSQL database (a throwaway cluster this file
// starts itself): an order placed through instance A reaches a kiosk streaming from
// instance B (LISTEN/NOTIFY, not the kiosk's poll: that is set to a minute here), each
// e-mail is sent by one instance, and a kiosk whose instance goes away while it streams
// reaches the other through the balancer (the fault proxy stands in for it) with nothing lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newToken } from '../../backoffice/db.js';
import type { Email, EmailSender } from '../../backoffice/email.js';
import { openBackOffice, type BackOfficeInstance } from '../../backoffice/server.js';
import { orderKeyFrom } from '../../sync/order-signature.js';
import { usePgCluster } from '../pg-cluster.js';
import { ANNA, eventually, pickUp, startFaultProxy, startKioskSync, type FaultProxy, type TestKioskSync } from './helpers.js';

const pgCluster = usePgCluster();
const root = fileURLToPath(new URL('../..', import.meta.url));

/** The standalone back office (backoffice/main.ts), bundled once, to run as a process of its own. */
let mainBundle: string;
beforeAll(async () => {
  mainBundle = join(root, 'dist', 'test-tools', `backoffice-main-${process.pid}.mjs`);
  await build({ entryPoints: [join(root, 'backoffice/main.ts')], outfile: mainBundle, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' });
}, 60_000);
afterAll(() => rmSync(mainBundle, { force: true }));

/** Starts backoffice/main.ts on the database in a process of its own; resolves with its URL. */
function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [mainBundle], {
    cwd: root,
    env: { ...process.env, BACKOFFICE_PORT: '0', BACKOFFICE_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the back office process did not start: ${out}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the back office process exited (${code}): ${out}`));
    });
  });
}

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
  let processes: ChildProcess[];

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
    processes = [];
  });
  afterEach(async () => {
    for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
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

  it('B, a process of its own, killed (SIGKILL) while the kiosk streams from it and a pickup report is on its way: the kiosk reaches A, nothing lost, nothing doubled', async () => {
    const a = await start('instance-a');
    // B: `npm run backoffice` on the same database, with the same key files (the data dir)
    const b = await startProcess({ BACKOFFICE_DATA_DIR: dir, BACKOFFICE_DATABASE_URL: databaseUrl });
    processes.push(b.child);
    const token = newToken();
    await a.bo.store.registerKiosk('k1', 'Kiosk 1', token);
    proxy = await startFaultProxy(b.url);
    const k = kiosk(proxy.url, token, a.bo.store.orderPublicKey);
    await eventually(() => k.client.status().liveConnected && k.client.status().cursor !== null, 5_000, 'the kiosk streaming from B');
    const first = await a.placeTopup(100);
    await eventually(() => k.store.orders.get(first), 3_000, 'the first order at the kiosk, through B');
    // the pickup report is held up on its way to B, which dies meanwhile
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'slow', ms: 300 }, 1);
    pickUp(k.store, first);
    await eventually(() => (proxy?.hits.get('PUT /v1/kiosk/pickups') ?? 0) === 1, 3_000, 'the report on its way');
    b.child.kill('SIGKILL');
    const ids = [first];
    for (let i = 0; i < 10; i++) ids.push(await a.placeTopup(200 + i));
    await new Promise((r) => setTimeout(r, 100));
    proxy.retarget(a.url); // the balancer sends the kiosk to A
    const last = ids.at(-1) ?? '';
    await eventually(() => k.store.orders.get(last), 5_000, 'the orders placed while B was dead, through A');
    for (const id of ids.slice(1)) expect(k.store.orders.get(id), id).toBeDefined();
    await eventually(async () => k.store.outbox.depth() === 0 && (await a.bo.store.getOrder(first))?.status === 'delivered', 5_000, 'the pickup at A');
    expect(await a.bo.store.pickupsForOrder(first)).toBe(1);
    expect(await a.bo.store.pickupCount()).toBe(1);
    expect(b.child.signalCode).toBe('SIGKILL');
  }, 60_000);
});
