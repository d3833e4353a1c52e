import { describe, expect, it } from 'vitest';
import { StoreConflictError, StoreDataError } from '../sqlite/errors.js';
import type { OrderPayload } from './schemas.js';
import type { Store } from './store.js';
import { CARD, OTHER_CARD, SECRET_CODE, UID, testClock, useTempFiles, type TestClock } from './test-helpers.js';

const files = useTempFiles();

const TOPUP = { kind: 'topup', amountCents: 1000, balanceCents: 2500 } as const;

function setup(payload: OrderPayload = { kind: 'topup', amountCents: 1000 }): { store: Store; clock: TestClock } {
  const clock = testClock();
  const store = files.open(undefined, { now: clock.now });
  store.orders.upsert({ id: 'o1', cardNumber: CARD, payload, createdAt: '2025-03-01T08:00:00.000Z', expiresAt: null });
  return { store, clock };
}

const begin = (store: Store, id = 'd1', orderId = 'o1') =>
  store.deliveries.begin({ id, orderId, cardNumber: CARD, cardUid: UID });

describe('starting a delivery', () => {
  it('journals a pending delivery for an offered order', () => {
    const { store, clock } = setup();
    expect(begin(store)).toEqual({
      id: 'd1',
      orderId: 'o1',
      cardNumber: CARD,
      cardUid: UID,
      state: 'pending',
      outcome: null,
      failure: null,
      createdAt: clock.iso(),
      updatedAt: clock.iso(),
    });
    expect(store.deliveries.get('d1')?.state).toBe('pending');
    expect(store.deliveries.unsettledCount()).toBe(1);
  });

  it('a second delivery of the same order is refused while the first is unsettled', () => {
    const { store } = setup();
    begin(store, 'd1');
    expect(() => begin(store, 'd2')).toThrow(StoreConflictError);
    store.deliveries.markWriting('d1');
    expect(() => begin(store, 'd2')).toThrow(/already has an unsettled delivery d1 \(writing\)/);
    expect(store.deliveries.get('d2')).toBeUndefined();
    expect(store.deliveries.unsettledCount()).toBe(1);
  });

  it('is refused for an unknown order, an order of another card, or an order that is not pending', () => {
    const { store } = setup();
    expect(() => store.deliveries.begin({ id: 'd1', orderId: 'nope', cardNumber: CARD, cardUid: UID })).toThrow(
      /does not exist/,
    );
    expect(() => store.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: OTHER_CARD, cardUid: UID })).toThrow(
      /another card/,
    );
    store.orders.setStatus('o1', 'cancelled');
    expect(() => begin(store)).toThrow(/cancelled, not offered/);
    expect(store.deliveries.unsettledCount()).toBe(0);
  });

  it('a delivery id cannot be used twice', () => {
    const { store } = setup();
    store.orders.upsert({
      id: 'o2',
      cardNumber: CARD,
      payload: { kind: 'topup', amountCents: 100 },
      createdAt: '2025-03-01T08:00:00.000Z',
      expiresAt: null,
    });
    begin(store, 'd1', 'o1');
    expect(() => begin(store, 'd1', 'o2')).toThrow(/already exists/);
  });
});

