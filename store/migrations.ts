// The kiosk store's schema migrations, one file each in store/migrations/ (NNN-name.ts,
// NNN its version), run in this order by sqlite/migrate.ts. Never edit a shipped
// migration: add the next file and list it here.
import type { Migration } from '../sqlite/migrate.js';
import { migration as m001 } from './migrations/001-orders-deliveries-outbox.js';
import { migration as m002 } from './migrations/002-sync-state.js';
import { migration as m003 } from './migrations/003-maintenance.js';
import { migration as m004 } from './migrations/004-order-serials.js';
import { migration as m005 } from './migrations/005-feed-resets.js';
import { migration as m006 } from './migrations/006-serial-voids.js';
import { migration as m007 } from './migrations/007-order-signatures.js';
import { migration as m008 } from './migrations/008-order-counts.js';
import { migration as m009 } from './migrations/009-signed-versions.js';

export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009];

export type { Migration };
