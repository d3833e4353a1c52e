// What a storage error means: the codes SQLite and the system give, each one fault (or none).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreConflictError, StoreCorruptError, StoreTooNewError } from '../sqlite/errors.js';
import { StoreFaultError, storeFaultOf } from './faults.js';

const sqlite = (code: string, message = 'x') => new Database.SqliteError(message, code);
const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('storeFaultOf', () => {
  it.each([
    [sqlite('SQLITE_FULL', 'database or disk is full'), 'storeFull'],
    [errno('ENOSPC'), 'storeFull'],
    [sqlite('SQLITE_READONLY', 'attempt to write a readonly database'), 'storeReadOnly'],
    [sqlite('SQLITE_READONLY_DBMOVED'), 'storeReadOnly'],
    [errno('EROFS'), 'storeReadOnly'],
    [errno('EACCES'), 'storeReadOnly'],
    [new StoreCorruptError('damaged', { code: 'SQLITE_CORRUPT_INDEX', file: '/k.db' }), 'storeCorrupt'],
    [new StoreTooNewError(9, 7, { file: '/k.db' }), 'storeTooNew'],
    [sqlite('SQLITE_IOERR_WRITE'), 'storeUnavailable'],
    [sqlite('SQLITE_CANTOPEN', 'unable to open database file'), 'storeUnavailable'],
    [new StoreFaultError({ code: 'storeFull', detail: { kind: 'freeSpace', freeBytes: 0, neededBytes: 1 }, message: '0 bytes free' }, '/k.db'), 'storeFull'],
    [new Error('database /k.db could not be opened', { cause: sqlite('SQLITE_FULL') }), 'storeFull'],
  ])('%s → %s', (error, code) => {
    expect(storeFaultOf(error)?.code).toBe(code);
  });

  it.each([
    [new StoreConflictError('not offered')],
    [sqlite('SQLITE_CONSTRAINT_UNIQUE')],
    [new Error('plain')],
    ['a string'],
  ])('%s is no storage fault', (error) => {
    expect(storeFaultOf(error)).toBeNull();
  });

  it('says the SQLite code for the screen, and its message (one line) for the log only', () => {
    const fault = storeFaultOf(sqlite('SQLITE_FULL', 'database or disk is full\nmore'));
    expect(fault?.detail).toEqual({ kind: 'sqlite', sqliteCode: 'SQLITE_FULL' });
    expect(fault?.message).toBe('SQLITE_FULL: database or disk is full');
  });
});
