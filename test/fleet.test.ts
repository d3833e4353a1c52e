// The local fleet (demo/fleet.ts, demo/fleet-host.ts, demo/fleet-control.ts): one back
// office, two kiosks with their own data directories and tokens, one shared wallet. A card
// that picks up Anna's €20 top-up at kiosk 1 and is then carried to kiosk 2 carries the
// balance, kiosk 2 no longer offers the order, and the back office records one pickup.
// Kiosk 2 is driven the way `npm run card -- --kiosk 2` drives it: fleet.json and its /dev
// WebSocket (in-process and through the real CLI).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutV1 } from '../hardware/card-layout.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { readCard } from '../hardware/card-io.js';
import type { KioskView, UiEvent } from '../kiosk/contract.js';
import type { Kiosk } from '../kiosk/kiosk.js';
import { demoWallet } from '../demo/cards.js';
import { startFleet, type Fleet } from '../demo/fleet.js';
import { FLEET_FILE, FleetControlError, readFleetFile, sendFleetCommand } from '../demo/fleet-control.js';
import { serveFleet, type ServedFleet } from '../demo/fleet-host.js';
import { SimulatedWallet } from '../demo/wallet.js';
import { waitForScreen } from './wait-for-screen.js';

const TOPUP = 'demo-anna-topup';
const silent = pino({ level: process.env.FLEET_TEST_LOG ?? 'silent' });