describe('the delivery state machine', () => {
  it('pending -> writing -> written, with the outcome, and the order becomes delivered', () => {
    const { store, clock } = setup();
    begin(store);
    clock.advance(1000);
    expect(store.deliveries.markWriting('d1')).toMatchObject({ state: 'writing', updatedAt: clock.iso() });
    clock.advance(1000);
    const written = store.deliveries.complete('d1', TOPUP);
    expect(written).toMatchObject({ state: 'written', outcome: TOPUP, failure: null, updatedAt: clock.iso() });
    expect(store.deliveries.get('d1')).toEqual(written);
    expect(store.orders.get('o1')).toMatchObject({ status: 'delivered', updatedAt: clock.iso() });
    expect(store.deliveries.unsettledCount()).toBe(0);
    expect(store.orders.offeredForCard(CARD)).toEqual([]);
  });

  it('marking a delivery as writing again (a retry after the card came back) is allowed', () => {
    const { store, clock } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    clock.advance(5000);
    expect(store.deliveries.markWriting('d1')).toMatchObject({ state: 'writing', updatedAt: clock.iso() });
  });

  it('a delivery found in the card journal is completed even if it never reached writing', () => {
    const { store } = setup();
    begin(store);
    expect(store.deliveries.complete('d1', TOPUP)).toMatchObject({ state: 'written', outcome: TOPUP });
    expect(store.orders.get('o1')?.status).toBe('delivered');
    expect(store.outbox.depth()).toBe(1);
  });

  it('a written delivery can be neither rewritten nor abandoned', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    store.deliveries.complete('d1', TOPUP);
    expect(() => store.deliveries.markWriting('d1')).toThrow(/cannot go from written to writing/);
    expect(() => store.deliveries.abandon('d1', 'timeout')).toThrow(/cannot go from written to abandoned/);
    expect(store.deliveries.get('d1')?.state).toBe('written');
  });

  it('an abandoned delivery stays abandoned', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.abandon('d1', 'balanceLimit');
    expect(() => store.deliveries.markWriting('d1')).toThrow(StoreConflictError);
    expect(() => store.deliveries.complete('d1', TOPUP)).toThrow(/cannot go from abandoned to written/);
    expect(() => store.deliveries.abandon('d1', 'again')).toThrow(/cannot go from abandoned to abandoned/);
    expect(store.deliveries.get('d1')).toMatchObject({ state: 'abandoned', failure: 'balanceLimit', outcome: null });
  });

  it('unknown deliveries are a conflict, not a crash', () => {
    const { store } = setup();
    expect(() => store.deliveries.markWriting('nope')).toThrow(/delivery nope does not exist/);
    expect(() => store.deliveries.complete('nope', TOPUP)).toThrow(/delivery nope does not exist/);
    expect(() => store.deliveries.abandon('nope', 'x')).toThrow(/delivery nope does not exist/);
    expect(store.deliveries.get('nope')).toBeUndefined();
  });

  it('an outcome of another kind than the order is refused and changes nothing', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    expect(() => store.deliveries.complete('d1', { kind: 'kaartservicecode', sealed: SECRET_CODE })).toThrow(
      /outcome kind kaartservicecode does not match order kind topup/,
    );
    expect(store.deliveries.get('d1')).toMatchObject({ state: 'writing', outcome: null });
    expect(store.orders.get('o1')?.status).toBe('pending');
    expect(store.outbox.depth()).toBe(0);
  });

  it('a malformed outcome is refused before it is stored', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    expect(() =>
      store.deliveries.complete('d1', { kind: 'topup', amountCents: 1000, balanceCents: 'plenty' } as never),
    ).toThrow(StoreDataError);
    expect(store.deliveries.get('d1')?.state).toBe('writing');
  });

  it('a stored outcome that no longer parses is reported, not returned', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    store.deliveries.complete('d1', TOPUP);
    files.raw().exec(`UPDATE deliveries SET outcome = '{"kind":"topup"}' WHERE id = 'd1'`);
    expect(() => store.deliveries.get('d1')).toThrow(/deliveries\[d1\]\.outcome failed validation/);
  });
});

describe('completing a delivery', () => {
  it('a pickup is recorded once even if completed twice', () => {
    const { store, clock } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    const first = store.deliveries.complete('d1', TOPUP);
    clock.advance(60_000);
    const second = store.deliveries.complete('d1', TOPUP);
    expect(second).toEqual(first);
    expect(store.outbox.depth()).toBe(1);
    expect(store.outbox.pending(10)).toHaveLength(1);
  });

  it('completing a delivery that was already reported returns it and queues nothing', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    store.deliveries.complete('d1', TOPUP);
    store.outbox.ack('d1');
    expect(store.deliveries.complete('d1', TOPUP)).toMatchObject({ state: 'reported', outcome: TOPUP });
    expect(store.outbox.depth()).toBe(0);
    expect(files.raw().prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
  });

  it('keeps the kaartservicecode for the traveller on the delivery, and nowhere in the outbox', () => {
    const { store } = setup({ kind: 'kaartservicecode', sealed: SECRET_CODE });
    begin(store);
    store.deliveries.markWriting('d1');
    const written = store.deliveries.complete('d1', { kind: 'kaartservicecode', sealed: SECRET_CODE });
    expect(written.outcome).toEqual({ kind: 'kaartservicecode', sealed: SECRET_CODE });
    const [item] = store.outbox.pending(10);
    expect(item?.report.kind).toBe('kaartservicecode');
    expect(JSON.stringify(item)).not.toContain(SECRET_CODE);
    const raw = files.raw().prepare('SELECT report FROM outbox').pluck().all();
    expect(JSON.stringify(raw)).not.toContain(SECRET_CODE);
  });

  it('every step is committed when the call returns, visible to another connection', () => {
    const { store } = setup();
    const other = files.raw(undefined, { readonly: true });
    const stateOf = other.prepare<[string], string>('SELECT state FROM deliveries WHERE id = ?').pluck();
    begin(store);
    expect(stateOf.get('d1')).toBe('pending');
    store.deliveries.markWriting('d1');
    expect(stateOf.get('d1')).toBe('writing');
    store.deliveries.complete('d1', TOPUP);
    expect(stateOf.get('d1')).toBe('written');
    expect(other.prepare(`SELECT count(*) FROM outbox`).pluck().get()).toBe(1);
  });
});

describe('abandoning a delivery', () => {
  it('an abandoned delivery makes the order offered again', () => {
    const { store, clock } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    clock.advance(1000);
    expect(store.deliveries.abandon('d1', 'noFreeSlot')).toMatchObject({
      state: 'abandoned',
      failure: 'noFreeSlot',
      updatedAt: clock.iso(),
    });
    expect(store.orders.get('o1')?.status).toBe('pending');
    expect(store.orders.offeredForCard(CARD).map((o) => o.id)).toEqual(['o1']);
    expect(store.outbox.depth()).toBe(0);
    expect(begin(store, 'd2').state).toBe('pending');
  });

  it('a pending delivery can be abandoned before the card was touched', () => {
    const { store } = setup();
    begin(store);
    expect(store.deliveries.abandon('d1', 'cardExpired').state).toBe('abandoned');
    expect(store.deliveries.unsettledCount()).toBe(0);
  });
});

