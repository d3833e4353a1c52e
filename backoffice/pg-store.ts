// The back office's PostgreSQL engine (node-postgres): the same operations and semantics as
// the SQLite file (backoffice/db.ts), for an operator's fleet, shared by several back-office
// instances (BACKOFFICE_DATABASE_URL=postgres://…).
//
// - Every transaction that may change the feed (place, cancel, expire, pickup, a new serial
//   generation) first takes one transaction-scoped advisory lock (FEED_LOCK): such
//   transactions run one at a time across all instances, as SQLite's one writer does. So the
//   per-card serial counters are gap-free and a feed sequence number is handed out only
//   after every lower one committed: a kiosk that read the feed up to N never misses a change
//   committed later with a number below N. Reads take no lock.
// - The transaction NOTIFYs `backoffice_feed` (delivered at its commit); every instance
//   LISTENs and tells its live streams (onChange), its own notifications aside.
// - The e-mail outbox is claimed with FOR UPDATE SKIP LOCKED: two dispatchers never take the
//   same mail; a claim older than the reclaim timeout is taken over.
// - The order signing key and the seal master are files (0600) that every instance must
//   have; their public fingerprints are kept in backoffice_meta by the first instance, and an
//   instance with other keys refuses to start.
// - Every row it reads is checked with zod (it comes from another process).
// - A restored backup (or another database at the URL) is told by the watermark each
//   instance keeps in its data dir (the epoch, head and serial generation it last saw, as
//   the SQLite file keeps one beside it): a head below it, or another epoch, opens a new
//   serial generation — once, under the feed lock, however many instances start on it.
import { createHash, randomBytes } from 'node:crypto';
import pg, { type ClientBase, type PoolClient } from 'pg';
import { z } from 'zod';
import { journeyId, type CardJourney, type Language, type OrderPayload } from '../domain/index.js';
import { pinHashParamsSchema, type ClaimRequest, type JourneyAssessment, type PickupReport, type RemoteOrderStatus, type TechnicianCredential } from '../protocol/kiosk-api.js';
import type { BankAccountView, CodeRequest, CodeRequestResult, LinkedCard, LinkRefusal, PayoutPaid, PayoutsPage, PayoutsQuery, TrainService } from '../protocol/online-api.js';
import {
  alreadyClaimed,
  assess,
  claimKindOf,
  claimYear,
  CODE_REPEAT_MS,
  CODE_VALID_AFTER_PICKUP_MS,
  codeCheckKey,
  codeHash,
  decideDelay,
  decideForgotten,
  departureWindow,
  journeyKey,
  LINK_MAX_FAILURES,
  matchService,
  sameCodeHash,
  type Decision,
} from './claims.js';
import {
  BackOfficeBadRequest,
  bankAccountOfRow,
  bankPayoutOf,
  newPayoutId,
  payoutOfRow,
  payoutsPage,
  type BankAccountRow,
  type PayoutRow,
  claimOfRow,
  claimResultOf,
  decisionColumns,
  emailRowOf,
  journeyColumns,
  journeyOfRow,
  newKaartservicecode,
  serviceColumns,
  serviceOfRow,
  type ClaimOutcome,
  type FixedOrder,
  type JourneyRow,
  type OrderRequest,
  type OrderView,
  BackOfficeConflict,
  BackOfficeNotFound,
  changesPageJson,
  EMAIL_RECLAIM_MS,
  exportOrderKey,
  hashToken,
  loadOrderKey,
  newOrderId,
  orderChange,
  orderPayloadOf,
  orderView,
  PICKUP_QUARANTINED,
  PICKUP_UNKNOWN_ORDER,
  SERIAL_GAP,
  signOrderRow,
  SIGNATURE_SCHEME,
  type EmailRow,
  type OrderRow,
  type PickupResult,
  readWatermarkFile,
  type SerialGenerationReason,
  writeWatermarkFile,
} from './db.js';
import { BACKOFFICE_PG_MIGRATIONS } from './migrations-pg.js';
import { migratePg } from './pg-migrate.js';
import { NO_PIN_LOCK, nextPinLock } from './pin-lock.js';
import type { PinHash } from './pins.js';
import { cardSealKey, loadSealMaster } from './seal.js';
import type { AuditView, BackOfficeStore, ChangesPage } from './store.js';

/** The advisory lock every feed-changing transaction takes first (any constant). */
export const FEED_LOCK = 0x6b696f736b02;
/** The channel on which a committed feed change is announced. */
export const FEED_CHANNEL = 'backoffice_feed';

interface PgLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PgStoreOptions {
  now: () => Date;
  pickupWindowMs: number;
  logger?: PgLogger;
  /** The order signing key's file; without it a throwaway key (tests, one instance only). */
  orderKeyFile?: string;
  /** The seal master's file; without it (and without sealMaster) a throwaway one. */
  sealKeyFile?: string;
  sealMaster?: Uint8Array;
  /** This instance's watermark (the head, epoch and generation it last saw), 0600; none without it. */
  watermarkFile?: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** How long to wait before listening again after the LISTEN connection broke. Default 1 s. */
  listenRetryMs?: number;
}

const silent: PgLogger = { info() {}, warn() {}, error() {} };

