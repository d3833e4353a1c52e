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

it('shared with the gate simulator: a running demo takes the cards the file changed (not the one on its reader) before a tap and before it saves', () => {
  dir = mkdtempSync(join(tmpdir(), 'demo-wallet-'));
  const file = join(dir, 'demo-cards.json');
  const demo = SimulatedWallet.open(file, () => demoWallet(layoutV1)).wallet;
  const sophie = demo.get('sophie')?.card;
  const anna = demo.get('anna')?.card;
  if (!sophie || !anna) throw new Error('no demo cards');
  // The gate simulator (another process) writes Sophie's card into the file.
  const cli = SimulatedWallet.open(file, () => []).wallet;
  const written = new Uint8Array(16).fill(0x5a);
  cli.get('sophie')?.card.setBlock(144, written);
  cli.save();
  // Meanwhile the demo writes Anna's card, on its reader, and saves.
  const annas = new Uint8Array(16).fill(0xa5);
  anna.setBlock(145, annas);
  demo.refresh(anna);
  demo.save();
  expect(sophie.blocks[144]).toEqual(written);
  expect(anna.blocks[145]).toEqual(annas);
  const onDisk = SimulatedWallet.open(file, () => []).wallet;
  expect(onDisk.get('sophie')?.card.blocks[144]).toEqual(written);
  expect(onDisk.get('anna')?.card.blocks[145]).toEqual(annas);
});
