// Retention: delivered rows, acknowledged reports, closed orders and old audit entries go
// after RETENTION_DAYS; nothing still open (pending order, attempt in flight, report not
// acknowledged, attempt released by a technician, unpushed audit) is touched.
import { describe, expect, it } from 'vitest';
import { RELEASED_BY_TECHNICIAN, RETENTION_DAYS } from './index.js';
import { CARD, testClock, UID, useTempFiles } from './test-helpers.js';

const files = useTempFiles();
const DAY_MS = 86_400_000;

function topup(id: string, createdAt: string) {
  return { id, cardNumber: CARD, payload: { kind: 'topup' as const, amountCents: 500 }, createdAt, expiresAt: null };
}

describe('store.retention.prune', () => {
  it(`deletes what is done and older than ${RETENTION_DAYS} days, keeps everything still open`, () => {
    const clock = testClock('2026-01-01T09:00:00.000Z');
    const store = files.open('kiosk.db', { now: clock.now });
    const pickUp = (orderId: string, ack: boolean) => {
      store.orders.upsert(topup(orderId, clock.iso()));
      const id = `d-${orderId}`;
      store.deliveries.begin({ id, orderId, cardNumber: CARD, cardUid: UID });
      store.deliveries.markWriting(id);
      store.deliveries.complete(id, { kind: 'topup', amountCents: 500, balanceCents: 1500 });
      if (ack) store.outbox.ack(id);
    };
    pickUp('o-acked', true);
    pickUp('o-unacked', false);
    store.orders.upsert(topup('o-pending', clock.iso()));
    store.orders.upsert(topup('o-released', clock.iso()));
    store.deliveries.begin({ id: 'd-released', orderId: 'o-released', cardNumber: CARD, cardUid: UID });
    store.deliveries.abandon('d-released', RELEASED_BY_TECHNICIAN);
    store.orders.upsert(topup('o-cancelled', clock.iso()));
    store.orders.setStatus('o-cancelled', 'cancelled');
    const synced = store.maintenance.audit.append({ actor: 't1', action: 'login' });
    store.maintenance.audit.markSynced([synced.id]);
    store.maintenance.audit.append({ actor: 't1', action: 'exit' }); // never pushed

    clock.advance((RETENTION_DAYS - 1) * DAY_MS);
    expect(store.retention.prune(clock.iso())).toEqual({ outbox: 0, deliveries: 0, orders: 0, audit: 0, receipts: 0 });

    clock.advance(2 * DAY_MS);
    expect(store.retention.prune(clock.iso())).toEqual({ outbox: 1, deliveries: 1, orders: 2, audit: 1, receipts: 0 });
    expect(store.orders.get('o-acked')).toBeUndefined();
    expect(store.orders.get('o-cancelled')).toBeUndefined();
    expect(store.deliveries.forOrder('o-acked')).toEqual([]);
    // Still open: kept.
    expect(store.orders.get('o-pending')?.status).toBe('pending');
    expect(store.orders.get('o-unacked')?.status).toBe('delivered');
    expect(store.deliveries.forOrder('o-unacked').map((d) => d.state)).toEqual(['written']);
    expect(store.outbox.depth()).toBe(1);
    expect(store.deliveries.forOrder('o-released').map((d) => d.state)).toEqual(['abandoned']);
    expect(store.maintenance.audit.recent(10).map((a) => a.action)).toEqual(['exit']);

    // Acknowledged later: its retention counts from the acknowledgement.
    store.outbox.ack('d-o-unacked');
    expect(store.retention.prune(clock.iso()).outbox).toBe(0);
    clock.advance((RETENTION_DAYS + 1) * DAY_MS);
    expect(store.retention.prune(clock.iso())).toMatchObject({ outbox: 1, deliveries: 1, orders: 1 });
  });
});

describe('a backlog', () => {
  it('is deleted in batches of at most `limit` rows per table', () => {
    const clock = testClock('2026-01-01T09:00:00.000Z');
    const store = files.open('kiosk.db', { now: clock.now });
    for (let i = 0; i < 5; i++) {
      store.orders.upsert(topup(`o-${i}`, clock.iso()));
      store.orders.setStatus(`o-${i}`, 'cancelled');
    }
    clock.advance((RETENTION_DAYS + 1) * DAY_MS);
    expect(store.retention.prune(clock.iso(), 2).orders).toBe(2);
    expect(store.retention.prune(clock.iso(), 2).orders).toBe(2);
    expect(store.retention.prune(clock.iso(), 2).orders).toBe(1);
    expect(store.retention.prune(clock.iso(), 2).orders).toBe(0);
  });
});

describe('receipt marks (print once)', () => {
  it(`are deleted ${RETENTION_DAYS} days after the receipt, in batches; recent marks and other settings stay`, () => {
    const clock = testClock('2026-01-01T09:00:00.000Z');
    const store = files.open('kiosk.db', { now: clock.now });
    const settings = store.maintenance.settings;
    for (let i = 0; i < 3; i++) settings.set(`receipt:o-old-${i}`, clock.iso());
    // Not a receipt mark, however old its value looks: retention leaves it alone.
    settings.set('outOfService', clock.iso());
    clock.advance((RETENTION_DAYS - 1) * DAY_MS);
    settings.set('receipt:o-recent,o-recent-2', clock.iso());
    expect(store.retention.prune(clock.iso()).receipts).toBe(0);

    clock.advance(2 * DAY_MS);
    expect(store.retention.prune(clock.iso(), 2).receipts).toBe(2);
    expect(store.retention.prune(clock.iso(), 2).receipts).toBe(1);
    expect(store.retention.prune(clock.iso(), 2).receipts).toBe(0);
    for (let i = 0; i < 3; i++) expect(settings.get(`receipt:o-old-${i}`)).toBeNull();
    expect(settings.get('receipt:o-recent,o-recent-2')).not.toBeNull();
    expect(settings.get('outOfService')).not.toBeNull();
  });
});
