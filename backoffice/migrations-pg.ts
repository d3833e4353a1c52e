// The back office's PostgreSQL migrations, one file each in backoffice/migrations-pg/
// (NNN-name.ts, NNN its version), run in this order by backoffice/pg-migrate.ts. Never edit
// a shipped migration: add the next file and list it here. (The SQLite file has its own,
// backoffice/migrations.ts; a change of the schema gets one in each.)
import type { PgMigration } from './pg-migrate.js';
import { migration as m001 } from './migrations-pg/001-initial.js';
import { migration as m002 } from './migrations-pg/002-operator-console.js';

export const BACKOFFICE_PG_MIGRATIONS: readonly PgMigration[] = [m001, m002];
