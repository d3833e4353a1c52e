// The back office over real HTTP on 127.0.0.1: the online side, the kiosk side's
// authentication, idempotent pickups, expiry, technician PINs and the e-mail outbox.
import { openSealedCode } from '../../kiosk/sealed-code.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileEmailSender, type Email, type EmailSender } from '../../backoffice/email.js';
import { hashPin } from '../../backoffice/pins.js';
import { hashToken } from '../../backoffice/db.js';
import pino from 'pino';
import { pinMatches } from '../../kiosk/pin.js';
import { ANNA, BRAM, eventually, startBackOffice, tempDir, type RunningBackOffice } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let office: RunningBackOffice;
const kioskGet = (path: string, token: string | null, init: RequestInit = {}) =>
  fetch(`${office.url}/v1/kiosk${path}`, {
    ...init,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
  });

beforeEach(async () => {
  tmp = tempDir();
  office = await startBackOffice(tmp.dir, { emailSender: new FileEmailSender(join(tmp.dir, 'mail.jsonl')) });
});
afterEach(async () => {
  await office.close();
  tmp.remove();
});

describe('the online side', () => {
  it('requests a kaartservicecode: the order is pending, and the code is not shown online', async () => {
    const placed = await office.online('POST', '/orders', { kind: 'kaartservicecode', cardNumber: ANNA, email: 'anna@example.org' });
    expect(placed.status).toBe(201);
    const id = (placed.json as { id: string }).id;
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const seen = await office.online('GET', `/orders/${id}`);
    expect(seen.json).toMatchObject({ id, kind: 'kaartservicecode', status: 'pending', cardNumber: ANNA });
    const payload = office.bo.db.db.prepare('SELECT payload FROM orders WHERE id = ?').pluck().get(id) as string;
    // Kept only sealed to Anna's card, in the back office's database too: opened with her card's key.
    const { sealed } = JSON.parse(payload) as { sealed: string };
    const opened = openSealedCode(office.bo.db.cardSealKey(ANNA), { orderId: id, cardNumber: ANNA, sealed });
    const code = opened.ok ? opened.code : '';
    expect(code).toMatch(/^\d{4}-\d{4}-\d{4}$/);
    expect(JSON.stringify(seen.json)).not.toContain(code);
    expect(JSON.stringify(seen.json)).not.toContain(sealed);
  });

  it('orders a product and a top-up; refuses a malformed order with 400', async () => {
    const product = await office.online('POST', '/orders', {
      kind: 'product', cardNumber: ANNA, email: 'anna@example.org', productCode: 'DAL_VOORDEEL', validFrom: '2026-01-01', validUntil: '2026-12-31',
    });
    expect(product.status).toBe(201);
    expect((await office.online('POST', '/orders', { kind: 'topup', cardNumber: ANNA, email: 'a@b.nl', amountCents: 2000 })).status).toBe(201);
    for (const bad of [
      { kind: 'topup', cardNumber: '1234', email: 'a@b.nl', amountCents: 2000 },
      { kind: 'topup', cardNumber: ANNA, email: 'not-an-email', amountCents: 2000 },
      { kind: 'topup', cardNumber: ANNA, email: 'a@b.nl', amountCents: -1 },
      { kind: 'topup', cardNumber: ANNA, email: 'a@b.nl', amountCents: 100, extra: 1 },
      { kind: 'refund', cardNumber: ANNA, email: 'a@b.nl' },
    ]) {
      expect((await office.online('POST', '/orders', bad)).status).toBe(400);
    }
  });

  it('cancels a pending order (twice is fine) but not one that was picked up', async () => {
    const id = await office.topup(ANNA);
    expect((await office.online('POST', `/orders/${id}/cancel`)).json).toMatchObject({ status: 'cancelled' });
    expect((await office.online('POST', `/orders/${id}/cancel`)).status).toBe(200);
    const other = await office.topup(ANNA);
    office.bo.db.recordPickup('k1', { deliveryId: 'd1', orderId: other, cardNumber: ANNA, deliveredAt: new Date().toISOString(), kind: 'topup' });
    expect((await office.online('POST', `/orders/${other}/cancel`)).status).toBe(409);
    expect((await office.online('GET', '/orders/nope')).status).toBe(404);
  });

  it('refuses the online API without the channel token', async () => {
    const response = await fetch(`${office.url}/v1/online/orders/x`);
    expect(response.status).toBe(401);
  });
});

