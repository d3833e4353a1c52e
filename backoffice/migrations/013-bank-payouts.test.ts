// Back office migration 13, from a version-12 database with a back office's rows: empty
// bank_accounts and payouts, claims with two new columns (NULL: paid onto the card, as
// before); every row kept.
import { describe, expect, it } from 'vitest';
import { migrate, readUserVersion } from '../../sqlite/migrate.js';
import { columns, rowsOf, useTempDb } from '../../sqlite/test-helpers.js';
import { BACKOFFICE_MIGRATIONS } from '../migrations.js';
import { migration } from './013-bank-payouts.js';
import { seedVersion1 } from './test-helpers.js';

const files = useTempDb();

describe('back office migration 13: bank payouts', () => {
  it('is version 13, listed thirteenth', () => {
    expect(migration.version).toBe(13);
    expect(BACKOFFICE_MIGRATIONS[12]).toBe(migration);
  });

  it('adds bank_accounts and payouts, empty, the claims\' payout columns, and keeps every row', () => {
    const before = BACKOFFICE_MIGRATIONS.slice(0, 12);
    const db = files.atVersion(before.slice(0, 1), 1);
    seedVersion1(db);
    migrate(db, before);
    db.prepare(
      `INSERT INTO claims (card_number, journey_id, kind, status, claimed_at, claimed_by, amount_cents, order_id)
       VALUES ('3528010012345678', '2026-11-20T08:01:00.000Z', 'delay', 'granted', '2026-11-30T10:00:00.000Z', 'kiosk:k1', 425, 'o-1')`,
    ).run();
    const rows = rowsOf(db);
    expect(migrate(db, [...before, migration])).toEqual({ from: 12, to: 13, applied: [13] });
    expect(readUserVersion(db)).toBe(13);
    expect(columns(db, 'bank_accounts')).toEqual(['account_id', 'iban', 'holder', 'updated_at']);
    expect(columns(db, 'payouts')).toEqual(['seq', 'id', 'account_id', 'card_number', 'journey_id', 'kind', 'amount_cents', 'iban', 'holder', 'iban_last4', 'status', 'created_at', 'paid_at']);
    expect(columns(db, 'claims').slice(-2)).toEqual(['payout_account', 'payout_id']);
    const after = rowsOf(db);
    expect(after.bank_accounts).toEqual([]);
    expect(after.payouts).toEqual([]);
    expect(after.claims).toEqual((rows.claims as object[]).map((c) => ({ ...c, payout_account: null, payout_id: null })));
    expect({ ...after, bank_accounts: undefined, payouts: undefined, claims: undefined, sqlite_sequence: undefined }).toEqual({ ...rows, claims: undefined, sqlite_sequence: undefined });
    // A paid payout keeps no IBAN; a pending one must have it.
    const insert = db.prepare(
      `INSERT INTO payouts (id, account_id, card_number, journey_id, kind, amount_cents, iban, holder, iban_last4, status, created_at) VALUES (?, 'a', '3528010012345678', ?, 'delay', 425, ?, 'H', '4300', ?, 'now')`,
    );
    expect(() => insert.run('po_1', 'j1', null, 'pending')).toThrow(/CHECK/);
    expect(() => insert.run('po_2', 'j2', 'NL91ABNA0417164300', 'paid')).toThrow(/CHECK/);
  });
});