/** int8 (bigint) as a JavaScript number: sequence numbers and ids stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// What PostgreSQL answers crosses a process boundary: every row is checked against the schema
// it must have (a database changed by hand, or by another version, fails loudly, not later).
const text = z.string();
const maybeText = z.string().nullable();
const int = z.number().int();
/** An order row; PostgreSQL gives the payload parsed (jsonb), the engines share it as JSON text. */
const orderRowShape = {
  id: text,
  card_number: text,
  email: text,
  kind: z.enum(['kaartservicecode', 'product', 'topup']),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'cancelled', 'expired', 'delivered']),
  created_at: text,
  expires_at: maybeText,
  updated_at: text,
  seq: int,
  picked_up_at: maybeText,
  picked_up_by: maybeText,
  delivery_id: maybeText,
  conflict: maybeText,
  serial: int,
  void_from: int.nullable(),
  void_to: int.nullable(),
  signature: maybeText,
};
const toOrderRow = ({ payload, ...row }: z.infer<z.ZodObject<typeof orderRowShape>>): OrderRow => ({ ...row, payload: JSON.stringify(payload) });
const orderRowSchema = z.object(orderRowShape).transform(toOrderRow);
/** A feed entry: the order row and the id of its change. */
const feedRowSchema = z.object({ ...orderRowShape, change_id: text }).transform(({ change_id, ...row }) => ({ row: toOrderRow(row), change: change_id }));
const valueSchema = z.object({ value: text });
const counterSchema = z.object({ value: int });
const countSchema = z.object({ n: int });
const pinLockRowSchema = z.object({ attempts: int, locks: int, locked_until: maybeText });
const seqSchema = z.object({ seq: int });
const idSchema = z.object({ id: text });
const cardCounterSchema = z.object({ last_serial: int, generation: int });
const pickupSeenSchema = z.object({ order_id: text, conflict: maybeText });
const kioskRowSchema = z.object({ id: text, name: text, last_seen_at: maybeText, heartbeat: z.unknown() });
const auditRowSchema = z.object({
  seq: int,
  kiosk_id: text,
  local_id: int,
  at: text,
  actor: text,
  action: text,
  detail: maybeText,
  actor_known: z.boolean(),
});
const technicianRowSchema = z.object({ id: text, card_number: text, salt: text, hash: text, params: pinHashParamsSchema });
const emailRowSchema = z.object({
  id: int,
  order_id: text,
  to_address: text,
  template: z.enum(['ready', 'picked-up', 'cancelled', 'code-requested', 'code-ready']),
  attempts: int,
  language: z.enum(['nl', 'en', 'de', 'fr']).nullable(),
  card_number: maybeText.transform((v) => v ?? ''),
});
// Mijn NS (migration 3)
const journeyRowSchema = z.object({
  card_number: text,
  journey_id: text,
  check_in_station: text,
  check_in_at: text,
  check_out_station: maybeText,
  check_out_at: maybeText,
  charged_cents: int,
});
const serviceRowSchema = z.object({
  service_id: text,
  line: z.enum(['standard', 'highSpeed']),
  from_station: text,
  to_station: text,
  scheduled_departure: text,
  scheduled_arrival: text,
  actual_arrival: text,
  announced_in_advance: z.boolean(),
  force_majeure: z.boolean(),
  other_carrier: z.boolean(),
});
const claimRowSchema = z.object({
  card_number: text,
  journey_id: text,
  kind: z.enum(['delay', 'forgottenCheckOut']),
  status: z.enum(['waiting', 'granted', 'refused']),
  claimed_at: text,
  destination: maybeText,
  decision_after: maybeText,
  amount_cents: int.nullable(),
  reason: maybeText,
  order_id: maybeText,
  payout_account: maybeText,
  payout_id: maybeText,
});
const bankAccountRowSchema = z.object({ account_id: text, iban: text, holder: text, updated_at: text });
const payoutRowSchema = z.object({
  seq: int,
  id: text,
  account_id: text,
  card_number: text,
  journey_id: text,
  kind: z.enum(['delay', 'forgottenCheckOut']),
  amount_cents: int,
  iban: maybeText,
  holder: maybeText,
  iban_last4: text,
  status: z.enum(['pending', 'paid']),
  created_at: text,
  paid_at: maybeText,
});
const codeOfCardSchema = z.object({
  order_id: text,
  code_hash: text,
  used_at: maybeText,
  status: z.enum(['pending', 'cancelled', 'expired', 'delivered']),
  picked_up_at: maybeText,
});
const linkRowSchema = z.object({ card_number: text, account_id: text, linked_at: text });
const languageRowSchema = z.object({ language: z.enum(['nl', 'en', 'de', 'fr']) });

/** The rows of a query, each checked against `schema`. */
async function rowsOf<S extends z.ZodType>(schema: S, client: ClientBase | pg.Pool, sql: string, params: unknown[] = []): Promise<z.infer<S>[]> {
  const { rows } = await client.query(sql, params);
  return rows.map((row: unknown) => schema.parse(row) as z.infer<S>);
}
/** The first row of a query (checked), or undefined. */
async function one<S extends z.ZodType>(schema: S, client: ClientBase | pg.Pool, sql: string, params: unknown[] = []): Promise<z.infer<S> | undefined> {
  return (await rowsOf(schema, client, sql, params))[0];
}

const FORGET_SEALED = `CASE WHEN kind = 'kaartservicecode' THEN jsonb_set(payload, '{sealed}', '"forgotten"') ELSE payload END`;

