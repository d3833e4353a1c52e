// The PC/SC worker's logic, free of process wiring: it is given a factory for the
// nfc-pcsc binding and a function that sends messages to the supervisor. worker.ts wires
// the real binding and process.send for the child process; unit tests wire a fake
// reader that plays recorded APDU exchanges (testing/fake-nfc.ts).
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { sectorOfBlock } from '../card-layout.js';
import type { ReaderState } from '../card-reader.js';
import { apdu, classifyAtr, formatSw, parseKey, splitResponse, SW, type CardFamily, type Response } from './apdu.js';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

/** Exit code that asks the supervisor for a fresh worker (pcscd went away). */
export const EXIT_PCSCD_GONE = 75;

/** What a card event carries (nfc-pcsc with autoProcessing off). */
export interface NfcCard {
  readonly atr?: Buffer;
}

/** The part of nfc-pcsc's Reader the worker uses: raw APDUs only (autoProcessing off). */
export interface NfcReader {
  readonly name: string;
  autoProcessing: boolean;
  transmit(command: Buffer, responseMaxLength: number): Promise<Buffer>;
  on(event: 'card', listener: (card: NfcCard) => void): unknown;
  on(event: 'card.off', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/** The part of nfc-pcsc's NFC the worker uses. */
export interface NfcBinding {
  on(event: 'reader', listener: (reader: NfcReader) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** How the worker learns that pcscd is up, and that it went away (its socket replaced). */
export interface PcscdSocket {
  /** Resolves true when the socket accepts a connection. */
  probe(path: string): Promise<boolean>;
  /** An identity of the socket file (device, inode, birth time); null when it is gone. */
  identity(path: string): string | null;
}

export interface WorkerDeps {
  /** Constructs the binding; called once pcscd answers (nfc-pcsc busy-loops without it). */
  readonly createNfc: () => NfcBinding;
  /** Sends a message to the supervisor (process.send in the child process). */
  readonly send: (message: FromWorker) => void;
  /** Ends the worker (process.exit in the child process). */
  readonly exit: (code: number) => void;
  readonly pcscd?: PcscdSocket;
  readonly probeIntervalMs?: number;
  readonly watchIntervalMs?: number;
  /** Between the last message and exit, so that the IPC channel flushes. */
  readonly exitDelayMs?: number;
}

/** pcscd's unix socket, probed by connecting and watched by its identity. */
export const unixPcscdSocket: PcscdSocket = {
  probe: (path) =>
    new Promise((resolve) => {
      const socket = connect(path);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    }),
  identity: (path) => {
    try {
      // ext4 hands a file recreated at once the inode just freed: the birth time (ns)
      // tells a new pcscd's socket from the old one's.
      const stat = statSync(path, { bigint: true });
      const born = stat.birthtimeNs > 0n ? stat.birthtimeNs : stat.ctimeNs;
      return `${stat.dev}:${stat.ino}:${born}`;
    } catch {
      return null;
    }
  },
};

/**
 * Status words of a READ / UPDATE BINARY that mean the sector is not (or no longer)
 * authenticated: the virtual card answers 69 82, ACS readers 63 00 (which they also give
 * on weak RF coupling). Either way the worker authenticates again, once.
 */
export const AUTHENTICATION_LOST: ReadonlySet<number> = new Set([SW.SECURITY_NOT_SATISFIED, SW.OPERATION_FAILED]);

/** responseMaxLength given to nfc-pcsc: a UID answer (≤ 10 bytes + SW), a block answer. */
const UID_RESPONSE_MAX = 12;
const BLOCK_RESPONSE_MAX = 64;

export class RequestFailure extends Error {
  constructor(
    readonly kind: 'gone' | 'io',
    message: string,
    /** The status word the card answered, when it answered one. */
    readonly sw: number | null = null,
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

/** A READ / UPDATE BINARY refused because the sector's authentication is gone. */
class AuthenticationLost extends RequestFailure {
  constructor(what: string, sw: number) {
    super('io', `${what}: status ${formatSw(sw)}`, sw);
    this.name = 'AuthenticationLost';
  }
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

type BlockMessage = Extract<ToWorker, { type: 'read' | 'write' }>;

export class PcscWorker {
  private state: ReaderState = { status: 'no_reader' };
  private reader: NfcReader | null = null;
  private presenceCounter = 0;
  private presence: Presence | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private watch: NodeJS.Timeout | null = null;
  private exiting = false;
  private stopped = false;
  private readonly keyA: Buffer;
  private readonly keyB: Buffer | null;
  private readonly pcscd: PcscdSocket;

  constructor(
    private readonly config: WorkerConfig,
    private readonly deps: WorkerDeps,
  ) {
    this.keyA = parseKey(config.keyA);
    this.keyB = config.keyB ? parseKey(config.keyB) : null;
    this.pcscd = deps.pcscd ?? unixPcscdSocket;
  }

  /** Waits for pcscd, then constructs the binding and listens for readers. */
  async start(): Promise<void> {
    this.report({ status: 'no_reader' });
    const probeMs = this.deps.probeIntervalMs ?? 200;
    while (!(await this.pcscd.probe(this.config.socketPath))) {
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, probeMs));
    }
    if (this.stopped) return;
    const identity = this.pcscd.identity(this.config.socketPath);
    this.log('info', `pcscd is up (${this.config.socketPath})`);
    // A pcscd restart replaces the socket: this worker's binding will not recover.
    this.watch = setInterval(() => {
      if (this.pcscd.identity(this.config.socketPath) !== identity) this.exitForRestart('pcscd went away');
    }, this.deps.watchIntervalMs ?? 250);
    this.watch.unref();

    const nfc = this.deps.createNfc();
    nfc.on('error', (error) => this.exitForRestart(`PC/SC error: ${error.message}`));
    nfc.on('reader', (reader) => this.attach(reader));
  }

  /** Stops watching pcscd (tests; the child process simply exits). */
  stop(): void {
    this.stopped = true;
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }

  handle(message: ToWorker): void {
    switch (message.type) {
      case 'init':
        return;
      case 'ping':
        this.deps.send({ type: 'pong', id: message.id });
        return;
      case 'read':
      case 'write': {
        const work = () => this.blockRequest(message);
        const run = this.queue.then(work, work);
        this.queue = run.catch(() => undefined);
        run.then(
          (data) => this.deps.send(data ? { type: 'ok', id: message.id, data } : { type: 'ok', id: message.id }),
          (error: unknown) => {
            const failure = error instanceof RequestFailure ? error : new RequestFailure('gone', String(error));
            this.deps.send({ type: 'fail', id: message.id, kind: failure.kind, message: failure.message });
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

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.deps.send({ type: 'log', level, message });
  }

  private report(state: ReaderState): void {
    this.state = state;
    this.deps.send({
      type: 'state',
      state,
      presence: this.presence?.id ?? -1,
      readerName: this.reader?.name ?? null,
      foreign: this.presence?.foreign ?? null,
    });
  }

  private exitForRestart(why: string): void {
    if (this.exiting) return;
    this.exiting = true;
    this.log('warn', `${why}: this worker stops so that a fresh one can start`);
    this.presence = null;
    this.report({ status: 'no_reader' });
    this.stop();
    // Let the IPC channel flush before leaving.
    setTimeout(() => this.deps.exit(EXIT_PCSCD_GONE), this.deps.exitDelayMs ?? 20);
  }

  private attach(reader: NfcReader): void {
    // Every reader gets an error listener: an EventEmitter 'error' without one kills us.
    reader.on('error', (error) => {
      if (this.reader === reader) this.log('warn', `reader error: ${error.message}`);
    });
    const wanted = this.config.readerName;
    if (this.reader || (wanted && !reader.name.includes(wanted))) {
      this.log('debug', `ignoring reader ${reader.name}`);
      return;
    }
    this.reader = reader;
    reader.autoProcessing = false;
    this.log('info', `using reader ${reader.name}`);
    reader.on('card', (card) => void this.onCard(reader, card));
    reader.on('card.off', () => this.onCardOff(reader));
    reader.on('end', () => {
      if (this.reader !== reader) return;
      this.log('warn', `reader ${reader.name} is gone`);
      this.reader = null;
      this.presence = null;
      this.report({ status: 'no_reader' });
    });
    this.report({ status: 'ready' });
  }

  private async onCard(reader: NfcReader, card: NfcCard): Promise<void> {
    if (this.reader !== reader) return;
    const id = ++this.presenceCounter;
    const family = card.atr ? classifyAtr(card.atr) : 'iso14443-4';
    const foreign = family === 'classic4k' ? null : FOREIGN_MESSAGES[family];
    this.presence = { id, foreign, keysLoaded: false, authenticated: null };
    let uid: string;
    try {
      const response = splitResponse(await reader.transmit(apdu.getUid(), UID_RESPONSE_MAX));
      if (!response || response.sw !== SW.OK || response.data.length < 4) {
        throw new Error(`the card did not give its number (${response ? formatSw(response.sw) : 'no status word'})`);
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

  private onCardOff(reader: NfcReader): void {
    if (this.reader !== reader) return;
    this.presence = null;
    this.report({ status: 'ready' });
  }

  /** Sends one APDU for the given presence; a lost card is 'gone', a malformed answer 'io'. */
  private async exchange(presence: Presence, command: Buffer, what: string): Promise<Response> {
    const reader = this.reader;
    if (!reader || this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
    let raw: Buffer;
    try {
      raw = await reader.transmit(command, BLOCK_RESPONSE_MAX);
    } catch (error) {
      throw new RequestFailure('gone', `${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
    if (raw.length === 0) throw new RequestFailure('gone', `${what}: no answer (card left?)`);
    const response = splitResponse(raw);
    if (!response) throw new RequestFailure('io', `${what}: malformed answer ${raw.toString('hex')}`);
    return response;
  }

  /** An APDU that must answer 90 00; any other status word is an 'io' failure carrying it. */
  private async expectOk(presence: Presence, command: Buffer, what: string): Promise<Buffer> {
    const response = await this.exchange(presence, command, what);
    if (response.sw !== SW.OK) throw new RequestFailure('io', `${what}: status ${formatSw(response.sw)}`, response.sw);
    return response.data;
  }

  /** READ / UPDATE BINARY: AuthenticationLost on 69 82 or 63 00, 'io' on other errors. */
  private async blockCommand(presence: Presence, command: Buffer, what: string): Promise<Buffer> {
    const response = await this.exchange(presence, command, what);
    if (AUTHENTICATION_LOST.has(response.sw)) throw new AuthenticationLost(what, response.sw);
    if (response.sw !== SW.OK) throw new RequestFailure('io', `${what}: status ${formatSw(response.sw)}`, response.sw);
    return response.data;
  }

  private async authenticate(presence: Presence, block: number, keyType: 'A' | 'B'): Promise<void> {
    const sector = sectorOfBlock(block);
    const current = presence.authenticated;
    if (current && current.sector === sector && current.keyType === keyType) return;
    if (!presence.keysLoaded) {
      await this.expectOk(presence, apdu.loadKey(0, this.keyA), 'LOAD KEY A');
      if (this.keyB) await this.expectOk(presence, apdu.loadKey(1, this.keyB), 'LOAD KEY B');
      presence.keysLoaded = true;
    }
    presence.authenticated = null;
    try {
      await this.expectOk(presence, apdu.authenticate(block, keyType, keyType === 'A' ? 0 : 1), 'AUTHENTICATE');
    } catch (error) {
      if (error instanceof RequestFailure && error.kind === 'io') {
        throw new RequestFailure(
          'io',
          `sector ${sector} does not open with the configured key ${keyType}: not a card of this system`,
          error.sw,
        );
      }
      throw error;
    }
    presence.authenticated = { sector, keyType };
  }

  private async blockRequest(message: BlockMessage): Promise<string | undefined> {
    const presence = this.presence;
    if (!presence || presence.id !== message.presence || this.state.status !== 'card_present') {
      throw new RequestFailure('gone', 'card left the reader');
    }
    if (presence.foreign) throw new RequestFailure('io', presence.foreign);
    try {
      return await this.blockOnce(presence, message);
    } catch (error) {
      // The card lost its authentication (a reset or power cycle from the reader between
      // two APDUs, or on ACS readers an RF hiccup): authenticate again, once.
      if (!(error instanceof AuthenticationLost)) throw error;
      this.log('info', `re-authenticating after ${error.message}`);
      presence.authenticated = null;
      return this.blockOnce(presence, message);
    }
  }

  private async blockOnce(presence: Presence, message: BlockMessage): Promise<string | undefined> {
    if (message.type === 'read') {
      await this.authenticate(presence, message.block, 'A');
      const data = await this.blockCommand(presence, apdu.readBinary(message.block), `READ BINARY ${message.block}`);
      if (data.length !== 16) throw new RequestFailure('io', `READ BINARY ${message.block}: ${data.length} bytes`);
      return data.toString('hex');
    }
    await this.authenticate(presence, message.block, this.keyB ? 'B' : 'A');
    await this.blockCommand(presence, apdu.updateBinary(message.block, Buffer.from(message.data, 'hex')), `UPDATE BINARY ${message.block}`);
    return undefined;
  }
}
