// The PC/SC card reader: implements the CardReader port over a supervised child process
// that runs nfc-pcsc (worker.ts). The supervisor pings the worker, kills it when it stops
// answering (nfc-pcsc busy-loops without pcscd) and forks a fresh one with backoff when
// it exits (an nfc-pcsc instance dies for good with pcscd). The machine only ever sees
// ReaderState changes and CardGoneError / CardIoError.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import {
  CardGoneError,
  CardIoError,
  CardUnsteadyError,
  sameReaderState,
  type CardAccess,
  type CardReader,
  type ReaderState,
} from '../card-reader.js';
import { fromWorkerSchema, type FromWorker, type ToWorker, type WorkerConfig } from './protocol.js';

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

export interface PcscReaderOptions {
  /** Key A of the layout's sectors, 12 hex digits (from the station configuration). */
  readonly keyA: string;
  /** Key B, used for writes when given. */
  readonly keyB?: string | undefined;
  /** Use the first reader whose name contains this. */
  readonly readerName?: string | undefined;
  /** Several blocks per READ / UPDATE BINARY (ACR1252U); by default decided by the reader's name. */
  readonly multiBlock?: boolean | undefined;
  readonly socketPath?: string;
  /** The built worker script (hardware/pcsc/worker.ts bundled); by default
   * $KIOSK_PCSC_WORKER, else pcsc-worker.js of the build (see resolveWorkerScript). */
  readonly workerPath?: string;
  readonly log?: Logger;
  readonly heartbeatMs?: number;
  /** No pong for this long: the worker hangs and is killed. */
  readonly hangTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Delays before successive restarts of a worker that keeps failing. */
  readonly restartDelaysMs?: readonly number[];
}

type BlockRequest =
  | { type: 'read'; block: number }
  | { type: 'readMany'; block: number; count: number }
  | { type: 'write'; block: number; data: string }
  | { type: 'writeMany'; block: number; data: string };

interface Pending {
  readonly resolve: (data: string | undefined) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

// This module is bundled into ESM (kiosk) and CJS (Electron main) builds: in the latter
// import.meta.url is empty and __dirname is the bundle's folder.
const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));

/** Names the worker script to use instead of the one next to the bundle (tests, tools). */
export const WORKER_ENV = 'KIOSK_PCSC_WORKER';

export class WorkerScriptMissingError extends Error {
  constructor(readonly looked: readonly string[]) {
    super(
      `the PC/SC worker script is missing: ${looked.length === 1 ? `${looked[0]} does not exist` : `none of ${looked.join(', ')} exists`}. ` +
        'It is built before it runs: `npm run build` writes dist/kiosk/pcsc-worker.js; tests and ' +
        `scripts/run-ts.mjs build it with buildPcscWorker (scripts/build.mjs) and pass it in workerPath or $${WORKER_ENV}.`,
    );
    this.name = 'WorkerScriptMissingError';
  }
}

/**
 * The worker script to fork: the one given (option, then $KIOSK_PCSC_WORKER), else the
 * prebuilt dist/kiosk/pcsc-worker.js next to the kiosk bundle or beside the Electron one.
 * Never built here: a missing script is a WorkerScriptMissingError naming the file(s).
 */
