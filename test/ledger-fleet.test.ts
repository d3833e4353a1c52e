// Exactly once across a fleet (issue 10): two kiosks on one back office over real HTTP,
// real SQLite files, one card carried between them. The card's ledger of order serials
// decides, however many deliveries happened elsewhere in between.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { readCard } from '../hardware/card-io.js';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS, type DecodedCard } from '../hardware/card-layout.js';
import { SimulatedCard, SimulatedReader } from '../hardware/simulated-reader.js';
import { KioskFailure } from '../domain/index.js';
import { createDeliveryService, type DeliveryService } from '../kiosk/delivery.js';
import { RELEASED_BY_TECHNICIAN } from '../store/index.js';
import { ANNA, eventually, startBackOffice, startKioskSync, tempDir, type RunningBackOffice, type TestKioskSync } from './sync/helpers.js';

const silent = pino({ level: 'silent' });
const BALANCE = 1250;
const TOPUP = 500;
/** A delivery reads the card (15 blocks) and writes its record (6): tear before the verify read. */
const TEAR_AFTER_RECORD_WRITE = layoutV1.blocksToRead.length + 6;

interface FleetKiosk {
  readonly id: string;
  readonly reader: SimulatedReader;
  sync: TestKioskSync;
  delivery: DeliveryService;
  /** Holds the card to this kiosk's reader (taking it from wherever it was). */
  hold(): string;
  /** The card read as the kiosk reads it (settling its open attempts). */
  read(): Promise<unknown>;
  offered(): string[];
  deliver(orderId: string): Promise<unknown>;
  /** Pulls the feed and pushes the outbox now. */
  syncNow(): Promise<void>;
  goOffline(): Promise<void>;
  goOnline(): void;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function fleet() {
  const tmp = tempDir();
  const office = await startBackOffice(tmp.dir);
  const card = new SimulatedCard(
    '04A1B2C3',
    // Issued with today's layout (v1, an empty journal): the first write upgrades it. Its
    // seal key opens the kaartservicecodes the back office seals to it.
    issueCardBlocks(layoutV1, { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31', sealKey: office.bo.db.cardSealKey(ANNA) }, {
      balanceCents: BALANCE,
      products: Array.from({ length: PRODUCT_SLOTS }, () => null),
      journal: [],
    }),
  );
  const readers: SimulatedReader[] = [];
  const kiosks: FleetKiosk[] = [];

  function kiosk(id: string): FleetKiosk {
    const reader = new SimulatedReader();
    readers.push(reader);
    const file = join(tmp.dir, `${id}.db`);
    const build = () => startKioskSync(file, office.url, office.kioskToken(id));
    const service = (sync: TestKioskSync) =>
      createDeliveryService({ reader, codec: layoutV1, store: sync.store, now: () => new Date(), newId: randomUUID, log: silent });
    let online = true;
    const self: FleetKiosk = {
      id,
      reader,
      sync: build(),
      delivery: null as unknown as DeliveryService,
      hold() {
        for (const r of readers) r.remove();
        reader.tap(card);
        return reader.card()?.uid ?? '';
      },
      read: () => self.delivery.readCard(card.uid),
      offered: () => self.delivery.lookupOrders(ANNA).map((o) => o.id),
      async deliver(orderId) {
        const order = self.delivery.lookupOrders(ANNA).find((o) => o.id === orderId) ?? { id: orderId, kind: 'topup', orderedAt: '', amountCents: 1 };
        return self.delivery.deliver({ uid: card.uid, cardNumber: ANNA, order });
      },
      async syncNow() {
        if (!online) return;
        await self.sync.client.syncNow();
        await eventually(() => self.sync.store.outbox.depth() === 0, 10_000, `${id}: outbox pushed`);
      },
      async goOffline() {
        online = false;
        await self.sync.client.stop();
      },
      goOnline() {
        online = true;
        self.sync.store.close();
        self.sync = build();
        self.delivery = service(self.sync);
      },
    };
    self.delivery = service(self.sync);
    kiosks.push(self);
    return self;
  }

  cleanup.push(async () => {
    for (const k of kiosks) await k.sync.close().catch(() => undefined);
    await office.close();
    tmp.remove();
  });
  return { office, card, kiosk };
}

async function onCard(card: SimulatedCard): Promise<DecodedCard> {
  const reader = new SimulatedReader();
  reader.tap(card);
  const access = reader.card();
  if (!access) throw new Error('no card');
  return readCard(access, layoutV1);
}

async function place(office: RunningBackOffice, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(office.bo.db.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'anna@example.org' }).id);
  return ids;
}

