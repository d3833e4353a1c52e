// The store contract: the same tests against both engines of backoffice/store.ts — the
// SQLite file (backoffice/db.ts) and PostgreSQL (backoffice/pg-store.ts, on a throwaway
// cluster this file starts and stops itself, test/pg-cluster.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changesPageSchema, type PickupReport } from '../protocol/kiosk-api.js';
import { orderKeyFrom, orderSignatureValid } from '../sync/order-signature.js';
import { usePgCluster } from '../test/pg-cluster.js';
import { openSealedCode } from '../kiosk/sealed-code.js';
import { openBackOfficeDb, PICKUP_QUARANTINED, PICKUP_UNKNOWN_ORDER, SERIAL_GAP, type BackOfficeDbOptions } from './db.js';
import { dispatchEmails, type Email, type EmailSender } from './email.js';
import { openPgStore } from './pg-store.js';
import { hashPin } from './pins.js';
import { sqliteStore, type BackOfficeStore } from './store.js';

const ANNA = '3528010012345678';
const BRAM = '3528010087654321';
const T0 = new Date('2026-12-01T10:00:00.000Z');
const DAY = 86_400_000;
const silentLog = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child: () => silentLog } as unknown as Parameters<typeof dispatchEmails>[2];

const pgCluster = usePgCluster();

