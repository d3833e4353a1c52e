// The operator console's database operations on PostgreSQL (its migration 2,
// backoffice/migrations-pg/002-operator-console.ts): the same ConsoleStore as the SQLite
// file's (backoffice/console-db.ts), shared by every instance on the database, so an
// operator's session opened through one instance holds at another. Its own small pool on
// the back office's database (opened after backoffice/pg-store.ts migrated it); every row it
// reads is checked with zod (it comes from another process).
import pg, { type ClientBase } from 'pg';
import { z } from 'zod';
import { sessionKey, type CardOrderRow, type ConsoleStore, type OperatorAuditRow, type OpenIssue } from './console-db.js';
import { PICKUP_UNKNOWN_ORDER } from './db.js';

const text = z.string();
const maybeText = z.string().nullable();
const int = z.number().int();
const passwordParams = z.object({ N: int, r: int, p: int, keylen: int });
const operatorSchema = z.object({ name: text, salt: text, hash: text, params: passwordParams, disabled_at: maybeText });
const operatorListSchema = z.object({ name: text, disabled_at: maybeText });
const dataSchema = z.object({ data: text });
const orderSchema = z.object({
  id: text,
  kind: z.enum(['kaartservicecode', 'product', 'topup']),
  status: z.enum(['pending', 'cancelled', 'expired', 'delivered']),
  created_at: text,
  expires_at: maybeText,
  picked_up_at: maybeText,
  picked_up_by: maybeText,
  conflict: maybeText,
  product_code: maybeText,
  amount_cents: int.nullable(),
});
const technicianSchema = z.object({ id: text, card_number: text, disabled_at: maybeText });
const issueSchema = z.object({ subject: text, order_id: text, card_number: text, conflict: text, at: text, kiosk_id: maybeText });
const auditSchema = z.object({ seq: int, at: text, operator: text, action: text, subject: maybeText, detail: maybeText });

/** int8 as a JavaScript number (the audit's seq), as backoffice/pg-store.ts reads it. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function rowsOf<S extends z.ZodType>(schema: S, client: ClientBase | pg.Pool, sql: string, params: unknown[] = []): Promise<z.infer<S>[]> {
  const { rows } = await client.query(sql, params);
  return rows.map((row: unknown) => schema.parse(row) as z.infer<S>);
}

// The same query as the SQLite file's: orders with a conflict and pickups of orders this back
// office does not know, minus those whose conflict, as it reads now, an operator resolved.
const OPEN_ISSUES = `
  SELECT 'order:' || o.id AS subject, o.id AS order_id, o.card_number, o.conflict, o.updated_at AS at,
         (SELECT p.kiosk_id FROM pickups AS p WHERE p.order_id = o.id ORDER BY p.received_at DESC LIMIT 1) AS kiosk_id
    FROM orders AS o
   WHERE o.conflict IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM conflict_resolutions AS r WHERE r.subject = 'order:' || o.id AND r.conflict = o.conflict)
  UNION ALL
  SELECT 'pickup:' || p.delivery_id, p.order_id, p.card_number, p.conflict, p.received_at, p.kiosk_id
    FROM pickups AS p
   WHERE p.conflict = $1 AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.id = p.order_id)
     AND NOT EXISTS (SELECT 1 FROM conflict_resolutions AS r WHERE r.subject = 'pickup:' || p.delivery_id AND r.conflict = p.conflict)
  ORDER BY at`;

const issueOf = (r: z.infer<typeof issueSchema>): OpenIssue => ({
  subject: r.subject,
  orderId: r.order_id,
  cardNumber: r.card_number,
  conflict: r.conflict,
  at: r.at,
  kioskId: r.kiosk_id,
});

export interface PgConsoleOptions {
  readonly now: () => Date;
  /** Connections of its pool. Default 4. */
  readonly poolSize?: number;
}

