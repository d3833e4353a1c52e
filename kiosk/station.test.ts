// station.json as the operator writes it: the printer section is checked like the rest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStationConfig } from './station.js';

const base = { stationName: 'Utrecht Centraal 3', reader: { type: 'pcsc', keyA: 'FFFFFFFFFFFF' } };
let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function load(config: unknown) {
  dir = mkdtempSync(join(tmpdir(), 'station-'));
  const file = join(dir, 'station.json');
  writeFileSync(file, JSON.stringify(config));
  return loadStationConfig(file);
}

describe('the receipt printer in station.json', () => {
  it('has no printer unless one is configured', () => {
    expect(load(base).printer).toBeUndefined();
  });

  it('takes a network printer on raw TCP, port 9100 unless another is given', () => {
    expect(load({ ...base, printer: { type: 'escpos-tcp', host: '10.20.30.40' } }).printer).toEqual({ type: 'escpos-tcp', host: '10.20.30.40', port: 9100 });
    expect(load({ ...base, printer: { type: 'escpos-tcp', host: 'bonprinter-3.station', port: 9101 } }).printer?.port).toBe(9101);
  });

  it.each([
    ['an unknown kind', { type: 'usb', host: 'x' }],
    ['no host', { type: 'escpos-tcp' }],
    ['a port out of range', { type: 'escpos-tcp', host: '10.0.0.1', port: 70000 }],
    ['a host with a path in it', { type: 'escpos-tcp', host: '10.0.0.1/print' }],
    ['an unknown key', { type: 'escpos-tcp', host: '10.0.0.1', baud: 9600 }],
  ])('refuses %s, naming the file', (_name, printer) => {
    expect(() => load({ ...base, printer })).toThrow(/station configuration .*station\.json is invalid/);
  });
});

describe('the reader’s position in station.json', () => {
  it('is below the screen unless the station says right or left', () => {
    expect(load(base).readerPosition).toBe('below-screen');
    expect(load({ ...base, readerPosition: 'right' }).readerPosition).toBe('right');
    expect(() => load({ ...base, readerPosition: 'above' })).toThrow(/invalid/);
  });
});
