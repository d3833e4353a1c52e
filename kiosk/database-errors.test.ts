// A kiosk whose database cannot be opened does not start on it: the plain entry says so in
// one line that names the file and what to do (not a stack trace); the station's entry
// (fail closed) serves the out-of-service screen with the same fault instead of exiting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../sqlite/test-helpers.js';
import { MIGRATIONS, STORE_ADVICE } from '../store/index.js';
import { startStationFailClosed } from './fail-closed.js';
import { startStation } from './station.js';
import { runWebHostEntry } from './web-entry.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-db-errors-'));
  writeFileSync(join(dir, 'station.json'), JSON.stringify({ stationName: 'Test', reader: { type: 'pcsc', keyA: 'FFFFFFFFFFFF' } }));
  vi.stubEnv('KIOSK_DATA_DIR', dir);
  vi.stubEnv('KIOSK_CONFIG', join(dir, 'station.json'));
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('KIOSK_HEALTH_PORT', '');
  vi.stubEnv('PORT', '0');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the station's web-host entry as `node dist/kiosk/main.js` would; resolves with its exit code and stderr. */
async function startAndFail(): Promise<{ code: number | undefined; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const exited = new Promise<number | undefined>((resolve) => {
    vi.spyOn(process, 'exit').mockImplementation(((code?: number) => resolve(code)) as typeof process.exit);
  });
  runWebHostEntry(startStation, import.meta.url);
  const code = await exited;
  return { code, stderr };
}

describe('starting a kiosk whose database cannot be opened', () => {
  it('a corrupt kiosk.db: exit 1 with one clear line naming the file and what to do; the file is left as it was', async () => {
    const file = join(dir, 'kiosk.db');
    writeFileSync(file, Buffer.from('not a database, a ticket machine log\n'.repeat(300)));
    const before = fingerprint(file);
    const { code, stderr } = await startAndFail();
    expect(code).toBe(1);
    expect(stderr).toBe(
      `The kiosk could not start: database ${file} is corrupt or not a database (SQLITE_NOTADB: file is not a database). ` +
        `It was left unchanged. ${STORE_ADVICE.corrupt}\n`,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(fingerprint(file)).toEqual(before);
  });

  it('a kiosk.db from a newer build: exit 1 naming the file and what to do; the file is left as it was', async () => {
    const file = join(dir, 'kiosk.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const before = fingerprint(file);
    const { code, stderr } = await startAndFail();
    expect(code).toBe(1);
    expect(stderr).toBe(
      `The kiosk could not start: database ${file} has schema version ${MIGRATIONS.length + 1}, newer than this build ` +
        `knows (${MIGRATIONS.length}); it was refused and left unchanged. ${STORE_ADVICE.tooNew}\n`,
    );
    expect(fingerprint(file)).toEqual(before);
  });
});

describe('the station entry (fail closed) with a database it cannot open', () => {
  it('a corrupt kiosk.db: out of service, the fault names the file; /health red; the file is left as it was', async () => {
    const file = join(dir, 'kiosk.db');
    writeFileSync(file, Buffer.from('not a database, a ticket machine log\n'.repeat(300)));
    const before = fingerprint(file);
    const kiosk = await startStationFailClosed({ dataDir: dir });
    expect(kiosk.health()).toMatchObject({ overall: 'red', fault: { code: 'storeCorrupt', file, detail: { kind: 'sqlite', sqliteCode: 'SQLITE_NOTADB' } } });
    expect(kiosk.service.view().screen).toMatchObject({ name: 'outOfService', reason: 'fault', fault: { code: 'storeCorrupt', file } });
    await kiosk.stop();
    expect(fingerprint(file)).toEqual(before);
  });
});
