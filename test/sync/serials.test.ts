// The back office numbers every order per card (the serial the card's ledger records) and
// gives every change a version that only grows; the feed carries both.
import { afterEach, describe, expect, it } from 'vitest';
import { changesPageSchema } from '../../protocol/kiosk-api.js';
import { ANNA, BRAM, forEachEngine, tempDir, type OfficeUnderTest } from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL (orders through A, the feed read from B).
forEachEngine((engine) => {
let office: OfficeUnderTest | null = null;
let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(async () => {
  await office?.close();
  tmp?.remove();
  office = null;
  tmp = null;
});

describe('per-card serials and per-order versions on the feed', () => {
  it('numbers each card’s orders 1, 2, 3…; a change’s version grows with every change of the order', async () => {
    tmp = tempDir();
    office = await engine.start(tmp.dir);
    const a1 = await office.topup(ANNA);
    const b1 = await office.topup(BRAM);
    const a2 = await office.topup(ANNA);
    const a3 = await office.topup(ANNA);
    const before = changesPageSchema.parse(JSON.parse(await office.store.changesJsonSince(0, 100)));
    const serial = (id: string) => before.changes.find((c) => c.orderId === id)?.serial;
    expect([serial(a1), serial(a2), serial(a3), serial(b1)]).toEqual([1, 2, 3, 1]);
    const v1 = before.changes.find((c) => c.orderId === a2)?.version ?? 0;

    expect((await office.online('POST', `/orders/${a2}/cancel`)).status).toBe(200);
    const after = changesPageSchema.parse(JSON.parse(await office.store.changesJsonSince(0, 100)));
    const cancelled = after.changes.find((c) => c.orderId === a2);
    expect(cancelled).toMatchObject({ status: 'cancelled', serial: 2 });
    expect(cancelled?.version).toBeGreaterThan(v1);
    // the object path says the same as the JSON path
    expect((await office.store.changesSince(0, 100)).changes).toEqual(after.changes);
  });
});
});