export function resolveWorkerScript(workerPath?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = workerPath ?? (env[WORKER_ENV] || undefined);
  const candidates = given ? [given] : [join(here, 'pcsc-worker.js'), join(here, '..', 'kiosk', 'pcsc-worker.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new WorkerScriptMissingError(candidates);
  return found;
}

function failureOf(kind: Extract<FromWorker, { type: 'fail' }>['kind'], message: string): Error {
  switch (kind) {
    case 'gone':
      return new CardGoneError(message);
    case 'unsteady':
      return new CardUnsteadyError(message);
    case 'io':
      return new CardIoError(message);
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown failure ${String(unreachable)}`);
    }
  }
}

export class PcscReader implements CardReader {
  readonly name: string;
  private current: ReaderState = { status: 'no_reader' };
  private presence = -1;
  private readonly listeners = new Set<(state: ReaderState) => void>();
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private failures = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private awaitingPong: { id: number; since: number } | null = null;
  private readonly config: WorkerConfig;
  private readonly heartbeatMs: number;
  private readonly hangTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly restartDelaysMs: readonly number[];
  private readonly script: string;
  /** Counts worker starts, for tests and the log. */
  workerStarts = 0;

  /** Throws WorkerScriptMissingError when the worker script has not been built. */
  constructor(private readonly options: PcscReaderOptions) {
    this.script = resolveWorkerScript(options.workerPath);
    this.name = `PC/SC${options.readerName ? ` (${options.readerName})` : ''}`;
    this.config = {
      keyA: options.keyA,
      keyB: options.keyB,
      readerName: options.readerName,
      ...(options.multiBlock === undefined ? {} : { multiBlock: options.multiBlock }),
      socketPath: options.socketPath ?? PCSCD_SOCKET,
    };
    this.heartbeatMs = options.heartbeatMs ?? 500;
    this.hangTimeoutMs = options.hangTimeoutMs ?? 2000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.restartDelaysMs = options.restartDelaysMs ?? [100, 250, 500, 1000, 2000];
    this.startWorker();
  }

  state(): ReaderState {
    return this.current;
  }

  subscribe(listener: (state: ReaderState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The worker's pid, for tests that kill or freeze it. */
  workerPid(): number | null {
    return this.child?.pid ?? null;
  }

  card(): CardAccess | null {
    const state = this.current;
    if (state.status !== 'card_present') return null;
    const presence = this.presence;
    const request = async (message: BlockRequest, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      if (this.presence !== presence || this.current.status !== 'card_present') throw new CardGoneError();
      return this.request(message, presence);
    };
    return {
      uid: state.uid,
      readBlock: async (block, signal) => {
        const data = await request({ type: 'read', block }, signal);
        if (!data) throw new CardIoError(`no data for block ${block}`);
        return new Uint8Array(Buffer.from(data, 'hex'));
      },
      readBlocks: async (first, count, signal) => {
        const data = await request({ type: 'readMany', block: first, count }, signal);
        if (!data || data.length !== count * 32) throw new CardIoError(`no data for blocks ${first}–${first + count - 1}`);
        const bytes = Buffer.from(data, 'hex');
        return Array.from({ length: count }, (_, i) => new Uint8Array(bytes.subarray(i * 16, (i + 1) * 16)));
      },
      writeBlock: async (block, data, signal) => {
        await request({ type: 'write', block, data: Buffer.from(data).toString('hex') }, signal);
      },
      writeBlocks: async (first, data, signal) => {
        const hex = Buffer.concat(data.map((d) => Buffer.from(d))).toString('hex');
        await request(data.length === 1 ? { type: 'write', block: first, data: hex } : { type: 'writeMany', block: first, data: hex }, signal);
      },
    };
  }

  /** Kills the worker; the supervisor starts a fresh one (as after a crash). */
  async restart(): Promise<void> {
    const child = this.child;
    if (!child || this.closed) return;
    this.log('info', 'restarting the PC/SC worker on request');
    this.failures = 0;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 1000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: object = {}): void {
    this.options.log?.[level]({ component: 'pcsc', ...fields }, message);
  }

  private emit(next: ReaderState): void {
    if (sameReaderState(this.current, next)) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  private startWorker(): void {
    if (this.closed) return;
    const child = fork(this.script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    this.child = child;
    this.workerStarts++;
    this.awaitingPong = null;
    child.on('message', (raw) => this.receive(child, raw));
    child.on('error', (error) => this.log('warn', 'PC/SC worker error', { err: error.message }));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    this.sendTo(child, { type: 'init', config: this.config });
    this.heartbeat = setInterval(() => this.beat(child), this.heartbeatMs);
  }

  private beat(child: ChildProcess): void {
    if (this.child !== child) return;
    const now = Date.now();
    if (this.awaitingPong) {
      if (now - this.awaitingPong.since < this.hangTimeoutMs) return;
      this.log('warn', 'the PC/SC worker stopped answering: killing it', { pid: child.pid });
      child.kill('SIGKILL');
      return;
    }
    const id = this.nextId++;
    this.awaitingPong = { id, since: now };
    this.sendTo(child, { type: 'ping', id });
  }

  private sendTo(child: ChildProcess, message: ToWorker): void {
    if (!child.connected) return;
    try {
      child.send(message);
    } catch (error) {
      this.log('warn', 'could not reach the PC/SC worker', { err: String(error) });
    }
  }

  private request(message: BlockRequest, presence: number): Promise<string | undefined> {
    const child = this.child;
    if (!child) return Promise.reject(new CardGoneError('the reader is not available'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CardGoneError(`the reader did not answer within ${this.requestTimeoutMs} ms`));
      }, this.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.sendTo(child, { ...message, id, presence });
    });
  }

  private settle(id: number, outcome: { data?: string | undefined } | Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome.data);
  }

  private receive(child: ChildProcess, raw: unknown): void {
    if (this.child !== child) return;
    const parsed = fromWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      this.log('error', 'malformed message from the PC/SC worker: restarting it', { err: parsed.error.message });
      child.kill('SIGKILL');
      return;
    }
    const message: FromWorker = parsed.data;
    switch (message.type) {
      case 'pong':
        if (this.awaitingPong?.id === message.id) this.awaitingPong = null;
        return;
      case 'state':
        if (message.state.status !== 'no_reader') this.failures = 0;
        this.presence = message.presence;
        if (message.state.status === 'card_present' && message.foreign) {
          this.log('info', 'a card that is not ours is on the reader', { why: message.foreign });
        }
        this.emit(message.state);
        return;
      case 'ok':
        this.settle(message.id, { data: message.data });
        return;
      case 'fail':
        this.settle(message.id, failureOf(message.kind, message.message));
        return;
      case 'log':
        this.log(message.level, message.message, { pid: child.pid });
        return;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const id of [...this.pending.keys()]) this.settle(id, new CardGoneError('the reader process stopped'));
    this.presence = -1;
    this.emit({ status: 'no_reader' });
    if (this.closed) return;
    this.log(code === 75 ? 'info' : 'warn', 'the PC/SC worker exited: starting a fresh one', { code, signal });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.closed) return;
    const delays = this.restartDelaysMs;
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 1000;
    this.failures++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.startWorker();
    }, delay);
  }
}
