// An initial sync validates each change once (the sync client's page schema) and keeps the
// back office's UTC timestamps as they are: the store does not parse them again.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { orderChangeSchema } from '../../protocol/kiosk-api.js';
import { toUtcIso } from '../../store/rows.js';
import { ANNA, BRAM, backOfficeUnderTest, eventually, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from './helpers.js';

const sqlite = backOfficeUnderTest('sqlite');
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let kiosk: TestKioskSync | null = null;
beforeEach(async () => {
  tmp = tempDir();
  office = await sqlite.start(tmp.dir);
});
afterEach(async () => {
  await kiosk?.close();
  kiosk = null;
  await office.close();
  tmp.remove();
  vi.restoreAllMocks();
});

describe('an initial sync', () => {
  it('validates each change once: the store takes the client-validated page as it is', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await office.topup(i % 2 ? ANNA : BRAM, 100 + i));
    const storeChecks = vi.spyOn(orderChangeSchema, 'safeParse');
    kiosk = startKioskSync(join(tmp.dir, 'k.db'), office.url, await office.kioskToken('k1'), { pollIntervalMs: 3_600_000, live: false });
    await eventually(() => ids.every((id) => kiosk?.store.orders.get(id)?.status === 'pending'), 4000, 'the orders');
    expect(storeChecks).not.toHaveBeenCalled();
    // What a caller other than the sync client hands the store is still validated.
    const bad = { orderId: 'x', status: 'pending' } as unknown as Parameters<typeof kiosk.store.sync.applyChanges>[0][number];
    expect(() => kiosk?.store.sync.applyChanges([bad], '999')).toThrow(/invalid input for orders/);
    expect(storeChecks).toHaveBeenCalledTimes(1);
  });
});

describe('toUtcIso', () => {
  it('keeps a canonical UTC time and converts the other ISO forms', () => {
    expect(toUtcIso('2026-12-01T10:00:00.000Z')).toBe('2026-12-01T10:00:00.000Z');
    expect(toUtcIso('2026-12-01T11:00:00+01:00')).toBe('2026-12-01T10:00:00.000Z');
    expect(toUtcIso('2026-12-01T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
    expect(toUtcIso('2026-12-01T10:00:00.5Z')).toBe('2026-12-01T10:00:00.500Z');
  });
});
