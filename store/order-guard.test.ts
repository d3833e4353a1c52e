// The one rule (order-guard.ts): the back office may change a local order only while it is
// open here. Every path by which it changes an order is tried against an order in each
// state: open, open again after an abandoned attempt, being delivered (pending, writing)
// and delivered here.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderChange } from '../protocol/kiosk-api.js';
import { StoreConflictError } from '../sqlite/errors.js';
import { ORDER_IS_OPEN } from './order-guard.js';
import type { OrderStatus } from './schemas.js';
import { openStore, type Store } from './store.js';
import { testClock } from './test-helpers.js';

// One store for the whole file (opening one per case would cost more than the cases):
// each case has an order, a card and deliveries of its own.
const clock = testClock();
let dir = '';
let store: Store;
let raw: Database.Database;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-guard-'));
  store = openStore(join(dir, 'kiosk.db'), { now: clock.now });
  raw = new Database(join(dir, 'kiosk.db'));
});
afterAll(() => {
  raw.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const OTHER_CARD = '3528010087654321';
const CREATED = '2025-03-01T08:00:00.000Z';
const EXPIRES = '2025-04-01T08:00:00.000Z';
const LATER_EXPIRY = '2025-05-01T08:00:00.000Z';
const TOPUP = { kind: 'topup', amountCents: 1000 } as const;

type State = 'open' | 'open again after an abandoned attempt' | 'about to be written' | 'being written' | 'delivered here';
const OPEN: State[] = ['open', 'open again after an abandoned attempt'];
/** Its delivery is pending (the card not touched yet) or writing. */
const IN_FLIGHT: State[] = ['about to be written', 'being written'];
const ALL: State[] = [...OPEN, ...IN_FLIGHT, 'delivered here'];

/** The order, card and deliveries of one case. */
interface Case {
  readonly id: string;
  readonly card: string;
  /** The attempt in progress (or written, for 'delivered here'). */
  readonly d1: string;
}

// Every change is newer than the one made before it (the feed's version only grows);
// each order has its serial on its card.
let lastVersion = 0;
const serials = new Map<string, number>();
const remote = (orderId: string) => {
  if (!serials.has(orderId)) serials.set(orderId, serials.size + 1);
  ++lastVersion;
  return { serial: serials.get(orderId) ?? 1, version: lastVersion, change: `change-${lastVersion}`, voidSerials: null };
};
const pendingChange = (c: Case, over: Partial<Extract<OrderChange, { status: 'pending' }>> = {}): OrderChange => ({
  orderId: c.id,
  status: 'pending',
  cardNumber: c.card,
  ...remote(c.id),
  payload: TOPUP,
  signature: 's'.repeat(86),
  createdAt: CREATED,
  expiresAt: EXPIRES,
  ...over,
});
const verdict = (c: Case, status: 'cancelled' | 'expired' | 'delivered'): OrderChange => ({
  orderId: c.id,
  status,
  cardNumber: c.card,
  ...remote(c.id),
  payload: null,
  signature: 's'.repeat(86),
  createdAt: CREATED,
  expiresAt: EXPIRES,
});

let cases = 0;

/** A new order in `state`; the clock moves on afterwards so that any write shows in updated_at. */
function arrange(state: State) {
  cases++;
  const c: Case = { id: `o${cases}`, card: `35280100${String(cases).padStart(8, '0')}`, d1: `d${cases}` };
  store.sync.applyChanges([pendingChange(c)], String(cases));
  const begin = (id: string) => store.deliveries.begin({ id, orderId: c.id, cardNumber: c.card, cardUid: 'U1' });
  if (state === 'open again after an abandoned attempt') {
    begin(`${c.d1}-before`);
    store.deliveries.abandon(`${c.d1}-before`, 'card left');
  }
  if (IN_FLIGHT.includes(state) || state === 'delivered here') begin(c.d1);
  if (state === 'being written' || state === 'delivered here') store.deliveries.markWriting(c.d1);
  if (state === 'delivered here') store.deliveries.complete(c.d1, { ...TOPUP, balanceCents: 2500 });
  clock.advance(60_000);
  const row = () =>
    raw.prepare<[string], Record<string, unknown>>(`SELECT * FROM orders WHERE id = ?`).get(c.id) as {
      status: OrderStatus;
      card_number: string;
      payload: string;
      expires_at: string | null;
      remote_status: string | null;
      updated_at: string;
    };
  const offered = () => store.orders.offeredForCard(c.card).map((o) => o.id);
  const reported = () => store.outbox.pending(1000).filter((i) => i.report.orderId === c.id).map((i) => i.deliveryId);
  return { c, row, before: row(), offered, reported };
}

/** Each way the back office changes an order, as (store) => void. */
const CHANGES_OF_DETAILS: (readonly [string, (c: Case) => unknown])[] = [
  [
    'orders.upsert',
    (c) =>
      store.orders.upsert({
        id: c.id,
        cardNumber: OTHER_CARD,
        payload: { kind: 'topup', amountCents: 9999 },
        createdAt: '2025-02-01T08:00:00.000Z',
        expiresAt: LATER_EXPIRY,
      }),
  ],
  [
    'sync.applyChanges (pending)',
    (c) =>
      store.sync.applyChanges(
        [pendingChange(c, { cardNumber: OTHER_CARD, payload: { kind: 'topup', amountCents: 9999 }, createdAt: '2025-02-01T08:00:00.000Z', expiresAt: LATER_EXPIRY })],
        'next',
      ),
  ],
];

const VERDICTS: (readonly [string, 'cancelled' | 'expired' | 'delivered', (c: Case) => unknown])[] = [
  ...(['cancelled', 'expired', 'delivered'] as const).map(
    (status) => [`sync.applyChanges (${status})`, status, (c: Case) => store.sync.applyChanges([verdict(c, status)], 'next')] as const,
  ),
  ...(['cancelled', 'expired', 'delivered'] as const).map(
    (status) =>
      [
        `orders.upsert (status ${status})`,
        status,
        (c: Case) => store.orders.upsert({ id: c.id, cardNumber: c.card, payload: TOPUP, status, createdAt: CREATED, expiresAt: EXPIRES }),
      ] as const,
  ),
];

describe('the rule: the back office changes an order only while it is open here', () => {
  describe.each(CHANGES_OF_DETAILS)('new details through %s', (_path, act) => {
    it.each(OPEN)('an order that is %s takes them', (state) => {
      const { c, row } = arrange(state);
      act(c);
      expect(row()).toMatchObject({ status: 'pending', card_number: OTHER_CARD, expires_at: LATER_EXPIRY, remote_status: null });
      expect(JSON.parse(row().payload)).toEqual({ kind: 'topup', amountCents: 9999 });
    });

    it.each(IN_FLIGHT)('an order that is %s keeps what the card gets; only the expiry moves', (state) => {
      const { c, row, before } = arrange(state);
      act(c);
      // the change's version is noted (an older one is then ignored); nothing else moves
      expect(row()).toMatchObject({ ...before, expires_at: LATER_EXPIRY, updated_at: expect.any(String), remote_version: expect.any(Number) });
      expect(store.deliveries.get(c.d1)?.state).toBe(state === 'being written' ? 'writing' : 'pending');
    });

    it('a delivered order is not touched at all', () => {
      const { c, row, before } = arrange('delivered here');
      act(c);
      expect(row()).toEqual(before);
    });
  });

  describe.each(VERDICTS)('a verdict through %s', (_path, status, act) => {
    it.each(OPEN)(`an order that is %s becomes ${status}`, (state) => {
      const { c, row, offered } = arrange(state);
      act(c);
      expect(row()).toMatchObject({ status, remote_status: null });
      expect(offered()).toEqual([]);
    });

    it.each(IN_FLIGHT)(`an order that is %s stays pending; ${status} waits and applies when the attempt is abandoned`, (state) => {
      const { c, row, offered } = arrange(state);
      act(c);
      expect(row()).toMatchObject({ status: 'pending', remote_status: status });
      store.deliveries.abandon(c.d1, 'card left');
      expect(row()).toMatchObject({ status, remote_status: null });
      expect(offered()).toEqual([]);
    });

    it.each(IN_FLIGHT)(`an order that is %s, whose write then lands, is delivered and reported; the waiting ${status} is dropped`, (state) => {
      const { c, row, reported } = arrange(state);
      act(c);
      store.deliveries.complete(c.d1, { ...TOPUP, balanceCents: 2500 });
      expect(row()).toMatchObject({ status: 'delivered', remote_status: null });
      expect(reported()).toEqual([c.d1]);
    });

    it('a delivered order is not touched at all', () => {
      const { c, row, before } = arrange('delivered here');
      act(c);
      expect(row()).toEqual(before);
    });
  });

  it('a pending change for an order being delivered clears a verdict that was waiting (the back office changed its mind)', () => {
    const { c, row, offered } = arrange('being written');
    store.sync.applyChanges([verdict(c, 'cancelled')], 'next');
    store.sync.applyChanges([pendingChange(c)], 'next');
    expect(row()).toMatchObject({ status: 'pending', remote_status: null });
    store.deliveries.abandon(c.d1, 'card left');
    expect(row().status).toBe('pending');
    expect(offered()).toEqual([c.id]);
  });

  it('the deferred verdict applied on abandon goes through the rule too: it never takes back a delivered order', () => {
    // Not reachable through the store's API; made by hand to show where the rule lives.
    const { c, row } = arrange('about to be written');
    raw.prepare(`UPDATE orders SET status = 'delivered', remote_status = 'cancelled' WHERE id = ?`).run(c.id);
    store.deliveries.abandon(c.d1, 'card left');
    expect(row()).toMatchObject({ status: 'delivered' });
  });

  it.each(ALL)('applyChanges counts a cancel of an order that is %s', (state) => {
    const { c } = arrange(state);
    const result = store.sync.applyChanges([verdict(c, 'cancelled')], 'next');
    const expected =
      state === 'delivered here'
        ? { updated: 0, deferred: 0, ignored: 1 }
        : IN_FLIGHT.includes(state)
          ? { updated: 0, deferred: 1, ignored: 0 }
          : { updated: 1, deferred: 0, ignored: 0 };
    expect(result).toEqual({ inserted: 0, ...expected });
  });

  describe('the local orders.setStatus follows the same rule', () => {
    it.each(OPEN)('an order that is %s takes the status', (state) => {
      const { c, row } = arrange(state);
      store.orders.setStatus(c.id, 'cancelled');
      expect(row().status).toBe('cancelled');
    });

    it.each(IN_FLIGHT)('an order that is %s refuses it and stays as it is', (state) => {
      const { c, row, before } = arrange(state);
      expect(() => store.orders.setStatus(c.id, 'cancelled')).toThrow(StoreConflictError);
      expect(row()).toEqual(before);
    });

    it('a delivered order refuses anything but delivered', () => {
      const { c, row, before } = arrange('delivered here');
      expect(() => store.orders.setStatus(c.id, 'pending')).toThrow(/cannot go from delivered to pending/);
      store.orders.setStatus(c.id, 'delivered');
      expect(row()).toEqual(before);
    });
  });
});

describe('where the rule lives', () => {
  it('no repository but order-guard.ts updates an order, except the delivery journal marking it delivered', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const updates: Record<string, number> = {};
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts') && n !== 'test-helpers.ts')) {
      const count = (readFileSync(`${dir}/${name}`, 'utf8').match(/UPDATE\s+orders\b/gi) ?? []).length;
      if (count > 0) updates[name] = count;
    }
    // order-guard.ts: the four guarded updates, noteRemote, forgetRemoteVersions (a feed reset), forgetCodes,
    // forgetClearCodes (codes a kiosk of before kept in clear)
    expect(updates).toEqual({ 'order-guard.ts': 8, 'deliveries-repo.ts': 1 });
    expect(readFileSync(`${dir}/deliveries-repo.ts`, 'utf8')).toMatch(/UPDATE orders SET status = 'delivered', remote_status = NULL/);
  });

  it('is one SQL predicate: not delivered, and no pending or writing delivery', () => {
    expect(ORDER_IS_OPEN).toMatch(/status <> 'delivered'/);
    expect(ORDER_IS_OPEN).toMatch(/NOT EXISTS \(SELECT 1 FROM deliveries .*state IN \('pending', 'writing'\)\)/);
  });
});
