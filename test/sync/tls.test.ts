// ATTACK (issue 11): sync ran over plain HTTP; a proxy in the middle read the kiosk's bearer
// token and the kaartservicecodes. Now the back office serves HTTPS, each kiosk pins the
// fleet CA (the system's trust store does not count) and shows its own client certificate
// (mutual TLS): a server with another CA's certificate gets no request at all, a client
// without a certificate or with another kiosk's is refused. Real TLS on loopback with a
// throwaway CA made by openssl.
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { backOfficeConfigSchema } from '../../kiosk/sync-wiring.js';
import { ANNA, eventually, startBackOffice, startKioskSync, tempDir, type RunningBackOffice } from './helpers.js';
import { makeTestPki, type TestPki } from './tls-fixtures.js';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.remove());

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function tlsOffice(options: { rateLimit?: { known: number; unknown: number } } = {}): Promise<RunningBackOffice> {
  const tmp = tempDir();
  const office = await startBackOffice(tmp.dir, { tls: { ...pki.server, clientCa: pki.ca }, ...options });
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  return office;
}

describe('TLS between kiosk and back office', () => {
  it('a kiosk that pins the fleet CA and shows its certificate syncs over https', async () => {
    const office = await tlsOffice();
    expect(office.url.startsWith('https://127.0.0.1:')).toBe(true);
    const order = office.bo.db.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'anna@example.org', amountCents: 500 }).id;
    const tmp = tempDir();
    const k = startKioskSync(join(tmp.dir, 'k1.db'), office.url, office.kioskToken('k1'), { tls: { ca: pki.ca, ...pki.kiosk('k1') } });
    cleanup.push(async () => {
      await k.close();
      tmp.remove();
    });
    await k.client.syncNow();
    await eventually(() => k.store.orders.get(order), 4000, 'the order over https');
    expect(k.client.status().online).toBe(true);
  });

  it('a man in the middle with a certificate of another CA gets no request: no token, no order', async () => {
    const seen: string[] = [];
    const impostor = createHttpsServer({ cert: pki.impostor.cert, key: pki.impostor.key }, (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
    const port = (impostor.address() as { port: number }).port;
    const tmp = tempDir();
    const k = startKioskSync(join(tmp.dir, 'k1.db'), `https://127.0.0.1:${port}`, 'x'.repeat(43), { tls: { ca: pki.ca, ...pki.kiosk('k1') } });
    cleanup.push(async () => {
      await k.close();
      tmp.remove();
    });
    await expect(k.client.syncNow()).rejects.toThrow();
    expect(seen).toEqual([]);
    expect(k.client.status().online).toBe(false);
  });

  it('mutual TLS: no client certificate, or another kiosk\'s, is refused', async () => {
    const office = await tlsOffice();
    const token = office.kioskToken('k1');
    const get = async (cert?: { cert: string; key: string }) => {
      const dispatcher = new Agent({ connect: { ca: pki.ca, ...(cert ?? {}) } });
      try {
        return (await undiciFetch(`${office.url}/v1/kiosk/changes`, { headers: { authorization: `Bearer ${token}` }, dispatcher })).status;
      } finally {
        await dispatcher.close();
      }
    };
    expect(await get(pki.kiosk('k1'))).toBe(200);
    expect(await get(pki.kiosk('k2'))).toBe(401);
    expect(await get()).toBe(401);
    // The online channel and /health need no client certificate.
    const dispatcher = new Agent({ connect: { ca: pki.ca } });
    cleanup.push(() => dispatcher.close());
    expect((await undiciFetch(`${office.url}/health`, { dispatcher })).status).toBe(200);
  });

  it("ATTACK (issue 11): a stolen kiosk token without that kiosk's certificate is throttled as a stranger, not against the kiosk's own budget", async () => {
    const office = await tlsOffice({ rateLimit: { known: 10, unknown: 5 } });
    const token = office.kioskToken('k1');
    const get = async (cert: { cert: string; key: string }) => {
      const dispatcher = new Agent({ connect: { ca: pki.ca, ...cert } });
      try {
        return (await undiciFetch(`${office.url}/v1/kiosk/changes`, { headers: { authorization: `Bearer ${token}` }, dispatcher })).status;
      } finally {
        await dispatcher.close();
      }
    };
    const stolen: number[] = [];
    for (let i = 0; i < 12; i++) stolen.push(await get(pki.kiosk('k2')));
    // Before: counted as kiosk k1 (10 refusals, then 429s), and k1 itself was then refused (429).
    expect(stolen.filter((s) => s === 401)).toHaveLength(5);
    expect(stolen.filter((s) => s === 429)).toHaveLength(7);
    expect(await get(pki.kiosk('k1'))).toBe(200);
  });

  it('a station needs https with the fleet CA pinned, except on this machine', () => {
    const base = { token: 'x'.repeat(32), orderKey: 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=' };
    expect(backOfficeConfigSchema.safeParse({ ...base, url: 'https://10.0.0.5:8443' }).success).toBe(false);
    expect(backOfficeConfigSchema.safeParse({ ...base, url: 'https://10.0.0.5:8443', tls: { ca: 'fleet-ca.pem' } }).success).toBe(true);
    expect(backOfficeConfigSchema.safeParse({ ...base, url: 'http://127.0.0.1:8090' }).success).toBe(true);
  });
});

describe('rate limits', () => {
  it('guessing tokens is throttled per address; a known kiosk is not slowed by it', async () => {
    const tmp = tempDir();
    const office = await startBackOffice(tmp.dir, { rateLimit: { known: 1000, unknown: 20 } });
    cleanup.push(async () => {
      await office.close();
      tmp.remove();
    });
    const token = office.kioskToken('k1');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await fetch(`${office.url}/v1/kiosk/changes`, { headers: { authorization: `Bearer guess-${i}-${'y'.repeat(30)}` } })).status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect((await fetch(`${office.url}/v1/kiosk/changes`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${office.url}/health`)).status).toBe(200);
  });
});
