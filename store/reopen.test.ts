// Letting go of the database after a fault and opening it again (kiosk/store-watch.ts does
// both): the repositories a caller holds follow the new connection, nothing is reported
// twice while the store is let go of, and a file that is gone is not made anew.
import { existsSync, renameSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoreFaultError, type StoreFault } from './faults.js';
import { useTempFiles } from './test-helpers.js';

const files = useTempFiles();
const CORRUPT: StoreFault = { code: 'storeCorrupt', detail: { kind: 'sqlite', sqliteCode: 'SQLITE_CORRUPT' }, message: 'SQLITE_CORRUPT: test' };

describe('release and reopen', () => {
  it('a repository held before a reopen works on the new connection; while let go of, operations fail with the fault, unreported', () => {
    const reported: StoreFault[] = [];
    const store = files.open('kiosk.db', { onFault: (fault) => reported.push(fault) });
    const audit = store.maintenance.audit; // held, as maintenance and receipts hold theirs
    audit.append({ actor: 'tech-1', action: 'before' });

    store.release(CORRUPT);
    expect(() => audit.append({ actor: 'tech-1', action: 'while let go of' })).toThrow(StoreFaultError);
    expect(store.check()).toEqual({ fault: CORRUPT, quickCheckMs: 0 });
    expect(reported).toEqual([]);

    expect(store.reopen().fault).toBeNull();
    audit.append({ actor: 'tech-1', action: 'after' });
    expect(audit.recent(10).map((a) => a.action)).toEqual(['after', 'before']);
  });

  it('a file that is gone is not made anew by a reopen (an unmounted disk): a fault until it is back', () => {
    const file = files.path('kiosk.db');
    const store = files.open('kiosk.db');
    store.maintenance.audit.append({ actor: 'tech-1', action: 'kept' });
    store.release(CORRUPT);
    renameSync(file, `${file}.away`);

    expect(store.reopen().fault).toMatchObject({ code: 'storeUnavailable' });
    expect(existsSync(file)).toBe(false);

    renameSync(`${file}.away`, file);
    expect(store.reopen().fault).toBeNull();
    expect(store.maintenance.audit.recent(10).map((a) => a.action)).toEqual(['kept']);
  });
});
