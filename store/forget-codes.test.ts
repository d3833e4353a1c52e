// ATTACK (issue 11): the kiosk kept every kaartservicecode forever — after delivery, cancel
// or expiry — so a stolen disk gave all of them away. Now a code is kept only while it can
// still be needed: until its order is delivered and reported (then for the day in which the
// same card shows it again), or cancelled or expired.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { pickUp } from '../test/sync/helpers.js';
import { openStore } from './index.js';
import { testClock, useTempFiles } from './test-helpers.js';

const files = useTempFiles();
const CARD = '3528010012345678';
const DAY = 86_400_000;

describe('kaartservicecodes are forgotten once no one can need them', () => {
  it('cancelled, expired, and reported more than a day ago: no code left in the file; pending and lately reported ones kept', () => {
    const clock = testClock('2026-11-20T10:00:00.000Z');
    const store = openStore(files.path(), { now: clock.now });
    const code = (n: number) => `CODE-${n}111-2222`;
    for (const n of [1, 2, 3, 4, 5]) {
      store.orders.upsert({ id: `o${n}`, cardNumber: CARD, payload: { kind: 'kaartservicecode', code: code(n) }, createdAt: clock.iso(), expiresAt: null });
    }
    store.sync.applyChanges([], '0', { epoch: 'epoch-aaaa' });
    store.orders.setStatus('o1', 'cancelled');
    store.orders.setStatus('o2', 'expired');
    pickUp(store, 'o3');
    store.outbox.ack('d-o3');
    clock.advance(DAY + 60_000);
    pickUp(store, 'o4'); // reported now: the card shows it again for a day
    store.outbox.ack('d-o4');

    expect(store.deliveries.forgetCodes(new Date(clock.now().getTime() - DAY).toISOString())).toBe(3);
    const file = store.file;
    // Nor in the WAL, which holds the old pages until emptied (read while the store is open).
    const wal = readFileSync(`${file}-wal`).toString('latin1');
    for (const gone of [1, 2, 3]) expect(wal.includes(code(gone)), `${code(gone)} in the WAL`).toBe(false);
    store.close();
    const raw = new Database(file, { readonly: true });
    const text = JSON.stringify([
      raw.prepare('SELECT * FROM orders').all(),
      raw.prepare('SELECT * FROM deliveries').all(),
      raw.prepare('SELECT * FROM outbox').all(),
    ]);
    raw.close();
    for (const gone of [1, 2, 3]) expect(text).not.toContain(code(gone));
    // Nor in the file's bytes (freed space is zeroed: secure_delete).
    const bytes = readFileSync(file).toString('latin1');
    for (const gone of [1, 2, 3]) expect(bytes.includes(code(gone)), code(gone)).toBe(false);
    expect(text).toContain(code(4)); // shown again on the card's next tap, until tomorrow
    expect(text).toContain(code(5)); // still to be picked up
  });
});
