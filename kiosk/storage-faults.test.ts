// Storage faults as states, on real file systems: a full tmpfs, a database file mounted
// read-only, a corrupted page and a database from a newer build. Each shows out of service
// with its fault on the kiosk's view and a red /health (503, `reason`), and the kiosk
// comes back by itself once the fault is gone, with every row it held still there.
// Mounting needs root: without it the suite is skipped, saying so.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOrders, demoWallet } from '../demo/cards.js';
import { layoutV1 } from '../hardware/card-layout.js';
import { SimulatedReader, type SimulatedCard } from '../hardware/simulated-reader.js';
import { waitForScreen } from '../test/wait-for-screen.js';
import { composeKiosk, type HostedKiosk, type StartOptions } from './compose.js';
import type { KioskView } from './contract.js';
import { startFailClosed } from './fail-closed.js';
import { startHealthServer } from './web-host.js';

const isRoot = process.getuid?.() === 0;
const RECHECK_MS = 100;
const log = pino({ level: 'silent' });

let mnt = '';
beforeAll(() => {
  if (!isRoot) return;
  mnt = mkdtempSync(join(tmpdir(), 'kiosk-storage-faults-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
});
afterAll(() => {
  if (!isRoot) return;
  execFileSync('umount', ['-l', mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

const station = (options: StartOptions) =>
  composeKiosk(
    { ...options, kioskLog: { log, buffer: undefined } },
    { stationName: 'Test', demo: false, reader: () => new SimulatedReader(), backOffice: undefined },
  );

async function until<T>(what: string, probe: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** /health over HTTP, as a monitor sees it. */
async function health(kiosk: HostedKiosk): Promise<{ status: number; body: { overall: string; reason: string | null; screen: string } }> {
  const server = await startHealthServer({ health: kiosk.health, screen: () => kiosk.service.view().screen.name, log, port: 0 });
  try {
    const response = await fetch(`${server.url}/health`);
    return { status: response.status, body: (await response.json()) as { overall: string; reason: string | null; screen: string } };
  } finally {
    await server.close();
  }
}

/** Anna, the demo card with orders waiting. */
function annaCard(): SimulatedCard {
  const anna = demoWallet(layoutV1).find((entry) => entry.id === 'anna');
  if (!anna) throw new Error('no demo card anna');
  return anna.card;
}

/**
 * The card held to the reader, through the menu to its orders, one chosen (`orderId`, else
 * the first that can be delivered): the confirm screen, before Akkoord. Returns the order's id.
 */
async function toConfirm(kiosk: HostedKiosk, reader: SimulatedReader, card: SimulatedCard, orderId?: string): Promise<string> {
  reader.tap(card);
  await waitForScreen(kiosk.service, 'menu', 5000);
  kiosk.service.receiveUiEvent({ type: 'PICKUP' });
  const list = await waitForScreen(kiosk.service, 'orders', 5000);
  const chosen = orderId ?? (list.screen.name === 'orders' ? list.screen.orders.find((o) => o.blocked === null)?.id : undefined);
  if (!chosen) throw new Error('no order to choose');
  kiosk.service.receiveUiEvent({ type: 'SELECT_ORDER', orderId: chosen });
  await waitForScreen(kiosk.service, 'confirm', 5000);
  return chosen;
}

const cardBytes = (card: SimulatedCard) => Buffer.concat(card.blocks.map((b) => Buffer.from(b)));

/** The files this process has open (Linux). */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(join('/proc/self/fd', fd))];
    } catch {
      return [];
    }
  });
}

const faultOn = (view: KioskView) => (view.screen.name === 'outOfService' ? view.screen.fault : null);

/** A kiosk.db with `rows` audit entries, closed again (checkpointed, no -wal left). */
async function seeded(dataDir: string, rows: number): Promise<string> {
  const kiosk = await station({ dataDir });
  await kiosk.stop();
  const file = join(dataDir, 'kiosk.db');
  const db = new Database(file);
  const insert = db.prepare("INSERT INTO audit_log (at, actor, action, detail) VALUES ('2026-01-01T00:00:00Z', 'tech-1', ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`seed ${i}`, 'x'.repeat(200));
  })();
  db.close();
  return file;
}

function auditCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], number>("SELECT count(*) FROM audit_log WHERE action LIKE 'seed %'").pluck().get() ?? 0;
  } finally {
    db.close();
  }
}

