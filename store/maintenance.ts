// Maintenance data: technicians' PIN hashes (cached for offline use), the audit log of
// what technicians did, and the few settings that must survive a restart
// (out of service, the PIN lockout). Its tables are those of store/migrations/003-maintenance.ts.
import type Database from 'better-sqlite3';
import { technicianCredentialSchema, type TechnicianCredential } from '../protocol/kiosk-api.js';
import { StoreDataError } from '../sqlite/errors.js';

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: string | null;
  readonly syncedAt: string | null;
}

export interface MaintenanceRepo {
  technicians: {
    /** Replaces the cached list in one transaction (as delivered by the back office). */
    replaceAll(list: readonly TechnicianCredential[]): void;
    all(): TechnicianCredential[];
    byCard(cardNumber: string): TechnicianCredential | undefined;
  };
  audit: {
    append(entry: { actor: string; action: string; detail?: string | null }): AuditEntry;
    recent(limit: number): AuditEntry[];
    /** Not yet pushed to the back office, oldest first. */
    unsynced(limit: number): AuditEntry[];
    markSynced(ids: readonly number[]): void;
  };
  settings: {
    get(key: string): string | null;
    set(key: string, value: string | null): void;
  };
  /** Every delivery still pending or writing, oldest first, with its order's kind. */
  openDeliveries(): OpenDelivery[];
}

/**
 * The receipt printed for these orders is remembered as a setting under this key (its
 * value: when, ISO), so it is never printed twice (kiosk/receipts.ts); retention deletes
 * the marks RETENTION_DAYS after their receipt (store/retention.ts).
 */
export const RECEIPT_MARK_PREFIX = 'receipt:';
export const receiptMarkKey = (orderIds: readonly string[]) => `${RECEIPT_MARK_PREFIX}${[...orderIds].sort().join(',')}`;

export interface OpenDelivery {
  readonly id: string;
  readonly orderId: string;
  readonly cardNumber: string;
  readonly state: string;
  readonly kind: string;
  readonly createdAt: string;
}

interface TechnicianRow {
  technician_id: string;
  card_number: string | null;
  salt: string;
  hash: string;
  params: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: string | null;
  synced_at: string | null;
}

function toCredential(row: TechnicianRow): TechnicianCredential {
  const parsed = technicianCredentialSchema.safeParse({
    technicianId: row.technician_id,
    cardNumber: row.card_number,
    salt: row.salt,
    hash: row.hash,
    params: JSON.parse(row.params),
  });
  if (!parsed.success) {
    throw new StoreDataError(`technicians[${row.technician_id}] failed validation: ${parsed.error.message}`, {
      table: 'technicians',
      key: row.technician_id,
      column: '*',
    });
  }
  return parsed.data;
}

function keyOf(item: unknown): string {
  const id = (item as { technicianId?: unknown } | null)?.technicianId;
  return typeof id === 'string' ? id : '?';
}

const toAudit = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  detail: row.detail,
  syncedAt: row.synced_at,
});

export function maintenanceRepo(db: Database.Database, stamp: () => string): MaintenanceRepo {
  const s = {
    deleteTechnicians: db.prepare('DELETE FROM technicians'),
    insertTechnician: db.prepare(
      'INSERT INTO technicians (technician_id, card_number, salt, hash, params, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    allTechnicians: db.prepare<[], TechnicianRow>('SELECT * FROM technicians ORDER BY technician_id'),
    technicianByCard: db.prepare<[string], TechnicianRow>('SELECT * FROM technicians WHERE card_number = ?'),
    appendAudit: db.prepare<[string, string, string, string | null], AuditRow>(
      'INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?) RETURNING *',
    ),
    recentAudit: db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?'),
    unsyncedAudit: db.prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE synced_at IS NULL ORDER BY id LIMIT ?'),
    markSynced: db.prepare('UPDATE audit_log SET synced_at = ? WHERE id = ? AND synced_at IS NULL'),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM kiosk_settings WHERE key = ?'),
    setSetting: db.prepare(
      'INSERT INTO kiosk_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    deleteSetting: db.prepare('DELETE FROM kiosk_settings WHERE key = ?'),
    openDeliveries: db.prepare<[], { id: string; order_id: string; card_number: string; state: string; kind: string | null; created_at: string }>(
      `SELECT d.id, d.order_id, d.card_number, d.state, json_extract(o.payload, '$.kind') AS kind, d.created_at
         FROM deliveries d LEFT JOIN orders o ON o.id = d.order_id
        WHERE d.state IN ('pending', 'writing') ORDER BY d.created_at`,
    ),
  };

  const replaceAll = db.transaction((list: readonly TechnicianCredential[]) => {
    const valid = list.map((item) => {
      const parsed = technicianCredentialSchema.safeParse(item);
      if (!parsed.success) {
        throw new StoreDataError(`technician credential failed validation: ${parsed.error.message}`, {
          table: 'technicians',
          key: keyOf(item),
          column: '*',
        });
      }
      return parsed.data;
    });
    s.deleteTechnicians.run();
    const at = stamp();
    for (const t of valid) s.insertTechnician.run(t.technicianId, t.cardNumber, t.salt, t.hash, JSON.stringify(t.params), at);
  });
  const markSynced = db.transaction((ids: readonly number[]) => {
    const at = stamp();
    for (const id of ids) s.markSynced.run(at, id);
  });

  return {
    technicians: {
      replaceAll: (list) => replaceAll.immediate(list),
      all: () => s.allTechnicians.all().map(toCredential),
      byCard: (cardNumber) => {
        const row = s.technicianByCard.get(cardNumber);
        return row ? toCredential(row) : undefined;
      },
    },
    audit: {
      append: ({ actor, action, detail = null }) => {
        // .all(), not .get(): get() resets the statement after the first row, and a commit
        // that fails then (SQLITE_FULL) was lost without an error.
        const [row] = s.appendAudit.all(stamp(), actor, action, detail);
        if (!row) throw new StoreDataError('audit_log: insert returned nothing', { table: 'audit_log', key: action, column: '*' });
        return toAudit(row);
      },
      recent: (limit) => s.recentAudit.all(limit).map(toAudit),
      unsynced: (limit) => s.unsyncedAudit.all(limit).map(toAudit),
      markSynced: (ids) => markSynced.immediate(ids),
    },
    settings: {
      get: (key) => s.getSetting.get(key)?.value ?? null,
      set: (key, value) => {
        if (value === null) s.deleteSetting.run(key);
        else s.setSetting.run(key, value);
      },
    },
    openDeliveries: () =>
      s.openDeliveries.all().map((r) => ({
        id: r.id,
        orderId: r.order_id,
        cardNumber: r.card_number,
        state: r.state,
        kind: r.kind ?? 'unknown',
        createdAt: r.created_at,
      })),
  };
}
