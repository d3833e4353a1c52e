// station.json as the operator writes it: the printer section is checked like the rest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrinter, loadStationConfig } from './station.js';

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
    expect(load({ ...base, printer: { type: 'escpos-tcp', host: 'bonprinter-3.station', port: 9101 } }).printer).toMatchObject({ port: 9101 });
  });

  it('takes a USB or serial printer on a device file under /dev', () => {
    expect(load({ ...base, printer: { type: 'escpos-device', path: '/dev/usb/lp0' } }).printer).toEqual({ type: 'escpos-device', path: '/dev/usb/lp0' });
    expect(load({ ...base, printer: { type: 'escpos-device', path: '/dev/serial/by-id/usb-EPSON_TM-T88V-if00' } }).printer).toMatchObject({ path: '/dev/serial/by-id/usb-EPSON_TM-T88V-if00' });
  });

  it('makes the printer the configuration names', () => {
    expect(createPrinter({ type: 'escpos-device', path: '/dev/ttyUSB0' }).name).toBe('device /dev/ttyUSB0');
    expect(createPrinter({ type: 'escpos-tcp', host: '10.20.30.40', port: 9100 }).name).toBe('tcp 10.20.30.40:9100');
  });

  it.each([
    ['an unknown kind', { type: 'usb', host: 'x' }],
    ['a device without a path', { type: 'escpos-device' }],
    ['a device path outside /dev', { type: 'escpos-device', path: '/var/lib/kiosk/printer' }],
    ['a device path that climbs out of /dev', { type: 'escpos-device', path: '/dev/../etc/passwd' }],
    ['a relative device path', { type: 'escpos-device', path: 'usb/lp0' }],
    ['a device with baud settings (the OS sets them)', { type: 'escpos-device', path: '/dev/ttyUSB0', baud: 9600 }],
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
