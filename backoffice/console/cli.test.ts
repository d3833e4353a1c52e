// `npm run backoffice -- add-operator <name>`: a new operator, the password printed once
// (or read from standard input), kept only as its scrypt hash; then it signs in. On the
// SQLite file, and on PostgreSQL (BACKOFFICE_DATABASE_URL, a throwaway cluster).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { usePgCluster } from '../../test/pg-cluster.js';
import { sqliteConsoleStore, type ConsoleStore } from '../console-db.js';
import { openPgConsoleStore } from '../console-pg.js';
import { openBackOfficeDb } from '../db.js';
import { verifyPassword } from './passwords.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function backoffice(env: Record<string, string>, args: string[], input?: string) {
  return spawnSync(process.execPath, ['scripts/run-ts.mjs', 'backoffice/main.ts', ...args], {
    env: { ...process.env, ...env },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** The operators as the back office keeps them, and the raw rows (to look for a password in clear). */
interface Kept {
  readonly operators: ConsoleStore;
  raw(): Promise<string>;
  close(): Promise<void>;
}

describe.each(['sqlite', 'postgres'] as const)('add-operator on %s', (engine) => {
  const pgCluster = engine === 'postgres' ? usePgCluster() : null;

  it('prints a new password once, or takes one from standard input; the database keeps only its hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-cli-'));
    dirs.push(dir);
    const url = pgCluster ? await pgCluster.cluster.newDatabase() : undefined;
    const env = { BACKOFFICE_DATA_DIR: dir, ...(url ? { BACKOFFICE_DATABASE_URL: url } : {}) };
    const made = backoffice(env, ['add-operator', 'olga']);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const password = made.stdout.trim().split('\n').at(-1) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const piped = backoffice(env, ['add-operator', 'piet', '--password-stdin'], 'a long enough secret\n');
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain('a long enough secret');
    expect(backoffice(env, ['add-operator', 'kort', '--password-stdin'], 'short\n').status).toBe(1);

    let kept: Kept;
    if (url) {
      const operators = openPgConsoleStore(url, { now: () => new Date() });
      kept = {
        operators,
        async raw() {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return JSON.stringify((await client.query('SELECT * FROM operators')).rows);
          } finally {
            await client.end();
          }
        },
        close: () => operators.close(),
      };
    } else {
      const db = openBackOfficeDb(join(dir, 'backoffice.db'), { now: () => new Date(), pickupWindowMs: 86_400_000 });
      kept = {
        operators: sqliteConsoleStore(db.db, () => new Date()),
        raw: () => Promise.resolve(JSON.stringify(db.db.prepare('SELECT * FROM operators').all())),
        close: () => Promise.resolve(db.close()),
      };
    }
    try {
      const { operators } = kept;
      expect((await operators.operators()).map((o) => o.name)).toEqual(['olga', 'piet']);
      expect(await verifyPassword(password, await operators.operator('olga'))).toBe(true);
      expect(await verifyPassword('a long enough secret', await operators.operator('piet'))).toBe(true);
      expect(await verifyPassword(password, await operators.operator('piet'))).toBe(false);
      const raw = await kept.raw();
      expect(raw).not.toContain(password);
      expect(raw).not.toContain('a long enough secret');
    } finally {
      await kept.close();
    }
    expect(backoffice(env, ['remove-operator', 'piet']).status).toBe(0);
    expect(backoffice(env, ['remove-operator', 'piet']).status).toBe(1);
  }, 120_000);
});