interface Engine {
  readonly name: 'sqlite' | 'postgres';
  /** A new database; `open` opens it (again: a second instance on the same database, for PostgreSQL). */
  fresh(): Promise<{ open(options: BackOfficeDbOptions): Promise<BackOfficeStore> }>;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bo-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const engines: Engine[] = [
  {
    name: 'sqlite',
    async fresh() {
      const file = join(dir, `bo-${Math.random().toString(36).slice(2)}.db`);
      return { open: async (options) => sqliteStore(openBackOfficeDb(file, options)) };
    },
  },
  {
    name: 'postgres',
    async fresh() {
      const url = await pgCluster.cluster.newDatabase();
      const keys = { orderKeyFile: join(dir, 'order-key'), sealKeyFile: join(dir, 'seal-key') };
      return { open: (options) => openPgStore(url, { ...options, ...keys }) };
    },
  },
];

describe.each(engines)('the back office store on $name', (engine) => {
  let now: Date;
  let stores: BackOfficeStore[];
  let store: BackOfficeStore;
  let db: Awaited<ReturnType<Engine['fresh']>>;
  const options = (): BackOfficeDbOptions => ({ now: () => now, pickupWindowMs: 14 * DAY });
  const another = async () => {
    const s = await db.open(options());
    stores.push(s);
    return s;
  };

  beforeEach(async () => {
    now = T0;
    stores = [];
    db = await engine.fresh();
    store = await another();
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
  });

  const report = (orderId: string, deliveryId: string, cardNumber = ANNA): PickupReport => ({
    deliveryId,
    orderId,
    cardNumber,
    deliveredAt: now.toISOString(),
    kind: 'topup',
  });

  it('is the engine it says, created new, with an epoch and an empty feed', async () => {
    expect(store.engine).toBe(engine.name);
    expect(store.created).toBe(true);
    expect(store.epoch).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(await store.head()).toBe(0);
    expect(await store.serialGeneration()).toBe(0);
  });

  it('places an order: pending, signed, serial 1 then 2 per card, on the feed in order, an e-mail queued', async () => {
    const a = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'anna@example.org', amountCents: 2000 });
    const b = await store.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'anna@example.org' });
    const c = await store.placeOrder({ kind: 'product', cardNumber: BRAM, email: 'bram@example.org', productCode: 'DAL_VOORDEEL', validFrom: '2026-12-01', validUntil: '2026-12-31' });
    expect(a).toMatchObject({ status: 'pending', kind: 'topup', cardNumber: ANNA, createdAt: T0.toISOString(), expiresAt: new Date(T0.getTime() + 14 * DAY).toISOString() });
    expect(await store.getOrder(a.id)).toEqual(a);
    expect(await store.getOrder('o_nothing')).toBeUndefined();
    expect(await store.head()).toBe(3);
    const page = await store.changesSince(0, 10);
    expect(page.changes.map((ch) => [ch.orderId, ch.serial, ch.version])).toEqual([[a.id, 1, 1], [b.id, 2, 2], [c.id, 1, 3]]);
    expect(page).toMatchObject({ cursor: 3, more: false, head: '3', epoch: store.epoch });
    const key = orderKeyFrom(store.orderPublicKey);
    for (const ch of page.changes) {
      expect(ch.status).toBe('pending');
      if (ch.status !== 'pending') continue;
      expect(orderSignatureValid(key, ch, ch.signature), ch.orderId).toBe(true);
    }
    const code = page.changes[1];
    expect(code?.payload).toMatchObject({ kind: 'kaartservicecode', sealed: expect.stringMatching(/^ksc1\./) as unknown });
    // the JSON page says the same as the object page, and is what the protocol accepts
    const json = changesPageSchema.parse(JSON.parse(await store.changesJsonSince(0, 10)));
    expect(json).toEqual(changesPageSchema.parse(JSON.parse(JSON.stringify({ ...page, cursor: String(page.cursor) }))));
    const mails = await store.claimEmails('d1', 10);
    expect(mails.map((m) => [m.orderId, m.template, m.to])).toEqual([
      [a.id, 'ready', 'anna@example.org'], [b.id, 'ready', 'anna@example.org'], [c.id, 'ready', 'bram@example.org'],
    ]);
  });

  it('takes a fixed id, code and dates (the demo), and refuses the same id twice', async () => {
    const fixed = { id: 'o_demo1', createdAt: '2026-11-30T09:00:00.000Z', expiresAt: '2026-12-14T09:00:00.000Z' };
    const order = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 }, fixed);
    expect(order).toMatchObject({ id: 'o_demo1', createdAt: fixed.createdAt, expiresAt: fixed.expiresAt });
    await expect(store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 }, fixed)).rejects.toThrow(
      /exists/,
    );
    expect(await store.head()).toBe(1);
  });

  it('pages the feed with a cursor, `more`, and anchors (change ids) it knows or not', async () => {
    for (let i = 0; i < 5; i++) await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 + i });
    const first = await store.changesSince(0, 2);
    expect(first).toMatchObject({ cursor: 2, more: true, head: '5' });
    const second = await store.changesSince(first.cursor, 2, first.changes.at(-1)?.change);
    expect(second.changes.map((c) => c.version)).toEqual([3, 4]);
    expect(second.anchorSeq).toBe('2');
    const last = await store.changesSince(4, 2);
    expect(last).toMatchObject({ cursor: 5, more: false });
    expect((await store.changesSince(5, 2)).changes).toEqual([]);
    expect(new Set((await store.changesSince(0, 10)).changes.map((c) => c.change)).size).toBe(5);
    // A change this database never had: anchorSeq null, and a new serial generation opens.
    const unknown = await store.changesSince(5, 2, 'nOtAcHaNgEiDfRoMeLsEwHeRe');
    expect(unknown.anchorSeq).toBeNull();
    expect(await store.serialGeneration()).toBe(1);
    const next = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    const change = (await store.changesSince(5, 10)).changes.find((c) => c.orderId === next.id);
    expect(change).toMatchObject({ serial: 5 + SERIAL_GAP + 1, voidSerials: [6, 5 + SERIAL_GAP] });
    if (change?.status === 'pending') expect(orderSignatureValid(orderKeyFrom(store.orderPublicKey), change, change.signature)).toBe(true);
    // a card without orders before starts after the gap too
    const bram = await store.placeOrder({ kind: 'topup', cardNumber: BRAM, email: 'b@example.org', amountCents: 100 });
    expect((await store.changesSince(6, 10)).changes.find((c) => c.orderId === bram.id)).toMatchObject({ serial: SERIAL_GAP + 1 });
  });

  it('cancels a pending order (a new change without payload, an e-mail), again is a no-op; a delivered one is a conflict', async () => {
    const a = await store.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'a@example.org' });
    now = new Date(T0.getTime() + 1000);
    expect(await store.cancelOrder(a.id)).toMatchObject({ id: a.id, status: 'cancelled' });
    expect(await store.cancelOrder(a.id)).toMatchObject({ status: 'cancelled' });
    expect(await store.head()).toBe(2);
    const change = (await store.changesSince(1, 10)).changes[0];
    expect(change).toMatchObject({ orderId: a.id, status: 'cancelled', version: 2, payload: null });
    // The cancel is signed with its version and status: it cannot be forged, nor the offer played again over it.
    expect(change !== undefined && orderSignatureValid(orderKeyFrom(store.orderPublicKey), change, change.signature)).toBe(true);
    await expect(store.cancelOrder('o_nothing')).rejects.toThrow(/no order/);
    const b = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    await store.recordPickup('k1', report(b.id, 'd-b'));
    await expect(store.cancelOrder(b.id)).rejects.toThrow(/is delivered/);
    expect((await store.claimEmails('d1', 10)).map((m) => m.template)).toEqual(['ready', 'cancelled', 'ready', 'picked-up']);
  });

  it('expires due pending orders, in batches, each a change', async () => {
    const a = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    now = new Date(T0.getTime() + DAY);
    const b = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    now = new Date(T0.getTime() + 14 * DAY);
    expect(await store.expireDue()).toBe(1);
    expect(await store.getOrder(a.id)).toMatchObject({ status: 'expired' });
    expect(await store.getOrder(b.id)).toMatchObject({ status: 'pending' });
    now = new Date(T0.getTime() + 16 * DAY);
    expect(await store.expireDue(1)).toBe(1);
    expect(await store.expireDue()).toBe(0);
    expect((await store.changesSince(2, 10)).changes.map((c) => [c.orderId, c.status])).toEqual([[a.id, 'expired'], [b.id, 'expired']]);
  });

  it('records a pickup once: recorded, then duplicate; a second kiosk with the same card is a duplicate, not a conflict', async () => {
    const a = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    expect(await store.recordPickup('k1', report(a.id, 'd-1'))).toEqual({ status: 'recorded', conflict: null });
    expect(await store.recordPickup('k1', report(a.id, 'd-1'))).toEqual({ status: 'duplicate', conflict: null });
    expect(await store.recordPickup('k2', report(a.id, 'd-2'))).toEqual({ status: 'duplicate', conflict: null });
    expect(await store.getOrder(a.id)).toMatchObject({ status: 'delivered', pickedUpBy: 'k1', pickedUpAt: T0.toISOString(), conflict: null });
    expect(await store.pickupsForOrder(a.id)).toBe(1);
    expect(await store.pickupCount()).toBe(1);
    expect((await store.changesSince(1, 10)).changes).toMatchObject([{ orderId: a.id, status: 'delivered', version: 2 }]);
    // the same delivery id for another order is refused
    const b = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    await expect(store.recordPickup('k1', report(b.id, 'd-1'))).rejects.toThrow(/another order/);
  });

  it('records a pickup after a cancel or expiry as delivered with a conflict', async () => {
    const a = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    await store.cancelOrder(a.id);
    expect(await store.recordPickup('k1', report(a.id, 'd-1'))).toEqual({ status: 'recorded', conflict: 'picked up after it was cancelled' });
    expect(await store.getOrder(a.id)).toMatchObject({ status: 'delivered', conflict: 'picked up after it was cancelled' });
    expect((await store.conflicts()).map((o) => o.id)).toEqual([a.id]);
  });

  it('quarantines a pickup with another card number, or of an unknown order: nothing delivered, no e-mail', async () => {
    const a = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    expect(await store.recordPickup('k1', report(a.id, 'd-x', BRAM))).toEqual({ status: 'recorded', conflict: PICKUP_QUARANTINED });
    expect(await store.recordPickup('k1', report(a.id, 'd-x', BRAM))).toEqual({ status: 'duplicate', conflict: PICKUP_QUARANTINED });
    expect(await store.getOrder(a.id)).toMatchObject({ status: 'pending', conflict: PICKUP_QUARANTINED });
    expect(await store.recordPickup('k1', report('o_unknown', 'd-u'))).toEqual({ status: 'recorded', conflict: PICKUP_UNKNOWN_ORDER });
    expect(await store.head()).toBe(1);
    expect((await store.claimEmails('d1', 10)).map((m) => m.template)).toEqual(['ready']);
    expect(await store.pickupCount()).toBe(2);
  });

  it('forgets a sealed code when the order leaves pending', async () => {
    const a = await store.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'a@example.org' });
    await store.cancelOrder(a.id);
    const page = await store.changesSince(0, 10);
    expect(page.changes).toMatchObject([{ orderId: a.id, status: 'cancelled', payload: null }]);
    expect(page.changes.some((c) => JSON.stringify(c).includes('ksc1.'))).toBe(false);
  });

  it('registers kiosks by token (kept hashed), keeps their heartbeats', async () => {
    await store.registerKiosk('k1', 'Kiosk 1', 'token-of-k1-xxxxxxxxxxxxxxxxxx');
    await store.registerKiosk('k2', 'Kiosk 2', 'token-of-k2-xxxxxxxxxxxxxxxxxx');
    expect(await store.kioskForToken('token-of-k1-xxxxxxxxxxxxxxxxxx')).toBe('k1');
    expect(await store.kioskForToken('nope')).toBeNull();
    await store.registerKiosk('k1', 'Kiosk 1 (new)', 'new-token-of-k1-xxxxxxxxxxxxxxx');
    expect(await store.kioskForToken('token-of-k1-xxxxxxxxxxxxxxxxxx')).toBeNull();
    expect(await store.kioskForToken('new-token-of-k1-xxxxxxxxxxxxxxx')).toBe('k1');
    now = new Date(T0.getTime() + 5000);
    await store.heartbeat('k1', { cursor: '7', outboxDepth: 2, online: true });
    expect(await store.kiosks()).toEqual([
      { id: 'k1', name: 'Kiosk 1 (new)', lastSeenAt: now.toISOString(), heartbeat: { cursor: '7', outboxDepth: 2, online: true } },
      { id: 'k2', name: 'Kiosk 2', lastSeenAt: null, heartbeat: null },
    ]);
  });

  it('keeps technicians: set, disable, enable, remove; only the enabled ones for kiosks', async () => {
    const pin = hashPin('135790', { N: 1024, r: 8, p: 1, keylen: 32 });
    await store.setTechnician('T-1', '9999000012340001', pin);
    await store.setTechnician('T-2', '9999000012340002', pin);
    expect((await store.technicians()).map((t) => t.technicianId)).toEqual(['T-1', 'T-2']);
    expect((await store.technicians())[0]).toEqual({ technicianId: 'T-1', cardNumber: '9999000012340001', salt: pin.salt, hash: pin.hash, params: pin.params });
    expect(await store.setTechnicianEnabled('T-1', false)).toBe(true);
    expect((await store.technicians()).map((t) => t.technicianId)).toEqual(['T-2']);
    expect(await store.setTechnicianEnabled('T-1', true)).toBe(true);
    expect(await store.setTechnicianEnabled('T-9', true)).toBe(false);
    expect(await store.removeTechnician('T-2')).toBe(true);
    expect(await store.removeTechnician('T-2')).toBe(false);
    expect((await store.technicians()).map((t) => t.technicianId)).toEqual(['T-1']);
  });

  it('counts PIN attempts per technician across the fleet: the 11th without a right PIN locks, each lock twice as long; two instances count every attempt', async () => {
    await store.setTechnician('T-1', '9999000012340001', hashPin('135790', { N: 1024, r: 8, p: 1, keylen: 32 }));
    await store.setTechnician('T-2', '9999000012340002', hashPin('135790', { N: 1024, r: 8, p: 1, keylen: 32 }));
    const other = await another();
    // Ten attempts, from both instances (two kiosks' traffic behind a balancer), at once.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).pinAttempt('T-1', 'trying')));
    expect(answers.every((a) => a?.lockedUntil === null)).toBe(true);
    expect(answers.map((a) => a?.attemptsLeft).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const first = await other.pinAttempt('T-1', 'trying');
    expect(first).toEqual({ lockedUntil: new Date(T0.getTime() + 15 * 60_000).toISOString(), attemptsLeft: 0 });
    // Locked everywhere, for that technician only.
    expect(await store.pinAttempt('T-1', 'trying')).toEqual(first);
    expect(await store.pinAttempt('T-2', 'trying')).toEqual({ lockedUntil: null, attemptsLeft: 9 });
    // After the lock, ten more and the next lock lasts 30 minutes.
    now = new Date(T0.getTime() + 16 * 60_000);
    for (let i = 0; i < 10; i++) expect((await store.pinAttempt('T-1', 'trying'))?.lockedUntil).toBeNull();
    expect((await store.pinAttempt('T-1', 'trying'))?.lockedUntil).toBe(new Date(now.getTime() + 30 * 60_000).toISOString());
    // A right PIN ends it all.
    expect(await store.pinAttempt('T-1', 'ok')).toEqual({ lockedUntil: null, attemptsLeft: 10 });
    expect(await store.pinAttempt('T-1', 'trying')).toEqual({ lockedUntil: null, attemptsLeft: 9 });
    // Nobody to count for: an unknown or disabled technician.
    expect(await store.pinAttempt('T-9', 'trying')).toBeNull();
    await store.setTechnicianEnabled('T-2', false);
    expect(await store.pinAttempt('T-2', 'trying')).toBeNull();
  });

  it('keeps the audit log once per entry, newest arrival first, per kiosk, paged, actors marked known or not', async () => {
    await store.registerKiosk('k1', 'Kiosk 1', 'token-of-k1-xxxxxxxxxxxxxxxxxx');
    await store.registerKiosk('k2', 'Kiosk 2', 'token-of-k2-xxxxxxxxxxxxxxxxxx');
    await store.setTechnician('T-1', '9999000012340001', hashPin('135790', { N: 1024, r: 8, p: 1, keylen: 32 }));
    const entry = (id: number, actor: string) => ({ id, at: '2020-01-01T00:00:00.000Z', actor, action: 'maintenance.open', detail: null });
    expect(await store.recordAudit('k1', [entry(1, 'T-1'), entry(2, 'intruder')])).toEqual([1, 2]);
    expect(await store.recordAudit('k1', [entry(2, 'intruder'), entry(3, 'T-1')])).toEqual([2, 3]);
    expect(await store.recordAudit('k2', [entry(1, 'T-1')])).toEqual([1]);
    const all = await store.audit();
    expect(all.map((a) => [a.kioskId, a.id, a.actorKnown])).toEqual([['k2', 1, true], ['k1', 3, true], ['k1', 2, false], ['k1', 1, true]]);
    expect((await store.audit({ kiosk: 'k1' })).map((a) => a.id)).toEqual([3, 2, 1]);
    const page = await store.audit({ kiosk: 'k1', limit: 2 });
    expect((await store.audit({ kiosk: 'k1', before: page.at(-1)?.seq })).map((a) => a.id)).toEqual([1]);
  });

  it('claims e-mails: another dispatcher does not get them, until the claim is stale; a failure lets go', async () => {
    const a = await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 });
    await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 200 });
    const first = await store.claimEmails('d1', 1);
    expect(first.map((m) => m.orderId)).toEqual([a.id]);
    expect((await store.claimEmails('d2', 10)).map((m) => m.id)).toEqual([(first[0]?.id ?? 0) + 1]);
    expect(await store.claimEmails('d3', 10)).toEqual([]);
    // its own claims a dispatcher takes again (the rest of a batch after a failure)
    expect((await store.claimEmails('d1', 10)).map((m) => m.orderId)).toEqual([a.id]);
    await store.emailFailed(first[0]?.id ?? 0, 'smtp down');
    expect((await store.claimEmails('d3', 10)).map((m) => [m.orderId, m.attempts])).toEqual([[a.id, 1]]);
    await store.emailSent(first[0]?.id ?? 0);
    now = new Date(T0.getTime() + 10 * 60_000); // d2 died: its claim goes stale
    expect((await store.claimEmails('d3', 10)).map((m) => m.attempts)).toEqual([0]);
  });

  it('two dispatchers on one database send every e-mail once', async () => {
    const second = engine.name === 'postgres' ? await another() : store;
    for (let i = 0; i < 30; i++) await store.placeOrder({ kind: 'topup', cardNumber: ANNA, email: `a${i}@example.org`, amountCents: 100 + i });
    const sent: Email[] = [];
    const sender: EmailSender = {
      async send(email) {
        await new Promise((r) => setTimeout(r, 1));
        sent.push(email);
      },
    };
    const rounds = (s: BackOfficeStore, by: string) => (async () => {
      for (let i = 0; i < 10; i++) await dispatchEmails(s, sender, silentLog, { by, batch: 4 });
    })();
    await Promise.all([rounds(store, 'instance-a'), rounds(second, 'instance-b')]);
    expect(sent.length).toBe(30);
    expect(new Set(sent.map((e) => e.to)).size).toBe(30);
    expect(await store.claimEmails('later', 10)).toEqual([]);
  });

  it.runIf(engine.name === 'postgres')(
    'two instances placing orders at once: the feed has no gap, serials none either, and a reader following the feed misses nothing',
    async () => {
      const second = await another();
      const seen: number[] = [];
      let writing = true;
      const reader = (async () => {
        let cursor = 0;
        while (writing || cursor < (await store.head())) {
          const page = await store.changesSince(cursor, 7);
          for (const c of page.changes) seen.push(c.version);
          cursor = page.cursor;
        }
      })();
      const place = (s: BackOfficeStore, n: number) =>
        Promise.all(Array.from({ length: n }, (_, i) => s.placeOrder({ kind: 'topup', cardNumber: ANNA, email: 'a@example.org', amountCents: 100 + i })));
      await Promise.all([place(store, 40), place(second, 40)]);
      writing = false;
      await reader;
      const all = await store.changesSince(0, 1000);
      expect(all.changes.map((c) => c.version)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      expect(all.changes.map((c) => c.serial).sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      // what the reader saw, in the order it saw it: every change once, none skipped
      expect(seen).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    },
    30_000,
  );

  // ---------------------------------------------------------- Mijn NS (issue 14)
  /** The clear code of a code order, opened from the feed with the card's key (what only a kiosk holding the card can do). */
  const codeOf = async (orderId: string, cardNumber = ANNA): Promise<string> => {
    const change = (await store.changesSince(0, 1000)).changes.find((c) => c.orderId === orderId && c.status === 'pending');
    if (change?.payload?.kind !== 'kaartservicecode') throw new Error('no pending code order');
    const opened = openSealedCode(store.cardSealKey(cardNumber), { orderId, cardNumber, sealed: change.payload.sealed });
    if (!opened.ok) throw new Error('the code does not open');
    return opened.code;
  };
  const pickedUp = (orderId: string, deliveryId: string, cardNumber = ANNA) =>
    store.recordPickup('k1', { deliveryId, orderId, cardNumber, kind: 'kaartservicecode', deliveredAt: now.toISOString() });

  it('a code requested online: one order per card within 10 minutes, both e-mails in the language, kept only as a keyed hash', async () => {
    const first = await store.requestCode({ cardNumber: ANNA, email: 'anna@example.org', language: 'de' });
    expect(first.repeated).toBe(false);
    now = new Date(T0.getTime() + 9 * 60_000);
    expect(await store.requestCode({ cardNumber: ANNA, email: 'other@example.org', language: 'fr' })).toEqual({ order: first.order, repeated: true });
    now = new Date(T0.getTime() + 11 * 60_000);
    const later = await store.requestCode({ cardNumber: ANNA, email: 'anna@example.org', language: 'de' });
    expect(later.repeated).toBe(false);
    expect(later.order.id).not.toBe(first.order.id);
    const mails = await store.claimEmails('d1', 10);
    expect(mails.map((m) => [m.orderId, m.template, m.language, m.cardNumber])).toEqual([
      [first.order.id, 'code-requested', 'de', ANNA],
      [first.order.id, 'code-ready', 'de', ANNA],
      [later.order.id, 'code-requested', 'de', ANNA],
      [later.order.id, 'code-ready', 'de', ANNA],
    ]);
    const code = await codeOf(first.order.id);
    expect(code).toMatch(/^\d{4}-\d{4}-\d{4}$/);
  });

  it('linking: not before the pickup, 5 wrong codes lock the card (even the right code then), a pickup with the card lifts it; single use; 30 days after the pickup expired', async () => {
    const { order } = await store.requestCode({ cardNumber: ANNA, email: 'anna@example.org', language: 'nl' });
    const code = await codeOf(order.id);
    expect(await store.linkCard('acc-1', ANNA, code)).toEqual({ error: 'notPickedUp', attemptsLeft: null });
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await store.linkCard('acc-1', ANNA, `1111-2222-333${i}`));
    expect(wrong).toEqual([4, 3, 2, 1].map((left) => ({ error: 'wrongCode', attemptsLeft: left })).concat([{ error: 'locked', attemptsLeft: 0 }]));
    expect(await store.linkCard('acc-1', ANNA, code)).toEqual({ error: 'locked', attemptsLeft: 0 });
    expect((await pickedUp(order.id, 'd-1')).status).toBe('recorded');
    expect(await store.linkCard('acc-1', ANNA, code)).toEqual({ cardNumber: ANNA, accountId: 'acc-1', linkedAt: now.toISOString() });
    expect(await store.accountOfCard(ANNA)).toBe('acc-1');
    expect(await store.linkCard('acc-2', ANNA, code)).toEqual({ error: 'used', attemptsLeft: null });
    expect(await store.accountOfCard(ANNA)).toBe('acc-1');
    // Bram's code, picked up, typed just before and just after 30 days.
    const bram = await store.requestCode({ cardNumber: BRAM, email: 'bram@example.org', language: 'en' });
    const bramCode = await codeOf(bram.order.id, BRAM);
    await pickedUp(bram.order.id, 'd-2', BRAM);
    // Anna's code does not open Bram's card (hashed with the card number).
    expect(await store.linkCard('acc-2', BRAM, code)).toMatchObject({ error: 'wrongCode' });
    const pickup = now.getTime();
    now = new Date(pickup + 30 * DAY);
    expect(await store.linkCard('acc-2', BRAM, bramCode)).toEqual({ error: 'expired', attemptsLeft: null });
    // An order that expired before it was picked up: its code never links.
    const third = await store.requestCode({ cardNumber: BRAM, email: 'bram@example.org', language: 'en' });
    const thirdCode = await codeOf(third.order.id, BRAM);
    now = new Date(now.getTime() + 15 * DAY);
    await store.expireDue();
    expect(await store.linkCard('acc-2', BRAM, thirdCode)).toEqual({ error: 'expired', attemptsLeft: null });
  });

  const service = {
    serviceId: 'IC-1',
    line: 'standard' as const,
    from: 'utrecht-centraal',
    to: 'amsterdam-centraal',
    scheduledDeparture: '2026-11-20T08:05:00.000Z',
    scheduledArrival: '2026-11-20T08:32:00.000Z',
    actualArrival: '2026-11-20T09:17:00.000Z',
    announcedInAdvance: false,
    forceMajeure: false,
    otherCarrier: false,
  };
  const journey = {
    checkIn: { station: 'utrecht-centraal', at: '2026-11-20T08:01:00.000Z' },
    checkOut: { station: 'amsterdam-centraal', at: '2026-11-20T09:20:00.000Z' },
    chargedCents: 850,
  };

  it('journeys recorded once, assessed with the realised times; two instances claiming the same journey at once: one refund, the rest alreadyClaimed', async () => {
    expect(await store.importServices([service])).toBe(1);
    const [assessed] = await store.recordJourneys(ANNA, [journey]);
    expect(assessed).toMatchObject({ journeyId: journey.checkIn.at, status: 'eligible', kind: 'delay', delayMinutes: 45, amountCents: 425 });
    await store.recordJourneys(ANNA, [{ ...journey, chargedCents: 1 }]);
    expect(await store.journey(ANNA, journey.checkIn.at)).toEqual(journey);
    const second = await another();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : second).claim(`kiosk:k${i % 2}`, { cardNumber: ANNA, journey, kind: 'delay' })),
    );
    const granted = results.filter((r) => r.result.status === 'granted');
    expect(granted).toHaveLength(1);
    const orderId = granted[0]?.result.status === 'granted' ? granted[0].result.orderId : '';
    expect(results.filter((r) => r.result.status === 'alreadyClaimed').map((r) => r.result)).toEqual(
      Array.from({ length: 9 }, () => ({ status: 'alreadyClaimed', orderId, payoutId: null, decisionAfter: null })),
    );
    const topups = (await store.changesSince(0, 100)).changes.filter((c) => c.payload?.kind === 'topup');
    expect(topups.map((c) => [c.orderId, c.payload])).toEqual([[orderId, { kind: 'topup', amountCents: 425 }]]);
    expect((await store.recordJourneys(ANNA, [journey]))[0]).toMatchObject({ status: 'claimed', orderId, amountCents: 425 });
    // A made-up second journey on the same train (checked in a minute later): no second refund.
    const madeUp = { ...journey, checkIn: { ...journey.checkIn, at: '2026-11-20T08:02:00.000Z' } };
    expect((await second.claim('kiosk:k2', { cardNumber: ANNA, journey: madeUp, kind: 'delay' })).result).toEqual({ status: 'alreadyClaimed', orderId, payoutId: null, decisionAfter: null });
    expect((await store.changesSince(0, 100)).changes.filter((c) => c.payload?.kind === 'topup')).toHaveLength(1);
  });

  it('a claim within 5 days waits a week and is decided then (the refund in the feed); the history is the linked account\'s', async () => {
    now = new Date('2026-11-21T10:00:00.000Z');
    const waiting = await store.claim('kiosk:k1', { cardNumber: ANNA, journey, kind: 'delay' });
    expect(waiting.result).toEqual({ status: 'waiting', decisionAfter: '2026-11-28T10:00:00.000Z' });
    await store.importServices([service]);
    expect(await store.decideDueClaims()).toEqual({ decided: 0, granted: 0 });
    now = new Date('2026-11-28T10:00:00.000Z');
    expect(await store.decideDueClaims()).toEqual({ decided: 1, granted: 1 });
    expect(await store.decideDueClaims()).toEqual({ decided: 0, granted: 0 });
    const { order } = await store.requestCode({ cardNumber: ANNA, email: 'anna@example.org', language: 'nl' });
    const code = await codeOf(order.id);
    await pickedUp(order.id, 'd-9');
    await store.linkCard('acc-anna', ANNA, code);
    const history = await store.accountJourneys('acc-anna');
    expect(history.cards.map((c) => c.cardNumber)).toEqual([ANNA]);
    expect(history.journeys.map((j) => [j.journey, j.assessment.status, j.assessment.amountCents])).toEqual([[journey, 'claimed', 425]]);
    expect(await store.accountJourneys('acc-other')).toEqual({ cards: [], journeys: [] });
  });

  // ---------------------------------------------------------- refunds paid to the bank
  const IBAN = 'NL91ABNA0417164300';
  const linked = async (accountId: string, cardNumber = ANNA) => {
    const { order } = await store.requestCode({ cardNumber, email: 'anna@example.org', language: 'nl' });
    const code = await codeOf(order.id, cardNumber);
    await pickedUp(order.id, `d-${order.id}`, cardNumber);
    expect(await store.linkCard(accountId, cardNumber, code)).toMatchObject({ accountId });
  };
  const topups = async () => (await store.changesSince(0, 1000)).changes.filter((c) => c.payload?.kind === 'topup');

  it('a claim paid to the bank: one payout instruction and no top-up order, however many instances claim at once; listed with the IBAN, paid once, then the IBAN gone', async () => {
    await store.importServices([service]);
    await linked('acc-anna');
    expect(await store.setBankAccount('acc-anna', IBAN, 'A. Jansen')).toEqual({ accountId: 'acc-anna', iban: '•••• 4300', holder: 'A. Jansen', updatedAt: now.toISOString() });
    expect(await store.bankAccount('acc-anna')).toMatchObject({ iban: '•••• 4300' });
    const second = await another();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : second).claim('online', { cardNumber: ANNA, journey, kind: 'delay' }, { accountId: 'acc-anna' })),
    );
    const granted = results.map((r) => r.result).filter((r) => r.status === 'grantedToBank');
    expect(granted).toHaveLength(1);
    const payoutId = granted[0]?.payoutId ?? '';
    expect(granted[0]).toEqual({ status: 'grantedToBank', payoutId, amountCents: 425, iban: '•••• 4300' });
    expect(results.filter((r) => r.result.status === 'alreadyClaimed').map((r) => r.result)).toEqual(
      Array.from({ length: 9 }, () => ({ status: 'alreadyClaimed', orderId: null, payoutId, decisionAfter: null })),
    );
    expect(results.every((r) => !r.notify)).toBe(true);
    expect(await topups()).toEqual([]);
    // The kiosk is told it is claimed, with no order to pick up.
    expect((await store.claim('kiosk:k1', { cardNumber: ANNA, journey, kind: 'delay' })).result).toEqual({ status: 'alreadyClaimed', orderId: null, payoutId, decisionAfter: null });
    expect((await store.recordJourneys(ANNA, [journey]))[0]).toMatchObject({ status: 'claimed', orderId: null, amountCents: 425 });

    const pending = await second.payouts({ status: 'pending', after: 0, limit: 10 });
    expect(pending).toEqual({
      payouts: [{ id: payoutId, accountId: 'acc-anna', cardNumber: ANNA, journeyId: journey.checkIn.at, kind: 'delay', amountCents: 425, iban: IBAN, holder: 'A. Jansen', ibanLast4: '4300', status: 'pending', createdAt: now.toISOString(), paidAt: null }],
      next: null,
    });
    expect((await store.accountJourneys('acc-anna')).journeys.map((j) => j.bankPayout)).toEqual([{ payoutId, status: 'pending', ibanLast4: '4300' }]);
    now = new Date(T0.getTime() + 60_000);
    const paid = { ...pending.payouts[0], iban: null, holder: null, status: 'paid', paidAt: now.toISOString() };
    expect(await second.markPayoutPaid(payoutId)).toEqual({ payout: paid, alreadyPaid: false });
    now = new Date(T0.getTime() + 120_000);
    expect(await store.markPayoutPaid(payoutId)).toEqual({ payout: paid, alreadyPaid: true });
    expect(await store.markPayoutPaid('po_nothing')).toBeNull();
    expect(await store.payouts({ status: 'pending', after: 0, limit: 10 })).toEqual({ payouts: [], next: null });
    expect((await store.payouts({ status: 'paid', after: 0, limit: 10 })).payouts).toEqual([paid]);
    expect((await store.accountJourneys('acc-anna')).journeys.map((j) => j.bankPayout)).toEqual([{ payoutId, status: 'paid', ibanLast4: '4300' }]);
  });

  it('a bank payout needs the account\'s bank account; pages of payouts are bounded; a waiting bank claim decided later is a payout, not a top-up order', async () => {
    await linked('acc-anna');
    await expect(store.claim('online', { cardNumber: ANNA, journey, kind: 'delay' }, { accountId: 'acc-anna' })).rejects.toThrow(/bank account/);
    await store.setBankAccount('acc-anna', IBAN, 'A. Jansen');
    now = new Date('2026-11-21T10:00:00.000Z');
    const waiting = await store.claim('online', { cardNumber: ANNA, journey, kind: 'delay' }, { accountId: 'acc-anna' });
    expect(waiting.result).toEqual({ status: 'waiting', decisionAfter: '2026-11-28T10:00:00.000Z' });
    expect((await store.accountJourneys('acc-anna')).journeys.map((j) => j.bankPayout)).toEqual([{ payoutId: null, status: 'waiting', ibanLast4: '4300' }]);
    await store.importServices([service]);
    now = new Date('2026-11-28T10:00:00.000Z');
    const second = await another();
    const decided = await Promise.all([store.decideDueClaims(), second.decideDueClaims()]);
    expect(decided.reduce((n, d) => n + d.decided, 0)).toBe(1);
    expect(decided.every((d) => d.granted === 0)).toBe(true); // nothing for the feed
    expect(await topups()).toEqual([]);
    const { payouts } = await store.payouts({ status: 'pending', after: 0, limit: 10 });
    expect(payouts.map((p) => [p.cardNumber, p.amountCents, p.iban, p.status])).toEqual([[ANNA, 425, IBAN, 'pending']]);
    expect((await store.claim('online', { cardNumber: ANNA, journey, kind: 'delay' }, { accountId: 'acc-anna' })).result).toEqual({
      status: 'alreadyClaimed',
      orderId: null,
      payoutId: payouts[0]?.id,
      decisionAfter: null,
    });
    // Bram's three forgotten check-outs to his account's bank: paged two at a time, in order.
    await linked('acc-bram', BRAM);
    await store.setBankAccount('acc-bram', 'DE89370400440532013000', 'B. Bakker');
    for (const hours of [1, 2, 3]) {
      const j = { checkIn: { station: 'utrecht-centraal', at: new Date(Date.parse('2026-11-10T08:00:00.000Z') + hours * 3_600_000).toISOString() }, checkOut: null, chargedCents: 2000 };
      await store.recordJourneys(BRAM, [j]);
      expect((await store.claim('online', { cardNumber: BRAM, journey: j, kind: 'forgottenCheckOut', destination: 'amsterdam-centraal' }, { accountId: 'acc-bram' })).result.status).toBe('grantedToBank');
    }
    const first = await store.payouts({ status: 'pending', after: 0, limit: 2 });
    expect(first.payouts).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const rest = await store.payouts({ status: 'pending', after: first.next ?? 0, limit: 2 });
    expect(rest.next).toBeNull();
    expect([...first.payouts, ...rest.payouts].map((p) => p.cardNumber)).toEqual([ANNA, BRAM, BRAM, BRAM]);
    expect(await topups()).toEqual([]);
  });
});
