// The back office database's schema migrations, one file each in backoffice/migrations/
// (NNN-name.ts, NNN its version), run in this order by sqlite/migrate.ts. Never edit a
// shipped migration: add the next file and list it here.
import type { Migration } from '../sqlite/migrate.js';
import { migration as m001 } from './migrations/001-orders-feed.js';
import { migration as m002 } from './migrations/002-kiosk-audit.js';
import { migration as m003 } from './migrations/003-card-serials.js';
import { migration as m004 } from './migrations/004-feed-epoch.js';
import { migration as m005 } from './migrations/005-change-ids-serial-voids.js';
import { migration as m006 } from './migrations/006-order-signatures.js';
import { migration as m007 } from './migrations/007-audit-arrival.js';
import { migration as m008 } from './migrations/008-technician-disable.js';
import { migration as m009 } from './migrations/009-operator-console.js';
import { migration as m010 } from './migrations/010-email-claims.js';
import { migration as m011 } from './migrations/011-mijn-ns.js';
import { migration as m012 } from './migrations/012-fleet-pin-locks.js';
import { migration as m013 } from './migrations/013-bank-payouts.js';

export const BACKOFFICE_MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013];
