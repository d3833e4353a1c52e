// The fuses a packaged kiosk gets, flipped by the real @electron/fuses in a fake Electron
// binary (the real one cannot be downloaded here): a file with Electron's fuse sentinel and
// its factory wire, as a packaged binary carries them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import afterPack, { KIOSK_FUSES, packagedBinary } from './electron-fuses.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLED = 0x31;
const DISABLED = 0x30;
/** Electron's defaults: run as node, NODE_OPTIONS, --inspect and file:// privileges on; the rest off. */
const FACTORY_WIRE = [ENABLED, DISABLED, ENABLED, ENABLED, DISABLED, DISABLED, DISABLED, ENABLED];

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeElectron(appOutDir: string, name: string, wire = FACTORY_WIRE): string {
  const file = join(appOutDir, name);
  const code = Buffer.alloc(4096, 0x90);
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF'), code, Buffer.from(SENTINEL), Buffer.from([1, wire.length, ...wire]), code]));
  return file;
}

const context = (appOutDir: string, electronPlatformName = 'linux') => ({
  appOutDir,
  electronPlatformName,
  packager: { appInfo: { productFilename: 'Station Kiosk' }, executableName: 'station-kiosk' },
});

describe('Electron fuses at packaging', () => {
  it('the packaged binary can no longer run as Node, take NODE_OPTIONS or --inspect, or load an app outside its asar', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fuses-'));
    const binary = fakeElectron(dir, 'station-kiosk');
    const sizeBefore = readFileSync(binary).length;
    await afterPack(context(dir));
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLED);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLED);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLED);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLED);
    // Only the wire changed.
    expect(readFileSync(binary).length).toBe(sizeBefore);
  });

  it('an Electron with a fuse this project has not decided on fails packaging', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fuses-'));
    fakeElectron(dir, 'station-kiosk', [...FACTORY_WIRE, ENABLED]);
    await expect(afterPack(context(dir))).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('finds the binary by platform and hands every fuse to the flipper', async () => {
    expect(packagedBinary(context('/out'))).toBe('/out/station-kiosk');
    expect(packagedBinary(context('/out', 'win32'))).toBe('/out/Station Kiosk.exe');
    const flipped: { binary: string; config: FuseV1Config }[] = [];
    await afterPack(context('/out'), async (binary, config) => void flipped.push({ binary, config }));
    expect(flipped).toEqual([{ binary: '/out/station-kiosk', config: expect.objectContaining(KIOSK_FUSES) }]);
    for (const option of Object.values(FuseV1Options).filter((v) => typeof v === 'number')) {
      expect(KIOSK_FUSES).toHaveProperty(String(option));
    }
  });

  it('electron-builder.yml runs the hook', () => {
    const config = readFileSync(join(import.meta.dirname, '..', 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/^afterPack: \.\/scripts\/electron-fuses\.mjs$/m);
  });
});
