// The back office's PostgreSQL migrations, one file each in backoffice/migrations-pg/
// (NNN-name.ts, NNN its version), run in this order by backoffice/pg-migrate.ts. Never edit
// a shipped migration: add the next file and list it here. (The SQLite file has its own,
// backoffice/migrations.ts; a change of the schema gets one in each.)
import type { PgMigration } from './pg-migrate.js';
import { migration as m001 } from './migrations-pg/001-initial.js';
import { migration as m002 } from './migrations-pg/002-operator-console.js';
import { migration as m003 } from './migrations-pg/003-mijn-ns.js';
import { migration as m004 } from './migrations-pg/004-fleet-pin-locks.js';
import { migration as m005 } from './migrations-pg/005-bank-payouts.js';

export const BACKOFFICE_PG_MIGRATIONS: readonly PgMigration[] = [m001, m002, m003, m004, m005];
