// PostgreSQL migration 2 is the operator console's (on its own branch, issue 14's console on
// PostgreSQL). This placeholder keeps the numbers 1, 2, 3 contiguous on the branch that adds
// migration 3 (Mijn NS); it changes nothing and is replaced by the console's 002 at the merge.
import type { PgMigration } from '../pg-migrate.js';

export const migration: PgMigration = {
  version: 2,
  name: 'reserved for the operator console',
  async up() {},
};
