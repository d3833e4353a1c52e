// The store's side of the feed position (store/sync-repo.ts): cursor, epoch and anchor
// committed with the page; a feed reset starts over at cursor 0 in the new epoch, logs why,
// forgets the remote versions of the old feed and keeps orders, deliveries and the outbox.
// And the live stream's event names the epoch.
import { describe, expect, it } from 'vitest';
import type { OrderChange } from '../../protocol/kiosk-api.js';
import { liveEventSchema } from '../../protocol/kiosk-api.js';
import { useTempFiles } from '../../store/test-helpers.js';
import { ANNA, pickUp, startBackOffice, tempDir } from './helpers.js';

const files = useTempFiles();

const pending = (orderId: string, version: number): Extract<OrderChange, { status: 'pending' }> => ({
  orderId,
  status: 'pending',
  cardNumber: ANNA,
  serial: version,
  version,
  change: `change-${version}`,
  voidSerials: null,
  payload: { kind: 'topup', amountCents: 500 },
  signature: 's'.repeat(86),
  createdAt: '2026-12-01T08:00:00.000Z',
  expiresAt: '2026-12-15T08:00:00.000Z',
});

describe('the feed position in the store', () => {
  it('keeps cursor, epoch and the change at the cursor (the anchor) together with the page', () => {
    const store = files.open();
    expect(store.sync.feed()).toEqual({ cursor: null, epoch: null, anchor: null });
    store.sync.applyChanges([pending('o-1', 1), pending('o-2', 2)], '2', { epoch: 'epoch-aaaa' });
    expect(store.sync.feed()).toEqual({ cursor: '2', epoch: 'epoch-aaaa', anchor: 'change-2' });
    store.sync.applyChanges([], '2', { epoch: 'epoch-aaaa' }); // an empty page keeps the anchor
    expect(store.sync.feed().anchor).toBe('change-2');
  });

  it('a reset starts over at 0 in the new epoch, logs why, and keeps orders, deliveries and the outbox', () => {
    const store = files.open();
    store.sync.applyChanges([pending('o-1', 7), pending('o-2', 8)], '8', { epoch: 'epoch-aaaa' });
    pickUp(store, 'o-1');
    store.sync.resetFeed({ reason: 'epoch', epoch: 'epoch-bbbb', head: '1' });
    expect(store.sync.feed()).toEqual({ cursor: '0', epoch: 'epoch-bbbb', anchor: null });
    expect(store.sync.resets()).toEqual([
      { at: expect.any(String), reason: 'epoch', oldEpoch: 'epoch-aaaa', newEpoch: 'epoch-bbbb', oldCursor: '8', head: '1' },
    ]);
    expect(store.orders.get('o-1')?.status).toBe('delivered');
    expect(store.outbox.depth()).toBe(1);
    // The new database's versions start low again: they apply (the old ones are forgotten)...
    const cheaper: OrderChange = { ...pending('o-2', 1), payload: { kind: 'topup', amountCents: 900 } };
    store.sync.applyChanges([cheaper, pending('o-1', 2)], '2', { epoch: 'epoch-bbbb' });
    expect(store.orders.get('o-2')?.payload).toEqual({ kind: 'topup', amountCents: 900 });
    // ...and what was delivered here stays delivered.
    expect(store.orders.get('o-1')?.status).toBe('delivered');
  });
});

describe('the live stream event', () => {
  it('carries the head and the epoch', async () => {
    const tmp = tempDir();
    const office = await startBackOffice(tmp.dir);
    try {
      const controller = new AbortController();
      const response = await fetch(`${office.url}/v1/kiosk/events`, {
        headers: { authorization: `Bearer ${office.kioskToken('k1')}` },
        signal: controller.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const { value } = await reader.read();
      controller.abort();
      const data = new TextDecoder().decode(value).match(/^data: (.*)$/m)?.[1] ?? '';
      expect(liveEventSchema.parse(JSON.parse(data))).toEqual({ cursor: '0', epoch: office.bo.db.epoch });
    } finally {
      await office.close();
      tmp.remove();
    }
  });
});
