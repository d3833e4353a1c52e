// Representative rows of each schema version of the back office database, written with
// plain SQL (as a back office of that version would have left them), for the migration tests.
import type Database from 'better-sqlite3';

const T0 = '2026-11-21T10:00:00.000Z';
const T1 = '2026-11-21T10:03:12.000Z';
const ANNA = '3528010012345678';

/** Version 1: orders in every status on the feed, a pickup with a conflict, kiosks, a technician, e-mails. */
export function seedVersion1(db: Database.Database): void {
  const order = db.prepare(
    `INSERT INTO orders VALUES (?, ?, 'anna@example.org', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  order.run('o-1', ANNA, 'topup', '{"kind":"topup","amountCents":2000}', 'pending', T0, '2026-12-05T10:00:00.000Z', T0, 1, null, null, null, null);
  order.run('o-2', ANNA, 'kaartservicecode', '{"kind":"kaartservicecode","code":"1234-5678-9012"}', 'delivered', T0, null, T1, 4, T1, 'k1', 'd-2', null);
  order.run('o-3', ANNA, 'topup', '{"kind":"topup","amountCents":500}', 'delivered', T0, null, T1, 5, T1, 'k2', 'd-3', 'picked up after it was cancelled');
  order.run('o-4', ANNA, 'topup', '{"kind":"topup","amountCents":700}', 'expired', T0, T1, T1, 6, null, null, null, null);
  db.prepare(`UPDATE counters SET value = 6 WHERE name = 'seq'`).run();

  const pickup = db.prepare(`INSERT INTO pickups VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  pickup.run('d-2', 'o-2', 'k1', ANNA, 'kaartservicecode', T1, T1, null);
  pickup.run('d-3', 'o-3', 'k2', ANNA, 'topup', T1, T1, 'picked up after it was cancelled');

  const kiosk = db.prepare(`INSERT INTO kiosks VALUES (?, ?, ?, ?, ?)`);
  kiosk.run('k1', 'Kiosk Utrecht Centraal 1', 'a'.repeat(64), T1, '{"cursor":"6","outboxDepth":0,"online":true}');
  kiosk.run('k2', 'Kiosk Utrecht Centraal 2', 'b'.repeat(64), null, null);

  db.prepare(`INSERT INTO technicians VALUES ('T-0001', '3528010000000001', 'aa', 'bb', '{"N":16384,"r":8,"p":1,"keylen":32}')`).run();

  const email = db.prepare(`INSERT INTO emails (order_id, to_address, template, created_at, attempts, last_error, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  email.run('o-1', 'anna@example.org', 'ready', T0, 1, null, T0);
  email.run('o-2', 'anna@example.org', 'picked-up', T1, 2, 'smtp: timeout', null);
}
