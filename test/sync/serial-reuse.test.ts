// ATTACK (issue 10): a back office restored from a backup (same epoch) or replaced by a new
// database handed out per-card serials again from its own card_counters; the card's ledger
// already covered them, so the new order was "already on the card": never offered, never
// delivered, and nothing said so. Now the back office notices (the watermark beside its
// file; on PostgreSQL, in each instance's data dir) and every card's next serial skips a gap
// that the order names as void. The first part on SQLite and on two instances sharing
// PostgreSQL (a backup there is a pg_dump restored into a new database).
import { randomUUID } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutV1 } from '../../hardware/card-layout.js';
import { openBackOfficeDb, SERIAL_GAP } from '../../backoffice/db.js';
import { createDeliveryService } from '../../kiosk/delivery.js';
import { ANNA, annaOnReader, eventually, forEachEngine, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from './helpers.js';

const silent = pino({ level: 'silent' });
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

forEachEngine((engine) => {
describe('serials never go back after a back office restore or a new database', () => {
  for (const mode of ['restored from a backup', 'a new database'] as const) {
    it(`(${mode}) a new order is offered and delivered on a card that holds the lost order's serial`, async () => {
      const tmp = tempDir();
      let office: OfficeUnderTest = await engine.start(tmp.dir);
      const token = await office.kioskToken('k1');
      const backup = await office.backup(); // before any order of ANNA
      const k: TestKioskSync = startKioskSync(join(tmp.dir, 'k1.db'), office.url, token);
      cleanup.push(async () => {
        await k.close().catch(() => undefined);
        await office.close().catch(() => undefined);
        tmp.remove();
      });
      const { card, reader } = annaOnReader(1000);
      const delivery = createDeliveryService({ reader, codec: layoutV1, store: k.store, now: () => new Date(), newId: randomUUID, log: silent });

      const first = await office.topup(ANNA, 100); // serial 1
      await eventually(() => k.store.orders.get(first)?.serial === 1, 4000, 'first order');
      await delivery.readCard(card.uid);
      const o1 = delivery.lookupOrders(ANNA).find((o) => o.id === first);
      expect(o1).toBeDefined();
      await delivery.deliver({ uid: card.uid, cardNumber: ANNA, order: o1! });
      await eventually(() => k.store.outbox.depth() === 0, 4000, 'report');
      // A second order reaches the kiosk but is lost with the restore (serial 2).
      const lost = await office.topup(ANNA, 300);
      await eventually(() => k.store.orders.get(lost)?.serial === 2, 4000, 'the order lost later');

      // The operator restores the backup (or starts over with a new database).
      await office.close();
      office = await office.restart(mode === 'restored from a backup' ? { restore: backup } : { fresh: true });
      // (the kiosk keeps talking to the old URL: restart its client on the new one)
      await k.client.stop();
      const k2 = startKioskSync(join(tmp.dir, 'k1.db'), office.url, token);
      cleanup.push(() => k2.close().catch(() => undefined));
      k.store.close();

      const second = await office.topup(ANNA, 200); // a new order, paid for
      await eventually(() => k2.store.orders.get(second)?.status === 'pending', 6000, 'second order at the kiosk');
      const serial2 = k2.store.orders.get(second)?.serial;
      const delivery2 = createDeliveryService({ reader, codec: layoutV1, store: k2.store, now: () => new Date(), newId: randomUUID, log: silent });
      await delivery2.readCard(card.uid);
      const offered = delivery2.lookupOrders(ANNA);
      // Before the fix: serial 1 again, covered by the card's ledger (L = 1): not offered.
      expect(serial2).toBe(SERIAL_GAP + 1);
      expect(k2.store.sync.voids(ANNA)).toEqual([[1, SERIAL_GAP]]);
      expect(offered.map((o) => o.id)).toEqual([second]);
      // The lost order is still in this kiosk's cache, but its serial is void: not offered
      // (above), and refused if asked for.
      expect(k2.store.orders.get(lost)?.status).toBe('pending');
      await expect(
        delivery2.deliver({ uid: card.uid, cardNumber: ANNA, order: { id: lost, kind: 'topup', orderedAt: '', amountCents: 300 } }),
      ).rejects.toMatchObject({ code: 'orderUnavailable' });
      // Written: the card's mark skips the void serials, the balance has both top-ups.
      await delivery2.deliver({ uid: card.uid, cardNumber: ANNA, order: offered[0]! });
      const after = await delivery2.readCard(card.uid);
      expect(after.balanceCents).toBe(1000 + 100 + 200);
      expect(layoutV1.decode(new Map(layoutV1.blocksToRead.map((n) => [n, card.blocks[n] as Uint8Array]))).state.ledger).toEqual({ lowWater: SERIAL_GAP + 1, applied: [] });
      await eventually(() => k2.store.outbox.depth() === 0, 4000, 'second report');
      expect(await office.shop.store.getOrder(second)).toMatchObject({ status: 'delivered', conflict: null });
      // Noticed by the watermark at start (the kiosk naming a change this database never had
      // then opens no second generation; nor does the second instance on PostgreSQL).
      expect(await office.store.serialGeneration()).toBe(1);
    });
  }
});
});

describe('the same backup restored twice', () => {
  it('hands out no serial of the first restore again (the watermark keeps the generation)', () => {
    const tmp = tempDir();
    cleanup.push(async () => tmp.remove());
    const file = join(tmp.dir, 'backoffice.db');
    const backup = join(tmp.dir, 'backup.db');
    const open = () => openBackOfficeDb(file, { now: () => new Date(), pickupWindowMs: 86_400_000 });
    const place = (db: ReturnType<typeof open>) => db.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 }).id;
    const serialOf = (db: ReturnType<typeof open>, id: string) => (db.changesSince(0, 10_000).changes.find((c) => c.orderId === id)?.serial ?? 0);
    const restore = () => {
      for (const s of ['', '-wal', '-shm']) rmSync(`${file}${s}`, { force: true });
      copyFileSync(backup, file);
    };
    let db = open();
    place(db); // serial 1
    db.db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(file, backup);
    place(db);
    place(db); // serials 2, 3: lost with the restores
    db.close();

    restore();
    db = open();
    const first = serialOf(db, place(db));
    db.close();
    restore();
    db = open();
    const second = serialOf(db, place(db));
    db.close();
    expect(first).toBe(1 + SERIAL_GAP + 1);
    expect(second).toBe(1 + 2 * SERIAL_GAP + 1);
  });
});