describe.skipIf(!isRoot)('storage faults on real file systems (needs root to mount; skipped otherwise)', () => {
  it('a full disk at run time: the traveller at Akkoord sees out of service (not a card problem), /health 503 storeFull, the failure is logged; space freed: back by itself, nothing lost', async () => {
    const dataDir = join(mnt, 'full');
    const reader = new SimulatedReader();
    const lines: { level: number; msg: string }[] = [];
    const spy = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    const kiosk = await composeKiosk(
      { dataDir, kioskLog: { log: spy, buffer: undefined }, recheckMs: RECHECK_MS },
      { stationName: 'Test', demo: false, reader: () => reader, backOffice: undefined },
    );
    seedDemoOrders(kiosk.store, new Date());
    for (let i = 0; i < 20; i++) kiosk.store.maintenance.audit.append({ actor: 'tech-1', action: `seed ${i}` });
    await waitForScreen(kiosk.service, 'idle', 5000);

    // A traveller chooses an order …
    const anna = annaCard();
    const first = await toConfirm(kiosk, reader, anna);
    const cardBefore = cardBytes(anna);
    const journalBefore = kiosk.store.deliveries.forOrder(first).length;

    // … as the file system fills to the last byte.
    const filler = join(mnt, 'filler');
    const fd = openSync(filler, 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    try {
      for (;;) writeSync(fd, chunk, 0, 512);
    } catch {
      // full
    }
    closeSync(fd);

    kiosk.service.receiveUiEvent({ type: 'CONFIRM' });
    const out = await waitForScreen(kiosk.service, 'outOfService', 5000);
    expect(out.screen).toMatchObject({ name: 'outOfService', reason: 'fault', fault: { code: 'storeFull', file: join(dataDir, 'kiosk.db') } });
    expect(lines.some((l) => l.level >= 50 && /delivery failed/.test(l.msg))).toBe(true);
    expect(cardBytes(anna).equals(cardBefore)).toBe(true);
    const red = await health(kiosk);
    expect(red.status).toBe(503);
    expect(red.body).toMatchObject({ overall: 'red', reason: 'storeFull', screen: 'outOfService' });

    unlinkSync(filler);
    reader.remove();
    await waitForScreen(kiosk.service, 'idle', 5000);
    const green = await health(kiosk);
    expect(green.body.reason).toBeNull();
    expect(kiosk.store.maintenance.audit.recent(1000).filter((a) => a.action.startsWith('seed ')).length).toBe(20);
    expect(kiosk.store.deliveries.forOrder(first).length).toBe(journalBefore);
    // The order is offered again, and now it can be delivered.
    await toConfirm(kiosk, reader, anna, first);
    kiosk.service.receiveUiEvent({ type: 'CONFIRM' });
    await waitForScreen(kiosk.service, 'delivered', 5000);
    await kiosk.stop();
  });

  it('the file system goes read-only under the running kiosk (ext4 errors=remount-ro after an error): out of service (storeReadOnly) at the next write, the files let go of; unmounted, checked and mounted again: idle by itself, nothing lost, a pickup works', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kiosk-ro-fs-'));
    const image = join(work, 'data.ext4');
    const dataDir = join(work, 'mnt');
    mkdirSync(dataDir);
    let device: string | null = null;
    let mounted = false;
    const mountData = () => {
      execFileSync('mount', ['-t', 'ext4', '-o', 'errors=remount-ro', device ?? '', dataDir]);
      mounted = true;
    };
    let kiosk: Awaited<ReturnType<typeof composeKiosk>> | null = null;
    try {
      execFileSync('truncate', ['-s', '32M', image]);
      execFileSync('mkfs.ext4', ['-q', '-F', image]);
      device = execFileSync('losetup', ['-f', '--show', image]).toString().trim();
      mountData();
      const trigger = `/sys/fs/ext4/${device.replace('/dev/', '')}/trigger_fs_error`;
      if (!existsSync(trigger)) throw new Error(`this kernel has no ${trigger}: the test cannot make ext4 meet an error`);

      const reader = new SimulatedReader();
      kiosk = await composeKiosk(
        { dataDir, kioskLog: { log, buffer: undefined }, recheckMs: RECHECK_MS },
        { stationName: 'Test', demo: false, reader: () => reader, backOffice: undefined },
      );
      const running = kiosk;
      seedDemoOrders(running.store, new Date());
      for (let i = 0; i < 20; i++) running.store.maintenance.audit.append({ actor: 'tech-1', action: `seed ${i}` });
      await waitForScreen(running.service, 'idle', 5000);
      const pendingBefore = running.store.orders.countByStatus().pending;

      // The kernel's own ext4 error: with errors=remount-ro the file system goes read-only.
      writeFileSync(trigger, 'kiosk test');
      expect(readFileSync('/proc/mounts', 'utf8')).toMatch(new RegExp(`${device} ${dataDir} ext4 [^ ]*emergency_ro`));

      // The next write: a traveller's Akkoord.
      const anna = annaCard();
      const cardBefore = cardBytes(anna);
      await toConfirm(running, reader, anna);
      running.service.receiveUiEvent({ type: 'CONFIRM' });
      const out = await waitForScreen(running.service, 'outOfService', 5000);
      expect(faultOn(out)).toMatchObject({ code: 'storeReadOnly', file: join(dataDir, 'kiosk.db') });
      expect(cardBytes(anna).equals(cardBefore)).toBe(true);
      const red = await health(running);
      expect(red.status).toBe(503);
      expect(red.body).toMatchObject({ overall: 'red', reason: 'storeReadOnly', screen: 'outOfService' });
      reader.remove();

      // Let go of: the file system can be unmounted (busy otherwise), checked and mounted again.
      await until('the data files let go of', () => !openFiles().some((path) => path.startsWith(`${dataDir}/`)));
      execFileSync('umount', [dataDir]);
      mounted = false;
      try {
        execFileSync('e2fsck', ['-fy', device], { stdio: 'pipe' });
      } catch (error) {
        // 1: errors corrected; anything above is a failure.
        if ((error as { status?: number }).status !== 1) throw error;
      }
      mountData();
      await waitForScreen(running.service, 'idle', 5000);
      expect((await health(running)).body.reason).toBeNull();
      expect(running.store.maintenance.audit.recent(1000).filter((a) => a.action.startsWith('seed ')).length).toBe(20);
      expect(running.store.orders.countByStatus().pending).toBe(pendingBefore);
      const delivered = await toConfirm(running, reader, anna);
      running.service.receiveUiEvent({ type: 'CONFIRM' });
      await waitForScreen(running.service, 'delivered', 5000);
      expect(running.store.deliveries.forOrder(delivered).some((d) => d.state === 'written' || d.state === 'reported')).toBe(true);
    } finally {
      await kiosk?.stop();
      if (mounted) execFileSync('umount', ['-l', dataDir]);
      if (device) execFileSync('losetup', ['-d', device]);
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);

  it('a read-only database file at start: out of service (storeReadOnly), 503; made writable: starts by itself, nothing lost', async () => {
    const dataDir = join(mnt, 'readonly');
    mkdirSync(dataDir, { recursive: true });
    const file = await seeded(dataDir, 10);
    execFileSync('mount', ['--bind', file, file]);
    execFileSync('mount', ['-o', 'remount,bind,ro', file]);
    let mounted = true;
    try {
      const kiosk = await startFailClosed(station, { dataDir, log, recheckMs: RECHECK_MS });
      expect(faultOn(kiosk.service.view())).toMatchObject({ code: 'storeReadOnly', file });
      const red = await health(kiosk);
      expect(red.status).toBe(503);
      expect(red.body).toMatchObject({ overall: 'red', reason: 'storeReadOnly', screen: 'outOfService' });

      execFileSync('umount', [file]);
      mounted = false;
      await until('started and in service', () => kiosk.service.view().screen.name === 'idle');
      expect((await health(kiosk)).body.reason).toBeNull();
      await kiosk.stop();
      expect(auditCount(file)).toBe(10);
    } finally {
      if (mounted) execFileSync('umount', ['-l', file]);
    }
  });
});

// These need no mount: a plain temporary folder.
describe('a damaged or too new database at start', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'kiosk-store-fault-'));
    dirs.push(d);
    return d;
  };

  it('a corrupted page: found at open (quick_check, file named), out of service; the good file back: starts by itself', async () => {
    const dataDir = tempDir();
    const file = await seeded(dataDir, 400);
    const good = readFileSync(file);
    const db = new Database(file, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = db.prepare<[], number>("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").pluck().get() ?? 0;
    db.close();
    const damaged = Buffer.from(good);
    damaged.fill(0xa5, (root - 1) * pageSize + 8, (root - 1) * pageSize + 200); // the audit log's root page, header kept
    writeFileSync(file, damaged);

    const kiosk = await startFailClosed(station, { dataDir, log, recheckMs: RECHECK_MS });
    const fault = faultOn(kiosk.service.view());
    expect(fault).toMatchObject({ code: 'storeCorrupt', file });
    const red = await health(kiosk);
    expect(red.status).toBe(503);
    expect(red.body).toMatchObject({ overall: 'red', reason: 'storeCorrupt' });
    // Left as it was: nothing was repaired or moved behind the technician's back.
    expect(readFileSync(file).equals(damaged)).toBe(true);

    writeFileSync(file, good); // the technician restores the backup
    await until('started and in service', () => kiosk.service.view().screen.name === 'idle');
    await kiosk.stop();
    expect(auditCount(file)).toBe(400);
  });

  it.each([
    ['copied over it', copyFileSync],
    ['moved into its place', renameSync],
  ])('a page corrupted under the running kiosk: out of service (storeCorrupt, the file named) at the next check of the file, the file let go of; the backup %s: idle again by itself, nothing of the backup lost, a pickup works', async (_how, restore) => {
    const dataDir = tempDir();
    const file = join(dataDir, 'kiosk.db');
    const reader = new SimulatedReader();
    const kiosk = await composeKiosk(
      { dataDir, kioskLog: { log, buffer: undefined }, recheckMs: RECHECK_MS, verifyMs: RECHECK_MS },
      { stationName: 'Test', demo: false, reader: () => reader, backOffice: undefined },
    );
    try {
      seedDemoOrders(kiosk.store, new Date());
      for (let i = 0; i < 400; i++) kiosk.store.maintenance.audit.append({ actor: 'tech-1', action: `seed ${i}`, detail: 'x'.repeat(200) });
      await waitForScreen(kiosk.service, 'idle', 5000);
      const pendingBefore = kiosk.store.orders.countByStatus().pending;

      // The technician's backup: SQLite's online backup of the open database.
      const backup = join(dataDir, 'backup.db');
      const source = new Database(file, { readonly: true });
      await source.backup(backup);
      source.close();

      // Everything in the file itself (not the WAL), then a page of it overwritten.
      const other = new Database(file);
      other.pragma('wal_checkpoint(TRUNCATE)');
      const pageSize = other.pragma('page_size', { simple: true }) as number;
      const root = other.prepare<[], number>("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").pluck().get() ?? 0;
      other.close();
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(192, 0xa5), 0, 192, (root - 1) * pageSize + 8);
      closeSync(fd);

      const out = await waitForScreen(kiosk.service, 'outOfService', 5000);
      expect(faultOn(out)).toMatchObject({ code: 'storeCorrupt', file });
      const red = await health(kiosk);
      expect(red.status).toBe(503);
      expect(red.body).toMatchObject({ overall: 'red', reason: 'storeCorrupt', screen: 'outOfService' });
      // Let go of: nothing in this process holds the damaged file open any more.
      await until('kiosk.db let go of', () => !openFiles().some((path) => path.startsWith(file)));
      // Still damaged on disk: still out of service, however often it is checked again.
      await new Promise((resolve) => setTimeout(resolve, 6 * RECHECK_MS));
      expect(faultOn(kiosk.service.view())).toMatchObject({ code: 'storeCorrupt', file });

      restore(backup, file); // the technician restores the backup
      await waitForScreen(kiosk.service, 'idle', 5000);
      expect((await health(kiosk)).body.reason).toBeNull();
      expect(kiosk.store.maintenance.audit.recent(1000).filter((a) => a.action.startsWith('seed ')).length).toBe(400);
      expect(kiosk.store.orders.countByStatus().pending).toBe(pendingBefore);

      // A pickup on the restored file.
      const first = await toConfirm(kiosk, reader, annaCard());
      kiosk.service.receiveUiEvent({ type: 'CONFIRM' });
      await waitForScreen(kiosk.service, 'delivered', 5000);
      expect(kiosk.store.deliveries.forOrder(first).some((d) => d.state === 'written' || d.state === 'reported')).toBe(true);
    } finally {
      await kiosk.stop();
    }
  }, 30_000);

  it('a database from a newer build: out of service (storeTooNew), 503; the right version back: starts by itself', async () => {
    const dataDir = tempDir();
    const file = await seeded(dataDir, 5);
    const db = new Database(file);
    const version = db.pragma('user_version', { simple: true }) as number;
    db.pragma(`user_version = ${version + 1}`);
    db.close();

    const kiosk = await startFailClosed(station, { dataDir, log, recheckMs: RECHECK_MS });
    expect(faultOn(kiosk.service.view())).toMatchObject({ code: 'storeTooNew', file, detail: { kind: 'schemaVersion', fileVersion: version + 1, knownVersion: version } });
    expect((await health(kiosk)).body).toMatchObject({ overall: 'red', reason: 'storeTooNew' });

    const back = new Database(file);
    back.pragma(`user_version = ${version}`);
    back.close();
    await until('started and in service', () => kiosk.service.view().screen.name === 'idle');
    await kiosk.stop();
    expect(auditCount(file)).toBe(5);
  });
});
