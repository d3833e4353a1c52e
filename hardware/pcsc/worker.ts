// The PC/SC worker: the only place nfc-pcsc (a native binding) runs. It is forked and
// supervised by PcscReader; when it misbehaves it is killed and replaced, so the kiosk
// never hangs with it. It exits on its own when pcscd goes away (an nfc-pcsc instance
// never recovers from a pcscd restart), and it does not construct nfc-pcsc before
// pcscd's socket answers (nfc-pcsc spins in a busy loop until pcscd appears).
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import type { NFC as NfcType, NfcCardEvent, Reader } from 'nfc-pcsc';
import { sectorOfBlock } from '../card-layout.js';
import type { ReaderState } from '../card-reader.js';
import { apdu, classifyAtr, parseKey, splitResponse, SW_OK, type CardFamily } from './apdu.js';
import { toWorkerSchema, type FromWorker, type ToWorker, type WorkerConfig } from './protocol.js';

/** Exit code that asks the supervisor for a fresh worker (pcscd went away). */
export const EXIT_PCSCD_GONE = 75;
const PROBE_INTERVAL_MS = 200;
const WATCH_INTERVAL_MS = 250;

class RequestFailure extends Error {
  constructor(
    readonly kind: 'gone' | 'io',
    message: string,
  ) {
    super(message);
  }
}

function send(message: FromWorker): void {
  process.send?.(message);
}

function log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  send({ type: 'log', level, message });
}

const FOREIGN_MESSAGES: Record<Exclude<CardFamily, 'classic4k'>, string> = {
  classic1k: 'a MIFARE Classic 1K card, not an OV-chipkaart: hold your OV-chipkaart to the reader',
  ultralight: 'a MIFARE Ultralight card (a disposable ticket?), not an OV-chipkaart: hold your OV-chipkaart to the reader',
  'storage-other': 'a contactless memory card of an unknown kind: hold your OV-chipkaart to the reader',
  'iso14443-4': 'a smart card such as a bank card or DESFire card, not an OV-chipkaart: hold your OV-chipkaart to the reader',
};

interface Presence {
  readonly id: number;
  readonly foreign: string | null;
  keysLoaded: boolean;
  authenticated: { sector: number; keyType: 'A' | 'B' } | null;
}

function probeSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function socketIdentity(path: string): string | null {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return null;
  }
}

class Worker {
  private state: ReaderState = { status: 'no_reader' };
  private reader: Reader | null = null;
  private presenceCounter = 0;
  private presence: Presence | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly keyA: Buffer;
  private readonly keyB: Buffer | null;

  constructor(private readonly config: WorkerConfig) {
    this.keyA = parseKey(config.keyA);
    this.keyB = config.keyB ? parseKey(config.keyB) : null;
  }

  report(state: ReaderState): void {
    this.state = state;
    send({
      type: 'state',
      state,
      presence: this.presence?.id ?? -1,
      readerName: this.reader?.name ?? null,
      foreign: this.presence?.foreign ?? null,
    });
  }