describe('kiosk authentication', () => {
  it('an unknown or missing token gets 401 and an empty body, on every kiosk route', async () => {
    office.kioskToken('k1');
    for (const path of ['/changes', '/events', '/technicians']) {
      for (const token of [null, 'not-a-token', '']) {
        const response = await kioskGet(path, token);
        expect(response.status).toBe(401);
        expect(await response.text()).toBe('');
      }
    }
    const put = await kioskGet('/pickups/d1', 'wrong', { method: 'PUT', body: '{}' });
    expect(put.status).toBe(401);
    expect(await put.text()).toBe('');
  });

  it('each kiosk has its own token; a heartbeat is recorded for that kiosk', async () => {
    const t1 = office.kioskToken('k1');
    office.kioskToken('k2');
    const response = await kioskGet('/heartbeat', t1, { method: 'POST', body: JSON.stringify({ cursor: '3', outboxDepth: 2, online: true }) });
    expect(response.status).toBe(204);
    const kiosks = (await office.online('GET', '/kiosks')).json as { id: string; heartbeat: unknown; lastSeenAt: string | null }[];
    expect(kiosks.find((k) => k.id === 'k1')).toMatchObject({ heartbeat: { cursor: '3', outboxDepth: 2, online: true } });
    expect(kiosks.find((k) => k.id === 'k2')?.lastSeenAt).toBeNull();
  });
});