export async function openPgStore(url: string, options: PgStoreOptions): Promise<BackOfficeStore> {
  const log = options.logger ?? silent;
  const iso = () => options.now().toISOString();
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle connection that breaks (the server restarted) must not take the process down.
  pool.on('error', (error) => log.warn({ err: error.message }, 'back office: a PostgreSQL connection failed; it is replaced'));

  let created: boolean;
  let epoch: string;
  const orderKey = loadOrderKey(options.orderKeyFile ?? null);
  const sealMaster: Uint8Array = options.sealMaster ?? (options.sealKeyFile ? loadSealMaster(options.sealKeyFile) : randomBytes(32));
  try {
    const client = await pool.connect();
    try {
      const migrated = await migratePg(client, BACKOFFICE_PG_MIGRATIONS);
      created = migrated.from === 0;
      epoch = await meta(client, 'epoch');
      // Every instance must sign and seal with the same keys: the first one records them.
      await checkKey(client, 'order_key', exportOrderKey(orderKey), 'order signing key');
      const sealCheck = createHash('sha256').update(cardSealKey(sealMaster, '0000000000000000')).digest('hex');
      await checkKey(client, 'seal_check', sealCheck, 'seal master');
      // Orders signed by a back office of before (offers only, without version and status)
      // are signed afresh once, under a lock so that two instances starting do it once.
      await client.query('BEGIN');
      await client.query(`LOCK TABLE backoffice_meta IN EXCLUSIVE MODE`);
      const scheme = (await one(valueSchema, client, `SELECT value FROM backoffice_meta WHERE key = 'signature_scheme'`))?.value;
      if (scheme !== SIGNATURE_SCHEME) {
        for (let after = '', batch: OrderRow[] = []; ; after = batch.at(-1)?.id ?? after) {
          batch = await rowsOf(orderRowSchema, client, 'SELECT * FROM orders WHERE id > $1 ORDER BY id LIMIT 10000', [after]);
          if (batch.length === 0) break;
          for (const row of batch) await client.query('UPDATE orders SET signature = $2 WHERE id = $1', [row.id, signOrderRow(orderKey, row)]);
        }
        await client.query(
          `INSERT INTO backoffice_meta (key, value) VALUES ('signature_scheme', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [SIGNATURE_SCHEME],
        );
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }

  async function meta(client: ClientBase, key: string): Promise<string> {
    const value = (await one(valueSchema, client, 'SELECT value FROM backoffice_meta WHERE key = $1', [key]))?.value;
    if (value === undefined) throw new Error(`back office: the PostgreSQL database has no ${key} (backoffice_meta)`);
    return value;
  }

  async function checkKey(client: ClientBase, key: string, value: string, what: string): Promise<void> {
    await client.query('INSERT INTO backoffice_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    if ((await meta(client, key)) !== value) {
      throw new Error(
        `back office: its ${what} is not the one the PostgreSQL database's orders were made with: ` +
          'every instance needs the same key files (copy them from the first instance)',
      );
    }
  }

  const instanceTag = randomBytes(9).toString('base64url');

  // ---------------------------------------------------------- the watermark in the data dir
  const watermarkFile = options.watermarkFile ?? null;
  let watermarkTimer: NodeJS.Timeout | null = null;
  let watermarkWrite: Promise<void> = Promise.resolve();
  const writeWatermark = (): Promise<void> => {
    if (watermarkTimer) clearTimeout(watermarkTimer);
    watermarkTimer = null;
    if (watermarkFile === null) return Promise.resolve();
    watermarkWrite = watermarkWrite
      .then(async () => {
        const [head, generation] = await Promise.all([headOf(pool), generationOf(pool)]);
        writeWatermarkFile(watermarkFile, { epoch, head, generation });
      })
      .catch((error: unknown) => log.warn({ err: String(error), file: watermarkFile }, 'back office: could not write the watermark'));
    return watermarkWrite;
  };
  /** After changes: at most every 50 ms. */
  const scheduleWatermark = (): void => {
    if (watermarkTimer || watermarkFile === null) return;
    watermarkTimer = setTimeout(() => void writeWatermark(), 50);
    watermarkTimer.unref();
  };

  /** Runs `f` in a transaction; with `feed`, under the feed lock (see the top of this file). */
  async function transaction<T>(feed: boolean, f: (c: PoolClient, bump: () => Promise<number>) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let changed = false;
    const bump = async (): Promise<number> => {
      if (!feed) throw new Error('bump outside a feed transaction');
      const seq = (await one(counterSchema, client, `UPDATE counters SET value = value + 1 WHERE name = 'seq' RETURNING value`))?.value;
      if (seq === undefined) throw new Error('back office: no feed counter');
      await client.query('INSERT INTO feed_log (seq, change_id) VALUES ($1, $2)', [seq, randomBytes(12).toString('base64url')]);
      changed = true;
      return seq;
    };
    try {
      await client.query('BEGIN');
      if (feed) await client.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
      const result = await f(client, bump);
      if (changed) await client.query('SELECT pg_notify($1, $2)', [FEED_CHANNEL, instanceTag]);
      await client.query('COMMIT');
      if (changed) scheduleWatermark();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  const headOf = async (client: ClientBase | pg.Pool): Promise<number> =>
    (await one(counterSchema, client, `SELECT value FROM counters WHERE name = 'seq'`))?.value ?? 0;
  const generationOf = async (client: ClientBase | pg.Pool): Promise<number> =>
    Number((await one(valueSchema, client, `SELECT value FROM backoffice_meta WHERE key = 'serial_generation'`))?.value ?? '0');

  // ---------------------------------------------------------- serial generations
  let openedThisStart = false;
  let unknownAnchorNoted = false;
  async function openSerialGeneration(client: ClientBase, reason: SerialGenerationReason, detail: Record<string, unknown>, floor = 0): Promise<void> {
    // Beyond the one the watermark saw too: the same backup restored twice must not hand
    // out the serials of the first restore again.
    const next = Math.max(await generationOf(client), floor) + 1;
    openedThisStart = true;
    await client.query(`UPDATE backoffice_meta SET value = $1 WHERE key = 'serial_generation'`, [String(next)]);
    log.error(
      { ...detail, reason, generation: next, gap: SERIAL_GAP },
      'back office: its serial counters may be behind the cards (restored or replaced database): every card skips a gap of serials',
    );
  }

  /** The card's next serial; after a new generation, beyond a gap that the order names as void. */
  async function serialFor(client: ClientBase, cardNumber: string): Promise<{ serial: number; void_from: number | null; void_to: number | null }> {
    const counter = (await one(
      cardCounterSchema,
      client,
      'SELECT last_serial, generation FROM card_counters WHERE card_number = $1',
      [cardNumber],
    )) ?? { last_serial: 0, generation: 0 };
    const current = await generationOf(client);
    const set = (last: number) =>
      client.query(
        `INSERT INTO card_counters (card_number, last_serial, generation) VALUES ($1, $2, $3)
         ON CONFLICT (card_number) DO UPDATE SET last_serial = excluded.last_serial, generation = excluded.generation`,
        [cardNumber, last, current],
      );
    if (counter.generation >= current) {
      await set(counter.last_serial + 1);
      return { serial: counter.last_serial + 1, void_from: null, void_to: null };
    }
    const voidFrom = counter.last_serial + 1;
    const voidTo = counter.last_serial + SERIAL_GAP * (current - counter.generation);
    await set(voidTo + 1);
    return { serial: voidTo + 1, void_from: voidFrom, void_to: voidTo };
  }

  /** What every page says besides its changes: the head (read after the rows) and the epoch. */
  async function pageTail(anchor: string | undefined): Promise<{ head: string; epoch: string; anchorSeq?: string | null }> {
    const tail: { head: string; epoch: string; anchorSeq?: string | null } = { head: String(await headOf(pool)), epoch };
    if (anchor !== undefined) {
      const found = await one(seqSchema, pool, 'SELECT seq FROM feed_log WHERE change_id = $1', [anchor]);
      tail.anchorSeq = found === undefined ? null : String(found.seq);
      // A kiosk has seen a change this database never had: its counters may be behind. Once
      // per start, as on SQLite, and not when any instance opened a generation since this one
      // started (the same restore, noticed through another instance).
      if (found === undefined && !unknownAnchorNoted && !openedThisStart) {
        unknownAnchorNoted = true;
        await transaction(true, async (c) => {
          if ((await generationOf(c)) === generationAtStart) await openSerialGeneration(c, 'unknown-anchor', {});
        });
      }
    }
    return tail;
  }

  // A database whose head is below this instance's watermark was restored from a backup; one of
  // another epoch replaced the database that was here. Either way its counters may be behind
  // serials that cards already hold. Checked under the feed lock: of several instances starting
  // on it, the first opens the generation, and the others see it is beyond their watermark's.
  {
    const mark = watermarkFile === null ? null : readWatermarkFile(watermarkFile);
    if (mark) {
      try {
        await transaction(true, async (c) => {
          const [head, generation] = [await headOf(c), await generationOf(c)];
          const restored = mark.epoch === epoch && mark.head > head;
          if (generation > mark.generation) {
            // Another instance opened the generation for this restore (or replacement): this one
            // was told of it at this start too, so a kiosk's unknown anchor opens no second one.
            if (restored || mark.epoch !== epoch) openedThisStart = true;
            return;
          }
          if (restored) await openSerialGeneration(c, 'restored', { head, watermarkHead: mark.head }, mark.generation);
          else if (mark.epoch !== epoch) await openSerialGeneration(c, 'replaced', { watermarkEpoch: mark.epoch }, mark.generation);
        });
      } catch (error) {
        await pool.end();
        throw error;
      }
    }
    await writeWatermark();
  }
  /** The serial generation once this instance had started. */
  const generationAtStart = await generationOf(pool);

  const orderById = (client: ClientBase | pg.Pool, id: string, lock = false): Promise<OrderRow | undefined> =>
    one(orderRowSchema, client, `SELECT * FROM orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  const queueEmail = (client: ClientBase, orderId: string, to: string, template: EmailRow['template'], at: string, language: Language | null = null) =>
    client.query('INSERT INTO emails (order_id, to_address, template, created_at, language) VALUES ($1, $2, $3, $4, $5)', [orderId, to, template, at, language]);
  /** The language of a code requested online (its e-mails), or null. */
  const languageOf = async (client: ClientBase, orderId: string): Promise<Language | null> =>
    (await one(languageRowSchema, client, 'SELECT language FROM code_requests WHERE order_id = $1', [orderId]))?.language ?? null;

  /** An order inserted in a feed transaction (placeOrder, and a code request's or a refund's own). */
  async function insertOrder(c: ClientBase, bump: () => Promise<number>, request: OrderRequest, fixed?: FixedOrder): Promise<OrderView> {
    const at = iso();
    const id = fixed?.id ?? newOrderId();
    if (await orderById(c, id)) throw new BackOfficeConflict(`order ${id} exists`);
    const createdAt = fixed?.createdAt ?? at;
    const serial = await serialFor(c, request.cardNumber);
    const payload: OrderPayload = orderPayloadOf(sealMaster, request, id, fixed?.code);
    const row: OrderRow = {
      id,
      card_number: request.cardNumber,
      email: request.email,
      kind: request.kind,
      payload: JSON.stringify(payload),
      status: 'pending',
      created_at: createdAt,
      expires_at: fixed?.expiresAt ?? new Date(Date.parse(createdAt) + options.pickupWindowMs).toISOString(),
      updated_at: at,
      seq: await bump(),
      picked_up_at: null,
      picked_up_by: null,
      delivery_id: null,
      conflict: null,
      ...serial,
      signature: null,
    };
    row.signature = signOrderRow(orderKey, row);
    await c.query(
      `INSERT INTO orders (id, card_number, email, kind, payload, status, created_at, expires_at, updated_at, seq,
         serial, void_from, void_to, signature)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [row.id, row.card_number, row.email, row.kind, row.payload, row.status, row.created_at, row.expires_at, row.updated_at, row.seq,
        row.serial, row.void_from, row.void_to, row.signature],
    );
    if (fixed?.quiet !== true) await queueEmail(c, id, request.email, 'ready', at);
    return orderView(row);
  }

  // ---------------------------------------------------------- Mijn NS (issue 14; backoffice/claims.ts)
  const codeKey = codeCheckKey(sealMaster);
  const journeyRow = (c: ClientBase | pg.Pool, cardNumber: string, id: string): Promise<JourneyRow | undefined> =>
    one(journeyRowSchema, c, 'SELECT * FROM journeys WHERE card_number = $1 AND journey_id = $2', [cardNumber, id]);
  const insertJourney = async (c: ClientBase, cardNumber: string, journey: CardJourney, at: string) => {
    const j = journeyColumns(cardNumber, journey, at);
    await c.query(
      `INSERT INTO journeys VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (card_number, journey_id) DO NOTHING`,
      [j.card_number, j.journey_id, j.check_in_station, j.check_in_at, j.check_out_station, j.check_out_at, j.charged_cents, j.recorded_at],
    );
  };
  const serviceFor = async (c: ClientBase | pg.Pool, journey: CardJourney): Promise<TrainService | null> => {
    const out = journey.checkOut;
    if (out === null) return null;
    const w = departureWindow(journey);
    const rows = await rowsOf(
      serviceRowSchema,
      c,
      'SELECT * FROM train_services WHERE from_station = $1 AND to_station = $2 AND scheduled_departure >= $3 AND scheduled_departure <= $4',
      [journey.checkIn.station, out.station, w.from, w.to],
    );
    return matchService(journey, rows.map(serviceOfRow));
  };
  const forgottenThisYear = async (c: ClientBase | pg.Pool, cardNumber: string, at: string): Promise<number> => {
    const year = claimYear(at);
    return (
      (await one(
        countSchema,
        c,
        `SELECT count(*) AS n FROM claims WHERE card_number = $1 AND kind = 'forgottenCheckOut' AND status = 'granted' AND claimed_at >= $2 AND claimed_at < $3`,
        [cardNumber, year.start, year.end],
      ))?.n ?? 0
    );
  };
  const claimRow = (c: ClientBase | pg.Pool, cardNumber: string, id: string, kind: string, lock = false) =>
    one(claimRowSchema, c, `SELECT * FROM claims WHERE card_number = $1 AND journey_id = $2 AND kind = $3${lock ? ' FOR UPDATE' : ''}`, [cardNumber, id, kind]);
  const assessRow = async (c: ClientBase | pg.Pool, row: JourneyRow): Promise<JourneyAssessment> => {
    const journey = journeyOfRow(row);
    const claim = await claimRow(c, row.card_number, row.journey_id, claimKindOf(journey));
    return assess(journey, {
      service: await serviceFor(c, journey),
      claim: claim ? claimOfRow(claim) : null,
      forgottenGrantedThisYear: await forgottenThisYear(c, row.card_number, iso()),
      now: options.now(),
    });
  };
  /** Another journey's claim of this card on the same train service (waiting or granted). */
  const claimOnService = (c: ClientBase, cardNumber: string, serviceId: string, journeyId: string) =>
    one(
      claimRowSchema,
      c,
      `SELECT * FROM claims WHERE card_number = $1 AND service_id = $2 AND journey_id <> $3 AND status IN ('waiting', 'granted') ORDER BY claimed_at LIMIT 1`,
      [cardNumber, serviceId, journeyId],
    );
  const refundOrder = async (c: ClientBase, bump: () => Promise<number>, cardNumber: string, amountCents: number): Promise<string> =>
    (await insertOrder(c, bump, { kind: 'topup', cardNumber, email: '', amountCents }, { quiet: true })).id;
  const bankAccountRow = (c: ClientBase | pg.Pool, accountId: string): Promise<BankAccountRow | undefined> =>
    one(bankAccountRowSchema, c, 'SELECT * FROM bank_accounts WHERE account_id = $1', [accountId]);
  /** A granted claim paid to the bank: one payout instruction (the claim's key is unique), the bank account copied; null without one (then onto the card). */
  const bankPayout = async (c: ClientBase, key: { card_number: string; journey_id: string; kind: string }, accountId: string, amountCents: number, at: string): Promise<PayoutRow | null> => {
    const account = await bankAccountRow(c, accountId);
    if (!account) return null;
    return (
      (await one(
        payoutRowSchema,
        c,
        `INSERT INTO payouts (id, account_id, card_number, journey_id, kind, amount_cents, iban, holder, iban_last4, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10) RETURNING *`,
        [newPayoutId(), accountId, key.card_number, key.journey_id, key.kind, amountCents, account.iban, account.holder, account.iban.slice(-4), at],
      )) ?? null
    );
  };
  const mijnNs = {
    requestCode: (request: CodeRequest) =>
      transaction(true, async (c, bump): Promise<CodeRequestResult> => {
        const at = iso();
        const since = new Date(options.now().getTime() - CODE_REPEAT_MS).toISOString();
        const recent = await one(
          idSchema,
          c,
          `SELECT c.order_id AS id FROM code_requests AS c JOIN orders AS o ON o.id = c.order_id
           WHERE c.card_number = $1 AND c.requested_at > $2 AND o.status = 'pending' ORDER BY c.requested_at LIMIT 1`,
          [request.cardNumber, since],
        );
        const first = recent ? await orderById(c, recent.id) : undefined;
        if (first) return { order: orderView(first), repeated: true };
        const code = newKaartservicecode();
        const order = await insertOrder(c, bump, { kind: 'kaartservicecode', cardNumber: request.cardNumber, email: request.email }, { code, quiet: true });
        await c.query(
          'INSERT INTO code_requests (order_id, card_number, email, language, code_hash, requested_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [order.id, request.cardNumber, request.email, request.language, codeHash(codeKey, request.cardNumber, code), at],
        );
        await queueEmail(c, order.id, request.email, 'code-requested', at, request.language);
        await queueEmail(c, order.id, request.email, 'code-ready', at, request.language);
        return { order, repeated: false };
      }),

    linkCard: (accountId: string, cardNumber: string, code: string) =>
      transaction(true, async (c): Promise<LinkedCard | LinkRefusal> => {
        const at = iso();
        const failures = (await one(z.object({ failures: int }), c, 'SELECT failures FROM link_attempts WHERE card_number = $1 FOR UPDATE', [cardNumber]))?.failures ?? 0;
        if (failures >= LINK_MAX_FAILURES) return { error: 'locked', attemptsLeft: 0 };
        const typed = codeHash(codeKey, cardNumber, code);
        const codes = await rowsOf(
          codeOfCardSchema,
          c,
          `SELECT c.order_id, c.code_hash, c.used_at, o.status, o.picked_up_at FROM code_requests AS c JOIN orders AS o ON o.id = c.order_id
           WHERE c.card_number = $1 ORDER BY c.requested_at`,
          [cardNumber],
        );
        let found: (typeof codes)[number] | null = null;
        for (const candidate of codes) if (sameCodeHash(candidate.code_hash, typed) && found === null) found = candidate;
        if (found === null) {
          await c.query(
            `INSERT INTO link_attempts (card_number, failures, last_failure_at) VALUES ($1, 1, $2)
             ON CONFLICT (card_number) DO UPDATE SET failures = link_attempts.failures + 1, last_failure_at = $2`,
            [cardNumber, at],
          );
          const left = LINK_MAX_FAILURES - failures - 1;
          return { error: left > 0 ? 'wrongCode' : 'locked', attemptsLeft: left };
        }
        if (found.used_at !== null) return { error: 'used', attemptsLeft: null };
        if (found.status === 'pending') return { error: 'notPickedUp', attemptsLeft: null };
        if (found.status !== 'delivered' || found.picked_up_at === null) return { error: 'expired', attemptsLeft: null };
        if (options.now().getTime() >= Date.parse(found.picked_up_at) + CODE_VALID_AFTER_PICKUP_MS) return { error: 'expired', attemptsLeft: null };
        await c.query('UPDATE code_requests SET used_at = $1, account_id = $2 WHERE order_id = $3', [at, accountId, found.order_id]);
        await c.query(
          `INSERT INTO card_links (card_number, account_id, linked_at, order_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (card_number) DO UPDATE SET account_id = excluded.account_id, linked_at = excluded.linked_at, order_id = excluded.order_id`,
          [cardNumber, accountId, at, found.order_id],
        );
        await c.query('DELETE FROM link_attempts WHERE card_number = $1', [cardNumber]);
        return { cardNumber, accountId, linkedAt: at };
      }),

    accountOfCard: async (cardNumber: string) =>
      (await one(z.object({ account_id: text }), pool, 'SELECT account_id FROM card_links WHERE card_number = $1', [cardNumber]))?.account_id ?? null,

    recordJourneys: (cardNumber: string, journeys: readonly CardJourney[]) =>
      transaction(false, async (c) => {
        const at = iso();
        for (const journey of journeys) await insertJourney(c, cardNumber, journey, at);
        const out: JourneyAssessment[] = [];
        for (const journey of journeys) {
          const row = await journeyRow(c, cardNumber, journeyKey(journeyId(journey)));
          // Answered with the journeyId as the kiosk sent it (it matches the answer to its journey).
          if (row) out.push({ ...(await assessRow(c, row)), journeyId: journeyId(journey) });
        }
        return out;
      }),

    journey: async (cardNumber: string, id: string) => {
      const row = await journeyRow(pool, cardNumber, journeyKey(id));
      return row ? journeyOfRow(row) : null;
    },

    // Under the feed lock: claims of every instance run one at a time (and a refund is an order).
    claim: (by: string, request: ClaimRequest, bank?: { readonly accountId: string }) =>
      transaction(true, async (c, bump): Promise<ClaimOutcome> => {
        const at = iso();
        if (bank !== undefined && !(await bankAccountRow(c, bank.accountId))) {
          throw new BackOfficeConflict('the account has no bank account: set one first (PUT /v1/online/accounts/:accountId/bank-account)');
        }
        await insertJourney(c, request.cardNumber, request.journey, at);
        const row = await journeyRow(c, request.cardNumber, journeyKey(journeyId(request.journey)));
        if (!row) throw new Error('journey not recorded');
        const journey = journeyOfRow(row);
        const existing = await claimRow(c, request.cardNumber, row.journey_id, request.kind, true);
        if (existing) return { result: alreadyClaimed(claimOfRow(existing)), notify: false };
        let decision: Decision;
        let service: TrainService | null = null;
        if (request.kind === 'forgottenCheckOut') {
          if (journey.checkOut !== null) throw new BackOfficeConflict('the journey was checked out: no forgotten check-out to claim');
          if (request.destination === undefined) throw new BackOfficeBadRequest('a forgotten check-out is claimed with its destination');
          decision = decideForgotten(journey, request.destination, await forgottenThisYear(c, request.cardNumber, at), at);
        } else {
          service = await serviceFor(c, journey);
          // One refund per card and train: another journey of this card on it was claimed already.
          const onService = service === null ? undefined : await claimOnService(c, request.cardNumber, service.serviceId, row.journey_id);
          if (onService) return { result: alreadyClaimed(claimOfRow(onService)), notify: false };
          decision = decideDelay(journey, service, at, options.now());
        }
        const key = { card_number: request.cardNumber, journey_id: row.journey_id, kind: request.kind };
        const payout = decision.status === 'granted' && bank !== undefined ? await bankPayout(c, key, bank.accountId, decision.amountCents, at) : null;
        const orderId = decision.status === 'granted' && payout === null ? await refundOrder(c, bump, request.cardNumber, decision.amountCents) : null;
        const d = decisionColumns(decision, orderId, at);
        await c.query(
          `INSERT INTO claims (card_number, journey_id, kind, status, claimed_at, claimed_by, destination, decision_after, decided_at, amount_cents, reason, order_id, service_id, payout_account, payout_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [request.cardNumber, row.journey_id, request.kind, d.status, at, by, request.destination ?? null, d.decision_after, d.decided_at, d.amount_cents, d.reason, d.order_id, service?.serviceId ?? null,
            bank?.accountId ?? null, payout?.id ?? null],
        );
        return { result: claimResultOf(decision, orderId, payout), notify: orderId !== null };
      }),

    // Asked before every journeys and claims request: the feed lock only when a claim is due.
    decideDueClaims: async (limit = 500) =>
      ((await one(countSchema, pool, `SELECT count(*) AS n FROM claims WHERE status = 'waiting' AND decision_after <= $1`, [iso()]))?.n ?? 0) === 0
        ? { decided: 0, granted: 0 }
        : transaction(true, async (c, bump) => {
        const at = iso();
        let decided = 0;
        let granted = 0;
        const due = await rowsOf(claimRowSchema, c, `SELECT * FROM claims WHERE status = 'waiting' AND decision_after <= $1 ORDER BY decision_after LIMIT $2`, [at, limit]);
        for (const claim of due) {
          const row = await journeyRow(c, claim.card_number, claim.journey_id);
          if (!row) continue;
          const journey = journeyOfRow(row);
          const service = await serviceFor(c, journey);
          const decision = decideDelay(journey, service, claim.claimed_at, options.now());
          if (decision.status === 'waiting') continue;
          // Another journey of this card on the same train was claimed (made-up journeys): this one is that claim's.
          const onService = service === null ? undefined : await claimOnService(c, claim.card_number, service.serviceId, claim.journey_id);
          // Paid to the bank when so claimed online (a payout, nothing for the feed), else onto the card.
          const payout = decision.status !== 'granted' || onService || claim.payout_account === null ? null : await bankPayout(c, claim, claim.payout_account, decision.amountCents, at);
          const orderId = decision.status !== 'granted' ? null : onService ? onService.order_id : payout !== null ? null : await refundOrder(c, bump, claim.card_number, decision.amountCents);
          const d = decisionColumns(decision, orderId, at);
          await c.query(
            `UPDATE claims SET status = $4, decided_at = $5, amount_cents = $6, reason = $7, order_id = $8, decision_after = $9, service_id = $10, payout_id = $11
             WHERE card_number = $1 AND journey_id = $2 AND kind = $3 AND status = 'waiting'`,
            [claim.card_number, claim.journey_id, claim.kind, d.status, d.decided_at, d.amount_cents, d.reason, d.order_id, d.decision_after, service?.serviceId ?? null,
              payout?.id ?? (onService ? onService.payout_id : null)],
          );
          decided++;
          if (orderId !== null && !onService) granted++;
        }
        return { decided, granted };
      }),

    importServices: (services: readonly TrainService[]) =>
      transaction(false, async (c) => {
        const at = iso();
        for (const service of services) {
          const v = serviceColumns(service);
          await c.query(
            `INSERT INTO train_services VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (service_id) DO UPDATE SET line = excluded.line, from_station = excluded.from_station, to_station = excluded.to_station,
               scheduled_departure = excluded.scheduled_departure, scheduled_arrival = excluded.scheduled_arrival, actual_arrival = excluded.actual_arrival,
               announced_in_advance = excluded.announced_in_advance, force_majeure = excluded.force_majeure, other_carrier = excluded.other_carrier,
               updated_at = excluded.updated_at`,
            [v.service_id, v.line, v.from_station, v.to_station, v.scheduled_departure, v.scheduled_arrival, v.actual_arrival,
              v.announced_in_advance === 1, v.force_majeure === 1, v.other_carrier === 1, at],
          );
        }
        return services.length;
      }),

    accountJourneys: async (accountId: string) => {
      const links = await rowsOf(linkRowSchema, pool, 'SELECT card_number, account_id, linked_at FROM card_links WHERE account_id = $1 ORDER BY linked_at', [accountId]);
      const cards = links.map((l) => ({ cardNumber: l.card_number, accountId: l.account_id, linkedAt: l.linked_at }));
      const journeys = [];
      for (const { cardNumber } of cards) {
        for (const row of await rowsOf(journeyRowSchema, pool, 'SELECT * FROM journeys WHERE card_number = $1 ORDER BY journey_id DESC', [cardNumber])) {
          const kind = claimKindOf(journeyOfRow(row));
          const claim = await claimRow(pool, cardNumber, row.journey_id, kind);
          const payout = await one(payoutRowSchema, pool, 'SELECT * FROM payouts WHERE card_number = $1 AND journey_id = $2 AND kind = $3', [cardNumber, row.journey_id, kind]);
          const account = claim?.payout_account ? await bankAccountRow(pool, claim.payout_account) : undefined;
          journeys.push({ cardNumber, journey: journeyOfRow(row), assessment: await assessRow(pool, row), bankPayout: bankPayoutOf(claim, payout, account) });
        }
      }
      return { cards, journeys };
    },

    setBankAccount: async (accountId: string, iban: string, holder: string): Promise<BankAccountView> => {
      const row = { account_id: accountId, iban, holder, updated_at: iso() };
      await pool.query(
        `INSERT INTO bank_accounts (account_id, iban, holder, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id) DO UPDATE SET iban = excluded.iban, holder = excluded.holder, updated_at = excluded.updated_at`,
        [row.account_id, row.iban, row.holder, row.updated_at],
      );
      return bankAccountOfRow(row);
    },
    bankAccount: async (accountId: string): Promise<BankAccountView | null> => {
      const row = await bankAccountRow(pool, accountId);
      return row ? bankAccountOfRow(row) : null;
    },
    payouts: async (query: PayoutsQuery): Promise<PayoutsPage> =>
      payoutsPage(await rowsOf(payoutRowSchema, pool, 'SELECT * FROM payouts WHERE status = $1 AND seq > $2 ORDER BY seq LIMIT $3', [query.status, query.after, query.limit + 1]), query.limit),
    // One UPDATE: of two instances marking it at once, one changes the row, the other finds it paid.
    markPayoutPaid: async (id: string): Promise<PayoutPaid | null> => {
      const changed = await pool.query(`UPDATE payouts SET status = 'paid', paid_at = $1, iban = NULL, holder = NULL WHERE id = $2 AND status = 'pending'`, [iso(), id]);
      const row = await one(payoutRowSchema, pool, 'SELECT * FROM payouts WHERE id = $1', [id]);
      return row ? { payout: payoutOfRow(row), alreadyPaid: changed.rowCount !== 1 } : null;
    },
  };
  /** Signs the order's latest change (after every change of its row, in the same transaction). */
  const resign = async (client: ClientBase, id: string): Promise<void> => {
    const row = await orderById(client, id);
    if (row) await client.query('UPDATE orders SET signature = $2 WHERE id = $1', [id, signOrderRow(orderKey, row)]);
  };
  const setStatus = async (client: ClientBase, id: string, status: RemoteOrderStatus, at: string, seq: number): Promise<void> => {
    // The row as changed comes back with the UPDATE: signed without reading it again.
    const row = await one(orderRowSchema, client, `UPDATE orders SET status = $2, updated_at = $3, seq = $4, payload = ${FORGET_SEALED} WHERE id = $1 RETURNING *`, [id, status, at, seq]);
    if (row) await client.query('UPDATE orders SET signature = $2 WHERE id = $1', [id, signOrderRow(orderKey, row)]);
  };
  const addConflict = (client: ClientBase, conflict: string, at: string, id: string) =>
    client.query(`UPDATE orders SET conflict = coalesce(conflict || '; ', '') || $1, updated_at = $2 WHERE id = $3`, [conflict, at, id]);

  async function changesSince(cursor: number, limit: number, anchor?: string): Promise<ChangesPage> {
    const rows = await rowsOf(
      feedRowSchema,
      pool,
      'SELECT o.*, f.change_id FROM orders AS o JOIN feed_log AS f ON f.seq = o.seq WHERE o.seq > $1 ORDER BY o.seq LIMIT $2',
      [cursor, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      changes: page.map(({ row, change }) => orderChange(row, change)),
      cursor: page.at(-1)?.row.seq ?? cursor,
      more: rows.length > limit,
      ...(await pageTail(anchor)),
    };
  }

  // ---------------------------------------------------------- cross-instance notifications
  const listeners = new Set<() => void>();
  let listener: pg.Client | null = null;
  let closing = false;
  let retry: NodeJS.Timeout | null = null;
  /** How many times the LISTEN connection was made (after the first, the streams are told). */
  let connections = 0;
  let listening: Promise<void> | null = null;
  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: url, types });
    const broken = (error?: Error) => {
      if (listener === client) listener = null;
      client.removeAllListeners();
      client.on('error', () => {});
      void client.end().catch(() => {});
      if (closing || listeners.size === 0) return;
      log.warn({ err: error?.message }, 'back office: the PostgreSQL LISTEN connection broke; listening again');
      retry ??= setTimeout(() => {
        retry = null;
        void listen();
      }, options.listenRetryMs ?? 1000);
      retry.unref();
    };
    client.on('error', broken);
    client.on('end', () => broken());
    client.on('notification', (message) => {
      if (message.payload === instanceTag) return;
      for (const l of listeners) l();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${FEED_CHANNEL}`);
      if (closing) {
        await client.end();
        return;
      }
      const again = connections > 0;
      listener = client;
      connections++;
      // Notifications sent while no connection listened are lost: the streams are told once.
      if (again) for (const l of listeners) l();
    } catch (error) {
      broken(error as Error);
    }
  }

  return {
    engine: 'postgres',
    created,
    epoch,
    orderPublicKey: exportOrderKey(orderKey),
    cardSealKey: (cardNumber) => cardSealKey(sealMaster, cardNumber),
    head: () => headOf(pool),
    serialGeneration: () => generationOf(pool),

    placeOrder: (request, fixed) => transaction(true, (c, bump) => insertOrder(c, bump, request, fixed)),

    cancelOrder: (id) =>
      transaction(true, async (c, bump) => {
        const row = await orderById(c, id, true);
        if (!row) throw new BackOfficeNotFound(`no order ${id}`);
        if (row.status === 'cancelled') return orderView(row);
        if (row.status !== 'pending') throw new BackOfficeConflict(`order ${id} is ${row.status}`);
        await setStatus(c, id, 'cancelled', iso(), await bump());
        if (row.email !== '') await queueEmail(c, id, row.email, 'cancelled', iso(), await languageOf(c, id));
        const after = await orderById(c, id);
        if (!after) throw new BackOfficeNotFound(`no order ${id}`);
        return orderView(after);
      }),

    getOrder: async (id) => {
      const row = await orderById(pool, id);
      return row ? orderView(row) : undefined;
    },

    expireDue: (limit = 1000) =>
      transaction(true, async (c, bump) => {
        const at = iso();
        const rows = await rowsOf(idSchema, c, `SELECT id FROM orders WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`, [
          at,
          limit,
        ]);
        for (const { id } of rows) await setStatus(c, id, 'expired', at, await bump());
        return rows.length;
      }),

    changesSince,
    async changesJsonSince(cursor, limit, anchor, closedUpTo) {
      const page = await changesSince(cursor, limit, anchor);
      const { changes, cursor: next, more, ...tail } = page;
      // A new kiosk's initial sync (`closedUpTo`): the orders closed at or before it are left
      // out, as on SQLite — but never the change at the page's cursor (the kiosk's next anchor)
      // nor one with void serials. (The rows are read all the same; what is saved is the
      // kiosk's download and its work.)
      const sent =
        closedUpTo === undefined
          ? changes
          : changes.filter((c, i) => c.status === 'pending' || c.voidSerials !== null || c.version > closedUpTo || i === changes.length - 1);
      return changesPageJson(sent.map((change) => JSON.stringify(change)), next, more, tail);
    },
    async changesPage(cursor, limit) {
      const { changes, cursor: next, more, ...tail } = await changesSince(cursor, limit);
      return { json: changesPageJson(changes.map((change) => JSON.stringify(change)), next, more, tail), cursor: next, more };
    },

    recordPickup: (kioskId: string, report: PickupReport) =>
      transaction(true, async (c, bump): Promise<PickupResult> => {
        const seen = await one(
          pickupSeenSchema,
          c,
          'SELECT order_id, conflict FROM pickups WHERE delivery_id = $1',
          [report.deliveryId],
        );
        if (seen) {
          if (seen.order_id !== report.orderId) throw new BackOfficeConflict(`delivery ${report.deliveryId} was reported for another order`);
          return { status: 'duplicate', conflict: seen.conflict };
        }
        const at = iso();
        const order = await orderById(c, report.orderId, true);
        if (order?.status === 'delivered' && order.card_number === report.cardNumber && order.delivery_id !== null) {
          // Another kiosk's report of the one write on this card (see backoffice/db.ts).
          log.info(
            { orderId: order.id, deliveryId: report.deliveryId, kioskId, firstDelivery: order.delivery_id },
            'back office: a second kiosk reported the pickup of an order already picked up with the same card (the card holds it once)',
          );
          return { status: 'duplicate', conflict: null };
        }
        const keepPickup = (conflict: string | null) =>
          c.query('INSERT INTO pickups VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
            report.deliveryId, report.orderId, kioskId, report.cardNumber, report.kind, report.deliveredAt, at, conflict,
          ]);
        const quarantine = !order ? PICKUP_UNKNOWN_ORDER : order.card_number !== report.cardNumber ? PICKUP_QUARANTINED : null;
        if (quarantine !== null) {
          await keepPickup(quarantine);
          if (order) await addConflict(c, quarantine, at, order.id);
          log.warn({ orderId: report.orderId, deliveryId: report.deliveryId, kioskId, quarantine }, 'back office: pickup quarantined');
          return { status: 'recorded', conflict: quarantine };
        }
        if (!order) throw new BackOfficeNotFound(`no order ${report.orderId}`);
        const conflict = order.status === 'pending' ? null : `picked up after it was ${order.status}`;
        await keepPickup(conflict);
        if (order.status !== 'delivered') {
          await c.query(
            `UPDATE orders SET status = 'delivered', updated_at = $2, seq = $3, picked_up_at = $2, picked_up_by = $4, payload = ${FORGET_SEALED},
               delivery_id = $5,
               conflict = CASE WHEN $6::text IS NULL THEN conflict ELSE coalesce(conflict || '; ', '') || $6::text END
             WHERE id = $1`,
            [order.id, at, await bump(), kioskId, report.deliveryId, conflict],
          );
          await resign(c, order.id);
          const language = await languageOf(c, order.id);
          if (order.email !== '') await queueEmail(c, order.id, order.email, 'picked-up', at, language);
          // The card holder collected a code at a machine: wrong codes typed before are forgiven.
          if (order.kind === 'kaartservicecode' && language !== null) {
            await c.query('DELETE FROM link_attempts WHERE card_number = $1', [order.card_number]);
          }
        } else if (conflict) {
          await addConflict(c, conflict, at, order.id);
        }
        return { status: 'recorded', conflict };
      }),

    pickupCount: async () => (await one(countSchema, pool, 'SELECT count(*) AS n FROM pickups'))?.n ?? 0,
    pickupsForOrder: async (orderId) => (await one(countSchema, pool, 'SELECT count(*) AS n FROM pickups WHERE order_id = $1', [orderId]))?.n ?? 0,
    conflicts: async () => (await rowsOf(orderRowSchema, pool, 'SELECT * FROM orders WHERE conflict IS NOT NULL ORDER BY updated_at')).map(orderView),

    async registerKiosk(id, name, token) {
      await pool.query(
        `INSERT INTO kiosks (id, name, token_hash) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash`,
        [id, name, hashToken(token)],
      );
    },
    kioskForToken: async (token) => (await one(idSchema, pool, 'SELECT id FROM kiosks WHERE token_hash = $1', [hashToken(token)]))?.id ?? null,
    async heartbeat(kioskId, body) {
      await pool.query('UPDATE kiosks SET last_seen_at = $1, heartbeat = $2::jsonb WHERE id = $3', [iso(), JSON.stringify(body), kioskId]);
    },
    kiosks: async () =>
      (await rowsOf(kioskRowSchema, pool, 'SELECT id, name, last_seen_at, heartbeat FROM kiosks ORDER BY id')).map((k) => ({ id: k.id, name: k.name, lastSeenAt: k.last_seen_at, heartbeat: k.heartbeat })),

    recordAudit: (kioskId, entries) =>
      transaction(false, async (c) => {
        const at = iso();
        for (const e of entries) {
          await c.query(
            `INSERT INTO kiosk_audit (kiosk_id, local_id, at, actor, action, detail, received_at, actor_known)
             VALUES ($1, $2, $3, $4, $5, $6, $7, EXISTS (SELECT 1 FROM technicians WHERE id = $4))
             ON CONFLICT (kiosk_id, local_id) DO NOTHING`,
            [kioskId, e.id, e.at, e.actor, e.action, e.detail, at],
          );
        }
        return entries.map((e) => e.id);
      }),
    audit: async (query = {}): Promise<AuditView[]> =>
      (
        await rowsOf(
          auditRowSchema,
          pool,
          `SELECT arrival AS seq, kiosk_id, local_id, at, actor, action, detail, actor_known FROM kiosk_audit
           WHERE ($1::text IS NULL OR kiosk_id = $1) AND ($2::bigint IS NULL OR arrival < $2)
           ORDER BY arrival DESC LIMIT $3`,
          [query.kiosk ?? null, query.before ?? null, query.limit ?? 500],
        )
      ).map((a) => ({
        seq: a.seq,
        kioskId: a.kiosk_id,
        id: a.local_id,
        at: a.at,
        actor: a.actor,
        actorKnown: a.actor_known,
        action: a.action,
        detail: a.detail,
      })),

    async setTechnician(id: string, cardNumber: string, pin: PinHash) {
      await pool.query(
        `INSERT INTO technicians (id, card_number, salt, hash, params) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (id) DO UPDATE SET card_number = excluded.card_number, salt = excluded.salt,
           hash = excluded.hash, params = excluded.params`,
        [id, cardNumber, pin.salt, pin.hash, JSON.stringify(pin.params)],
      );
    },
    setTechnicianEnabled: async (id, enabled) =>
      (await pool.query('UPDATE technicians SET disabled_at = $1 WHERE id = $2', [enabled ? null : iso(), id])).rowCount === 1,
    removeTechnician: async (id) => (await pool.query('DELETE FROM technicians WHERE id = $1', [id])).rowCount === 1,
    technicians: async (): Promise<TechnicianCredential[]> =>
      (await rowsOf(technicianRowSchema, pool, 'SELECT id, card_number, salt, hash, params FROM technicians WHERE disabled_at IS NULL ORDER BY id')).map((t) => ({ technicianId: t.id, cardNumber: t.card_number, salt: t.salt, hash: t.hash, params: t.params })),

    pinAttempt: (id, outcome) =>
      transaction(false, async (c) => {
        const enabled = await c.query('SELECT 1 FROM technicians WHERE id = $1 AND disabled_at IS NULL', [id]);
        if (enabled.rowCount !== 1) return null;
        // One row per technician, locked: two instances counting at once count both attempts.
        await c.query(
          `INSERT INTO technician_pin_locks (technician_id, attempts, locks, locked_until, updated_at) VALUES ($1, 0, 0, NULL, $2)
           ON CONFLICT (technician_id) DO NOTHING`,
          [id, iso()],
        );
        const stored = await one(pinLockRowSchema, c, 'SELECT attempts, locks, locked_until FROM technician_pin_locks WHERE technician_id = $1 FOR UPDATE', [id]);
        const row = stored ? { attempts: stored.attempts, locks: stored.locks, lockedUntil: stored.locked_until } : NO_PIN_LOCK;
        const next = nextPinLock(row, outcome, options.now());
        await c.query('UPDATE technician_pin_locks SET attempts = $2, locks = $3, locked_until = $4, updated_at = $5 WHERE technician_id = $1', [
          id, next.row.attempts, next.row.locks, next.row.lockedUntil, iso(),
        ]);
        return next.answer;
      }),

    async claimEmails(by, limit, reclaimMs = EMAIL_RECLAIM_MS) {
      const now = options.now();
      const rows = await rowsOf(
        emailRowSchema,
        pool,
        `UPDATE emails SET claimed_by = $1, claimed_at = $2
         WHERE id IN (SELECT id FROM emails WHERE sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < $3 OR claimed_by = $1)
                      ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING id, order_id, to_address, template, attempts, language,
           (SELECT o.card_number FROM orders AS o WHERE o.id = emails.order_id) AS card_number`,
        [by, now.toISOString(), new Date(now.getTime() - reclaimMs).toISOString(), limit],
      );
      return rows.sort((a, b) => a.id - b.id).map(emailRowOf);
    },
    async emailSent(id) {
      await pool.query('UPDATE emails SET sent_at = $1, attempts = attempts + 1 WHERE id = $2', [iso(), id]);
    },
    async emailFailed(id, error) {
      await pool.query('UPDATE emails SET last_error = $1, attempts = attempts + 1, claimed_by = NULL, claimed_at = NULL WHERE id = $2', [error, id]);
    },

    ...mijnNs,

    onChange(l) {
      listeners.add(l);
      listening ??= listen();
      return () => listeners.delete(l);
    },

    async close() {
      closing = true;
      if (retry) clearTimeout(retry);
      await writeWatermark();
      await listening;
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners();
        client.on('error', () => {});
        await client.end().catch(() => {});
      }
      await pool.end();
    },
  };
}
