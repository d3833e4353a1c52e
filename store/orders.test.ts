import { describe, expect, it } from 'vitest';
import { StoreConflictError, StoreDataError } from '../sqlite/errors.js';
import type { OrderInput } from './schemas.js';
import { SQL } from './store.js';
import { CARD, OTHER_CARD, SECRET_CODE, UID, spyLogger, testClock, useTempFiles, sealedFixture } from './test-helpers.js';

const files = useTempFiles();

function order(id: string, overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    id,
    cardNumber: CARD,
    payload: { kind: 'topup', amountCents: 500 },
    createdAt: '2025-03-01T08:00:00.000Z',
    expiresAt: null,
    ...overrides,
  };
}

describe('the order cache', () => {
  it('stores an order and reads it back, pending by default, stamped with the injected clock', () => {
    const clock = testClock('2025-03-01T09:30:00.000Z');
    const store = files.open(undefined, { now: clock.now });
    store.orders.upsert(
      order('o1', {
        payload: { kind: 'product', productCode: 'DAL_VOORDEEL', validFrom: '2025-03-01', validUntil: '2026-02-28' },
        expiresAt: '2025-04-01T00:00:00.000Z',
      }),
    );
    expect(store.orders.get('o1')).toEqual({
      id: 'o1',
      cardNumber: CARD,
      payload: { kind: 'product', productCode: 'DAL_VOORDEEL', validFrom: '2025-03-01', validUntil: '2026-02-28' },
      status: 'pending',
      createdAt: '2025-03-01T08:00:00.000Z',
      expiresAt: '2025-04-01T00:00:00.000Z',
      updatedAt: '2025-03-01T09:30:00.000Z',
      // seeded without a back office: the card's next serial in this store
      serial: 1,
      remoteStatus: null,
      // not from the back office's signed feed
      signature: null,
      signedVersion: null,
    });
    expect(store.orders.get('nope')).toBeUndefined();
  });

  it('stores times with an offset as UTC, so they compare correctly', () => {
    const store = files.open();
    store.orders.upsert(order('o1', { createdAt: '2025-03-01T10:00:00+01:00', expiresAt: '2025-03-02T00:00:00Z' }));
    expect(store.orders.get('o1')).toMatchObject({
      createdAt: '2025-03-01T09:00:00.000Z',
      expiresAt: '2025-03-02T00:00:00.000Z',
    });
  });

  it('refuses an order with a malformed payload or time instead of storing it', () => {
    const store = files.open();
    expect(() => store.orders.upsert(order('o1', { payload: { kind: 'topup', amountCents: -5 } }))).toThrow(
      StoreDataError,
    );
    expect(() =>
      store.orders.upsert(order('o2', { payload: { kind: 'refund', amountCents: 5 } as never })),
    ).toThrow(StoreDataError);
    expect(() => store.orders.upsert(order('o3', { createdAt: 'yesterday' }))).toThrow(StoreDataError);
    expect(store.orders.countByStatus().pending).toBe(0);
  });

  it('updates a cached order on a second upsert and keeps its status when none is given', () => {
    const clock = testClock();
    const store = files.open(undefined, { now: clock.now });
    store.orders.upsert(order('o1', { status: 'cancelled' }));
    clock.advance(60_000);
    store.orders.upsert(order('o1', { payload: { kind: 'topup', amountCents: 750 } }));
    expect(store.orders.get('o1')).toMatchObject({
      status: 'cancelled',
      payload: { kind: 'topup', amountCents: 750 },
      updatedAt: clock.iso(),
    });
    store.orders.upsert(order('o1', { status: 'pending' }));
    expect(store.orders.get('o1')?.status).toBe('pending');
  });

  it('a delivered order is not resurrected by a sync that still says pending', () => {
    const logger = spyLogger();
    const store = files.open(undefined, { logger });
    store.orders.upsert(order('o1', { payload: { kind: 'kaartservicecode', sealed: SECRET_CODE } }));
    store.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    store.deliveries.markWriting('d1');
    store.deliveries.complete('d1', { kind: 'kaartservicecode', sealed: SECRET_CODE });

    store.orders.upsert(order('o1', { status: 'pending', payload: { kind: 'kaartservicecode', sealed: sealedFixture('OTHER') } }));
    store.orders.upsert(order('o1'));

    // Delivered: its sealed code forgotten (the delivery keeps it for the day it is shown again), not OTHER's.
    expect(store.orders.get('o1')).toMatchObject({
      status: 'delivered',
      payload: { kind: 'kaartservicecode', sealed: 'forgotten' },
    });
    expect(store.orders.offeredForCard(CARD)).toEqual([]);
    expect(JSON.stringify(logger.entries)).not.toContain(SECRET_CODE);
  });

  it('an order being written to a card keeps its payload and card when a sync changes them', () => {
    const store = files.open();
    store.orders.upsert(order('o1'));
    store.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    store.orders.upsert(order('o1', { cardNumber: OTHER_CARD, payload: { kind: 'topup', amountCents: 9999 } }));
    expect(store.orders.get('o1')).toMatchObject({ cardNumber: CARD, payload: { kind: 'topup', amountCents: 500 } });
  });

  it('setStatus changes the status, but never takes a delivered order back', () => {
    const store = files.open();
    store.orders.upsert(order('o1'));
    store.orders.setStatus('o1', 'cancelled');
    expect(store.orders.get('o1')?.status).toBe('cancelled');
    store.orders.setStatus('o1', 'pending');
    store.orders.setStatus('o1', 'delivered');
    store.orders.setStatus('o1', 'delivered');
    expect(() => store.orders.setStatus('o1', 'pending')).toThrow(StoreConflictError);
    expect(() => store.orders.setStatus('nope', 'cancelled')).toThrow(/does not exist/);
    expect(store.orders.get('o1')?.status).toBe('delivered');
  });

  it('counts orders by status, with zero for the statuses nobody has', () => {
    const store = files.open();
    store.orders.upsert(order('o1'));
    store.orders.upsert(order('o2'));
    store.orders.upsert(order('o3', { status: 'expired' }));
    expect(store.orders.countByStatus()).toEqual({ pending: 2, delivered: 0, cancelled: 0, expired: 1 });
  });

  it('a row that fails validation is reported with a clear error, not returned', () => {
    const store = files.open();
    store.orders.upsert(order('o1'));
    files.raw().prepare(`UPDATE orders SET payload = '{"kind":"topup","amountCents":"lots"}' WHERE id = 'o1'`).run();
    expect(() => store.orders.get('o1')).toThrow(StoreDataError);
    expect(() => store.orders.get('o1')).toThrow(/orders\[o1\]\.payload failed validation/);
    expect(() => store.orders.offeredForCard(CARD)).toThrow(StoreDataError);
  });
});

