// The store's side of sync: a page of the back office's changes feed and the cursor after
// it, applied in one transaction. What a change may do to a local order is decided by the
// rule in order-guard.ts, nowhere else.
import { orderChangeSchema, type CheckedOrderChange, type OrderChange } from '../protocol/kiosk-api.js';
import { StoreConflictError } from '../sqlite/errors.js';
import type { OrderGuard } from './order-guard.js';
import { checkInput, keyOf, toUtcIso, type RepoContext } from './rows.js';
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
  applyChanges(changes: readonly OrderChange[], cursor: string, feed?: { epoch: string; anchor?: string | undefined }): ApplyChangesResult;
  /** The same for changes the kiosk API's schema has validated already (the sync client's pages): not validated again. */
  applyCheckedChanges(changes: readonly CheckedOrderChange[], cursor: string, feed?: { epoch: string; anchor?: string | undefined }): ApplyChangesResult;
  /** Where the kiosk is in the feed: the cursor, the back office epoch it belongs to, the last order applied. */
  feed(): FeedPosition;
  /**
   * Starts the feed over (cursor 0, in `epoch`) and logs why, in one transaction. Orders,
   * deliveries and the outbox stay: the next pages bring the back office's state again and
   * the rule of order-guard.ts keeps what is delivered or in flight here.
   */
  resetFeed(reset: { reason: FeedResetReason; epoch: string; head: string }): void;
  /** The latest feed resets, newest first. */
  resets(limit?: number): FeedReset[];
  /**
   * The serials of a card that the back office never handed out (skipped after a restore,
   * the feed's `voidSerials`), ascending and inclusive: the card's ledger may count them as
   * closed, and a cached order with one was lost with the restore.
   */
  voids(cardNumber: string): readonly VoidSerials[];
  /** The void serials this order's change declared, or null (what its signature covers). */
  voidOf(orderId: string): VoidSerials | null;
}

/** Serials skipped by the back office, inclusive: [from, to]. */
export type VoidSerials = readonly [number, number];

export interface FeedPosition {
  readonly cursor: string | null;
  readonly epoch: string | null;
  /** The id of the change at the cursor (null before the first change, or after a reset). */
  readonly anchor: string | null;
}

/** Why the kiosk started the feed over: another database, a head below the cursor, the anchor gone or moved back, a cursor without an epoch. */
export type FeedResetReason = 'epoch' | 'rewound' | 'anchor' | 'legacy';

export interface FeedReset {
  readonly at: string;
  readonly reason: FeedResetReason;
  readonly oldEpoch: string | null;
  readonly newEpoch: string;
  readonly oldCursor: string | null;
  readonly head: string;
}

const CURSOR_KEY = 'cursor';
const EPOCH_KEY = 'epoch';
const ANCHOR_KEY = 'anchor';

