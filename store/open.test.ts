import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StoreCorruptError, StoreTooNewError } from '../sqlite/errors.js';
import { MIGRATIONS } from './migrations.js';
import type { StoreLogger } from './schemas.js';
import { STORE_ADVICE, openStore } from './store.js';
import { BUSY_TIMEOUT_MS, applyDurabilitySettings } from '../sqlite/open.js';
import { CARD, UID, spyLogger, testClock, useTempFiles } from './test-helpers.js';

const files = useTempFiles();

function fingerprint(path: string): { size: number; sha256: string } {
  return { size: statSync(path).size, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

function seedTopup(store: ReturnType<typeof openStore>, id = 'o1'): void {
  store.orders.upsert({
    id,
    cardNumber: CARD,
    payload: { kind: 'topup', amountCents: 1000 },
    createdAt: '2025-03-01T08:00:00.000Z',
    expiresAt: null,
  });
}

describe('opening the store', () => {
  it('creates the file and its folder, and migrates an empty database to the latest version', () => {
    const logger = spyLogger();
    const path = join(files.dir, 'data', 'nested', 'kiosk.db');
    const store = openStore(path, { logger });
    try {
      expect(existsSync(path)).toBe(true);
      expect(store.file).toBe(path);
      expect(store.schemaVersion()).toBe(MIGRATIONS.length);
      expect(store.orders.countByStatus()).toEqual({ pending: 0, delivered: 0, cancelled: 0, expired: 0 });
      expect(logger.entries).toContainEqual(
        expect.objectContaining({ level: 'info', msg: 'store: schema migrated', obj: expect.objectContaining({ from: 0 }) }),
      );
    } finally {
      store.close();
    }
  });

  it('leaves the file in WAL mode', () => {
    files.open().close();
    expect(files.raw().pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('uses WAL, synchronous=FULL and foreign keys on its connection', () => {
    const db = files.raw();
    expect(applyDurabilitySettings(db)).toEqual({ journalMode: 'wal' });
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(BUSY_TIMEOUT_MS).toBeGreaterThan(0);
  });

  it('keeps orders, deliveries and reports across close and reopen, without migrating again', () => {
    const clock = testClock();
    const first = files.open(undefined, { now: clock.now });
    seedTopup(first);
    first.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    first.deliveries.markWriting('d1');
    first.deliveries.complete('d1', { kind: 'topup', amountCents: 1000, balanceCents: 2500 });
    first.close();

    const logger = spyLogger();
    const second = files.open(undefined, { now: clock.now, logger });
    expect(second.orders.get('o1')?.status).toBe('delivered');
    expect(second.deliveries.get('d1')?.state).toBe('written');
    expect(second.outbox.depth()).toBe(1);
    expect(logger.entries.filter((e) => e.msg === 'store: schema migrated')).toEqual([]);
  });

  it('closing twice is harmless', () => {
    const store = files.open();
    store.close();
    expect(() => store.close()).not.toThrow();
  });

  it('accepts a pino logger as its logger', () => {
    const logger: StoreLogger = pino({ level: 'silent' });
    const store = files.open(undefined, { logger });
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
  });
});

describe('a crash while a card is being written', () => {
  it('a delivery being written is still "writing" after a close and reopen', () => {
    const first = files.open();
    seedTopup(first);
    first.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    first.deliveries.markWriting('d1');
    first.close();

    const second = files.open();
    expect(second.deliveries.get('d1')).toMatchObject({ state: 'writing', outcome: null });
    expect(second.deliveries.unsettledForCard(CARD).map((d) => d.id)).toEqual(['d1']);
    expect(second.orders.offeredForCard(CARD)).toEqual([]);
  });

  it('a delivery being written is still "writing" when the files are taken as they are on disk, never closed', () => {
    const live = files.open('live.db');
    seedTopup(live);
    live.deliveries.begin({ id: 'd1', orderId: 'o1', cardNumber: CARD, cardUid: UID });
    live.deliveries.markWriting('d1');

    // The power goes: only the main file and the WAL, as they are now, are left.
    expect(existsSync(files.path('live.db-wal'))).toBe(true);
    copyFileSync(files.path('live.db'), files.path('after-crash.db'));
    copyFileSync(files.path('live.db-wal'), files.path('after-crash.db-wal'));

    const recovered = files.open('after-crash.db');
    expect(recovered.deliveries.get('d1')).toMatchObject({ state: 'writing', orderId: 'o1', cardUid: UID });
    expect(recovered.deliveries.unsettledCount()).toBe(1);
    expect(recovered.orders.get('o1')?.status).toBe('pending');
  });
});

describe('a database from a newer build', () => {
  function newerDatabase(): string {
    files.open().close();
    const db = new Database(files.path());
    db.exec(`CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES ('keep me')`);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    return files.path();
  }

  it('is refused with StoreTooNewError and never reset', () => {
    const path = newerDatabase();
    const before = fingerprint(path);
    const logger = spyLogger();

    expect(() => openStore(path, { logger })).toThrow(StoreTooNewError);
    try {
      openStore(path);
    } catch (error) {
      expect(error).toMatchObject({ fileVersion: MIGRATIONS.length + 1, knownVersion: MIGRATIONS.length, file: path });
      // It names the file and says what a kiosk's operator should do.
      expect((error as Error).message).toContain(`database ${path} has schema version`);
      expect((error as Error).message).toContain(STORE_ADVICE.tooNew);
    }

    expect(fingerprint(path)).toEqual(before);
    expect(logger.entries.map((e) => e.level)).toContain('error');
    const raw = files.raw();
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    expect(raw.prepare('SELECT x FROM from_the_future').pluck().get()).toBe('keep me');
  });
});

describe('a corrupt database', () => {
  it('a file of garbage bytes is classified as StoreCorruptError and left as it is', () => {
    const path = files.path();
    writeFileSync(path, Buffer.from('this is not a database, it is a ticket machine log\n'.repeat(200)));
    const before = fingerprint(path);
    const logger = spyLogger();

    let caught: unknown;
    try {
      openStore(path, { logger });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreCorruptError);
    expect(caught).toMatchObject({ code: 'SQLITE_NOTADB', file: path });
    expect((caught as Error).message).toContain(`database ${path} is corrupt or not a database`);
    expect((caught as Error).message).toContain(STORE_ADVICE.corrupt);
    expect((caught as Error).cause).toBeInstanceOf(Database.SqliteError);
    expect(fingerprint(path)).toEqual(before);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'error', msg: 'store: database is corrupt' }));
  });

  it('damaged pages are found at open (quick_check) and classified as StoreCorruptError too', () => {
    const seeding = files.open();
    for (let i = 0; i < 1500; i++) {
      seeding.orders.upsert({
        id: `order-${String(i).padStart(5, '0')}`,
        cardNumber: `card-${i % 50}`,
        payload: { kind: 'kaartservicecode', sealed: `ksc1.${'x'.repeat(100)}${String(i).padStart(5, '0')}` },
        createdAt: '2025-03-01T08:00:00.000Z',
        expiresAt: null,
      });
    }
    seeding.close();

    const path = files.path();
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    // Keep the header and the schema pages (every table's and index's root page, 24 or so
    // as the migrations grow; 40 leaves room); wipe the rest.
    bytes.fill(0xff, 40 * pageSize);
    writeFileSync(path, bytes);

    let caught: unknown;
    try {
      const store = files.open();
      store.orders.countByStatus();
      store.orders.offeredForCard('card-7');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreCorruptError);
    expect((caught as StoreCorruptError).code).toMatch(/^SQLITE_CORRUPT/);
  }, 30_000); // 1,500 rows written and read back: seconds on a busy machine
});
