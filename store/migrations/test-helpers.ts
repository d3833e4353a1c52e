// Representative rows of each schema version of the kiosk store, written with plain SQL
// (as a kiosk of that version would have left them), for the migration tests.
import type Database from 'better-sqlite3';

export const CARD = '3528010012345678';
const T0 = '2025-03-01T08:00:00.000Z';
const T1 = '2025-03-01T08:05:00.000Z';

/** Version 1: orders in each status, deliveries in each state, acked and unacked reports. */
export function seedVersion1(db: Database.Database): void {
  const order = db.prepare(
    `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  order.run('o-pending', CARD, '{"kind":"topup","amountCents":500}', 'pending', T0, '2025-04-01T08:00:00.000Z', T0);
  order.run('o-writing', CARD, '{"kind":"kaartservicecode","code":"1234-5678-9012"}', 'pending', T0, null, T0);
  order.run(
    'o-delivered',
    CARD,
    '{"kind":"product","productCode":"DAL_VOORDEEL","validFrom":"2025-03-01","validUntil":"2026-02-28"}',
    'delivered',
    T0,
    null,
    T1,
  );
  order.run('o-reported', CARD, '{"kind":"topup","amountCents":700}', 'delivered', T0, null, T1);
  order.run('o-cancelled', CARD, '{"kind":"topup","amountCents":900}', 'cancelled', T0, null, T1);
  order.run('o-expired', '3528010087654321', '{"kind":"topup","amountCents":100}', 'expired', T0, T1, T1);

  const delivery = db.prepare(
    `INSERT INTO deliveries (id, order_id, card_number, card_uid, state, outcome, failure, created_at, updated_at)
     VALUES (?, ?, ?, 'U1', ?, ?, ?, ?, ?)`,
  );
  delivery.run('d-abandoned', 'o-writing', CARD, 'abandoned', null, 'cardRemoved', T0, T1);
  delivery.run('d-writing', 'o-writing', CARD, 'writing', null, null, T1, T1);
  delivery.run(
    'd-written',
    'o-delivered',
    CARD,
    'written',
    '{"kind":"product","product":{"productCode":"DAL_VOORDEEL","validFrom":"2025-03-01","validUntil":"2026-02-28"}}',
    null,
    T0,
    T1,
  );
  delivery.run('d-reported', 'o-reported', CARD, 'reported', '{"kind":"topup","amountCents":700,"balanceCents":1200}', null, T0, T1);

  const report = (deliveryId: string, orderId: string, kind: string) =>
    JSON.stringify({ deliveryId, orderId, cardNumber: CARD, deliveredAt: T1, kind });
  db.prepare(`INSERT INTO outbox (delivery_id, report, attempts, created_at, last_attempt_at, acked_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
    'd-reported',
    report('d-reported', 'o-reported', 'topup'),
    2,
    T1,
    T1,
    T1,
  );
  db.prepare(`INSERT INTO outbox (delivery_id, report, attempts, created_at) VALUES (?, ?, 0, ?)`).run(
    'd-written',
    report('d-written', 'o-delivered', 'product'),
    T1,
  );
}

/** Version 2: version 1's rows, a cursor, and a cancel kept back for the order being written. */
export function seedVersion2(db: Database.Database): void {
  seedVersion1(db);
  db.prepare(`UPDATE orders SET remote_status = 'cancelled' WHERE id = 'o-writing'`).run();
  db.prepare(`INSERT INTO sync_state (key, value) VALUES ('cursor', '42')`).run();
}
