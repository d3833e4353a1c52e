// Fail closed on configuration: a station (not the demo) whose station.json is missing or
// invalid neither exits nor starts a demo. Through the station's real web-host entry it
// serves the out-of-service screen with the reason for the technician (which file, what is
// wrong: a JSON position, zod issue paths; never a value from the file) and a red /health
// (503, `reason`), and starts by itself once the configuration is fixed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { composeKiosk, type StartOptions } from './compose.js';
import { startFailClosed, startStationFailClosed } from './fail-closed.js';
import { loadStationConfig } from './station.js';
import { runWebHostEntry } from './web-entry.js';

const KEY = 'A1B2C3D4E5F6';
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-fail-closed-'));
  vi.stubEnv('KIOSK_DATA_DIR', dir);
  vi.stubEnv('KIOSK_CONFIG', join(dir, 'station.json'));
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('KIOSK_HEALTH_PORT', '');
  vi.stubEnv('KIOSK_SHELL', '');
  vi.stubEnv('PORT', '0');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const log = pino({ level: 'silent' });

describe('a station without a usable station.json, through its web-host entry', () => {
  it('missing: does not exit, no demo; /health 503 with reason configMissing naming the file; the screen says so', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
    const signals = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'].flatMap((s) => process.listeners(s as NodeJS.Signals)));
    runWebHostEntry(startStationFailClosed, import.meta.url);
    const deadline = Date.now() + 10_000;
    while (!/Kiosk: (http:\/\/\S+)/.test(out) && exit.mock.calls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(exit).not.toHaveBeenCalled();
    const url = /Kiosk: (http:\/\/\S+)/.exec(out)?.[1] ?? '';
    expect(out).not.toMatch(/demo/i);

    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      overall: 'red',
      reason: 'configMissing',
      screen: 'outOfService',
      fault: { code: 'configMissing', file: join(dir, 'station.json'), detail: { kind: 'fileMissing' } },
    });
    // No demo back office, no dock: /dev is not there.
    expect((await fetch(`${url}/dev`)).status).toBe(404);

    // Stop it as systemd would (the entry's own SIGTERM handler), then give process.exit back.
    for (const listener of process.listeners('SIGTERM').filter((l) => !signals.has(l))) (listener as () => void)();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0), { timeout: 5000 });
    for (const s of ['SIGINT', 'SIGHUP', 'SIGQUIT'] as const) for (const l of process.listeners(s).filter((l) => !signals.has(l))) process.removeListener(s, l);
  });

  it('Electron (no web host): /health on KIOSK_HEALTH_PORT is red too while the station cannot start', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const address = free.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    vi.stubEnv('KIOSK_HEALTH_PORT', String(port));
    const kiosk = await startStationFailClosed({ dataDir: dir, log });
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ overall: 'red', reason: 'configMissing', screen: 'outOfService' });
    } finally {
      await kiosk.stop();
    }
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('not JSON: the position (line, column), not the text around it (the file holds the reader keys)', async () => {
    writeFileSync(join(dir, 'station.json'), `{\n  "stationName": "Utrecht 1",\n  "reader": { "type": "pcsc", "keyA": "${KEY}", }\n}\n`);
    const kiosk = await startStationFailClosed({ dataDir: dir, log });
    const screen = kiosk.service.view().screen;
    expect(screen).toMatchObject({ name: 'outOfService', reason: 'fault', fault: { code: 'configSyntax', file: join(dir, 'station.json') } });
    const fault = screen.name === 'outOfService' ? screen.fault : null;
    expect(fault?.detail).toMatchObject({ kind: 'jsonSyntax', line: 3, column: expect.any(Number) as number, position: expect.any(Number) as number });
    expect(JSON.stringify(kiosk.health())).not.toContain(KEY);
    expect(JSON.stringify(kiosk.service.view())).not.toContain(KEY);
    await kiosk.stop();
  });

  it('invalid: the zod issue paths and what is wrong with each (for the catalogs to word), no values', async () => {
    writeFileSync(join(dir, 'station.json'), JSON.stringify({ stationName: '', reader: { type: 'pcsc', keyA: `${KEY}00` }, extra: 1 }));
    const lines: string[] = [];
    const spy = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const kiosk = await startStationFailClosed({ dataDir: dir, log: spy });
    // zod's own words are for the log only.
    expect(lines.join('')).toContain('reader.keyA: a MIFARE key is 12 hex digits');
    expect(lines.join('')).not.toContain(KEY);
    const health = kiosk.health();
    expect(health).toMatchObject({ overall: 'red', fault: { code: 'configInvalid' } });
    expect(health.fault?.detail).toEqual({
      kind: 'schema',
      issues: [
        { path: 'stationName', problem: 'tooSmall', limit: 1 },
        { path: 'reader.keyA', problem: 'invalidFormat' },
        { path: '', problem: 'unrecognizedKeys', names: ['extra'] },
      ],
      more: 0,
    });
    expect(JSON.stringify(health)).not.toContain(KEY);
    // Nothing is taken on the fault screen: no PIN, no service key (no demo technician either).
    expect(kiosk.service.receiveUiEvent({ type: 'SERVICE_KEY' })).toMatchObject({ ok: false, notTaken: true });
    expect(kiosk.service.receiveUiEvent({ type: 'SUBMIT_PIN', pin: '4321' })).toMatchObject({ ok: false });
    // The traveller may still read it in another language.
    expect(kiosk.service.receiveUiEvent({ type: 'SET_LANGUAGE', language: 'fr' })).toMatchObject({ ok: true });
    expect(kiosk.service.view().language).toBe('fr');
    expect(kiosk.service.receiveUiEvent({ type: 'SET_ASSIST', option: 'highContrast', on: true })).toMatchObject({ ok: true });
    expect(kiosk.service.view().assist.highContrast).toBe(true);
    await kiosk.stop();
  });

  it('fixed: the station starts by itself and takes over the same service (the screen follows)', async () => {
    const file = join(dir, 'station.json');
    writeFileSync(file, '{ "stationName": ');
    // The station's start with a simulated reader (no PC/SC here): the configuration is read as the station reads it.
    const start = async (options: StartOptions) => {
      const config = loadStationConfig(file);
      return composeKiosk(
        { ...options, kioskLog: { log, buffer: undefined } },
        { stationName: config.stationName, demo: false, reader: () => new SimulatedReader(), backOffice: undefined },
      );
    };
    const kiosk = await startFailClosed(start, { dataDir: dir, log, recheckMs: 50 });
    const seen: string[] = [];
    kiosk.service.subscribe((view) => seen.push(view.screen.name));
    expect(kiosk.health()).toMatchObject({ overall: 'red', fault: { code: 'configSyntax' } });

    writeFileSync(file, JSON.stringify({ stationName: 'Utrecht 1', reader: { type: 'pcsc', keyA: KEY } }));
    await vi.waitFor(() => expect(kiosk.service.view().screen.name).toBe('idle'), { timeout: 5000 });
    expect(seen).toContain('idle');
    expect(kiosk.health().fault).toBeNull();
    expect(kiosk.config.stationName).toBe('Utrecht 1');
    await kiosk.stop();
  });
});
