// ATTACK (issue 11): the kiosk kept every kaartservicecode forever — after delivery, cancel
// or expiry — so a stolen disk gave all of them away. Codes are now sealed to their cards
// (test/sealed-codes.test.ts), and even the sealed form is kept only while it can still be
// needed: an order's until it is delivered, cancelled or expired (forgotten in the same
// statement), a delivery's for the day after its report in which the same card shows it
// again; then the sweep (`forgetCodes`) forgets it, the WAL emptied too.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { OrderChange } from '../protocol/kiosk-api.js';
import { pickUp } from '../test/sync/helpers.js';
import { openStore } from './index.js';
import { sealedFixture, testClock, useTempFiles } from './test-helpers.js';

const files = useTempFiles();
const CARD = '3528010012345678';
const DAY = 86_400_000;
const code = (n: number) => sealedFixture(`CODE-${n}111-2222`);

function contents(file: string): string {
  const raw = new Database(file, { readonly: true });
  const text = JSON.stringify([raw.prepare('SELECT * FROM orders').all(), raw.prepare('SELECT * FROM deliveries').all(), raw.prepare('SELECT * FROM outbox').all()]);
  raw.close();
  return text;
}

const change = (n: number, status: OrderChange['status'], version: number): OrderChange =>
  status === 'pending'
    ? { orderId: `o${n}`, status, cardNumber: CARD, serial: n, version, change: `change-${n}-${version}`, voidSerials: null, payload: { kind: 'kaartservicecode', sealed: code(n) }, signature: 's'.repeat(86), createdAt: '2026-11-20T09:00:00.000Z', expiresAt: '2026-12-04T09:00:00.000Z' }
    : { orderId: `o${n}`, status, cardNumber: CARD, serial: n, version, change: `change-${n}-${version}`, voidSerials: null, payload: null, signature: 's'.repeat(86), createdAt: '2026-11-20T09:00:00.000Z', expiresAt: '2026-12-04T09:00:00.000Z' };

describe('sealed kaartservicecodes are forgotten once no one can need them', () => {
  it('cancelled, expired and picked up elsewhere: forgotten as the feed says so; delivered here: the order at once, the outcome a day after its report', () => {
    const clock = testClock('2026-11-20T10:00:00.000Z');
    const store = openStore(files.path(), { now: clock.now });
    store.sync.applyChanges([1, 2, 3, 4, 5, 6].map((n) => change(n, 'pending', n)), '6', { epoch: 'epoch-aaaa' });
    store.sync.applyChanges([change(1, 'cancelled', 7), change(2, 'expired', 8), change(6, 'delivered', 9)], '9', { epoch: 'epoch-aaaa' });
    pickUp(store, 'o3');
    store.outbox.ack('d-o3');
    clock.advance(DAY + 60_000);
    pickUp(store, 'o4'); // reported now: the card shows it again for a day
    store.outbox.ack('d-o4');
    // Without any sweep: the orders that left `pending` hold no code any more.
    for (const gone of [1, 2, 4, 6]) {
      const order = store.orders.get(`o${gone}`);
      expect(order?.payload, `o${gone}`).toEqual({ kind: 'kaartservicecode', sealed: 'forgotten' });
    }
    expect(store.deliveries.get('d-o4')?.outcome).toEqual({ kind: 'kaartservicecode', sealed: code(4) });

    store.deliveries.forgetCodes(new Date(clock.now().getTime() - DAY).toISOString());
    const file = store.file;
    // Nor in the WAL, which holds the old pages until emptied (read while the store is open).
    const wal = readFileSync(`${file}-wal`).toString('latin1');
    for (const gone of [1, 2, 3, 6]) expect(wal.includes(code(gone)), `${code(gone)} in the WAL`).toBe(false);
    store.close();
    const text = contents(file);
    const bytes = readFileSync(file).toString('latin1');
    for (const gone of [1, 2, 3, 6]) {
      expect(text).not.toContain(code(gone));
      // Nor in the file's bytes (freed space is zeroed: secure_delete).
      expect(bytes.includes(code(gone)), code(gone)).toBe(false);
    }
    expect(text).toContain(code(4)); // the delivery's outcome: shown again on the card's next tap, until tomorrow
    expect(text).toContain(code(5)); // still to be picked up
  });

  it('a pending order more than a day past its deadline (a kiosk that was offline) loses its code at the sweep', () => {
    const clock = testClock('2026-11-20T10:00:00.000Z');
    const store = files.open('kiosk.db', { now: clock.now });
    store.sync.applyChanges([change(1, 'pending', 1)], '1', { epoch: 'epoch-aaaa' });
    clock.set('2026-12-04T10:00:00.000Z'); // an hour past its deadline
    expect(store.deliveries.forgetCodes(new Date(clock.now().getTime() - DAY).toISOString())).toBe(0);
    clock.set('2026-12-05T10:00:00.000Z'); // a day and an hour
    expect(store.deliveries.forgetCodes(new Date(clock.now().getTime() - DAY).toISOString())).toBe(1);
    expect(store.orders.get('o1')?.payload).toEqual({ kind: 'kaartservicecode', sealed: 'forgotten' });
  });

  it('codes a kiosk of before kept in clear are forgotten when the store opens', () => {
    const first = openStore(files.path());
    first.close();
    const raw = new Database(files.path());
    raw.prepare(`DELETE FROM sync_state WHERE key = 'clear-codes-forgotten'`).run(); // a database of before
    raw.prepare(`INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at, serial) VALUES ('old', ?, ?, 'pending', ?, NULL, ?, 1)`)
      .run(CARD, JSON.stringify({ kind: 'kaartservicecode', code: '4821-9034-7713' }), '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z');
    raw.close();
    const store = files.open();
    expect(store.orders.get('old')?.payload).toEqual({ kind: 'kaartservicecode', sealed: 'forgotten' });
    const disk = ['', '-wal'].map((s) => { try { return readFileSync(`${store.file}${s}`).toString('latin1'); } catch { return ''; } }).join('');
    expect(disk.includes('4821-9034-7713')).toBe(false);
  });
});
