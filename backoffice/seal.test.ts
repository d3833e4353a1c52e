// The back office's seal master (backoffice/seal.ts): made beside a new database (0600) and
// kept; once a code is sealed with it, a missing master stops the start (every card issued
// carries a key derived from it). Each card's key is its own; codes a back office of before
// kept in clear are sealed at start and offered again, sealed, to the kiosks; the database
// keeps no code in clear.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSealedCode } from '../kiosk/sealed-code.js';
import { openBackOfficeDb } from './db.js';
import { cardSealKey, sealCode } from './seal.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backoffice-seal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { now: () => new Date('2026-11-21T10:00:00.000Z'), pickupWindowMs: 86_400_000 };
const ANNA = '3528010012345678';
const BRAM = '3528010087654321';

describe('the seal master', () => {
  it('is made beside a new database (0600) and kept; once codes are sealed, a missing master stops the start, naming it', () => {
    const file = join(dir, 'backoffice.db');
    const db = openBackOfficeDb(file, options);
    const key = db.cardSealKey(ANNA);
    db.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'a@example.org' }, { id: 'o1', code: '4821-9034-7713' });
    db.close();
    expect((statSync(`${file}.seal-key`).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(file).toString('latin1')).not.toContain('4821-9034-7713');
    const again = openBackOfficeDb(file, options);
    expect(again.cardSealKey(ANNA)).toEqual(key);
    again.close();
    rmSync(`${file}.seal-key`);
    let message = '';
    try {
      openBackOfficeDb(file, options);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${file}.seal-key is missing`);
    expect(existsSync(`${file}.seal-key`)).toBe(false);
  });

  it("diversifies a key per card (16 bytes): a code sealed to one card opens only with that card's key, only as its own order", () => {
    const master = Buffer.alloc(32, 7);
    const anna = cardSealKey(master, ANNA);
    expect(anna).toHaveLength(16);
    expect(cardSealKey(master, BRAM)).not.toEqual(anna);
    const sealed = sealCode(master, 'o1', ANNA, '4821-9034-7713');
    expect(sealCode(master, 'o1', ANNA, '4821-9034-7713')).not.toBe(sealed); // a fresh nonce every time
    expect(openSealedCode(anna, { orderId: 'o1', cardNumber: ANNA, sealed })).toEqual({ ok: true, code: '4821-9034-7713' });
    expect(openSealedCode(cardSealKey(master, BRAM), { orderId: 'o1', cardNumber: ANNA, sealed })).toEqual({ ok: false, refusal: 'notOpened' });
    expect(openSealedCode(anna, { orderId: 'o2', cardNumber: ANNA, sealed })).toEqual({ ok: false, refusal: 'notOpened' });
    expect(openSealedCode(undefined, { orderId: 'o1', cardNumber: ANNA, sealed })).toEqual({ ok: false, refusal: 'noKey' });
    expect(openSealedCode(new Uint8Array(16), { orderId: 'o1', cardNumber: ANNA, sealed })).toEqual({ ok: false, refusal: 'noKey' });
  });

  it('forgets a sealed code as its order leaves pending (cancelled, expired, picked up)', () => {
    const db = openBackOfficeDb(join(dir, 'backoffice.db'), options);
    for (const id of ['c', 'e', 'p']) db.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'a@example.org' }, { id, code: '1111-2222-3333', ...(id === 'e' ? { expiresAt: '2026-11-20T00:00:00.000Z' } : {}) });
    db.cancelOrder('c');
    expect(db.expireDue()).toBe(1);
    db.recordPickup('k1', { deliveryId: 'd1', orderId: 'p', cardNumber: ANNA, deliveredAt: '2026-11-21T10:00:00.000Z', kind: 'kaartservicecode' });
    const payloads = db.db.prepare('SELECT payload FROM orders ORDER BY id').pluck().all();
    expect(payloads).toEqual(new Array(3).fill(JSON.stringify({ kind: 'kaartservicecode', sealed: 'forgotten' })));
    db.close();
  });

  it('codes kept in clear by a back office of before are sealed at start; a pending one is offered again, sealed and signed', () => {
    const file = join(dir, 'backoffice.db');
    const db = openBackOfficeDb(file, options);
    db.placeOrder({ kind: 'kaartservicecode', cardNumber: ANNA, email: 'a@example.org' }, { id: 'o1', code: '1111-2222-3333' });
    // As a back office of before kept it.
    db.db.prepare(`UPDATE orders SET payload = ? WHERE id = 'o1'`).run(JSON.stringify({ kind: 'kaartservicecode', code: '1111-2222-3333' }));
    const head = db.head();
    db.close();
    const again = openBackOfficeDb(file, options);
    const { changes } = again.changesSince(head, 10);
    expect(changes.map((c) => c.orderId)).toEqual(['o1']);
    const [change] = changes;
    if (change?.status !== 'pending' || change.payload.kind !== 'kaartservicecode') throw new Error('not re-offered');
    expect(openSealedCode(again.cardSealKey(ANNA), { orderId: 'o1', cardNumber: ANNA, sealed: change.payload.sealed })).toEqual({ ok: true, code: '1111-2222-3333' });
    expect(change.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    again.close();
  });

  it('`card-seal-key <card>` prints the card\'s key (hex) for the issuing system, the one the back office seals to', async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['scripts/run-ts.mjs', 'backoffice/main.ts', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, BACKOFFICE_DATA_DIR: dir } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const printed = await run('card-seal-key', ANNA);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    const db = openBackOfficeDb(join(dir, 'backoffice.db'), options);
    expect(db.cardSealKey(ANNA).toString('hex')).toBe(printed.stdout.trim());
    db.close();
    expect((await run('card-seal-key', 'notacard')).code).not.toBe(0);
  }, 40_000);
});
