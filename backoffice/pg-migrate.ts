// Forward-only migrations of the back office's PostgreSQL database. Every version applied is
// a row of schema_migrations; all pending ones run in one transaction under an advisory
// lock, so that instances starting together migrate once (the others wait, then find
// nothing to do). A database migrated by a newer back office is refused (a downgrade).
import type { ClientBase } from 'pg';

export interface PgMigration {
  readonly version: number;
  readonly name: string;
  up(client: ClientBase): Promise<void>;
}

/** The advisory lock key of the migrations (any constant; distinct from the feed's). */
export const MIGRATION_LOCK = 0x6b696f736b01;

export function assertWellFormedPg(list: readonly PgMigration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`PostgreSQL migration ${m.name}: version ${m.version}, expected ${i + 1}`);
  });
}

/** Brings the database to the last version of `list`; returns the versions it applied. */
export async function migratePg(client: ClientBase, list: readonly PgMigration[]): Promise<{ from: number; to: number; applied: number[] }> {
  assertWellFormedPg(list);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > list.length) {
      throw new Error(
        `back office: the PostgreSQL database is at schema version ${from}, this back office knows ${list.length}: ` +
          'it is older than the one that last used the database (a downgrade?): install that version or a newer one again.',
      );
    }
    const applied: number[] = [];
    for (const m of list.slice(from)) {
      await m.up(client);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return { from, to: list.length, applied };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