/** The console's store on the back office's PostgreSQL database (already migrated by openPgStore). */
export function openPgConsoleStore(url: string, options: PgConsoleOptions): ConsoleStore {
  const iso = () => options.now().toISOString();
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4, types });
  pool.on('error', () => {}); // an idle connection that broke is replaced; the next query says what failed
  const record = async (client: ClientBase | pg.Pool, operator: string, action: string, subject: string | null, detail: string | null) => {
    await client.query('INSERT INTO operator_audit (at, operator, action, subject, detail) VALUES ($1, $2, $3, $4, $5)', [iso(), operator, action, subject, detail]);
  };
  return {
    async setOperator(name, password) {
      await pool.query(
        `INSERT INTO operators (name, salt, hash, params, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (name) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, params = excluded.params, disabled_at = NULL`,
        [name, password.salt, password.hash, JSON.stringify(password.params), iso()],
      );
    },
    async operator(name) {
      const [row] = await rowsOf(operatorSchema, pool, 'SELECT name, salt, hash, params, disabled_at FROM operators WHERE name = $1', [name]);
      return row ? { name: row.name, salt: row.salt, hash: row.hash, params: row.params, disabledAt: row.disabled_at } : undefined;
    },
    async operators() {
      const rows = await rowsOf(operatorListSchema, pool, 'SELECT name, disabled_at FROM operators ORDER BY name');
      return rows.map((o) => ({ name: o.name, disabledAt: o.disabled_at }));
    },
    async removeOperator(name) {
      return ((await pool.query('DELETE FROM operators WHERE name = $1', [name])).rowCount ?? 0) === 1;
    },
    // By the real clock, as @fastify/session dates the cookies (not `now`).
    sessions: {
      async get(sessionId) {
        const [row] = await rowsOf(dataSchema, pool, 'SELECT data FROM operator_sessions WHERE id_hash = $1 AND expires_at > $2', [
          sessionKey(sessionId),
          new Date().toISOString(),
        ]);
        return row?.data;
      },
      async set(sessionId, data, expiresAt) {
        await pool.query(
          `INSERT INTO operator_sessions (id_hash, data, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
          [sessionKey(sessionId), data, expiresAt.toISOString()],
        );
      },
      async destroy(sessionId) {
        await pool.query('DELETE FROM operator_sessions WHERE id_hash = $1', [sessionKey(sessionId)]);
      },
      async prune() {
        return (await pool.query('DELETE FROM operator_sessions WHERE expires_at <= $1', [new Date().toISOString()])).rowCount ?? 0;
      },
    },
    async ordersByCard(cardNumber, limit = 200): Promise<CardOrderRow[]> {
      // Only the fields of a product and a top-up leave the payload: a code, sealed or not, never.
      const rows = await rowsOf(
        orderSchema,
        pool,
        `SELECT id, kind, status, created_at, expires_at, picked_up_at, picked_up_by, conflict,
           CASE WHEN kind = 'product' THEN payload->>'productCode' END AS product_code,
           CASE WHEN kind = 'topup' THEN (payload->>'amountCents')::integer END AS amount_cents
         FROM orders WHERE card_number = $1 ORDER BY created_at DESC, id LIMIT $2`,
        [cardNumber, limit],
      );
      return rows.map((o) => ({
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
      }));
    },
    async technicians() {
      const rows = await rowsOf(technicianSchema, pool, 'SELECT id, card_number, disabled_at FROM technicians ORDER BY id');
      return rows.map((t) => ({ id: t.id, cardNumber: t.card_number, disabledAt: t.disabled_at }));
    },
    async technicianExists(id) {
      return ((await pool.query('SELECT 1 FROM technicians WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
    async openIssues() {
      return (await rowsOf(issueSchema, pool, OPEN_ISSUES, [PICKUP_UNKNOWN_ORDER])).map(issueOf);
    },
    async resolve(subject, seen, operator, note) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const issue = (await rowsOf(issueSchema, client, OPEN_ISSUES, [PICKUP_UNKNOWN_ORDER])).map(issueOf).find((i) => i.subject === subject);
        if (!issue || issue.conflict !== seen) {
          await client.query('ROLLBACK');
          return false;
        }
        // Two operators resolving at once: the first one's row stands, the second is told it changed.
        const inserted = await client.query(
          `INSERT INTO conflict_resolutions (subject, conflict, resolved_at, operator, note) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT DO NOTHING`,
          [subject, issue.conflict, iso(), operator, note],
        );
        if ((inserted.rowCount ?? 0) === 0) {
          await client.query('ROLLBACK');
          return false;
        }
        await record(client, operator, 'resolve', subject, note);
        await client.query('COMMIT');
        return true;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    record: (operator, action, subject, detail) => record(pool, operator, action, subject, detail),
    async operatorAudit(limit = 200, before?: number): Promise<OperatorAuditRow[]> {
      return rowsOf(
        auditSchema,
        pool,
        'SELECT seq, at, operator, action, subject, detail FROM operator_audit WHERE ($1::bigint IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2',
        [before ?? null, limit],
      );
    },
    close: () => pool.end(),
  };
}
