// A back office whose database cannot be opened refuses to start with a message naming the
// file and what to do (backoffice/main.ts prints it and exits 1); the file is left as it was.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreCorruptError, StoreTooNewError } from '../sqlite/errors.js';
import { fingerprint, spyLogger } from '../sqlite/test-helpers.js';
import { BACKOFFICE_DB_ADVICE, openBackOfficeDb } from './db.js';
import { BACKOFFICE_MIGRATIONS } from './migrations.js';
import { createBackOffice } from './server.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backoffice-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { now: () => new Date('2026-11-21T10:00:00.000Z'), pickupWindowMs: 86_400_000 };

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('opening the back office database', () => {
  it('a corrupt backoffice.db is refused with StoreCorruptError naming the file and what to do, and logged', () => {
    const file = join(dir, 'backoffice.db');
    writeFileSync(file, 'definitely not sqlite\n'.repeat(500));
    const before = fingerprint(file);
    const logger = spyLogger();
    const error = failure(() => openBackOfficeDb(file, { ...options, logger }));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error.message).toBe(
      `database ${file} is corrupt or not a database (SQLITE_NOTADB: file is not a database). It was left unchanged. ${BACKOFFICE_DB_ADVICE.corrupt}`,
    );
    expect(fingerprint(file)).toEqual(before);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'error', msg: 'back office: database is corrupt' }));
  });

  it('a backoffice.db from a newer build is refused with StoreTooNewError naming the file and what to do', () => {
    const file = join(dir, 'backoffice.db');
    const db = new Database(file);
    db.pragma(`user_version = ${BACKOFFICE_MIGRATIONS.length + 1}`);
    db.close();
    const before = fingerprint(file);
    const error = failure(() => createBackOffice({ file, onlineToken: 'x'.repeat(32) }));
    expect(error).toBeInstanceOf(StoreTooNewError);
    expect(error.message).toContain(`database ${file} has schema version ${BACKOFFICE_MIGRATIONS.length + 1}`);
    expect(error.message).toContain(BACKOFFICE_DB_ADVICE.tooNew);
    expect(fingerprint(file)).toEqual(before);
  });
});

describe('the order signing key', () => {
  it('is made beside a new database (0600) and kept; once orders are signed, a missing key stops the start, naming it', () => {
    const file = join(dir, 'backoffice.db');
    const db = openBackOfficeDb(file, options);
    const key = db.orderPublicKey;
    db.placeOrder({ kind: 'topup', cardNumber: '3528010012345678', email: 'a@example.org', amountCents: 100 });
    db.close();
    expect((statSync(`${file}.order-key`).mode & 0o777).toString(8)).toBe('600');
    const again = openBackOfficeDb(file, options);
    expect(again.orderPublicKey).toBe(key);
    again.close();
    // The database moved (or restored) without its key: before, a new key was made in silence.
    rmSync(`${file}.order-key`);
    const error = failure(() => openBackOfficeDb(file, options));
    expect(error.message).toContain(`${file}.order-key is missing`);
    expect(existsSync(`${file}.order-key`)).toBe(false);
  });
});
