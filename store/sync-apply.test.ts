// The store's side of sync: a page of the back office's changes feed applied in one
// transaction, with the local rules that a pull must never break.
import { describe, expect, it } from 'vitest';
import { StoreDataError } from '../sqlite/errors.js';
import type { OrderChange } from '../protocol/kiosk-api.js';
import { testClock, useTempFiles, spyLogger } from './test-helpers.js';

const files = useTempFiles();
const CARD = '3528010012345678';

// Every change is newer than the one made before it (the feed's version only grows);
// each order has its serial on its card.
let lastVersion = 0;
const serials = new Map<string, number>();
const remote = (orderId: string) => {
  if (!serials.has(orderId)) serials.set(orderId, serials.size + 1);
  ++lastVersion;
  return { serial: serials.get(orderId) ?? 1, version: lastVersion, change: `change-${lastVersion}`, voidSerials: null };
};
const pending = (orderId: string, amountCents = 1000): OrderChange => ({
  orderId,
  status: 'pending',
  cardNumber: CARD,
  ...remote(orderId),
  payload: { kind: 'topup', amountCents },
  signature: 's'.repeat(86),
  createdAt: '2025-03-01T08:00:00.000Z',
  expiresAt: '2025-04-01T08:00:00.000Z',
});
const gone = (orderId: string, status: 'cancelled' | 'expired' | 'delivered'): OrderChange => ({
  orderId,
  status,
  cardNumber: CARD,
  ...remote(orderId),
  payload: null,
  signature: 's'.repeat(86),
  createdAt: '2025-03-01T08:00:00.000Z',
  expiresAt: '2025-04-01T08:00:00.000Z',
});

function setup() {
  const clock = testClock();
  const log = spyLogger();
  const store = files.open(undefined, { now: clock.now, logger: log });
  return { store, clock, log };
}

const offered = (store: ReturnType<typeof setup>['store']) => store.orders.offeredForCard(CARD).map((o) => o.id);

describe('applying a page of changes', () => {
  it('offers new orders and remembers the cursor in the same transaction', () => {
    const { store } = setup();
    expect(store.sync.cursor()).toBeNull();
    expect(store.sync.applyChanges([pending('a'), pending('b')], '2')).toEqual({ inserted: 2, updated: 0, deferred: 0, ignored: 0 });
    expect(offered(store)).toEqual(['a', 'b']);
    expect(store.sync.cursor()).toBe('2');
  });

  it('an order cancelled, expired or collected elsewhere disappears from the kiosk', () => {
    const { store } = setup();
    store.sync.applyChanges([pending('a'), pending('b'), pending('c')], '3');
    store.sync.applyChanges([gone('a', 'cancelled'), gone('b', 'expired'), gone('c', 'delivered')], '6');
    expect(offered(store)).toEqual([]);
    expect(store.orders.get('a')?.status).toBe('cancelled');
    expect(store.orders.get('b')?.status).toBe('expired');
    expect(store.orders.get('c')?.status).toBe('delivered');
  });

  it('a page with one malformed change is refused whole: nothing applied, cursor unchanged', () => {
    const { store } = setup();
    store.sync.applyChanges([pending('a')], '1');
    const bad = { ...pending('b'), payload: { kind: 'topup', amountCents: -5 } } as unknown as OrderChange;
    expect(() => store.sync.applyChanges([pending('c'), bad], '3')).toThrow(StoreDataError);
    expect(offered(store)).toEqual(['a']);
    expect(store.sync.cursor()).toBe('1');
  });

  it('applying the same page twice changes nothing (a resumed pull)', () => {
    const { store } = setup();
    store.sync.applyChanges([pending('a'), gone('a', 'cancelled')], '2');
    store.sync.applyChanges([pending('a'), gone('a', 'cancelled')], '2');
    expect(store.orders.get('a')?.status).toBe('cancelled');
  });

  it('an order delivered here stays delivered whatever the feed says', () => {
    const { store } = setup();
    store.sync.applyChanges([pending('a')], '1');
    store.deliveries.begin({ id: 'd1', orderId: 'a', cardNumber: CARD, cardUid: 'U1' });
    store.deliveries.complete('d1', { kind: 'topup', amountCents: 1000, balanceCents: 2000 });
    store.sync.applyChanges([gone('a', 'cancelled'), pending('a', 5)], '3');
    expect(store.orders.get('a')?.status).toBe('delivered');
    expect(store.orders.get('a')?.payload).toEqual({ kind: 'topup', amountCents: 1000 });
  });

  it('a cancel that arrives while the card is being written waits; the written card wins', () => {
    const { store, log } = setup();
    store.sync.applyChanges([pending('a')], '1');
    store.deliveries.begin({ id: 'd1', orderId: 'a', cardNumber: CARD, cardUid: 'U1' });
    store.deliveries.markWriting('d1');
    expect(store.sync.applyChanges([gone('a', 'cancelled')], '2').deferred).toBe(1);
    expect(store.orders.get('a')?.status).toBe('pending');
    store.deliveries.complete('d1', { kind: 'topup', amountCents: 1000, balanceCents: 2000 });
    expect(store.orders.get('a')?.status).toBe('delivered');
    // the pickup is reported all the same: the back office records it and flags the conflict
    expect(store.outbox.pending(10).map((i) => i.deliveryId)).toEqual(['d1']);
    expect(log.entries.some((e) => e.msg.includes('not pending'))).toBe(true);
  });

  it('a cancel that arrives while the card is being written applies once the attempt is abandoned', () => {
    const { store } = setup();
    store.sync.applyChanges([pending('a')], '1');
    store.deliveries.begin({ id: 'd1', orderId: 'a', cardNumber: CARD, cardUid: 'U1' });
    store.sync.applyChanges([gone('a', 'cancelled')], '2');
    store.deliveries.abandon('d1', 'card left');
    expect(store.orders.get('a')?.status).toBe('cancelled');
    expect(offered(store)).toEqual([]);
  });

  it('a pending change does not rewrite the details of an order being written', () => {
    const { store } = setup();
    store.sync.applyChanges([pending('a')], '1');
    store.deliveries.begin({ id: 'd1', orderId: 'a', cardNumber: CARD, cardUid: 'U1' });
    store.sync.applyChanges([pending('a', 99)], '2');
    expect(store.orders.get('a')?.payload).toEqual({ kind: 'topup', amountCents: 1000 });
  });

  it('a change for an order this kiosk never saw, and that is not pending, is not stored', () => {
    const { store } = setup();
    expect(store.sync.applyChanges([gone('x', 'cancelled')], '1').ignored).toBe(1);
    expect(store.orders.get('x')).toBeUndefined();
  });
});