describe('the orders offered to a card', () => {
  it('are the pending orders of that card, oldest first', () => {
    const store = files.open();
    store.orders.upsert(order('late', { createdAt: '2025-03-01T08:30:00.000Z' }));
    store.orders.upsert(order('early', { createdAt: '2025-02-01T08:00:00.000Z' }));
    store.orders.upsert(order('b-same', { createdAt: '2025-03-01T08:00:00.000Z' }));
    store.orders.upsert(order('a-same', { createdAt: '2025-03-01T08:00:00.000Z' }));
    store.orders.upsert(order('cancelled', { status: 'cancelled' }));
    store.orders.upsert(order('delivered', { status: 'delivered' }));
    store.orders.upsert(order('someone-else', { cardNumber: OTHER_CARD }));
    expect(store.orders.offeredForCard(CARD).map((o) => o.id)).toEqual(['early', 'a-same', 'b-same', 'late']);
    expect(store.orders.offeredForCard(OTHER_CARD).map((o) => o.id)).toEqual(['someone-else']);
    expect(store.orders.offeredForCard('unknown card')).toEqual([]);
  });

  it('expired orders (expiresAt before now) are not offered', () => {
    const clock = testClock('2025-03-01T12:00:00.000Z');
    const store = files.open(undefined, { now: clock.now });
    store.orders.upsert(order('past', { expiresAt: '2025-03-01T11:59:59.999Z' }));
    store.orders.upsert(order('now', { expiresAt: '2025-03-01T12:00:00.000Z' }));
    store.orders.upsert(order('future', { expiresAt: '2025-03-01T12:00:00.001Z' }));
    store.orders.upsert(order('never', { expiresAt: null }));
    expect(store.orders.offeredForCard(CARD).map((o) => o.id)).toEqual(['future', 'never']);
    expect(() => store.deliveries.begin({ id: 'd1', orderId: 'past', cardNumber: CARD, cardUid: UID })).toThrow(
      /expired/,
    );
    clock.advance(1);
    expect(store.orders.offeredForCard(CARD).map((o) => o.id)).toEqual(['never']);
  });

  it('an order with a delivery under way is not offered until that delivery is abandoned', () => {
    const store = files.open();
    store.orders.upsert(order('o1'));
    store.orders.upsert(order('o2', { createdAt: '2025-03-01T08:01:00.000Z' }));
    store.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    expect(store.orders.offeredForCard(CARD).map((o) => o.id)).toEqual(['o2']);
    store.deliveries.markWriting('d1');
    expect(store.orders.offeredForCard(CARD).map((o) => o.id)).toEqual(['o2']);
    store.deliveries.abandon('d1', 'cardExpired');
    expect(store.orders.offeredForCard(CARD).map((o) => o.id)).toEqual(['o1', 'o2']);
  });

  it('are found through the (card_number, status, created_at) index, never by scanning orders', () => {
    const store = files.open();
    const db = files.raw();
    const plan = () =>
      db
        .prepare<[string, string], { detail: string }>(`EXPLAIN QUERY PLAN ${SQL.offeredForCard}`)
        .all(CARD, '2025-03-01T09:00:00.000Z')
        .map((row) => row.detail)
        .join('\n');
    const expectIndexed = (text: string) => {
      expect(text).toContain('orders_by_card_status_created');
      expect(text).toMatch(/SEARCH orders USING INDEX orders_by_card_status_created \(card_number=\? AND status=\?\)/);
      expect(text).toContain('SEARCH d USING INDEX deliveries_one_unsettled_per_order (order_id=?)');
      expect(text).not.toContain('SCAN orders');
      expect(text).not.toContain('SCAN d');
      expect(text).not.toContain('TEMP B-TREE');
    };

    expectIndexed(plan()); // a fresh kiosk, no statistics

    for (let i = 0; i < 200; i++) store.orders.upsert(order(`o${i}`, { cardNumber: `card-${i % 20}` }));
    db.exec('ANALYZE');
    expectIndexed(plan()); // with statistics, as after PRAGMA optimize
  });

  it('the deliveries of a card or an order and the unacknowledged outbox rows are found by index too', () => {
    files.open().close();
    const db = files.raw();
    const planOf = (sql: string, ...params: unknown[]) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
    expect(planOf(SQL.unsettledForCard, CARD)).toContain('USING INDEX deliveries_by_card_state');
    expect(planOf(SQL.outboxPending, 10)).toContain('outbox_pending');
    expect(planOf(SQL.outboxPending, 10)).not.toMatch(/SCAN outbox$/m);
    expect(planOf(SQL.unsettledCount)).toContain('deliveries_one_unsettled_per_order');
    expect(planOf(SQL.deliveriesForOrder, 'o1')).toContain('USING INDEX deliveries_by_order (order_id=?)');
  });
});
