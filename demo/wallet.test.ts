// The demo's wallet file: the demo cards as they were last written, the user's only (0600).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { layoutV1 } from '../hardware/card-layout.js';
import { demoWallet } from './cards.js';
import { SimulatedWallet } from './wallet.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('is written readable by the kiosk user alone, and read back with the same cards', () => {
  dir = mkdtempSync(join(tmpdir(), 'demo-wallet-'));
  const file = join(dir, 'demo-cards.json');
  const { wallet } = SimulatedWallet.open(file, () => demoWallet(layoutV1));
  wallet.save();
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const again = SimulatedWallet.open(file, () => []);
  expect(again.wallet.list().map((e) => e.id)).toEqual(wallet.list().map((e) => e.id));
});