export function syncRepo({ db, stamp, logger }: RepoContext, guard: OrderGuard): SyncRepo {
  const s = {
    // Positional: most of an initial sync is this statement, and binding an object costs more.
    insertPendingIfNew: db.prepare<[string, string, string, string, string | null, string, number, number, string, number]>(
      `INSERT INTO orders (id, card_number, payload, status, created_at, expires_at, updated_at, serial, remote_version, signature, signed_version)
       VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ),
    remoteVersion: db
      .prepare<[string], { remote_version: number | null }>('SELECT remote_version FROM orders WHERE id = ?'),
    syncStateGet: db.prepare<[string], string>('SELECT value FROM sync_state WHERE key = ?').pluck(),
    syncStateSet: db.prepare<[string, string]>(
      `INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    syncStateDelete: db.prepare<[string]>('DELETE FROM sync_state WHERE key = ?'),
    insertVoid: db.prepare<[string, string, number, number]>(
      'INSERT INTO card_voids (card_number, order_id, from_serial, to_serial) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    voidOf: db.prepare<[string], { from_serial: number; to_serial: number }>(
      'SELECT from_serial, to_serial FROM card_voids WHERE order_id = ? ORDER BY from_serial LIMIT 1',
    ),
    clearVoids: db.prepare('DELETE FROM card_voids'),
    voids: db.prepare<[string], { from_serial: number; to_serial: number }>(
      'SELECT from_serial, to_serial FROM card_voids WHERE card_number = ? ORDER BY from_serial',
    ),
    insertReset: db.prepare<[{ at: string; reason: FeedResetReason; old_epoch: string | null; new_epoch: string; old_cursor: string | null; head: string }]>(
      `INSERT INTO feed_resets (at, reason, old_epoch, new_epoch, old_cursor, head)
       VALUES (@at, @reason, @old_epoch, @new_epoch, @old_cursor, @head)`,
    ),
    resets: db.prepare<[number], { at: string; reason: FeedResetReason; old_epoch: string | null; new_epoch: string; old_cursor: string | null; head: string }>(
      'SELECT at, reason, old_epoch, new_epoch, old_cursor, head FROM feed_resets ORDER BY id DESC LIMIT ?',
    ),
  };

  const feed = (): FeedPosition => ({
    cursor: s.syncStateGet.get(CURSOR_KEY) ?? null,
    epoch: s.syncStateGet.get(EPOCH_KEY) ?? null,
    anchor: s.syncStateGet.get(ANCHOR_KEY) ?? null,
  });

  const resetFeed = db.transaction((reset: { reason: FeedResetReason; epoch: string; head: string }): void => {
    const before = feed();
    s.insertReset.run({ at: stamp(), reason: reset.reason, old_epoch: before.epoch, new_epoch: reset.epoch, old_cursor: before.cursor, head: reset.head });
    s.syncStateSet.run(CURSOR_KEY, '0');
    s.syncStateSet.run(EPOCH_KEY, reset.epoch);
    s.syncStateDelete.run(ANCHOR_KEY);
    // Voids are facts of the database that sent them: the new pages bring back those that hold.
    s.clearVoids.run();
    // Versions of another database (or of a feed that went back) say nothing about the new one's.
    guard.forgetRemoteVersions();
  });

  const applyChanges = db.transaction((changes: readonly OrderChange[], cursor: string, position: { epoch: string; anchor?: string | undefined } | undefined, validated: boolean): ApplyChangesResult => {
    if (typeof cursor !== 'string' || cursor.length === 0) throw new RangeError('applyChanges: empty cursor');
    const checked = validated
      ? changes
      : changes.map((change, i) => checkInput(orderChangeSchema, change, { table: 'orders', key: keyOf({ id: change?.orderId ?? i }) }));
    const at = stamp();
    let inserted = 0;
    let updated = 0;
    let deferred = 0;
    let ignored = 0;
    for (const change of checked) {
      let row: { id: string; card_number: string; payload: string; created_at: string; expires_at: string | null; signature: string; signed_version: number } | null = null;
      if (change.status === 'pending') {
        row = {
          id: change.orderId,
          card_number: change.cardNumber,
          payload: JSON.stringify(change.payload),
          created_at: toUtcIso(change.createdAt),
          expires_at: change.expiresAt === null ? null : toUtcIso(change.expiresAt),
          signature: change.signature,
          signed_version: change.version,
        };
        // New orders are most of an initial sync: one statement each (an order this kiosk
        // has already is untouched by it, and goes through the rules below).
        const { id, card_number, payload, created_at, expires_at, signature } = row;
        if (s.insertPendingIfNew.run(id, card_number, payload, created_at, expires_at, at, change.serial, change.version, signature, change.version).changes === 1) {
          if (change.voidSerials) s.insertVoid.run(change.cardNumber, change.orderId, change.voidSerials[0], change.voidSerials[1]);
          inserted++;
          continue;
        }
      }
      // An older change never overrides a newer one (a replayed or reordered page): a
      // replayed `pending` must not bring a cancelled order back.
      const cached = s.remoteVersion.get(change.orderId);
      if (cached?.remote_version != null && change.version < cached.remote_version) {
        logger.info(
          { orderId: change.orderId, version: change.version, cachedVersion: cached.remote_version },
          'store: older change of an order ignored',
        );
        ignored++;
        continue;
      }
      if (cached) guard.noteRemote(change.orderId, change.serial, change.version);
      if (change.voidSerials) s.insertVoid.run(change.cardNumber, change.orderId, change.voidSerials[0], change.voidSerials[1]);
      if (row) {
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
    if (position) s.syncStateSet.run(EPOCH_KEY, position.epoch);
    // The page's last change is the one at its cursor: the anchor the next request names
    // (given by the caller when it left changes out, e.g. offers whose signature failed).
    const anchor = position?.anchor ?? checked.at(-1)?.change;
    if (anchor !== undefined) s.syncStateSet.run(ANCHOR_KEY, anchor);
    return { inserted, updated, deferred, ignored };
  });

  return {
    cursor: () => s.syncStateGet.get(CURSOR_KEY) ?? null,
    applyChanges: (changes, cursor, position) => applyChanges.immediate(changes, cursor, position, false),
    applyCheckedChanges: (changes, cursor, position) => applyChanges.immediate(changes, cursor, position, true),
    feed,
    resetFeed: (reset) => resetFeed.immediate(reset),
    voids: (cardNumber) => s.voids.all(cardNumber).map((v) => [v.from_serial, v.to_serial] as const),
    voidOf: (orderId) => {
      const v = s.voidOf.get(orderId);
      return v ? ([v.from_serial, v.to_serial] as const) : null;
    },
    resets: (limit = 20) =>
      s.resets.all(limit).map((r) => ({ at: r.at, reason: r.reason, oldEpoch: r.old_epoch, newEpoch: r.new_epoch, oldCursor: r.old_cursor, head: r.head })),
  };
}
