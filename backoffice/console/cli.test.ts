// `npm run backoffice -- add-operator <name>`: a new operator, the password printed once
// (or read from standard input), kept only as its scrypt hash; then it signs in.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConsoleDb } from '../console-db.js';
import { openBackOfficeDb } from '../db.js';
import { verifyPassword } from './passwords.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function backoffice(dataDir: string, args: string[], input?: string) {
  return spawnSync(process.execPath, ['scripts/run-ts.mjs', 'backoffice/main.ts', ...args], {
    env: { ...process.env, BACKOFFICE_DATA_DIR: dataDir },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('add-operator', () => {
  it('prints a new password once, or takes one from standard input; the database keeps only its hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-cli-'));
    dirs.push(dir);
    const made = backoffice(dir, ['add-operator', 'olga']);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const password = made.stdout.trim().split('\n').at(-1) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const piped = backoffice(dir, ['add-operator', 'piet', '--password-stdin'], 'a long enough secret\n');
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain('a long enough secret');
    expect(backoffice(dir, ['add-operator', 'kort', '--password-stdin'], 'short\n').status).toBe(1);

    const db = openBackOfficeDb(join(dir, 'backoffice.db'), { now: () => new Date(), pickupWindowMs: 86_400_000 });
    try {
      const operators = openConsoleDb(db.db, () => new Date());
      expect(operators.operators().map((o) => o.name)).toEqual(['olga', 'piet']);
      expect(await verifyPassword(password, operators.operator('olga'))).toBe(true);
      expect(await verifyPassword('a long enough secret', operators.operator('piet'))).toBe(true);
      expect(await verifyPassword(password, operators.operator('piet'))).toBe(false);
      const raw = JSON.stringify(db.db.prepare('SELECT * FROM operators').all());
      expect(raw).not.toContain(password);
      expect(raw).not.toContain('a long enough secret');
    } finally {
      db.close();
    }
    expect(backoffice(dir, ['remove-operator', 'piet']).status).toBe(0);
    expect(backoffice(dir, ['remove-operator', 'piet']).status).toBe(1);
  }, 120_000);
});
