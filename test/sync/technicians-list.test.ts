// ATTACK (issue 11): one bad technician row (a card number "notacard", accepted by an old
// add-technician) made every kiosk reject the whole technician list, so no technician
// could log in offline. A kiosk now skips that one credential, says so, and keeps the rest.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPin } from '../../backoffice/pins.js';
import type { TechnicianPinHash } from '../../sync/client.js';
import { eventually, forEachEngine, startKioskSync, tempDir } from './helpers.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

// On SQLite, and on two instances sharing PostgreSQL (the list served by B).
forEachEngine((engine) => {
describe('the technician list at the kiosk', () => {
  it('one invalid credential is skipped and logged; the valid ones are kept', async () => {
    const tmp = tempDir();
    const office = await engine.start(tmp.dir);
    cleanup.push(async () => {
      await office.close();
      tmp.remove();
    });
    await office.shop.store.setTechnician('T-0001', '3528010000000001', hashPin('482913'));
    await office.shop.store.setTechnician('T-0003', '3528010000000003', hashPin('771204'));
    // Written as an old back office let it through.
    await office.exec(`INSERT INTO technicians (id, card_number, salt, hash, params) VALUES ('T-0002', 'notacard', 'aa', 'bb', '{"N":16384,"r":8,"p":1,"keylen":32}')`);
    let received: TechnicianPinHash[] | null = null;
    const k = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'), { onTechnicians: (list) => (received = list) });
    cleanup.push(() => k.close());
    await k.client.syncNow();
    const list = await eventually(() => received, 4000, 'the technician list');
    expect(list.map((t) => t.technicianId)).toEqual(['T-0001', 'T-0003']);
    const skipped = k.log.entries.filter((e) => e.level === 'error' && /technician credential/.test(e.msg));
    expect(skipped.map((e) => e.obj.technicianId)).toEqual(['T-0002']);
    expect(JSON.stringify(k.log.entries)).not.toContain('"bb"');
  });
});
});