describe('per-order versions: an older change never overrides a newer one', () => {
  it('a replayed older pending change after a cancel is ignored: the order stays cancelled, not offered', () => {
    const { store } = setup();
    const created = pending('r');
    store.sync.applyChanges([created], '1');
    store.sync.applyChanges([gone('r', 'cancelled')], '2');
    expect(store.sync.applyChanges([created], '3')).toEqual({ inserted: 0, updated: 0, deferred: 0, ignored: 1 });
    expect(store.orders.get('r')?.status).toBe('cancelled');
    expect(offered(store)).toEqual([]);
  });

  it('a replayed pending change does not clear a cancel kept back for a delivery in progress', () => {
    const { store } = setup();
    const created = pending('s');
    store.sync.applyChanges([created], '1');
    store.deliveries.begin({ id: 'd-s', orderId: 's', cardNumber: CARD, cardUid: 'U1' });
    store.sync.applyChanges([gone('s', 'cancelled')], '2');
    store.sync.applyChanges([created], '3');
    expect(store.orders.get('s')?.remoteStatus).toBe('cancelled');
    store.deliveries.abandon('d-s', 'card left');
    expect(store.orders.get('s')?.status).toBe('cancelled');
    expect(offered(store)).toEqual([]);
  });

  it('the same change applied twice changes nothing; a newer one applies; the serial is kept', () => {
    const { store } = setup();
    const created = pending('t');
    store.sync.applyChanges([created, created], '1');
    expect(store.orders.get('t')).toMatchObject({ status: 'pending', serial: created.serial });
    store.sync.applyChanges([gone('t', 'expired')], '2');
    expect(store.orders.get('t')?.status).toBe('expired');
  });

  it('an order is offered only once its serial is known', () => {
    const { store } = setup();
    store.sync.applyChanges([pending('u')], '1');
    expect(offered(store)).toEqual(['u']);
    expect(store.orders.withSerialForCard(CARD).map((o) => o.id)).toEqual(['u']);
  });
});