/** Kiosk A writes the top-up; the record lands, but the card leaves before A records it. */
async function landedButNotRecorded(a: FleetKiosk, orderId: string) {
  a.hold();
  await a.read();
  expect(a.offered()).toContain(orderId);
  a.reader.armTear(TEAR_AFTER_RECORD_WRITE, 'operations');
  await expect(a.deliver(orderId)).rejects.toMatchObject({ code: 'cardRemoved' });
  a.reader.disarmTear();
  expect(a.sync.store.deliveries.forOrder(orderId).map((d) => d.state)).toEqual(['writing']);
}

function expectFailure(promise: Promise<unknown>, code: string) {
  return expect(promise).rejects.toSatisfy((e) => e instanceof KioskFailure && e.code === code);
}

describe('a write that landed at kiosk A but was not recorded, then deliveries at kiosk B, then back at A', () => {
  it.each([0, 5, 6, 7, 50, 500])('%i deliveries elsewhere: applied exactly once, reported once, no conflict', async (n) => {
    const { office, card, kiosk } = await fleet();
    const a = kiosk('A');
    const b = kiosk('B');
    const topup = await office.topup(ANNA, TOPUP);
    const others = await place(office, n);
    await a.syncNow();
    await b.syncNow();

    await landedButNotRecorded(a, topup);
    expect((await onCard(card)).state.balanceCents).toBe(BALANCE + TOPUP);

    // At B: the top-up is on the card, so it is not offered there; the others are delivered.
    b.hold();
    await b.read();
    expect(b.offered()).not.toContain(topup);
    await expectFailure(b.deliver(topup), 'orderUnavailable');
    for (const id of others) await b.deliver(id);
    await b.syncNow();
    expect(office.bo.db.pickupCount()).toBe(n);

    // Back at A: the card proves the write landed.
    await a.syncNow();
    a.hold();
    await a.read();
    expect(a.sync.store.deliveries.forOrder(topup).map((d) => d.state)).toEqual(['written']);
    expect(a.offered()).toEqual([]);
    await a.syncNow();

    const final = await onCard(card);
    expect(final.state.balanceCents).toBe(BALANCE + TOPUP);
    expect(final.state.sequence).toBe(2 + n); // one record write per order, none twice
    expect(final.state.ledger).toEqual({ lowWater: n + 1, applied: [] });
    expect(office.bo.db.getOrder(topup)).toMatchObject({ status: 'delivered', pickedUpBy: 'A', conflict: null });
    expect(office.bo.db.pickupsForOrder(topup)).toBe(1);
    expect(office.bo.db.pickupCount()).toBe(n + 1);
    expect(office.bo.db.conflicts()).toEqual([]);
  }, 60_000);
});

describe('two kiosks, one order', () => {
  it('an order cached at an offline kiosk B after pickup at A (and 7 more there) is not written again at B', async () => {
    const { office, card, kiosk } = await fleet();
    const a = kiosk('A');
    const b = kiosk('B');
    const topup = await office.topup(ANNA, TOPUP);
    const more = await place(office, 7);
    await a.syncNow();
    await b.syncNow();
    await b.goOffline();

    a.hold();
    await a.read();
    await a.deliver(topup);
    for (const id of more) await a.deliver(id);
    await a.syncNow();

    b.hold();
    await b.read();
    expect(b.offered()).toEqual([]); // its cache says pending, the card says applied
    await expectFailure(b.deliver(topup), 'orderUnavailable');
    expect(b.sync.store.outbox.depth()).toBe(0);
    b.goOnline();
    await b.syncNow();

    expect((await onCard(card)).state.balanceCents).toBe(BALANCE + TOPUP);
    expect(office.bo.db.pickupsForOrder(topup)).toBe(1);
    expect(office.bo.db.conflicts()).toEqual([]);
    expect(b.sync.store.orders.get(topup)?.status).toBe('delivered');
  }, 30_000);
});