describe('the deliveries of an order', () => {
  it('are all its attempts, settled or not, oldest first', () => {
    const { store, clock } = setup();
    begin(store, 'd1');
    store.deliveries.abandon('d1', 'cardRemoved');
    clock.advance(1000);
    begin(store, 'd2');
    store.deliveries.markWriting('d2');
    store.deliveries.complete('d2', TOPUP);
    expect(store.deliveries.forOrder('o1').map((d) => [d.id, d.state])).toEqual([
      ['d1', 'abandoned'],
      ['d2', 'written'],
    ]);
    expect(store.deliveries.forOrder('nope')).toEqual([]);
  });
});

describe('the unsettled deliveries of a card', () => {
  it('are its pending and writing deliveries, oldest first', () => {
    const clock = testClock();
    const store = files.open(undefined, { now: clock.now });
    const seed = (id: string, cardNumber: string) =>
      store.orders.upsert({
        id,
        cardNumber,
        payload: { kind: 'topup', amountCents: 100 },
        createdAt: '2025-03-01T08:00:00.000Z',
        expiresAt: null,
      });
    for (const id of ['o1', 'o2', 'o3', 'o4']) seed(id, CARD);
    seed('x1', OTHER_CARD);

    store.deliveries.begin({ id: 'd-writing', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    store.deliveries.markWriting('d-writing');
    clock.advance(1);
    store.deliveries.begin({ id: 'd-pending', orderId: 'o2', cardNumber: CARD, cardUid: UID });
    clock.advance(1);
    store.deliveries.begin({ id: 'd-done', orderId: 'o3', cardNumber: CARD, cardUid: UID });
    store.deliveries.markWriting('d-done');
    store.deliveries.complete('d-done', { kind: 'topup', amountCents: 100, balanceCents: 100 });
    store.deliveries.begin({ id: 'd-gone', orderId: 'o4', cardNumber: CARD, cardUid: UID });
    store.deliveries.abandon('d-gone', 'timeout');
    store.deliveries.begin({ id: 'd-other', orderId: 'x1', cardNumber: OTHER_CARD, cardUid: 'OTHERUID' });

    expect(store.deliveries.unsettledForCard(CARD).map((d) => [d.id, d.state])).toEqual([
      ['d-writing', 'writing'],
      ['d-pending', 'pending'],
    ]);
    expect(store.deliveries.unsettledForCard(OTHER_CARD).map((d) => d.id)).toEqual(['d-other']);
    expect(store.deliveries.unsettledCount()).toBe(3);
  });
});

describe('attempts released by a technician: the card decides when it is read again', () => {
  const RELEASED = 'released by a technician';

  it('a released attempt is a candidate until its card is read; applied → written, order delivered, reported once', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.markWriting('d1');
    store.deliveries.abandon('d1', RELEASED);
    expect(store.deliveries.releasedForCard(CARD).map((d) => d.id)).toEqual(['d1']);
    expect(store.deliveries.confirmReleased('d1', TOPUP)).toMatchObject({ state: 'written', failure: null, outcome: TOPUP });
    expect(store.orders.get('o1')?.status).toBe('delivered');
    expect(store.outbox.pending(10).map((i) => i.deliveryId)).toEqual(['d1']);
    expect(store.deliveries.releasedForCard(CARD)).toEqual([]);
    // idempotent, and never from any other abandoned attempt
    expect(store.deliveries.confirmReleased('d1', TOPUP).state).toBe('written');
    expect(store.outbox.pending(10)).toHaveLength(1);
  });

  it('not applied → closed for good; an attempt abandoned for another reason is never a candidate', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.abandon('d1', RELEASED);
    expect(store.deliveries.closeReleased('d1').failure).toMatch(/not on the card/);
    expect(store.deliveries.releasedForCard(CARD)).toEqual([]);
    expect(() => store.deliveries.confirmReleased('d1', TOPUP)).toThrow(StoreConflictError);
    begin(store, 'd2');
    store.deliveries.abandon('d2', 'cardRemoved');
    expect(store.deliveries.releasedForCard(CARD)).toEqual([]);
    expect(() => store.deliveries.confirmReleased('d2', TOPUP)).toThrow(StoreConflictError);
  });

  it('no longer a candidate once the order is delivered (here or, by sync, elsewhere) or another attempt is under way', () => {
    const { store } = setup();
    begin(store);
    store.deliveries.abandon('d1', RELEASED);
    begin(store, 'd2');
    expect(store.deliveries.releasedForCard(CARD)).toEqual([]);
    store.deliveries.abandon('d2', 'cardRemoved');
    expect(store.deliveries.releasedForCard(CARD).map((d) => d.id)).toEqual(['d1']);
    store.orders.setStatus('o1', 'delivered'); // as sync sets it for a pickup elsewhere
    expect(store.deliveries.releasedForCard(CARD)).toEqual([]);
  });
});
