// The kiosk store's migration list: one file per migration in store/migrations/, each with
// its own test, listed in order. (The runner is tested in sqlite/migrate.test.ts.)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertWellFormed, latestVersion, type Migration } from '../sqlite/migrate.js';
import { MIGRATIONS } from './migrations.js';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'migrations');
const migrationFiles = readdirSync(dir)
  .filter((name) => /^\d{3}-[a-z0-9-]+\.ts$/.test(name) && !name.endsWith('.test.ts'))
  .sort();

describe('the kiosk store migration list', () => {
  it('is numbered 1, 2, 3... without gaps', () => {
    expect(() => assertWellFormed(MIGRATIONS)).not.toThrow();
    expect(latestVersion(MIGRATIONS)).toBe(MIGRATIONS.length);
  });

  it('lists every file of store/migrations/ in order, and each file is named by its version', async () => {
    expect(migrationFiles.length).toBe(MIGRATIONS.length);
    for (const [i, name] of migrationFiles.entries()) {
      const module = (await import(`./migrations/${name.replace(/\.ts$/, '.js')}`)) as { migration: Migration };
      expect(module.migration, name).toBe(MIGRATIONS[i]);
      expect(module.migration.version, name).toBe(Number(name.slice(0, 3)));
    }
  });

  it('has a test next to every migration', () => {
    for (const name of migrationFiles) expect(existsSync(join(dir, name.replace(/\.ts$/, '.test.ts'))), name).toBe(true);
  });
});