describe('two kiosks, one order, an attempt that did not land', () => {
  it("A's write does not land, B writes the order, A reads the card before it hears of B's pickup: one pickup, no false conflict", async () => {
    const { office, card, kiosk } = await fleet();
    const a = kiosk('A');
    const b = kiosk('B');
    const topup = await office.topup(ANNA, TOPUP);
    await a.syncNow();
    await b.syncNow();

    // At A the card leaves as the record write starts: nothing lands, the attempt stays open.
    a.hold();
    await a.read();
    a.reader.armTear(layoutV1.blocksToRead.length, 'operations');
    await expect(a.deliver(topup)).rejects.toMatchObject({ code: 'cardRemoved' });
    a.reader.disarmTear();
    expect(a.sync.store.deliveries.forOrder(topup).map((d) => d.state)).toEqual(['writing']);
    expect((await onCard(card)).state.balanceCents).toBe(BALANCE);
    await a.goOffline();

    b.hold();
    await b.read();
    await b.deliver(topup);
    await b.syncNow();

    // A has not heard of B's pickup: the card holds the order, so A takes it for its own.
    a.hold();
    await a.read();
    a.goOnline();
    await a.syncNow();

    expect((await onCard(card)).state.balanceCents).toBe(BALANCE + TOPUP);
    expect(office.bo.db.getOrder(topup)).toMatchObject({ status: 'delivered', pickedUpBy: 'B', conflict: null });
    expect(office.bo.db.pickupsForOrder(topup)).toBe(1);
    expect(office.bo.db.conflicts()).toEqual([]);
    expect(a.sync.store.outbox.depth()).toBe(0);
  }, 30_000);
});

describe('release by a technician, then the card back', () => {
  async function releaseAt(k: FleetKiosk) {
    const open = k.sync.store.deliveries.unsettledForCard(ANNA);
    for (const d of open) k.sync.store.deliveries.abandon(d.id, RELEASED_BY_TECHNICIAN);
    return open.length;
  }

  it('a released attempt whose write landed is recognised, delivered and reported once (7 deliveries at B in between)', async () => {
    const { office, card, kiosk } = await fleet();
    const a = kiosk('A');
    const b = kiosk('B');
    const topup = await office.topup(ANNA, TOPUP);
    const more = await place(office, 7);
    await a.syncNow();
    await b.syncNow();
    await landedButNotRecorded(a, topup);
    expect(await releaseAt(a)).toBe(1);

    b.hold();
    await b.read();
    for (const id of more) await b.deliver(id);
    await b.syncNow();

    await a.syncNow();
    a.hold();
    const summary = await a.read();
    expect(summary).toMatchObject({ settled: { order: { id: topup } } });
    expect(a.offered()).toEqual([]);
    await a.syncNow();
    expect((await onCard(card)).state.balanceCents).toBe(BALANCE + TOPUP);
    expect(office.bo.db.pickupsForOrder(topup)).toBe(1);
    expect(office.bo.db.conflicts()).toEqual([]);
  }, 30_000);

  it('a cancel that waited for the released attempt does not hide the landed write: reported, a conflict to settle', async () => {
    const { office, card, kiosk } = await fleet();
    const a = kiosk('A');
    const topup = await office.topup(ANNA, TOPUP);
    await a.syncNow();
    await landedButNotRecorded(a, topup);
    expect((await office.online('POST', `/orders/${topup}/cancel`)).status).toBe(200);
    await a.syncNow();
    expect(a.sync.store.orders.get(topup)?.remoteStatus).toBe('cancelled');
    await releaseAt(a);
    expect(a.sync.store.orders.get(topup)?.status).toBe('cancelled'); // the deferred cancel applied

    a.hold();
    await a.read();
    await a.syncNow();
    expect((await onCard(card)).state.balanceCents).toBe(BALANCE + TOPUP);
    expect(office.bo.db.pickupsForOrder(topup)).toBe(1);
    expect(office.bo.db.getOrder(topup)).toMatchObject({ status: 'delivered', conflict: 'picked up after it was cancelled' });
  }, 30_000);

  it('a released attempt that did not land is offered again and written once', async () => {
    const { office, card, kiosk } = await fleet();
    const a = kiosk('A');
    const topup = await office.topup(ANNA, TOPUP);
    await a.syncNow();
    a.hold();
    await a.read();
    a.reader.armTear(layoutV1.blocksToRead.length + 3, 'operations'); // torn mid-record
    await expectFailure(a.deliver(topup), 'cardRemoved');
    a.reader.disarmTear();
    await releaseAt(a);
    a.hold();
    await a.read();
    expect(a.offered()).toEqual([topup]);
    await a.deliver(topup);
    await a.syncNow();
    expect((await onCard(card)).state.balanceCents).toBe(BALANCE + TOPUP);
    expect(office.bo.db.pickupsForOrder(topup)).toBe(1);
    expect(office.bo.db.conflicts()).toEqual([]);
  }, 30_000);
});

