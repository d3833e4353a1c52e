// ATTACK (issue 11): a proxy between the kiosk and its back office keeps an order's signed
// offer and plays it again after the back office cancelled the order (a traveller refunded
// online would get the product anyway), with its version raised above the cancel's; and it
// forges a cancel of an order that is still on offer. The back office signs every change with
// its status, version and deadline, so neither is taken: the kiosk logs each and keeps what
// the genuine feed said.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderChange } from '../../protocol/kiosk-api.js';
import Database from 'better-sqlite3';
import { startRewriteProxy } from './rewrite-proxy.js';
import { orderKeyFrom, orderSignatureValid } from '../../sync/order-signature.js';
import { ANNA, eventually, startBackOffice, startKioskSync, tempDir } from './helpers.js';

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

describe('every change signed with its status and version', () => {
  it('an offer kept by a proxy and played again after its cancel, or a forged cancel, is refused and logged', async () => {
    const tmp = tempDir();
    const office = await startBackOffice(tmp.dir);
    cleanup.push(async () => {
      await office.close();
      tmp.remove();
    });
    const refunded = await office.topup(ANNA, 900);
    const kept = await office.topup(ANNA, 400);
    const seen = new Map<string, OrderChange>();
    let replay: OrderChange[] = [];
    const url = await proxy(office.url, (changes) => {
      for (const c of changes) if (c.status === 'pending' && !seen.has(c.orderId)) seen.set(c.orderId, c);
      const out = [...changes, ...replay];
      replay = [];
      return out;
    });
    const k = startKioskSync(join(tmp.dir, 'k1.db'), url, office.kioskToken('k1'), { orderKey: orderKeyFrom(office.bo.db.orderPublicKey) });
    cleanup.push(() => k.close());
    await k.client.syncNow();
    expect(k.store.orders.get(refunded)?.status).toBe('pending');
    expect(k.store.orders.get(kept)?.status).toBe('pending');

    // The traveller is refunded online: the back office cancels the order.
    expect((await office.online('POST', `/orders/${refunded}/cancel`)).status).toBe(200);
    await k.client.syncNow();
    await eventually(() => k.store.orders.get(refunded)?.status === 'cancelled', 4000, 'the cancel');

    // The proxy plays the old offer again, its version above the cancel's, and forges a cancel
    // of the order still on offer; a new genuine order makes the page.
    const old = seen.get(refunded);
    const offered = seen.get(kept);
    if (old?.status !== 'pending' || offered?.status !== 'pending') throw new Error('the proxy saw no offers');
    replay = [
      { ...old, version: old.version + 1_000 },
      { ...offered, status: 'cancelled', payload: null, version: offered.version + 1_000 },
    ];
    const later = await office.topup(ANNA, 100);
    await k.client.syncNow();
    await eventually(() => k.store.orders.get(later), 4000, 'the genuine order after the replay');

    expect(k.store.orders.get(refunded)?.status).toBe('cancelled');
    expect(k.store.orders.get(kept)?.status).toBe('pending');
    const refused = k.log.entries.filter((e) => e.level === 'error' && /signature does not verify/.test(e.msg));
    expect(refused.map((e) => e.obj.orderId).sort()).toEqual([kept, refunded].sort());
  });

  it('a back office of before (offers signed without version and status) signs every order afresh once, at its next start', async () => {
    const tmp = tempDir();
    cleanup.push(async () => tmp.remove());
    const first = await startBackOffice(tmp.dir);
    const open = await first.topup(ANNA, 300);
    const cancelled = await first.topup(ANNA, 200);
    expect((await first.online('POST', `/orders/${cancelled}/cancel`)).status).toBe(200);
    await first.close();
    // As a back office of before left it: an offer's signature of the old text, none on the cancel, no scheme noted.
    const file = join(tmp.dir, 'backoffice.db');
    const raw = new Database(file);
    raw.prepare(`UPDATE orders SET signature = ? WHERE id = ?`).run('A'.repeat(86), open);
    raw.prepare(`UPDATE orders SET signature = NULL WHERE id = ?`).run(cancelled);
    raw.prepare(`DELETE FROM backoffice_meta WHERE key = 'signature_scheme'`).run();
    raw.close();

    const again = await startBackOffice(tmp.dir);
    cleanup.push(() => again.close());
    const key = orderKeyFrom(again.bo.db.orderPublicKey);
    const changes = again.bo.db.changesSince(0, 10).changes;
    expect(changes.map((c) => [c.orderId, c.status])).toEqual([
      [open, 'pending'],
      [cancelled, 'cancelled'],
    ]);
    for (const change of changes) expect(orderSignatureValid(key, change, change.signature), change.orderId).toBe(true);
  });
});