describe('the changes feed and pickups', () => {
  it('pages through changes with a cursor', async () => {
    const token = office.kioskToken('k1');
    const ids = [await office.topup(ANNA), await office.topup(ANNA), await office.topup(ANNA)];
    const first = (await (await kioskGet('/changes?cursor=0&limit=2', token)).json()) as { changes: { orderId: string }[]; cursor: string; more: boolean };
    expect(first.changes.map((c) => c.orderId)).toEqual(ids.slice(0, 2));
    expect(first.more).toBe(true);
    const second = (await (await kioskGet(`/changes?cursor=${first.cursor}&limit=2`, token)).json()) as typeof first;
    expect(second.changes.map((c) => c.orderId)).toEqual(ids.slice(2));
    expect(second.more).toBe(false);
    expect(second).toEqual({ ...office.bo.db.changesSince(Number(first.cursor), 2), cursor: second.cursor });
    expect(second).toMatchObject({ head: String(office.bo.db.head()), epoch: office.bo.db.epoch });
    expect((await kioskGet('/changes?cursor=abc', token)).status).toBe(400);
  });

  it('records a pickup once, whatever the number of reports with the same delivery id', async () => {
    const token = office.kioskToken('k1');
    const id = await office.topup(ANNA);
    const report = { deliveryId: 'dlv-1', orderId: id, cardNumber: ANNA, deliveredAt: new Date().toISOString(), kind: 'topup' };
    const put = () => kioskGet('/pickups/dlv-1', token, { method: 'PUT', body: JSON.stringify(report) });
    expect(await (await put()).json()).toEqual({ deliveryId: 'dlv-1', status: 'recorded', conflict: null });
    expect(await (await put()).json()).toEqual({ deliveryId: 'dlv-1', status: 'duplicate', conflict: null });
    expect(office.bo.db.pickupsForOrder(id)).toBe(1);
    expect((await office.online('GET', `/orders/${id}`)).json).toMatchObject({ status: 'delivered', pickedUpBy: 'k1' });
    const withCode = { ...report, code: '1234-5678-9012' };
    expect((await kioskGet('/pickups/dlv-1', token, { method: 'PUT', body: JSON.stringify(withCode) })).status).toBe(400);
  });

  it("ATTACK: a kiosk token reporting another card's pickup, or an unknown order's, is quarantined (not delivered, no e-mail)", async () => {
    const token = office.kioskToken('k1');
    const id = await office.topup(ANNA);
    const report = { deliveryId: 'dlv-x', orderId: id, cardNumber: BRAM, deliveredAt: new Date().toISOString(), kind: 'topup' };
    const put = (body: unknown, delivery = 'dlv-x') => kioskGet(`/pickups/${delivery}`, token, { method: 'PUT', body: JSON.stringify(body) });
    const answer = await put(report);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ deliveryId: 'dlv-x', status: 'recorded', conflict: 'quarantined: reported with another card number than the order' });
    // Before the fix: status 'delivered' and a "picked up" e-mail to the customer.
    expect(office.bo.db.getOrder(id)).toMatchObject({ status: 'pending', conflict: 'quarantined: reported with another card number than the order' });
    expect(office.bo.db.unsentEmails(10).filter((e) => e.orderId === id).map((e) => e.template)).not.toContain('picked-up');
    // The genuine pickup with Anna's card still goes through.
    const genuine = await put({ ...report, deliveryId: 'dlv-y', cardNumber: ANNA }, 'dlv-y');
    expect(await genuine.json()).toEqual({ deliveryId: 'dlv-y', status: 'recorded', conflict: null });
    expect(office.bo.db.getOrder(id)).toMatchObject({ status: 'delivered', pickedUpBy: 'k1' });

    // An order it does not know (made up, or lost in a restore): kept for the operator, nothing made of it.
    const unknown = await put({ ...report, deliveryId: 'dlv-z', orderId: 'o_nosuchorder', cardNumber: ANNA }, 'dlv-z');
    expect(await unknown.json()).toEqual({ deliveryId: 'dlv-z', status: 'recorded', conflict: 'quarantined: an order the back office does not know' });
    expect(office.bo.db.getOrder('o_nosuchorder')).toBeUndefined();
  });

  it('refused requests are logged without the token; the online token is kept as a hash only', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    await office.close();
    const onlineToken = 'online-token-'.padEnd(40, 'x');
    office = await startBackOffice(tmp.dir, { log, onlineToken: undefined, onlineTokenHash: hashToken(onlineToken) });
    const wrong = 'guess-'.padEnd(40, 'y');
    const online = await fetch(`${office.url}/v1/online/orders/o_1`, { headers: { authorization: `Bearer ${wrong}` } });
    expect(online.status).toBe(401);
    expect((await kioskGet('/changes', wrong)).status).toBe(401);
    const ok = await fetch(`${office.url}/v1/online/orders/o_none`, { headers: { authorization: `Bearer ${onlineToken}` } });
    expect(ok.status).toBe(404);
    const refused = lines.filter((l) => l.includes('refused (401)'));
    expect(refused).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain(wrong);
  });

  it('orders expire after the pickup window and the feed says so', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    await office.close();
    office = await startBackOffice(tmp.dir, { now: () => new Date(now), pickupWindowMs: 60_000 });
    const id = await office.topup(ANNA);
    now += 61_000;
    expect(office.bo.db.expireDue()).toBe(1);
    expect((await office.online('GET', `/orders/${id}`)).json).toMatchObject({ status: 'expired' });
    const page = office.bo.db.changesSince(0, 10);
    expect(page.changes).toEqual([expect.objectContaining({ orderId: id, status: 'expired', payload: null })]);
    // the JSON the feed sends is the same page
    expect(JSON.parse(office.bo.db.changesJsonSince(0, 10))).toEqual({ ...page, cursor: String(page.cursor), more: false });
    expect(page).toMatchObject({ head: '2', epoch: office.bo.db.epoch });
    // With an anchor: that change's sequence number (null for a change it never had); the
    // placing change, overtaken by the expiry, is still known at its own sequence number.
    const [expiry] = page.changes;
    expect(JSON.parse(office.bo.db.changesJsonSince(2, 10, expiry?.change))).toMatchObject({ changes: [], cursor: '2', anchorSeq: '2' });
    expect(office.bo.db.changesSince(2, 10, 'change_unknown')).toMatchObject({ anchorSeq: null });
    const placed = office.bo.db.db.prepare('SELECT change_id FROM feed_log WHERE seq = 1').pluck().get() as string;
    expect(office.bo.db.changesSince(2, 10, placed)).toMatchObject({ anchorSeq: '1' });
  });

  it('serves technician PIN hashes (scrypt with salt), never the PIN', async () => {
    const token = office.kioskToken('k1');
    office.bo.db.setTechnician('t-0001', '9999000012340001', hashPin('2468', { N: 1024, r: 8, p: 1, keylen: 32 }));
    const list = (await (await kioskGet('/technicians', token)).json()) as { technicianId: string; salt: string; hash: string; params: { N: number; r: number; p: number; keylen: number } }[];
    expect(list).toEqual([{ technicianId: 't-0001', cardNumber: '9999000012340001', salt: expect.stringMatching(/^[0-9a-f]{32}$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/), params: { N: 1024, r: 8, p: 1, keylen: 32 } }]);
    const first = list[0];
    if (!first) throw new Error('no technician');
    expect(await pinMatches('2468', first)).toBe(true);
    expect(await pinMatches('2469', first)).toBe(false);
  });
});