describe('cancel while writing', () => {
  it('the write landed while the order was cancelled online: the pickup is reported, the back office records the conflict', async () => {
    const { office, card, kiosk } = await fleet();
    const a = kiosk('A');
    const topup = await office.topup(ANNA, TOPUP);
    await a.syncNow();
    await landedButNotRecorded(a, topup);
    expect((await office.online('POST', `/orders/${topup}/cancel`)).status).toBe(200);
    await a.syncNow();
    expect(a.sync.store.orders.get(topup)).toMatchObject({ status: 'pending', remoteStatus: 'cancelled' });

    a.hold();
    await a.read();
    await a.syncNow();
    expect((await onCard(card)).state.balanceCents).toBe(BALANCE + TOPUP);
    expect(a.sync.store.orders.get(topup)?.status).toBe('delivered');
    expect(office.bo.db.pickupsForOrder(topup)).toBe(1);
    expect(office.bo.db.getOrder(topup)).toMatchObject({ status: 'delivered', conflict: 'picked up after it was cancelled' });
  }, 30_000);
});

describe('one kiosk, the card at the edges of the ledger', () => {
  async function single(state: { journal: string[]; ledger?: { lowWater: number; applied: number[] } }) {
    const tmp = tempDir();
    const { openStore } = await import('../store/index.js');
    const store = openStore(join(tmp.dir, 'kiosk.db'), {});
    const card = new SimulatedCard(
      '04A1B2C3',
      issueCardBlocks(layoutV1, { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31' }, {
        balanceCents: BALANCE,
        products: Array.from({ length: PRODUCT_SLOTS }, () => null),
        ...state,
      }),
    );
    const reader = new SimulatedReader();
    reader.tap(card);
    const delivery = createDeliveryService({ reader, codec: layoutV1, store, now: () => new Date(), newId: randomUUID, log: silent });
    cleanup.push(async () => {
      store.close();
      tmp.remove();
    });
    const order = (id: string, serial: number) =>
      store.orders.upsert({ id, cardNumber: ANNA, serial, payload: { kind: 'topup', amountCents: TOPUP }, createdAt: new Date().toISOString(), expiresAt: null });
    const deliver = (id: string) =>
      delivery.deliver({ uid: card.uid, cardNumber: ANNA, order: { id, kind: 'topup', orderedAt: '', amountCents: TOPUP } });
    return { store, card, delivery, order, deliver };
  }

  it('past the window (serial > L + 352) nothing is written: a clear failure, the order stays', async () => {
    const { store, card, order, deliver } = await single({ journal: [], ledger: { lowWater: 10, applied: [] } });
    order('far', 10 + 352 + 1);
    order('edge', 10 + 352);
    const before = await onCard(card);
    await expect(deliver('far')).rejects.toSatisfy((e) => e instanceof KioskFailure && e.code === 'orderUnavailable' && /ledger is full/.test(e.message));
    expect(await onCard(card)).toEqual(before);
    expect(store.orders.get('far')?.status).toBe('pending');
    expect(store.deliveries.forOrder('far').map((d) => d.state)).toEqual(['abandoned']);
    await deliver('edge');
    expect((await onCard(card)).state.ledger).toEqual({ lowWater: 10, applied: [362] });
  });

  it('a v1 card is upgraded by its first write; an open attempt whose token is in its journal counts as applied', async () => {
    const { store, card, delivery, order, deliver } = await single({ journal: [layoutV1.orderToken('landed')] });
    order('landed', 1);
    order('next', 2);
    // An attempt at this kiosk whose record landed (its token is in the v1 journal), unrecorded.
    store.deliveries.begin({ id: 'd-landed', orderId: 'landed', cardNumber: ANNA, cardUid: card.uid });
    store.deliveries.markWriting('d-landed');
    await deliver('next');
    const upgraded = await onCard(card);
    expect(upgraded.state).toMatchObject({ journal: [], ledger: { lowWater: 2, applied: [] }, balanceCents: BALANCE + TOPUP });
    // and the next read settles the open attempt as written, without writing it again
    await delivery.readCard(card.uid);
    expect(store.deliveries.get('d-landed')?.state).toBe('written');
    expect((await onCard(card)).state.sequence).toBe(upgraded.state.sequence);
  });
});
