// `npm run card -- list` is a question: it must leave no trace (no data directory, no
// demo wallet file) where there was none.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

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