  async start(): Promise<void> {
    this.report({ status: 'no_reader' });
    while (!(await probeSocket(this.config.socketPath))) {
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
    const identity = socketIdentity(this.config.socketPath);
    log('info', `pcscd is up (${this.config.socketPath})`);
    // A pcscd restart replaces the socket: this worker's binding will not recover.
    setInterval(() => {
      if (socketIdentity(this.config.socketPath) !== identity) this.exitForRestart('pcscd went away');
    }, WATCH_INTERVAL_MS).unref();

    const require = createRequire(import.meta.url);
    const { NFC } = require('nfc-pcsc') as { NFC: new () => NfcType };
    const nfc = new NFC();
    nfc.on('error', (error) => this.exitForRestart(`PC/SC error: ${error.message}`));
    nfc.on('reader', (reader) => this.attach(reader));
  }

  private exitForRestart(why: string): void {
    log('warn', `${why}: this worker stops so that a fresh one can start`);
    this.presence = null;
    this.report({ status: 'no_reader' });
    // Let the IPC channel flush before leaving.
    setTimeout(() => process.exit(EXIT_PCSCD_GONE), 20);
  }

  private attach(reader: Reader): void {
    // Every reader gets an error listener: an EventEmitter 'error' without one kills us.
    reader.on('error', (error) => {
      if (this.reader === reader) log('warn', `reader error: ${error.message}`);
    });
    const wanted = this.config.readerName;
    if (this.reader || (wanted && !reader.name.includes(wanted))) {
      log('debug', `ignoring reader ${reader.name}`);
      return;
    }
    this.reader = reader;
    reader.autoProcessing = false;
    log('info', `using reader ${reader.name}`);
    reader.on('card', (card) => void this.onCard(reader, card));
    reader.on('card.off', () => this.onCardOff(reader));
    reader.on('end', () => {
      if (this.reader !== reader) return;
      log('warn', `reader ${reader.name} is gone`);
      this.reader = null;
      this.presence = null;
      this.report({ status: 'no_reader' });
    });
    this.report({ status: 'ready' });
  }

  private async onCard(reader: Reader, card: NfcCardEvent): Promise<void> {
    if (this.reader !== reader) return;
    const id = ++this.presenceCounter;
    const family = card.atr ? classifyAtr(card.atr) : 'iso14443-4';
    const foreign = family === 'classic4k' ? null : FOREIGN_MESSAGES[family];
    this.presence = { id, foreign, keysLoaded: false, authenticated: null };
    let uid: string;
    try {
      const response = splitResponse(await reader.transmit(apdu.getUid(), 12));
      if (!response || response.sw !== SW_OK || response.data.length < 4) {
        throw new Error(`the card did not give its number (${response ? response.sw.toString(16) : 'no status word'})`);
      }
      uid = response.data.toString('hex').toUpperCase();
    } catch (error) {
      if (this.presence?.id !== id) return;
      const message = error instanceof Error ? error.message : String(error);
      this.report({ status: 'card_error', error: `${message}: take the card away and hold it still against the reader` });
      return;
    }
    if (this.presence?.id !== id) return;
    this.report({ status: 'card_present', uid });
  }

  private onCardOff(reader: Reader): void {
    if (this.reader !== reader) return;
    this.presence = null;
    this.report({ status: 'ready' });
  }

  handle(message: ToWorker): void {
    switch (message.type) {
      case 'init':
        return;
      case 'ping':
        send({ type: 'pong', id: message.id });
        return;
      case 'read':
      case 'write': {
        const work = () => this.blockRequest(message);
        const run = this.queue.then(work, work);
        this.queue = run.catch(() => undefined);
        run.then(
          (data) => send(data ? { type: 'ok', id: message.id, data } : { type: 'ok', id: message.id }),
          (error: unknown) => {
            const failure = error instanceof RequestFailure ? error : new RequestFailure('gone', String(error));
            send({ type: 'fail', id: message.id, kind: failure.kind, message: failure.message });
          },
        );
        return;
      }
      default: {
        const unreachable: never = message;
        throw new Error(`unknown message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Sends one APDU for the given presence; a lost card is 'gone', a bad answer 'io'. */
  private async transmit(presence: Presence, command: Buffer, what: string): Promise<Buffer> {
    const reader = this.reader;
    if (!reader || this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
    let raw: Buffer;
    try {
      raw = await reader.transmit(command, 64);
    } catch (error) {
      throw new RequestFailure('gone', `${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
    if (raw.length === 0) throw new RequestFailure('gone', `${what}: no answer (card left?)`);
    const response = splitResponse(raw);
    if (!response) throw new RequestFailure('io', `${what}: malformed answer ${raw.toString('hex')}`);
    if (response.sw !== SW_OK) {
      throw new RequestFailure('io', `${what}: status ${response.sw.toString(16).padStart(4, '0')}`);
    }
    return response.data;
  }

  private async authenticate(presence: Presence, block: number, keyType: 'A' | 'B'): Promise<void> {
    const sector = sectorOfBlock(block);
    const current = presence.authenticated;
    if (current && current.sector === sector && current.keyType === keyType) return;
    if (!presence.keysLoaded) {
      await this.transmit(presence, apdu.loadKey(0, this.keyA), 'LOAD KEY A');
      if (this.keyB) await this.transmit(presence, apdu.loadKey(1, this.keyB), 'LOAD KEY B');
      presence.keysLoaded = true;
    }
    presence.authenticated = null;
    try {
      await this.transmit(presence, apdu.authenticate(block, keyType, keyType === 'A' ? 0 : 1), 'AUTHENTICATE');
    } catch (error) {
      if (error instanceof RequestFailure && error.kind === 'io') {
        throw new RequestFailure('io', `sector ${sector} does not open with the configured key ${keyType}: not a card of this system`);
      }
      throw error;
    }
    presence.authenticated = { sector, keyType };
  }

  private async blockRequest(message: Extract<ToWorker, { type: 'read' | 'write' }>): Promise<string | undefined> {
    const presence = this.presence;
    if (!presence || presence.id !== message.presence || this.state.status !== 'card_present') {
      throw new RequestFailure('gone', 'card left the reader');
    }
    if (presence.foreign) throw new RequestFailure('io', presence.foreign);
    try {
      return await this.blockOnce(presence, message);
    } catch (error) {
      // 6982: the card lost its authentication (a reset or power cycle from the reader
      // between two APDUs). Authenticate again, once.
      if (!(error instanceof RequestFailure) || !error.message.endsWith('status 6982')) throw error;
      log('info', `re-authenticating after ${error.message}`);
      presence.authenticated = null;
      return this.blockOnce(presence, message);
    }
  }

  private async blockOnce(presence: Presence, message: Extract<ToWorker, { type: 'read' | 'write' }>): Promise<string | undefined> {
    if (message.type === 'read') {
      await this.authenticate(presence, message.block, 'A');
      const data = await this.transmit(presence, apdu.readBinary(message.block), `READ BINARY ${message.block}`);
      if (data.length !== 16) throw new RequestFailure('io', `READ BINARY ${message.block}: ${data.length} bytes`);
      return data.toString('hex');
    }
    await this.authenticate(presence, message.block, this.keyB ? 'B' : 'A');
    await this.transmit(presence, apdu.updateBinary(message.block, Buffer.from(message.data, 'hex')), `UPDATE BINARY ${message.block}`);
    return undefined;
  }
}

let worker: Worker | null = null;
process.on('message', (raw: unknown) => {
  const parsed = toWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    log('error', `ignored a malformed message: ${parsed.error.message}`);
    return;
  }
  if (parsed.data.type === 'init') {
    if (worker) return;
    worker = new Worker(parsed.data.config);
    worker.start().catch((error: unknown) => {
      log('error', `worker failed to start: ${String(error)}`);
      process.exit(1);
    });
    return;
  }
  if (!worker) {
    if (parsed.data.type === 'ping') send({ type: 'pong', id: parsed.data.id });
    return;
  }
  worker.handle(parsed.data);
});
// The supervisor is gone: so is the reason to hold the reader.
process.on('disconnect', () => process.exit(0));
