// The operator console's database operations, one interface (ConsoleStore) with two engines
// as the back office's storage has (backoffice/store.ts): here the SQLite file's (migration 9),
// over the back office's own better-sqlite3 handle; backoffice/console-pg.ts PostgreSQL's
// (its migration 2). Operator accounts, their sessions, orders by card, the technician list
// with the disabled ones, conflicts and quarantined pickups to resolve, and the operators'
// audit log. Self-contained: nothing in backoffice/db.ts calls it.
import { createHash } from 'node:crypto';
import type { OrderPayload } from '../domain/index.js';
import type { RemoteOrderStatus } from '../protocol/kiosk-api.js';
import { PICKUP_UNKNOWN_ORDER, type BackOfficeDb } from './db.js';

/** An operator's password as kept: scrypt with a salt of its own (backoffice/console/passwords.ts). */
export interface PasswordHash {
  /** hex */
  readonly salt: string;
  /** hex */
  readonly hash: string;
  readonly params: { readonly N: number; readonly r: number; readonly p: number; readonly keylen: number };
}

export interface OperatorRow extends PasswordHash {
  readonly name: string;
  readonly disabledAt: string | null;
}

/** What the console shows of an order: never its payload's code (sealed or not). */
export interface CardOrderRow {
  readonly id: string;
  readonly kind: OrderPayload['kind'];
  readonly status: RemoteOrderStatus;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly pickedUpAt: string | null;
  readonly pickedUpBy: string | null;
  readonly conflict: string | null;
  readonly productCode: string | null;
  readonly amountCents: number | null;
}

export interface TechnicianRow {
  readonly id: string;
  readonly cardNumber: string;
  readonly disabledAt: string | null;
}

/** A conflict or a quarantined pickup the operator has not resolved. */
export interface OpenIssue {
  /** `order:<id>` or `pickup:<delivery id>` (a pickup of an order the back office does not know). */
  readonly subject: string;
  readonly orderId: string;
  readonly cardNumber: string;
  readonly conflict: string;
  readonly at: string;
  /** The kiosk that reported the pickup, when known. */
  readonly kioskId: string | null;
}

export interface OperatorAuditRow {
  readonly seq: number;
  readonly at: string;
  readonly operator: string;
  readonly action: string;
  readonly subject: string | null;
  readonly detail: string | null;
}

/** What the console keeps and asks, on either engine (the console's routes use only this). */
export interface ConsoleStore {
  /** Creates an operator, or sets a new password (and enables them again). */
  setOperator(name: string, password: PasswordHash): Promise<void>;
  operator(name: string): Promise<OperatorRow | undefined>;
  operators(): Promise<{ name: string; disabledAt: string | null }[]>;
  removeOperator(name: string): Promise<boolean>;
  /** The session store (@fastify/session): rows keyed by the id's hash, expired ones never returned. */
  readonly sessions: {
    get(sessionId: string): Promise<string | undefined>;
    set(sessionId: string, data: string, expiresAt: Date): Promise<void>;
    destroy(sessionId: string): Promise<void>;
    prune(): Promise<number>;
  };
  ordersByCard(cardNumber: string, limit?: number): Promise<CardOrderRow[]>;
  /** Every technician, the disabled ones too. */
  technicians(): Promise<TechnicianRow[]>;
  technicianExists(id: string): Promise<boolean>;
  openIssues(): Promise<OpenIssue[]>;
  /** Marks an open conflict resolved, as the operator saw it (false: not open, or it reads otherwise now). Audited. */
  resolve(subject: string, seen: string, operator: string, note: string): Promise<boolean>;
  record(operator: string, action: string, subject: string | null, detail: string | null): Promise<void>;
  /** The operators' audit, newest first; `before` (a seq) pages it. */
  operatorAudit(limit?: number, before?: number): Promise<OperatorAuditRow[]>;
  /** Lets go of what it holds (PostgreSQL: its pool; SQLite: nothing, the handle is the back office's). */
  close(): Promise<void>;
}

/** Session ids are kept only as their SHA-256: a copy of the database opens no session. */
export const sessionKey = (sessionId: string): string => createHash('sha256').update(sessionId, 'utf8').digest('hex');

export type ConsoleDb = ReturnType<typeof openConsoleDb>;

