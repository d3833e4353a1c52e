// Found by an attack: a v1 card's journal holds order o-2 (delivered by the kiosk software of before).
// Kiosk D, which never cached o-2 (it joined after o-2 was picked up: the feed's "delivered"
// change of an unknown order is not cached), upgrades the card while delivering o-3: the new
// v2 ledger is built only from what D knows, so serial 2 is neither under L nor set. Kiosk C,
// offline with o-2 still pending in its cache, then finds o-2 "not applied" and writes it again.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
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
const pending = (n: number, version: number): OrderChange => ({
  orderId: `o-${n}`, status: 'pending', cardNumber: ANNA, serial: n, version, change: `change-${version}`, voidSerials: null,
  payload: { kind: 'topup', amountCents: 500 }, signature: 's'.repeat(86), createdAt: at, expiresAt: null,
});
const delivered = (n: number, version: number): OrderChange => ({
  orderId: `o-${n}`, status: 'delivered', cardNumber: ANNA, serial: n, version, change: `change-${version}`, voidSerials: null, payload: null, signature: 's'.repeat(86), createdAt: at, expiresAt: null,
});

describe('v1 -> v2 upgrade forgets journal tokens the upgrading kiosk does not know', () => {
  it('an order in the v1 journal is never written again after the upgrade', async () => {
    const tmp = tempDir();
    const silent = pino({ level: 'silent' });
    const c = openStore(join(tmp.dir, 'c.db')); // offline since it cached o-1 and o-2 as pending
    c.sync.applyChanges([pending(1, 1), pending(2, 2)], '2');
    const d = openStore(join(tmp.dir, 'd.db')); // joined later: o-1 cancelled, o-2 picked up, o-3 new
    d.sync.applyChanges([delivered(2, 4), pending(3, 5)], '5');
    // The card: o-2 delivered with the software of before (its token in the v1 journal).
    const card = new SimulatedCard('04A1B2C3', issueCardBlocks(layoutV1, { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31' }, {
      balanceCents: 1500, products: Array.from({ length: PRODUCT_SLOTS }, () => null), journal: [layoutV1.orderToken('o-2')],
    }));
    const deliverAt = async (store: typeof c, orderId: string) => {
      const reader = new SimulatedReader();
      reader.tap(card);
      const svc = createDeliveryService({ reader, codec: layoutV1, store, now: () => new Date(), newId: randomUUID, log: silent });
      await svc.readCard(card.uid);
      const offered = svc.lookupOrders(ANNA);
      const order = offered.find((o) => o.id === orderId);
      if (order) await svc.deliver({ uid: card.uid, cardNumber: ANNA, order }).catch(() => undefined);
      return { offered: offered.map((o) => o.id), state: (await readCard(reader.card()!, layoutV1)).state };
    };
    const atD = await deliverAt(d, 'o-3'); // upgrades the card
    const atC = await deliverAt(c, 'o-2'); // the stale kiosk
    c.close(); d.close(); tmp.remove();
    // Observed: D's ledger { lowWater: 0, applied: [3] }; C offers o-2 and writes it: balance 2500.
    expect({ ledgerAtD: atD.state.ledger, offeredAtC: atC.offered, balance: atC.state.balanceCents })
      .toEqual({ ledgerAtD: atD.state.ledger, offeredAtC: ['o-1'], balance: 2000 });
  });
});
