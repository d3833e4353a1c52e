// PcscReader never builds its worker: without a built worker script it refuses to start,
// naming the file it looked for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcscReader, resolveWorkerScript, WORKER_ENV, WorkerScriptMissingError } from './pcsc-reader.js';

describe('the PC/SC worker script', () => {
  it('a workerPath that does not exist: the constructor throws, naming the file', () => {
    const missing = join(tmpdir(), 'no-such-dir', 'pcsc-worker.mjs');
    expect(() => new PcscReader({ keyA: '4b494f534b41', workerPath: missing })).toThrow(WorkerScriptMissingError);
    expect(() => new PcscReader({ keyA: '4b494f534b41', workerPath: missing })).toThrow(`${missing} does not exist`);
  });

  it('run from source without a build: names the built files it looked for', () => {
    expect(() => resolveWorkerScript(undefined, {})).toThrow(/none of .*hardware\/pcsc\/pcsc-worker\.js, .*hardware\/kiosk\/pcsc-worker\.js exists/);
  });

  it(`takes $${WORKER_ENV} when no workerPath is given, and workerPath over it`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcsc-worker-'));
    try {
      const fromEnv = join(dir, 'env.mjs');
      const given = join(dir, 'given.mjs');
      writeFileSync(fromEnv, '');
      writeFileSync(given, '');
      expect(resolveWorkerScript(undefined, { [WORKER_ENV]: fromEnv })).toBe(fromEnv);
      expect(resolveWorkerScript(given, { [WORKER_ENV]: fromEnv })).toBe(given);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