function press(kiosk: Kiosk, event: UiEvent): void {
  // A press the screen does not take is ignored, as at the machine; an invalid one is a test's bug.
  const result = kiosk.receiveUiEvent(event);
  if (!result.ok && !('notTaken' in result)) throw new Error(result.error);
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function cardOf(view: KioskView) {
  const screen = view.screen;
  if (!('card' in screen)) throw new Error(`no card on screen ${screen.name}`);
  return screen.card;
}

function offered(view: KioskView): string[] {
  if (view.screen.name !== 'orders') throw new Error(`not on the orders screen but ${view.screen.name}`);
  return view.screen.orders.map((o) => o.id);
}

describe('local fleet: two kiosks, one back office, one wallet', () => {
  let dir: string;
  let fleet: Fleet;
  let served: ServedFleet;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-test-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
    fleet = await startFleet({ kiosks: 2, dir: join(dir, 'fleet'), log: silent });
    served = await serveFleet(fleet, { rendererDir, basePort: 0 });
    for (const kiosk of fleet.kiosks) await waitForScreen(kiosk.running.service, 'idle', 5000);
  });

  afterAll(async () => {
    await served?.close();
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each kiosk its own data directory, token and web host', () => {
    const [one, two] = fleet.kiosks;
    expect(one?.dataDir).not.toBe(two?.dataDir);
    expect(existsSync(join(one?.dataDir ?? '', 'kiosk.db'))).toBe(true);
    expect(existsSync(join(two?.dataDir ?? '', 'kiosk.db'))).toBe(true);
    expect(fleet.backOffice.kiosks.map((k) => k.id)).toEqual(['fleet-kiosk-1', 'fleet-kiosk-2']);
    expect(fleet.backOffice.kiosks[0]?.config.token).not.toBe(fleet.backOffice.kiosks[1]?.config.token);
    expect(new Set(served.urls).size).toBe(2);
    const file = readFleetFile(fleet.dir);
    expect(file.kiosks.map((k) => [k.n, k.url])).toEqual([
      [1, served.urls[0]],
      [2, served.urls[1]],
    ]);
    // Both kiosks synced the demo orders from the one back office.
    for (const kiosk of fleet.kiosks) expect(kiosk.running.store.orders.get(TOPUP)?.status).toBe('pending');
  });

  it('a top-up picked up at kiosk 1 is on the card at kiosk 2, not offered there again, and picked up once', async () => {
    const one = fleet.kiosk(1);
    const two = fleet.kiosk(2);

    // Kiosk 1, through its dock's channel and the kiosk service.
    expect(one.devChannel.receive({ type: 'dev.tap', cardId: 'anna' }).ok).toBe(true);
    const menu = await waitForScreen(one.running.service, 'menu', 5000);
    expect(cardOf(menu).balanceCents).toBe(1250);
    press(one.running.service, { type: 'PICKUP' });
    expect(offered(await waitForScreen(one.running.service, 'orders', 5000))).toContain(TOPUP);
    press(one.running.service, { type: 'SELECT_ORDER', orderId: TOPUP });
    await waitForScreen(one.running.service, 'confirm', 5000);
    press(one.running.service, { type: 'CONFIRM' });
    await waitForScreen(one.running.service, 'delivered', 5000);

    await until('the pickup to reach the back office', () => fleet.backOffice.db.pickupsForOrder(TOPUP) === 1);
    await until('kiosk 2 to learn by sync that it was picked up', () => two.running.store.orders.get(TOPUP)?.status !== 'pending');

    // Carried to kiosk 2, tapped the way `npm run card -- --kiosk 2 tap anna` does it.
    const { view: dock } = await sendFleetCommand(fleet.dir, { command: 'tap', kiosk: 2, cardId: 'anna' });
    expect(dock.presentCardId).toBe('anna');
    expect(one.reader.presentCard()).toBeNull(); // one card: it left kiosk 1's reader
    const menu2 = await waitForScreen(two.running.service, 'menu', 5000);
    expect(cardOf(menu2).balanceCents).toBe(3250);
    press(two.running.service, { type: 'PICKUP' });
    const orders2 = offered(await waitForScreen(two.running.service, 'orders', 5000));
    expect(orders2).not.toContain(TOPUP);
    expect(orders2).toEqual(expect.arrayContaining(['demo-anna-code', 'demo-anna-dal']));

    expect(fleet.backOffice.db.pickupCount()).toBe(1);
    expect(fleet.backOffice.db.pickupsForOrder(TOPUP)).toBe(1);
    expect(fleet.backOffice.db.getOrder(TOPUP)?.status).toBe('delivered');
    expect(fleet.backOffice.db.conflicts()).toEqual([]);

    // The shared wallet file holds what was written.
    const { wallet } = SimulatedWallet.open(join(fleet.dir, 'demo-cards.json'), () => demoWallet(layoutV1));
    const probe = new SimulatedReader();
    const anna = wallet.get('anna');
    if (!anna) throw new Error('no anna in the wallet file');
    probe.tap(anna.card);
    const access = probe.card();
    if (!access) throw new Error('probe has no card');
    const decoded = await readCard(access, layoutV1);
    expect(decoded).toMatchObject({ state: { balanceCents: 3250 } });

    const removed = await sendFleetCommand(fleet.dir, { command: 'remove', kiosk: 2 });
    expect(removed.view.presentCardId).toBeNull();
    // Taken away on the list, before Akkoord: "Kaart weggenomen", nothing changed.
    await waitForScreen(two.running.service, 'cardRemoved', 5000);
  }, 30_000);

  it('refuses clearly: no fleet, a kiosk out of range, an unknown card, a fleet that died, bad input', async () => {
    const empty = join(dir, 'nothing-here');
    mkdirSync(empty);
    await expect(sendFleetCommand(empty, { command: 'tap', kiosk: 1, cardId: 'anna' })).rejects.toThrow(/no fleet is running/);
    await expect(sendFleetCommand(fleet.dir, { command: 'tap', kiosk: 3, cardId: 'anna' })).rejects.toThrow('no kiosk 3: the fleet has kiosks 1 to 2');
    await expect(sendFleetCommand(fleet.dir, { command: 'tap', kiosk: 1, cardId: 'zed' })).rejects.toThrow(/no card "zed"; the cards are anna, bram/);
    await expect(sendFleetCommand(fleet.dir, { command: 'remove', kiosk: 1 }, { isAlive: () => false })).rejects.toThrow(/not running any more/);
    await expect(sendFleetCommand(fleet.dir, { command: 'tap', kiosk: 0, cardId: 'anna' })).rejects.toBeInstanceOf(FleetControlError);
    await expect(sendFleetCommand(fleet.dir, { command: 'tear', kiosk: 1, afterWrites: -1 })).rejects.toBeInstanceOf(FleetControlError);
    const tear = await sendFleetCommand(fleet.dir, { command: 'tear', kiosk: 1, afterWrites: 3 });
    expect(tear.view.tearAfterWrites).toBe(3);
    fleet.kiosk(1).reader.disarmTear();
  });

  it('npm run card -- --kiosk N taps at that kiosk of the running fleet', async () => {
    // Asynchronously: the fleet serves from this very process.
    const run = (...args: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['scripts/run-ts.mjs', 'scripts/card-cli.ts', '--dir', fleet.dir, ...args], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
          resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        });
      });
    const tapped = await run('--kiosk', '2', 'tap', 'bram');
    expect(tapped.stderr).toBe('');
    expect(tapped.stdout).toContain('Bram · 4321 is on the reader at kiosk 2');
    await waitForScreen(fleet.kiosk(2).running.service, 'menu', 5000);
    const outOfRange = await run('--kiosk', '5', 'remove');
    expect(outOfRange.status).not.toBe(0);
    expect(outOfRange.stderr).toContain('no kiosk 5: the fleet has kiosks 1 to 2');
    const removed = await run('--kiosk', '2', 'remove');
    expect(removed.stdout).toContain('the reader at kiosk 2');
    expect(fleet.kiosk(2).reader.presentCard()).toBeNull();
  }, 60_000);

  it('removes fleet.json when it stops serving', async () => {
    await served.close();
    expect(existsSync(join(fleet.dir, FLEET_FILE))).toBe(false);
    await expect(sendFleetCommand(fleet.dir, { command: 'remove', kiosk: 1 })).rejects.toThrow(/no fleet is running/);
  });

  it('a fleet started again in the same directory, now with three kiosks, keeps the card and the pickup', async () => {
    await fleet.stop();
    fleet = await startFleet({ kiosks: 3, dir: fleet.dir, log: silent });
    const three = fleet.kiosk(3);
    await waitForScreen(three.running.service, 'idle', 5000);
    expect(three.devChannel.receive({ type: 'dev.tap', cardId: 'anna' }).ok).toBe(true);
    expect(cardOf(await waitForScreen(three.running.service, 'menu', 5000)).balanceCents).toBe(3250);
    press(three.running.service, { type: 'PICKUP' });
    expect(offered(await waitForScreen(three.running.service, 'orders', 5000))).not.toContain(TOPUP);
    expect(fleet.backOffice.db.pickupCount()).toBe(1);
  }, 30_000);

  it('refuses a fleet of no kiosks', async () => {
    await expect(startFleet({ kiosks: 0, dir: join(dir, 'none'), log: silent })).rejects.toThrow(/1 to 32 kiosks/);
  });
});