/** `db`: the back office's better-sqlite3 handle (`BackOfficeDb.db`). */
export function openConsoleDb(db: BackOfficeDb['db'], now: () => Date) {
  const iso = () => now().toISOString();
  const s = {
    insertOperator: db.prepare<[{ name: string; salt: string; hash: string; params: string; at: string }]>(
      `INSERT INTO operators (name, salt, hash, params, created_at) VALUES (@name, @salt, @hash, @params, @at)
       ON CONFLICT (name) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, params = excluded.params, disabled_at = NULL`,
    ),
    operator: db.prepare<[string], { name: string; salt: string; hash: string; params: string; disabled_at: string | null }>(
      'SELECT name, salt, hash, params, disabled_at FROM operators WHERE name = ?',
    ),
    operators: db.prepare<[], { name: string; disabled_at: string | null }>('SELECT name, disabled_at FROM operators ORDER BY name'),
    removeOperator: db.prepare<[string]>('DELETE FROM operators WHERE name = ?'),
    getSession: db.prepare<[string, string], string>('SELECT data FROM operator_sessions WHERE id_hash = ? AND expires_at > ?').pluck(),
    setSession: db.prepare<[string, string, string]>(
      `INSERT INTO operator_sessions (id_hash, data, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
    ),
    destroySession: db.prepare<[string]>('DELETE FROM operator_sessions WHERE id_hash = ?'),
    pruneSessions: db.prepare<[string]>('DELETE FROM operator_sessions WHERE expires_at <= ?'),
    ordersByCard: db.prepare<
      [string, number],
      {
        id: string;
        kind: OrderPayload['kind'];
        status: RemoteOrderStatus;
        created_at: string;
        expires_at: string | null;
        picked_up_at: string | null;
        picked_up_by: string | null;
        conflict: string | null;
        product_code: string | null;
        amount_cents: number | null;
      }
    >(
      // Only the fields of a product and a top-up leave the payload: a code, sealed or not, never.
      `SELECT id, kind, status, created_at, expires_at, picked_up_at, picked_up_by, conflict,
         CASE WHEN kind = 'product' THEN json_extract(payload, '$.productCode') END AS product_code,
         CASE WHEN kind = 'topup' THEN json_extract(payload, '$.amountCents') END AS amount_cents
       FROM orders WHERE card_number = ? ORDER BY created_at DESC, id LIMIT ?`,
    ),
    technicians: db.prepare<[], { id: string; card_number: string; disabled_at: string | null }>(
      'SELECT id, card_number, disabled_at FROM technicians ORDER BY id',
    ),
    technician: db.prepare<[string], { id: string }>('SELECT id FROM technicians WHERE id = ?'),
    // Orders with a conflict (db.conflicts(): picked up after cancel/expiry, a pickup with
    // another card number) and pickups of orders this back office does not know; minus
    // those whose conflict, as it reads now, an operator resolved.
    openIssues: db.prepare<[string], { subject: string; order_id: string; card_number: string; conflict: string; at: string; kiosk_id: string | null }>(
      `SELECT 'order:' || o.id AS subject, o.id AS order_id, o.card_number, o.conflict, o.updated_at AS at,
              (SELECT p.kiosk_id FROM pickups AS p WHERE p.order_id = o.id ORDER BY p.received_at DESC LIMIT 1) AS kiosk_id
         FROM orders AS o
        WHERE o.conflict IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM conflict_resolutions AS r WHERE r.subject = 'order:' || o.id AND r.conflict = o.conflict)
       UNION ALL
       SELECT 'pickup:' || p.delivery_id, p.order_id, p.card_number, p.conflict, p.received_at, p.kiosk_id
         FROM pickups AS p
        WHERE p.conflict = ? AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.id = p.order_id)
          AND NOT EXISTS (SELECT 1 FROM conflict_resolutions AS r WHERE r.subject = 'pickup:' || p.delivery_id AND r.conflict = p.conflict)
       ORDER BY at`,
    ),
    resolve: db.prepare<[{ subject: string; conflict: string; at: string; operator: string; note: string }]>(
      `INSERT INTO conflict_resolutions (subject, conflict, resolved_at, operator, note) VALUES (@subject, @conflict, @at, @operator, @note)
       ON CONFLICT DO NOTHING`,
    ),
    audit: db.prepare<[{ at: string; operator: string; action: string; subject: string | null; detail: string | null }]>(
      'INSERT INTO operator_audit (at, operator, action, subject, detail) VALUES (@at, @operator, @action, @subject, @detail)',
    ),
    auditList: db.prepare<[{ before: number | null; limit: number }], OperatorAuditRow>(
      'SELECT seq, at, operator, action, subject, detail FROM operator_audit WHERE (@before IS NULL OR seq < @before) ORDER BY seq DESC LIMIT @limit',
    ),
  };

  const record = (operator: string, action: string, subject: string | null, detail: string | null): void => {
    s.audit.run({ at: iso(), operator, action, subject, detail });
  };

  const openIssues = (): OpenIssue[] =>
    s.openIssues.all(PICKUP_UNKNOWN_ORDER).map((r) => ({
      subject: r.subject,
      orderId: r.order_id,
      cardNumber: r.card_number,
      conflict: r.conflict,
      at: r.at,
      kioskId: r.kiosk_id,
    }));

  return {
    /** Creates an operator, or sets a new password (and enables them again). */
    setOperator(name: string, password: PasswordHash): void {
      s.insertOperator.run({ name, salt: password.salt, hash: password.hash, params: JSON.stringify(password.params), at: iso() });
    },
    operator(name: string): OperatorRow | undefined {
      const row = s.operator.get(name);
      return row
        ? { name: row.name, salt: row.salt, hash: row.hash, params: JSON.parse(row.params) as PasswordHash['params'], disabledAt: row.disabled_at }
        : undefined;
    },
    operators: () => s.operators.all().map((o) => ({ name: o.name, disabledAt: o.disabled_at })),
    removeOperator: (name: string): boolean => s.removeOperator.run(name).changes === 1,

    /**
     * The session store (@fastify/session): rows keyed by the id's hash, expired ones never
     * returned. By the real clock, as @fastify/session dates the cookies (not `now`).
     */
    sessions: {
      get: (sessionId: string): string | undefined => s.getSession.get(sessionKey(sessionId), new Date().toISOString()),
      set: (sessionId: string, data: string, expiresAt: Date): void => void s.setSession.run(sessionKey(sessionId), data, expiresAt.toISOString()),
      destroy: (sessionId: string): void => void s.destroySession.run(sessionKey(sessionId)),
      prune: (): number => s.pruneSessions.run(new Date().toISOString()).changes,
    },

    ordersByCard: (cardNumber: string, limit = 200): CardOrderRow[] =>
      s.ordersByCard.all(cardNumber, limit).map((o) => ({
        id: o.id,
        kind: o.kind,
        status: o.status,
        createdAt: o.created_at,
        expiresAt: o.expires_at,
        pickedUpAt: o.picked_up_at,
        pickedUpBy: o.picked_up_by,
        conflict: o.conflict,
        productCode: o.product_code,
        amountCents: o.amount_cents,
      })),

    /** Every technician, the disabled ones too (the kiosks' feed, db.technicians(), has only the enabled). */
    technicians: (): TechnicianRow[] => s.technicians.all().map((t) => ({ id: t.id, cardNumber: t.card_number, disabledAt: t.disabled_at })),
    technicianExists: (id: string): boolean => s.technician.get(id) !== undefined,

    openIssues,
    /**
     * Marks an open conflict resolved, as the operator saw it: false when it is not open or
     * its conflict reads otherwise now (it grew: the operator must look again). Audited.
     */
    resolve: db.transaction((subject: string, seen: string, operator: string, note: string): boolean => {
      const issue = openIssues().find((i) => i.subject === subject);
      if (!issue || issue.conflict !== seen) return false;
      s.resolve.run({ subject, conflict: issue.conflict, at: iso(), operator, note });
      record(operator, 'resolve', subject, note);
      return true;
    }),

    record,
    /** The operators' audit, newest first; `before` (a seq) pages it. */
    operatorAudit: (limit = 200, before?: number): OperatorAuditRow[] => s.auditList.all({ before: before ?? null, limit }),
  };
}

/** The SQLite engine of the console: openConsoleDb behind ConsoleStore. */
export function sqliteConsoleStore(db: BackOfficeDb['db'], now: () => Date): ConsoleStore {
  const c = openConsoleDb(db, now);
  // Each call runs synchronously inside the promise: an exception becomes a rejection.
  const run = <T>(f: () => T): Promise<T> => new Promise((resolve) => resolve(f()));
  return {
    setOperator: (name, password) => run(() => c.setOperator(name, password)),
    operator: (name) => run(() => c.operator(name)),
    operators: () => run(() => c.operators()),
    removeOperator: (name) => run(() => c.removeOperator(name)),
    sessions: {
      get: (id) => run(() => c.sessions.get(id)),
      set: (id, data, expiresAt) => run(() => c.sessions.set(id, data, expiresAt)),
      destroy: (id) => run(() => c.sessions.destroy(id)),
      prune: () => run(() => c.sessions.prune()),
    },
    ordersByCard: (cardNumber, limit) => run(() => c.ordersByCard(cardNumber, limit)),
    technicians: () => run(() => c.technicians()),
    technicianExists: (id) => run(() => c.technicianExists(id)),
    openIssues: () => run(() => c.openIssues()),
    resolve: (subject, seen, operator, note) => run(() => c.resolve(subject, seen, operator, note)),
    record: (operator, action, subject, detail) => run(() => c.record(operator, action, subject, detail)),
    operatorAudit: (limit, before) => run(() => c.operatorAudit(limit, before)),
    close: () => Promise.resolve(),
  };
}
