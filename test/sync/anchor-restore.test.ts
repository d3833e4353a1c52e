// ATTACK (issue 10): after a restore from a backup (same epoch), the anchor order is changed again in
// the restored database so that its seq lands at (or past) the kiosk's cursor: the head is
// not below the cursor, the anchor did not "go back", so no reset — and every order placed
// in the restored database up to the cursor was skipped silently. The anchor now names the
// change (a random id per change), which the restored database never had. On SQLite (a copy
// of the file), and on two instances sharing PostgreSQL (a pg_dump restored into a new database).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ANNA, BRAM, eventually, forEachEngine, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from '../sync/helpers.js';

forEachEngine((engine) => {
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('restored back office, anchor order changed again', () => {
  it('every order of the restored database reaches the kiosk', async () => {
    const tmp = tempDir();
    let office: OfficeUnderTest = await engine.start(tmp.dir);
    const token = await office.kioskToken('k1');
    const kfile = join(tmp.dir, 'k1.db');
    let k: TestKioskSync = startKioskSync(kfile, office.url, token);
    cleanup.push(async () => {
      await k.close().catch(() => undefined);
      await office.close().catch(() => undefined);
      tmp.remove();
    });
    const early = [await office.topup(ANNA, 100), await office.topup(BRAM, 101)]; // seq 1, 2
    await eventually(() => early.every((id) => k.store.orders.get(id)), 4000, 'early');
    const backup = await office.backup(); // head 2
    for (let i = 0; i < 5; i++) await office.topup(BRAM, 200 + i); // seq 3..7, lost with the restore
    await office.shop.store.cancelOrder(early[0] as string); // seq 8: the kiosk's anchor is early[0]
    await k.client.syncNow();
    await eventually(() => k.store.sync.cursor() === '8', 4000, 'cursor 8');
    await k.close();

    await office.close();
    office = await office.restart({ restore: backup });
    const fresh: string[] = [];
    for (let i = 0; i < 5; i++) fresh.push(await office.topup(ANNA, 300 + i)); // seq 3..7 in the restored db
    await office.shop.store.cancelOrder(early[0] as string); // seq 8 again, the same anchor
    expect(await office.store.head()).toBe(8);

    k = startKioskSync(kfile, office.url, token);
    await k.client.syncNow();
    await new Promise((r) => setTimeout(r, 300));
    const atKiosk = fresh.filter((id) => k.store.orders.get(id)?.status === 'pending');
    // Before the fix: [] and no feed reset; the five paid orders never reached the kiosk.
    expect({ atKiosk, resets: k.store.sync.resets().length }).toEqual({ atKiosk: fresh, resets: 1 });
  });
});
});
