// Drives a PcscWorker in this process as PcscReader drives the child process: messages
// in (handle), messages out (collected), requests answered by id. With the fake binding
// by default; the pcsc tests pass the real nfc-pcsc to record fixtures. Test support only.
import type { FromWorker, ToWorker, WorkerConfig } from '../protocol.js';
import { PcscWorker, type NfcBinding, type PcscdSocket } from '../worker-core.js';
import { FakeNfc } from './fake-nfc.js';
import type { Step } from './scenarios.js';

export type StateMessage = Extract<FromWorker, { type: 'state' }>;
export type Outcome = { ok: true; data?: string | undefined } | { ok: false; kind: 'gone' | 'unsteady' | 'io'; message: string };

/** pcscd is up, and its socket stays the same until `replace()`. */
export class FakePcscd implements PcscdSocket {
  up = true;
  private generation = 1;
  probe(): Promise<boolean> {
    return Promise.resolve(this.up);
  }
  identity(): string | null {
    return this.up ? `socket:${this.generation}` : null;
  }
  /** pcscd restarted: a new socket. */
  replace(): void {
    this.generation++;
  }
}

export interface WorkerDriverOptions {
  readonly config?: Partial<WorkerConfig>;
  readonly createNfc?: () => NfcBinding;
  readonly pcscd?: PcscdSocket;
}

export class WorkerDriver {
  readonly nfc = new FakeNfc();
  readonly pcscd: PcscdSocket;
  readonly sent: FromWorker[] = [];
  readonly exits: number[] = [];
  readonly worker: PcscWorker;
  private nextId = 1;
  private readonly waiters = new Set<(message: FromWorker) => void>();

  constructor(options: WorkerDriverOptions = {}) {
    this.pcscd = options.pcscd ?? new FakePcscd();
    const config: WorkerConfig = { keyA: '4b494f534b41', keyB: '4b494f534b42', socketPath: '/run/pcscd/pcscd.comm', ...options.config };
    this.worker = new PcscWorker(config, {
      createNfc: options.createNfc ?? (() => this.nfc),
      send: (message) => {
        this.sent.push(message);
        for (const waiter of [...this.waiters]) waiter(message);
      },
      exit: (code) => this.exits.push(code),
      pcscd: this.pcscd,
      probeIntervalMs: 5,
      watchIntervalMs: 5,
      exitDelayMs: 0,
      connectRetryMs: 5,
    });
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  stop(): void {
    this.worker.stop();
  }

  /** The last state the worker reported. */
  get state(): StateMessage {
    const last = this.sent.filter((m): m is StateMessage => m.type === 'state').at(-1);
    if (!last) throw new Error('the worker reported no state yet');
    return last;
  }

  logs(level?: 'debug' | 'info' | 'warn' | 'error'): string[] {
    return this.sent.flatMap((m) => (m.type === 'log' && (!level || m.level === level) ? [m.message] : []));
  }

  /** The next message the predicate accepts (sent from now on). */
  next<T extends FromWorker>(predicate: (message: FromWorker) => message is T, timeoutMs?: number, what?: string): Promise<T>;
  next(predicate: (message: FromWorker) => boolean, timeoutMs?: number, what?: string): Promise<FromWorker>;
  next(predicate: (message: FromWorker) => boolean, timeoutMs = 2000, what = 'a message'): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; last state ${JSON.stringify(this.sent.filter((m) => m.type === 'state').at(-1))}`));
      }, timeoutMs);
      const waiter = (message: FromWorker) => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(message);
      };
      this.waiters.add(waiter);
    });
  }

  /** The last state when it matches, else the next state reported that does. */
  waitForState(status: StateMessage['state']['status'], timeoutMs = 2000): Promise<StateMessage> {
    const last = this.sent.filter((m): m is StateMessage => m.type === 'state').at(-1);
    if (last?.state.status === status) return Promise.resolve(last);
    return this.next((m): m is StateMessage => m.type === 'state' && m.state.status === status, timeoutMs, `state ${status}`);
  }

  read(block: number, presence = this.state.presence): Promise<Outcome> {
    return this.request((id) => ({ type: 'read', id, presence, block }));
  }

  readMany(block: number, count: number, presence = this.state.presence): Promise<Outcome> {
    return this.request((id) => ({ type: 'readMany', id, presence, block, count }));
  }

  write(block: number, data: Uint8Array, presence = this.state.presence): Promise<Outcome> {
    return this.request((id) => ({ type: 'write', id, presence, block, data: Buffer.from(data).toString('hex') }));
  }

  writeMany(block: number, data: readonly Uint8Array[], presence = this.state.presence): Promise<Outcome> {
    return this.request((id) => ({ type: 'writeMany', id, presence, block, data: Buffer.concat(data.map((d) => Buffer.from(d))).toString('hex') }));
  }

  /** One request of a recorded scenario. */
  step(step: Step, presence = this.state.presence): Promise<Outcome> {
    switch (step.type) {
      case 'read':
        return this.read(step.block, presence);
      case 'readMany':
        return this.readMany(step.block, step.count, presence);
      case 'write':
        return this.write(step.block, step.data, presence);
      case 'writeMany':
        return this.writeMany(step.block, step.data, presence);
      default: {
        const unreachable: never = step;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }

  ping(): Promise<FromWorker> {
    const id = this.nextId++;
    const pong = this.next((m): m is Extract<FromWorker, { type: 'pong' }> => m.type === 'pong' && m.id === id);
    this.worker.handle({ type: 'ping', id });
    return pong;
  }

  private request(
    message: (id: number) => Extract<ToWorker, { type: 'read' | 'readMany' | 'write' | 'writeMany' }>,
  ): Promise<Outcome> {
    const id = this.nextId++;
    const answer = this.next(
      (m): m is Extract<FromWorker, { type: 'ok' | 'fail' }> => (m.type === 'ok' || m.type === 'fail') && m.id === id,
      5000,
      `the answer to request ${id}`,
    ).then((m): Outcome => (m.type === 'ok' ? { ok: true, ...(m.data ? { data: m.data } : {}) } : { ok: false, kind: m.kind, message: m.message }));
    this.worker.handle(message(id));
    return answer;
  }
}
