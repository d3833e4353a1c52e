import { describe, expect, it } from 'vitest';
import { StoreConflictError, StoreDataError } from '../sqlite/errors.js';
import type { Store } from './store.js';
import { CARD, SECRET_CODE, UID, testClock, useTempFiles, type TestClock } from './test-helpers.js';

const files = useTempFiles();

/** Deliver `count` top-ups, one minute apart: d1, d2, ... */
function deliveredStore(count: number): { store: Store; clock: TestClock } {
  const clock = testClock('2025-03-01T09:00:00.000Z');
  const store = files.open(undefined, { now: clock.now });
  for (let i = 1; i <= count; i++) {
    store.orders.upsert({
      id: `o${i}`,
      cardNumber: CARD,
      payload: { kind: 'topup', amountCents: 100 * i },
      createdAt: '2025-03-01T08:00:00.000Z',
      expiresAt: null,
    });
    store.deliveries.begin({ id: `d${i}`, orderId: `o${i}`, cardNumber: CARD, cardUid: UID });
    store.deliveries.markWriting(`d${i}`);
    store.deliveries.complete(`d${i}`, { kind: 'topup', amountCents: 100 * i, balanceCents: 100 * i });
    clock.advance(60_000);
  }
  return { store, clock };
}

describe('the pickup outbox', () => {
  it('holds one pickup report per completed delivery, with nothing but ids, card, time and kind', () => {
    const { store } = deliveredStore(1);
    expect(store.outbox.pending(10)).toEqual([
      {
        id: expect.any(Number),
        deliveryId: 'd1',
        report: {
          deliveryId: 'd1',
          orderId: 'o1',
          cardNumber: CARD,
          deliveredAt: '2025-03-01T09:00:00.000Z',
          kind: 'topup',
        },
        attempts: 0,
        createdAt: '2025-03-01T09:00:00.000Z',
      },
    ]);
    expect(store.outbox.depth()).toBe(1);
  });

  it('hands out the oldest reports first, no more than asked for', () => {
    const { store } = deliveredStore(3);
    expect(store.outbox.pending(2).map((item) => item.deliveryId)).toEqual(['d1', 'd2']);
    expect(store.outbox.pending(10).map((item) => item.deliveryId)).toEqual(['d1', 'd2', 'd3']);
    expect(store.outbox.pending(0)).toEqual([]);
    expect(() => store.outbox.pending(-1)).toThrow(RangeError);
  });

  it('counts the attempts to send a report', () => {
    const { store } = deliveredStore(1);
    const [item] = store.outbox.pending(1);
    store.outbox.recordAttempt(item!.id);
    store.outbox.recordAttempt(item!.id);
    expect(store.outbox.pending(1)[0]?.attempts).toBe(2);
    expect(() => store.outbox.recordAttempt(999)).toThrow(StoreConflictError);
  });

  it('an acknowledged report leaves the outbox and its delivery becomes reported', () => {
    const { store } = deliveredStore(2);
    store.outbox.ack('d1');
    expect(store.deliveries.get('d1')?.state).toBe('reported');
    expect(store.deliveries.get('d2')?.state).toBe('written');
    expect(store.outbox.pending(10).map((item) => item.deliveryId)).toEqual(['d2']);
    expect(store.outbox.depth()).toBe(1);
  });

  it('a duplicated acknowledgement is a no-op', () => {
    const { store, clock } = deliveredStore(1);
    store.outbox.ack('d1');
    const reported = store.deliveries.get('d1');
    clock.advance(60_000);
    expect(() => store.outbox.ack('d1')).not.toThrow();
    expect(store.deliveries.get('d1')).toEqual(reported);
    expect(store.outbox.depth()).toBe(0);
  });

  it('an attempt recorded after the acknowledgement changes nothing', () => {
    const { store } = deliveredStore(1);
    const [item] = store.outbox.pending(1);
    store.outbox.ack('d1');
    expect(() => store.outbox.recordAttempt(item!.id)).not.toThrow();
    expect(files.raw().prepare('SELECT attempts FROM outbox').pluck().get()).toBe(0);
  });

  it('an acknowledgement for a delivery without a report is a conflict', () => {
    const { store } = deliveredStore(0);
    expect(() => store.outbox.ack('nope')).toThrow(/no pickup report for delivery nope/);
  });

  it('an acknowledgement that cannot mark the delivery reported leaves the report queued', () => {
    const { store } = deliveredStore(1);
    files.raw().exec(`UPDATE deliveries SET state = 'writing', outcome = NULL WHERE id = 'd1'`);
    expect(() => store.outbox.ack('d1')).toThrow(/cannot go from writing to reported/);
    expect(store.outbox.depth()).toBe(1);
  });

  it('the outbox report never contains the kaartservicecode', () => {
    const clock = testClock();
    const store = files.open(undefined, { now: clock.now });
    store.orders.upsert({
      id: 'o1',
      cardNumber: CARD,
      payload: { kind: 'kaartservicecode', sealed: SECRET_CODE },
      createdAt: '2025-03-01T08:00:00.000Z',
      expiresAt: null,
    });
    store.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    store.deliveries.markWriting('d1');
    store.deliveries.complete('d1', { kind: 'kaartservicecode', sealed: SECRET_CODE });

    const [item] = store.outbox.pending(10);
    expect(Object.keys(item!.report).sort()).toEqual(['cardNumber', 'deliveredAt', 'deliveryId', 'kind', 'orderId']);
    expect(JSON.stringify(store.outbox.pending(10))).not.toContain(SECRET_CODE);
    const rows = files.raw().prepare('SELECT * FROM outbox').all();
    expect(JSON.stringify(rows)).not.toContain(SECRET_CODE);
  });

  it('a stored report that carries anything extra is refused on read, not sent', () => {
    const { store } = deliveredStore(1);
    files
      .raw()
      .exec(`UPDATE outbox SET report = json_set(report, '$.code', '${SECRET_CODE}') WHERE delivery_id = 'd1'`);
    expect(() => store.outbox.pending(10)).toThrow(StoreDataError);
    expect(() => store.outbox.pending(10)).toThrow(/outbox\[1\]\.report failed validation/);
  });

  it('reports still queued survive a restart', () => {
    const { store } = deliveredStore(2);
    store.outbox.ack('d1');
    store.close();
    const reopened = files.open();
    expect(reopened.outbox.pending(10).map((item) => item.deliveryId)).toEqual(['d2']);
  });
});