describe('the e-mail outbox', () => {
  it('sends "ready" and "picked up" through the sender, without the kaartservicecode', async () => {
    const placed = await office.online('POST', '/orders', { kind: 'kaartservicecode', cardNumber: ANNA, email: 'anna@example.org' });
    const id = (placed.json as { id: string }).id;
    office.bo.db.recordPickup('k1', { deliveryId: 'd1', orderId: id, cardNumber: ANNA, deliveredAt: new Date().toISOString(), kind: 'kaartservicecode' });
    const file = join(tmp.dir, 'mail.jsonl');
    const mails = await eventually(() => {
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Email);
      return lines.length >= 2 ? lines : null;
    }, 3000, 'two e-mails');
    expect(mails.map((m) => m.template)).toEqual(['ready', 'picked-up']);
    expect(mails.every((m) => m.to === 'anna@example.org')).toBe(true);
    const payload = office.bo.db.db.prepare('SELECT payload FROM orders WHERE id = ?').pluck().get(id) as string;
    const code = (JSON.parse(payload) as { code: string }).code;
    expect(readFileSync(file, 'utf8')).not.toContain(code);
  });

  it('a failing sender keeps the e-mail queued until it is sent', async () => {
    await office.close();
    let failures = 2;
    const sent: Email[] = [];
    const flaky: EmailSender = {
      async send(email) {
        if (failures-- > 0) throw new Error('smtp down');
        sent.push(email);
      },
    };
    office = await startBackOffice(tmp.dir, { emailSender: flaky });
    await office.topup(ANNA);
    await eventually(() => sent.length === 1, 3000, 'the e-mail');
    expect(office.bo.db.unsentEmails(10)).toEqual([]);
  });
});

describe('the back office database', () => {
  it('serves the feed, expiry and token lookups from indexes', () => {
    const plan = (sql: string, ...args: unknown[]) =>
      (office.bo.db.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT * FROM orders WHERE seq > ? ORDER BY seq LIMIT ?', 0, 10)).toMatch(/USING INDEX sqlite_autoindex_orders_2 \(seq>\?\)/);
    expect(plan(`SELECT id FROM orders WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?`, 'x', 1)).toMatch(/USING INDEX orders_pending_by_expiry/);
    expect(plan('SELECT id FROM kiosks WHERE token_hash = ?', 'x')).toMatch(/SEARCH kiosks USING INDEX sqlite_autoindex_kiosks_\d \(token_hash=\?\)/);
    expect(plan('SELECT order_id FROM pickups WHERE delivery_id = ?', 'x')).toMatch(/SEARCH pickups USING INDEX sqlite_autoindex_pickups_1 \(delivery_id=\?\)/);
  });
});
