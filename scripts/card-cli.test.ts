// `npm run card -- list` is a question: it must leave no trace (no data directory, no
// demo wallet file) where there was none.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedWallet } from '../demo/wallet.js';
import { fareCents } from '../domain/index.js';
import { readCard } from '../hardware/card-io.js';
import { layoutV1 } from '../hardware/card-layout.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

it('card list names the fixture cards and creates nothing', () => {
  dir = mkdtempSync(join(tmpdir(), 'card-cli-'));
  const dataDir = join(dir, 'station-kiosk');
  const run = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/card-cli.ts', 'list'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, KIOSK_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^anna\s+classic4k/m);
  expect(run.stdout).toMatch(/^otherkeys\s+classic4k/m);
  expect(existsSync(dataDir)).toBe(false);
}, 30_000);

describe('the gate simulator: npm run card -- checkin | checkout <station> <card>', () => {
  const cli = (dataDir: string, ...args: string[]) =>
    spawnSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/card-cli.ts', ...args], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, KIOSK_DATA_DIR: dataDir },
      encoding: 'utf8',
      // spawnSync blocks the worker: a hung child must not outlive the test's own timeout.
      timeout: 50_000,
    });
  const journeysOf = (dataDir: string, id: string) => {
    const { wallet } = SimulatedWallet.open(join(dataDir, 'demo-cards.json'), () => []);
    const card = wallet.get(id)?.card;
    if (!card) throw new Error(`no card ${id}`);
    const reader = new SimulatedReader();
    reader.tap(card);
    const access = reader.card();
    if (!access) throw new Error('no access');
    return readCard(access, layoutV1, undefined, { travelLog: true });
  };

  it('checks in and out on the demo wallet, in the past with --at; refuses what a gate refuses', async () => {
    dir = mkdtempSync(join(tmpdir(), 'card-cli-'));
    const dataDir = join(dir, 'station-kiosk');
    const checkin = cli(dataDir, 'checkin', 'utrecht-centraal', 'sophie', '--at', '2026-11-30T08:12:00Z');
    expect(checkin.stderr).toBe('');
    expect(checkin.status).toBe(0);
    expect(checkin.stdout).toMatch(/checked in at utrecht-centraal.*EUR 20\.00.*balance EUR 120\.00/);
    expect(statSync(join(dataDir, 'demo-cards.json')).mode & 0o777).toBe(0o600);
    const checkout = cli(dataDir, 'checkout', 'amsterdam-centraal', 'sophie', '--at', '2026-11-30T08:49:00Z');
    expect(checkout.status).toBe(0);
    const fare = fareCents('utrecht-centraal', 'amsterdam-centraal');
    expect(checkout.stdout).toContain(`fare EUR ${(fare / 100).toFixed(2)}`);
    const sophie = await journeysOf(dataDir, 'sophie');
    expect(sophie.journeys).toEqual([
      {
        checkIn: { station: 'utrecht-centraal', at: '2026-11-30T08:12:00.000Z' },
        checkOut: { station: 'amsterdam-centraal', at: '2026-11-30T08:49:00.000Z' },
        chargedCents: fare,
      },
    ]);
    expect(sophie.state.balanceCents).toBe(14_000 - fare);

    const poor = cli(dataDir, 'checkin', 'utrecht-centraal', 'anna');
    expect(poor.status).toBe(1);
    expect(poor.stderr).toMatch(/balance \(EUR 12\.50\) is below the boarding amount \(EUR 20\.00\)/);
    const notIn = cli(dataDir, 'checkout', 'breda', 'sophie');
    expect(notIn.status).toBe(1);
    expect(notIn.stderr).toMatch(/not checked in/);
    const nowhere = cli(dataDir, 'checkin', 'maastricht', 'sophie');
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toMatch(/unknown station "maastricht"; known stations: amsterdam-centraal, .*zwolle/);
    const nobody = cli(dataDir, 'checkin', 'breda', 'nobody');
    expect(nobody.status).toBe(2);
    // Nothing of those refusals touched a card.
    expect((await journeysOf(dataDir, 'sophie')).journeys).toEqual(sophie.journeys);
    expect((await journeysOf(dataDir, 'anna')).state.balanceCents).toBe(1250);
    // A check-in while checked in: the open journey ends as not checked out, EUR 20 taken again.
    expect(cli(dataDir, 'checkin', 'breda', 'sophie', '--at', '2026-11-30T17:00:00Z').status).toBe(0);
    const twice = cli(dataDir, 'checkin', 'zwolle', 'sophie', '--at', '2026-11-30T19:30:00Z');
    expect(twice.status).toBe(0);
    expect(twice.stdout).toMatch(/still checked in at breda \(2026-11-30T17:00:00.000Z\): that journey ends as not checked out, its EUR 20\.00 kept/);
    const last = await journeysOf(dataDir, 'sophie');
    expect(last.journeys?.map((j) => [j.checkIn.station, j.checkOut?.station ?? null, j.chargedCents])).toEqual([
      ['zwolle', null, 2000],
      ['breda', null, 2000],
      ['utrecht-centraal', 'amsterdam-centraal', fare],
    ]);
    expect(last.state.balanceCents).toBe(14_000 - fare - 4000);
  }, 60_000);

  it('refuses while a card is on the virtual reader (its tap owns the wallet then)', () => {
    dir = mkdtempSync(join(tmpdir(), 'card-cli-'));
    const dataDir = join(dir, 'station-kiosk');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'virtual-card.pid'), String(process.pid));
    const run = cli(dataDir, 'checkin', 'breda', 'sophie');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/npm run card -- remove/);
  }, 30_000);
});
