// Found by an attack: orders delivered before kiosk migration 4 never get their serial (noteRemote skips
// delivered orders), so the v1 -> v2 upgrade cannot count them: the card's ledger starts with
// L below the first of them and its bit unset, for good (nothing ever sets it). The card then
// takes at most 352 more orders, although every one of its orders was picked up.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS } from '../hardware/card-layout.js';
import { readCard } from '../hardware/card-io.js';
import { SimulatedCard, SimulatedReader } from '../hardware/simulated-reader.js';
import { createDeliveryService } from '../kiosk/delivery.js';
import type { OrderChange } from '../protocol/kiosk-api.js';
import { openStore } from '../store/index.js';
import { ANNA, tempDir } from './sync/helpers.js';

const at = '2026-11-01T08:00:00.000Z';
const change = (n: number, status: 'pending' | 'delivered', version: number): OrderChange =>
  status === 'pending'
    ? { orderId: `o-${n}`, status, cardNumber: ANNA, serial: n, version, change: `change-${version}`, voidSerials: null, payload: { kind: 'topup', amountCents: 100 }, signature: 's'.repeat(86), createdAt: at, expiresAt: null }
    : { orderId: `o-${n}`, status, cardNumber: ANNA, serial: n, version, change: `change-${version}`, voidSerials: null, payload: null, signature: 's'.repeat(86), createdAt: at, expiresAt: null };

describe('v1 upgrade after migration 4', () => {
  it('orders delivered here before migration 4 count as closed in the upgraded ledger', async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'k.db');
    let store = openStore(file);
    // Seven orders delivered here with the kiosk of before (v1 journal: the last six).
    for (let n = 1; n <= 7; n++) {
      store.sync.applyChanges([change(n, 'pending', n)], String(n));
      store.deliveries.begin({ id: `d-${n}`, orderId: `o-${n}`, cardNumber: ANNA, cardUid: '04A1B2C3' });
      store.deliveries.markWriting(`d-${n}`);
      store.deliveries.complete(`d-${n}`, { kind: 'topup', amountCents: 100, balanceCents: 1000 + 100 * n });
    }
    store.close();
    // As migration 4 finds them: no serial, cursor dropped.
    const raw = new Database(file);
    raw.exec(`UPDATE orders SET serial = NULL, remote_version = NULL; DELETE FROM sync_state WHERE key = 'cursor'`);
    raw.close();
    store = openStore(file);
    // The feed read again from 0: each order's latest change (picked up), then a new order.
    store.sync.applyChanges([1, 2, 3, 4, 5, 6, 7].map((n) => change(n, 'delivered', 10 + n)), '17');
    store.sync.applyChanges([change(8, 'pending', 18)], '18');
    const serials = [1, 2, 3, 4, 5, 6, 7].map((n) => store.orders.get(`o-${n}`)?.serial ?? null);

    const journal = [7, 6, 5, 4, 3, 2].map((n) => layoutV1.orderToken(`o-${n}`));
    const card = new SimulatedCard(
      '04A1B2C3',
      issueCardBlocks(layoutV1, { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31' }, {
        balanceCents: 1700,
        products: Array.from({ length: PRODUCT_SLOTS }, () => null),
        journal,
      }),
    );
    const reader = new SimulatedReader();
    reader.tap(card);
    const delivery = createDeliveryService({ reader, codec: layoutV1, store, now: () => new Date(), newId: randomUUID, log: pino({ level: 'silent' }) });
    await delivery.readCard(card.uid);
    const o8 = delivery.lookupOrders(ANNA).find((o) => o.id === 'o-8');
    expect(o8).toBeDefined();
    await delivery.deliver({ uid: card.uid, cardNumber: ANNA, order: o8! });
    const access = reader.card();
    const after = await readCard(access!, layoutV1);
    store.close();
    tmp.remove();
    // Observed: serials all null; ledger { lowWater: 0, applied: [8] } — serial 1 is a hole forever.
    expect({ serials, ledger: after.state.ledger }).toEqual({ serials: [1, 2, 3, 4, 5, 6, 7], ledger: { lowWater: 8, applied: [] } });
  });
});
