// Typed messages between the PC/SC adapter (parent) and its worker (child process).
// Both sides validate what they receive: a confused worker is restarted, never trusted.
import { z } from 'zod';

const hex = z.string().regex(/^([0-9a-f]{2})*$/);
const key = z.string().regex(/^[0-9a-fA-F]{12}$/);

export const workerConfigSchema = z.object({
  /** Use the first reader whose name contains this; the first reader when absent. */
  readerName: z.string().min(1).optional(),
  keyA: key,
  keyB: key.optional(),
  /** Read and write several blocks of a sector with one READ / UPDATE BINARY (ACR1252U).
   * Absent: decided by the reader's name (ACR1252). */
  multiBlock: z.boolean().optional(),
  /** pcscd's socket: probed before nfc-pcsc is constructed (it busy-loops without pcscd). */
  socketPath: z.string().min(1),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), config: workerConfigSchema }),
  z.object({ type: z.literal('ping'), id: z.number().int() }),
  z.object({ type: z.literal('read'), id: z.number().int(), presence: z.number().int(), block: z.number().int().min(0).max(255) }),
  /** `count` consecutive blocks of one sector from `block` (the worker checks the sector). */
  z.object({
    type: z.literal('readMany'),
    id: z.number().int(),
    presence: z.number().int(),
    block: z.number().int().min(0).max(255),
    count: z.number().int().min(1).max(15),
  }),
  z.object({
    type: z.literal('write'),
    id: z.number().int(),
    presence: z.number().int(),
    block: z.number().int().min(0).max(255),
    data: hex.length(32),
  }),
  /** Consecutive blocks of one sector from `block`, 16 bytes each (the worker checks the sector). */
  z.object({
    type: z.literal('writeMany'),
    id: z.number().int(),
    presence: z.number().int(),
    block: z.number().int().min(0).max(255),
    data: hex.min(64).max(15 * 32).refine((d) => d.length % 32 === 0, 'whole blocks of 16 bytes'),
  }),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;

const readerStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('no_reader') }),
  z.object({ status: z.literal('ready') }),
  z.object({ status: z.literal('card_present'), uid: z.string() }),
  z.object({ status: z.literal('card_error'), error: z.string(), fault: z.enum(['readerInUse']).optional() }),
]);

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('state'),
    state: readerStateSchema,
    /** Increases with every card arrival; requests name the presence they belong to. */
    presence: z.number().int(),
    readerName: z.string().nullable(),
    /** Why this card cannot be one of ours (not a Classic 4K); null for our kind of card. */
    foreign: z.string().nullable(),
  }),
  z.object({ type: z.literal('pong'), id: z.number().int() }),
  z.object({ type: z.literal('ok'), id: z.number().int(), data: hex.optional() }),
  /** gone: the card left; unsteady: it is there but did not answer reliably (RF error,
   * authentication lost again after a reconnect); io: it answered as no card of ours would. */
  z.object({ type: z.literal('fail'), id: z.number().int(), kind: z.enum(['gone', 'unsteady', 'io']), message: z.string() }),
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;
