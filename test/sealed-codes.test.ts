// ATTACK (issue 11): every kiosk saw every kaartservicecode in clear — in the feed (a proxy
// read them), in its database and WAL (a stolen disk gave them away) and wherever a payload
// was logged. Now the back office seals each code to its card (a per-card key diversified
// from its seal master, written into the card's identity record at issue): the feed, the
// kiosk's database, its WAL and its log carry only the sealed form; the kiosk opens it with
// the key it reads from the card on the reader, when it delivers it and when the same card
// shows it again. A card without the key, or with another card's, cannot open it and says so.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS, type CardIdentity } from '../hardware/card-layout.js';
import { SimulatedCard, SimulatedReader } from '../hardware/simulated-reader.js';
import { createDeliveryService } from '../kiosk/delivery.js';
import { orderKeyFrom } from '../sync/order-signature.js';
import { ANNA, BRAM, eventually, startBackOffice, startKioskSync, tempDir } from './sync/helpers.js';
import { startTestKiosk } from './kiosk-harness.js';
import { de } from '../renderer/i18n/de.js';
import { en } from '../renderer/i18n/en.js';
import { fr } from '../renderer/i18n/fr.js';
import { nl } from '../renderer/i18n/nl.js';

const CODE = '4821-9034-7713';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Forwards to the back office and keeps every byte that passes, both ways. */
async function recordingProxy(target: string): Promise<{ url: string; seen: () => string }> {
  const seen: Buffer[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push(Buffer.from(`${req.method ?? ''} ${req.url ?? ''}\n`), ...chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      const body = Buffer.from(await upstream.arrayBuffer());
      seen.push(body);
      res.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy address');
  return { url: `http://127.0.0.1:${address.port}`, seen: () => Buffer.concat(seen).toString('latin1') };
}

/** What a thief with the kiosk's disk reads: the database file and its WAL, as bytes. */
function diskOf(file: string): string {
  return [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

function cardFor(uid: string, identity: CardIdentity): SimulatedCard {
  return new SimulatedCard(uid, issueCardBlocks(layoutV1, identity, { balanceCents: 500, products: Array.from({ length: PRODUCT_SLOTS }, () => null), journal: [] }));
}

async function setUp() {
  const tmp = tempDir();
  const office = await startBackOffice(tmp.dir);
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  const orderId = 'o_anna_code';
  office.bo.db.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'anna@example.org' }, { id: orderId, code: CODE });
  office.bo.notify();
  const proxy = await recordingProxy(office.url);
  const orderKey = orderKeyFrom(office.bo.db.orderPublicKey);
  const file = join(tmp.dir, 'kiosk.db');
  const k = startKioskSync(file, proxy.url, office.kioskToken('k1'), { orderKey });
  cleanup.push(() => k.close());
  await k.client.syncNow();
  await eventually(() => k.store.orders.get(orderId), 4000, "Anna's code order");
  const reader = new SimulatedReader();
  // Everything the delivery logs, at every level, kept as the JSON lines a station writes.
  const lines: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  const delivery = createDeliveryService({ reader, codec: layoutV1, store: k.store, now: () => new Date(), newId: randomUUID, log, orderKey });
  return { office, proxy, file, k, reader, delivery, orderId, lines };
}

describe('kaartservicecodes readable only with their card', () => {
  it('the feed, the database, its WAL and the log hold no clear code, after sync and after delivery; the right card reveals it, then again on its next tap', async () => {
    const { office, proxy, file, k, reader, delivery, lines } = await setUp();
    const logged = () => JSON.stringify(k.log.entries) + lines.join('');
    // After sync: what the proxy saw, what is on the disk, what was logged.
    expect(proxy.seen().includes(CODE), 'the clear code crossed the proxy').toBe(false);
    expect(diskOf(file).includes(CODE), 'the clear code is on the kiosk disk after sync').toBe(false);
    expect(logged().includes(CODE)).toBe(false);

    const anna = cardFor('04A1B2C3', { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31', sealKey: office.bo.db.cardSealKey(ANNA) });
    reader.tap(anna);
    await delivery.readCard(anna.uid);
    const [order] = delivery.lookupOrders(ANNA);
    expect(order?.kind).toBe('kaartservicecode');
    expect(await delivery.deliver({ uid: anna.uid, cardNumber: ANNA, order: order! })).toEqual({ kind: 'kaartservicecode', code: CODE });
    // The same card, tapped again: the code is shown again.
    expect((await delivery.readCard(anna.uid)).settled?.outcome).toEqual({ kind: 'kaartservicecode', code: CODE });
    await eventually(() => k.store.outbox.depth() === 0, 4000, 'the pickup reported');
    expect(lines.some((line) => line.includes('delivered'))).toBe(true); // the log was captured

    expect(proxy.seen().includes(CODE), 'the clear code crossed the proxy').toBe(false);
    expect(diskOf(file).includes(CODE), 'the clear code is on the kiosk disk after delivery').toBe(false);
    expect(logged().includes(CODE)).toBe(false);
  });

  it('a card without a seal key, or with another card\'s, cannot open the code and says so; nothing is written and the order stays offered', async () => {
    const { office, k, reader, delivery, orderId } = await setUp();
    for (const [uid, sealKey] of [['04A1B2C3', undefined], ['04A1B2C4', office.bo.db.cardSealKey(BRAM)]] as const) {
      const card = cardFor(uid, { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31', ...(sealKey ? { sealKey } : {}) });
      const before = card.blocks.map((b) => Buffer.from(b).toString('hex'));
      reader.tap(card);
      await delivery.readCard(card.uid);
      const [order] = delivery.lookupOrders(ANNA);
      await expect(delivery.deliver({ uid: card.uid, cardNumber: ANNA, order: order! })).rejects.toMatchObject({ code: 'codeLocked' });
      expect(card.blocks.map((b) => Buffer.from(b).toString('hex'))).toEqual(before);
      expect(delivery.lookupOrders(ANNA).map((o) => o.id)).toEqual([orderId]);
      reader.remove();
    }
    expect(k.store.deliveries.forOrder(orderId).map((d) => d.state)).toEqual(['abandoned', 'abandoned']);
  });

  it('a tampered sealed code is refused: by its signature, and by the card key where no signature is checked', async () => {
    const { office, file, k, reader, orderId } = await setUp();
    const stored = k.store.orders.get(orderId);
    if (stored?.payload.kind !== 'kaartservicecode') throw new Error('no sealed code');
    const sealed = stored.payload.sealed;
    // One bit of the ciphertext flipped, written straight into the database.
    const at = 'ksc1.'.length + 20;
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    const raw = new Database(file);
    raw.prepare('UPDATE orders SET payload = ? WHERE id = ?').run(JSON.stringify({ kind: 'kaartservicecode', sealed: flipped }), orderId);
    raw.close();
    const anna = cardFor('04A1B2C3', { cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31', sealKey: office.bo.db.cardSealKey(ANNA) });
    reader.tap(anna);
    const offered = { id: orderId, kind: 'kaartservicecode', orderedAt: stored.createdAt, serial: stored.serial } as const;
    const signed = createDeliveryService({ reader, codec: layoutV1, store: k.store, now: () => new Date(), newId: randomUUID, log: pino({ level: 'silent' }), orderKey: orderKeyFrom(office.bo.db.orderPublicKey) });
    await signed.readCard(anna.uid);
    await expect(signed.deliver({ uid: anna.uid, cardNumber: ANNA, order: offered })).rejects.toMatchObject({ code: 'orderUnavailable' });
    const unsigned = createDeliveryService({ reader, codec: layoutV1, store: k.store, now: () => new Date(), newId: randomUUID, log: pino({ level: 'silent' }) });
    await unsigned.readCard(anna.uid);
    await expect(unsigned.deliver({ uid: anna.uid, cardNumber: ANNA, order: offered })).rejects.toMatchObject({ code: 'codeLocked' });
  });

  it('at the machine: a card issued without a seal key gets the failed screen saying why (codeLocked), in each language; nothing is written', async () => {
    const k = startTestKiosk();
    cleanup.push(() => k.close());
    const anna = k.cards.get('anna')!;
    // Anna's card as issued before cards carried a seal key.
    for (const [n, data] of layoutV1.encodeIdentity({ cardNumber: ANNA, kind: 'traveller', expiry: '2031-03-31' })) anna.setBlock(n, data);
    const before = (await k.inspect('anna')).state;
    await k.tapCard('anna');
    await k.waitFor('menu');
    k.press({ type: 'PICKUP' });
    await k.waitFor('orders');
    k.press({ type: 'SELECT_ORDER', orderId: 'demo-anna-code' });
    await k.waitFor('confirm');
    k.press({ type: 'CONFIRM' });
    const failed = await k.waitFor('failed');
    expect(failed.screen.name === 'failed' && failed.screen.reason).toBe('codeLocked');
    expect((await k.inspect('anna')).state).toEqual(before);
    for (const catalog of [nl, en, de, fr]) expect(catalog.failed.reasons.codeLocked).toMatch(/kaartservicecode/i);
    expect(nl.failed.reasons.codeLocked).toMatch(/^Deze kaartservicecode is beveiligd/);
  });
});
