// One kiosk per data directory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockedError, LOCK_FILE } from './instance-lock.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that is certainly not running: a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;

describe('one kiosk per data directory', () => {
  it('a second kiosk on the same data directory is refused, naming the one running and what to do', () => {
    const first = acquireInstanceLock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    // A data file like the others: the kiosk's user only.
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(() => acquireInstanceLock(dir)).toThrow(InstanceLockedError);
    expect(() => acquireInstanceLock(dir)).toThrow(`another kiosk (pid ${process.pid}) is already running on ${dir}`);
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireInstanceLock(dir).release();
  });

  it('a lock left by a kiosk that died (kill -9, power cut) is taken over', () => {
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
    const lock = acquireInstanceLock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('a lock held by another living process is respected; releasing ours never removes theirs', () => {
    const ours = acquireInstanceLock(dir);
    // Presumed dead and taken over by pid 1 (alive): ours must not remove it.
    writeFileSync(join(dir, LOCK_FILE), '1\n');
    ours.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe('1');
    expect(() => acquireInstanceLock(dir)).toThrow('(pid 1)');
  });

  it('an empty lock file (a crash while writing it) is taken over', () => {
    writeFileSync(join(dir, LOCK_FILE), '');
    acquireInstanceLock(dir).release();
  });
});
