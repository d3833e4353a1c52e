// Every failed delivery is logged, also when the journal itself fails (disk full): the
// attempt used to be created before the try, so that failure left no line in the log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { demoWallet, seedDemoOrders } from '../demo/cards.js';
import { layoutV1 } from '../hardware/card-layout.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { openStore, type Store } from '../store/index.js';
import { createDeliveryService } from './delivery.js';

const NOW = new Date('2026-11-21T12:00:00Z');
let dir = '';
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'delivery-faults-'));
  store = openStore(join(dir, 'kiosk.db'), { now: () => NOW });
  seedDemoOrders(store, NOW);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function spyLog() {
  const errors: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = {
    info() {},
    warn() {},
    debug() {},
    error(obj: Record<string, unknown>, msg: string) {
      errors.push({ obj, msg });
    },
  };
  return { log: log as unknown as Logger, errors };
}

describe('a delivery the journal cannot take', () => {
  it.each([
    ['the attempt cannot be journalled', 'begin'],
    ['the attempt cannot be marked writing', 'markWriting'],
  ] as const)('%s (SQLITE_FULL): the failure is logged, nothing is written to the card', async (_name, step) => {
    const reader = new SimulatedReader();
    const anna = demoWallet(layoutV1).find((entry) => entry.id === 'anna');
    if (!anna) throw new Error('no demo card anna');
    reader.tap(anna.card);
    const { log, errors } = spyLog();
    const delivery = createDeliveryService({ reader, codec: layoutV1, store, now: () => NOW, newId: () => 'attempt-1', log, orderKey: undefined });
    const uid = reader.card()?.uid ?? '';
    const card = await delivery.readCard(uid);
    const [order] = delivery.lookupOrders(card.cardNumber);
    if (!order) throw new Error('no order for anna');
    const before = Buffer.concat(anna.card.blocks.map((b) => Buffer.from(b)));
    vi.spyOn(store.deliveries, step).mockImplementation(() => {
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    });

    await expect(delivery.deliver({ uid, cardNumber: card.cardNumber, order })).rejects.toMatchObject({ code: 'internal' });
    expect(errors.map((e) => e.msg).join('\n')).toMatch(/delivery failed/);
    expect(Buffer.concat(anna.card.blocks.map((b) => Buffer.from(b))).equals(before)).toBe(true);
  });
});
