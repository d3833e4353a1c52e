// What the repositories share: the row shapes of the kiosk's tables, their mapping to the
// store's records (every JSON column validated on the way out), input validation on the
// way in, and the context each repository is built from.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { pickupReportSchema } from '../protocol/kiosk-api.js';
import { StoreDataError } from '../sqlite/errors.js';
import {
  deliveryOutcomeSchema,
  storedPayloadSchema,
  type DeliveryRecord,
  type DeliveryState,
  type OrderRecord,
  type OrderStatus,
  type OutboxItem,
  type StoreLogger,
} from './schemas.js';

/** What every repository is made of: the open database, the clock and the log. */
export interface RepoContext {
  readonly db: Database.Database;
  /** The injected clock as an ISO string; throws on an invalid date. */
  readonly stamp: () => string;
  readonly logger: StoreLogger;
}

/** The back office's verdict kept back while a delivery is in progress (migration 2). */
export type RemoteStatus = 'cancelled' | 'expired' | 'delivered';

export interface OrderRow {
  id: string;
  card_number: string;
  payload: string;
  status: OrderStatus;
  created_at: string;
  expires_at: string | null;
  updated_at: string;
  remote_status?: RemoteStatus | null;
  /** migration 4 */
  serial?: number | null;
  /** migration 4: the version of the last remote change applied */
  remote_version?: number | null;
  /** migration 7: the back office's signature of the order (null: not from the signed feed) */
  signature?: string | null;
  /** migration 9: the version of the change that signature is of */
  signed_version?: number | null;
}

export interface DeliveryRow {
  id: string;
  order_id: string;
  card_number: string;
  card_uid: string;
  state: DeliveryState;
  outcome: string | null;
  failure: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutboxRow {
  id: number;
  delivery_id: string;
  report: string;
  attempts: number;
  created_at: string;
  acked_at: string | null;
}

/** `2025-01-01T10:00:00+01:00` -> `2025-01-01T09:00:00.000Z`, so stored times compare as text. */
/** The form `Date#toISOString` writes (UTC, milliseconds): kept as it is. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An ISO 8601 date-time in UTC as `toISOString` writes it; one already in that form is returned as is. */
export function toUtcIso(value: string): string {
  return CANONICAL_UTC.test(value) ? value : new Date(value).toISOString();
}

export function parseJsonColumn<T>(
  schema: z.ZodType<T>,
  text: string,
  where: { table: string; key: string | number; column: string },
): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new StoreDataError(`${where.table}[${where.key}].${where.column} is not valid JSON`, where, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreDataError(
      `${where.table}[${where.key}].${where.column} failed validation:\n${z.prettifyError(parsed.error)}`,
      where,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

export function checkInput<T>(schema: z.ZodType<T>, value: unknown, where: { table: string; key: string | number }): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new StoreDataError(
      `invalid input for ${where.table}[${where.key}]:\n${z.prettifyError(parsed.error)}`,
      { ...where, column: '(input)' },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

export function keyOf(value: unknown): string {
  return typeof value === 'object' && value !== null && 'id' in value ? String(value.id) : '?';
}

export function toOrder(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    cardNumber: row.card_number,
    payload: parseJsonColumn(storedPayloadSchema, row.payload, { table: 'orders', key: row.id, column: 'payload' }),
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
    serial: row.serial ?? null,
    remoteStatus: row.remote_status ?? null,
    signature: row.signature ?? null,
    signedVersion: row.signed_version ?? null,
  };
}

export function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    cardNumber: row.card_number,
    cardUid: row.card_uid,
    state: row.state,
    outcome:
      row.outcome === null
        ? null
        : parseJsonColumn(deliveryOutcomeSchema, row.outcome, { table: 'deliveries', key: row.id, column: 'outcome' }),
    failure: row.failure,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    report: parseJsonColumn(pickupReportSchema, row.report, { table: 'outbox', key: row.id, column: 'report' }),
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}
