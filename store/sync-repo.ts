// The store's side of sync: a page of the back office's changes feed and the cursor after
// it, applied in one transaction. What a change may do to a local order is decided by the
// rule in order-guard.ts, nowhere else.
import { orderChangeSchema, type OrderChange } from '../protocol/kiosk-api.js';
import { StoreConflictError } from '../sqlite/errors.js';
import type { OrderGuard } from './order-guard.js';
import { checkInput, keyOf, toUtcIso, type OrderRow, type RepoContext } from './rows.js';
import type { ApplyChangesResult } from './schemas.js';

export interface SyncRepo {
  /** The feed position after the last applied page; null before the first pull. */
  cursor(): string | null;
  /**
   * One transaction: every change of a page, then the cursor after it. The whole page is
   * validated first; an invalid change rejects the page with StoreDataError, nothing applied.
   * Local state wins where it must (order-guard.ts): a delivered order stays delivered, and
   * an order with a delivery in progress keeps its row until the delivery settles (the
   * remote state is kept in `remote_status` and applied by `abandon`).
   */
  applyChanges(changes: readonly OrderChange[], cursor: string): ApplyChangesResult;
}

const CURSOR_KEY = 'cursor';

export function syncRepo({ db, stamp, logger }: RepoContext, guard: OrderGuard): SyncRepo {
  const s = {
    insertOrderIfNew: db.prepare<[OrderRow]>(
      `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at)
       VALUES (@id, @card_number, @payload, @status, @created_at, @expires_at, @updated_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    syncStateGet: db.prepare<[string], string>('SELECT value FROM sync_state WHERE key = ?').pluck(),
    syncStateSet: db.prepare<[string, string]>(
      `INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
  };

  const applyChanges = db.transaction((changes: readonly OrderChange[], cursor: string): ApplyChangesResult => {
    if (typeof cursor !== 'string' || cursor.length === 0) throw new RangeError('applyChanges: empty cursor');
    const checked = changes.map((change, i) =>
      checkInput(orderChangeSchema, change, { table: 'orders', key: keyOf({ id: change?.orderId ?? i }) }),
    );
    const at = stamp();
    let inserted = 0;
    let updated = 0;
    let deferred = 0;
    let ignored = 0;
    for (const change of checked) {
      if (change.status === 'pending') {
        const row = {
          id: change.orderId,
          card_number: change.cardNumber,
          payload: JSON.stringify(change.payload),
          created_at: toUtcIso(change.createdAt),
          expires_at: change.expiresAt === null ? null : toUtcIso(change.expiresAt),
        };
        // New orders are most of an initial sync: one statement each.
        if (s.insertOrderIfNew.run({ ...row, status: 'pending', updated_at: at }).changes === 1) {
          inserted++;
          continue;
        }
        switch (guard.update({ ...row, status: 'pending' }, at)) {
          case 'applied':
          case 'frozen': // details kept for the delivery in progress; the expiry moved
            updated++;
            break;
          case 'delivered':
            ignored++;
            break;
          case 'unknown':
            throw new StoreConflictError(`order ${change.orderId} neither inserted nor found`);
        }
        continue;
      }
      // cancelled, expired, or picked up (here or at another kiosk)
      switch (guard.setStatus(change.orderId, change.status, at)) {
        case 'applied':
          updated++;
          break;
        case 'deferred':
          logger.warn(
            { orderId: change.orderId, remoteStatus: change.status },
            'store: remote status kept back while a delivery of the order is in progress',
          );
          deferred++;
          break;
        case 'unchanged':
        case 'delivered':
        case 'unknown':
          ignored++;
          break;
      }
    }
    s.syncStateSet.run(CURSOR_KEY, cursor);
    return { inserted, updated, deferred, ignored };
  });

  return {
    cursor: () => s.syncStateGet.get(CURSOR_KEY) ?? null,
    applyChanges: (changes, cursor) => applyChanges.immediate(changes, cursor),
  };
}
