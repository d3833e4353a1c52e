// ATTACK (issue 11): a thief guesses a technician's PIN at several kiosks, staying under each
// kiosk's own lockout (5 wrong PINs): 4 at one, 4 at the next, 2 at a third. The back office
// counts the attempts across the fleet: past 10 the technician is locked at every kiosk that
// is online, the right PIN included, and every refused attempt is audited. Other technicians
// are not locked; a right PIN ends the count; a kiosk whose back office is down keeps its own
// lockout and still lets the technician in.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPin } from '../../backoffice/pins.js';
import { layoutV1 } from '../../hardware/card-layout.js';
import { createMaintenance, type Maintenance } from '../../kiosk/maintenance.js';
import { annaOnReader, eventually, startBackOffice, startKioskSync, tempDir, type TestKioskSync } from './helpers.js';

const FAST = { N: 1024, r: 8, p: 1, keylen: 32 };
const TECH = { id: 'T-1', card: '9999000012340001', pin: '246813' };
const OTHER = { id: 'T-2', card: '9999000012340002', pin: '975318' };

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function fleet(n: number) {
  const tmp = tempDir();
  const running = await startBackOffice(tmp.dir);
  let closed: Promise<void> | null = null;
  const office = { ...running, dir: tmp.dir, close: () => (closed ??= running.close()) };
  cleanup.push(async () => {
    await office.close();
    tmp.remove();
  });
  office.bo.db.setTechnician(TECH.id, TECH.card, hashPin(TECH.pin, FAST));
  office.bo.db.setTechnician(OTHER.id, OTHER.card, hashPin(OTHER.pin, FAST));
  const credentials = office.bo.db.technicians();
  const kiosks: { sync: TestKioskSync; maintenance: Maintenance }[] = [];
  for (let i = 1; i <= n; i++) {
    const sync = startKioskSync(join(tmp.dir, `k${i}.db`), office.url, office.kioskToken(`k${i}`));
    cleanup.push(() => sync.close());
    sync.store.maintenance.technicians.replaceAll(credentials);
    await sync.client.syncNow();
    const maintenance = createMaintenance({
      store: sync.store,
      reader: annaOnReader().reader,
      codec: layoutV1,
      log: pino({ level: 'silent' }),
      now: () => new Date(),
      version: 'test',
      dataDir: tmp.dir,
      sync: sync.client,
    });
    kiosks.push({ sync, maintenance });
  }
  return { office, kiosks };
}

const tryPin = (k: { maintenance: Maintenance }, pin: string, who = TECH) => k.maintenance.verifyPin({ entry: 'card', cardNumber: who.card, pin });

describe('PIN attempts counted across the fleet', () => {
  it('guesses spread over three kiosks, under each one’s lockout, lock the technician everywhere, the right PIN too', async () => {
    const { kiosks } = await fleet(3);
    const [k1, k2, k3] = kiosks as [(typeof kiosks)[number], (typeof kiosks)[number], (typeof kiosks)[number]];
    for (const [k, n] of [[k1, 4], [k2, 4], [k3, 2]] as const) {
      for (let i = 0; i < n; i++) expect((await tryPin(k, '111222')).result).toBe('wrong');
    }
    // The 11th attempt, at any kiosk, with the right PIN: locked for 15 minutes.
    expect(await tryPin(k3, TECH.pin)).toEqual({ result: 'locked', minutesLeft: 15 });
    expect(await tryPin(k1, TECH.pin)).toEqual({ result: 'locked', minutesLeft: 15 });
    expect(k1.sync.store.maintenance.audit.recent(50).map((e) => e.action).filter((a) => a.startsWith('pin.'))).toContain('pin.fleetLocked');
    // Another technician is not locked.
    expect(await tryPin(k2, OTHER.pin, OTHER)).toMatchObject({ result: 'ok', technicianId: OTHER.id });
  });

  it('a right PIN ends the count; a kiosk whose back office is down still lets the technician in on its own lockout', async () => {
    const { office, kiosks } = await fleet(2);
    const [k1, k2] = kiosks as [(typeof kiosks)[number], (typeof kiosks)[number]];
    for (let i = 0; i < 4; i++) expect((await tryPin(k1, '111222')).result).toBe('wrong');
    expect(await tryPin(k1, TECH.pin)).toMatchObject({ result: 'ok' });
    // The kiosk tells the back office of the right PIN (without waiting for it): the count is 0 again.
    const attempts = () => {
      const db = new Database(join(office.dir, 'backoffice.db'), { readonly: true });
      try {
        return db.prepare<[string], { attempts: number }>('SELECT attempts FROM technician_pin_locks WHERE technician_id = ?').get(TECH.id)?.attempts;
      } finally {
        db.close();
      }
    };
    await eventually(() => attempts() === 0, 2000, 'the right PIN counted');
    // Seven more wrong ones (under each kiosk's own lockout of 5): 12 in all without that reset, which would lock.
    for (let i = 0; i < 4; i++) expect((await tryPin(k2, '111222')).result).toBe('wrong');
    for (let i = 0; i < 3; i++) expect((await tryPin(k1, '111222')).result).toBe('wrong');
    expect(await tryPin(k2, TECH.pin)).toMatchObject({ result: 'ok' });
    // The back office goes away: the kiosk checks alone.
    await office.close();
    await k1.sync.client.syncNow().catch(() => undefined);
    expect(await tryPin(k1, TECH.pin)).toMatchObject({ result: 'ok' });
  });
});
