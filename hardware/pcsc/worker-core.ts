// The PC/SC worker's logic, free of process wiring: it is given a factory for the
// nfc-pcsc binding and a function that sends messages to the supervisor. worker.ts wires
// the real binding and process.send for the child process; unit tests wire a fake
// reader that plays recorded APDU exchanges (testing/fake-nfc.ts).
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { sectorOfBlock } from '../card-layout.js';
import { sameReaderState, type ReaderState } from '../card-reader.js';
import { apdu, classifyAtr, formatSw, parseKey, PCSC_ERROR, pcscErrorCode, splitResponse, SW, swKind, type CardFamily, type Response } from './apdu.js';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

/** Exit code that asks the supervisor for a fresh worker (pcscd went away). */
export const EXIT_PCSCD_GONE = 75;

/** What a card event carries (nfc-pcsc with autoProcessing off). */
export interface NfcCard {
  readonly atr?: Buffer;
}

/**
 * The reader as the worker uses it: raw APDUs only (autoProcessing off), over a connection
 * that holds the card exclusively (nfc-binding.ts makes nfc-pcsc's shared connect
 * exclusive), so that no other PC/SC client's LOAD KEY, AUTHENTICATE or reset lands
 * between ours.
 */
export interface NfcReader {
  readonly name: string;
  autoProcessing: boolean;
  transmit(command: Buffer, responseMaxLength: number): Promise<Buffer>;
  /** Connects to the card on the reader (exclusively) after a failed connect; its ATR. */
  connect(): Promise<NfcCard>;
  /** Drops the connection (leaving the card as it is) and connects again, exclusively. */
  reconnect(): Promise<void>;
  on(event: 'card', listener: (card: NfcCard) => void): unknown;
  on(event: 'card.off', listener: () => void): unknown;
  /** A card arrived but connecting to it failed (a sharing violation: another program holds it). */
  on(event: 'connect.error', listener: (error: Error) => void): unknown;
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
  /** While another program holds the card: how often to try connecting again. */
  readonly connectRetryMs?: number;
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

/** responseMaxLength given to nfc-pcsc: a UID answer (≤ 10 bytes + SW), a block answer. */
const UID_RESPONSE_MAX = 12;
const BLOCK_RESPONSE_MAX = 64;
/** A multi-block READ: up to 15 blocks (240 bytes, a large sector's data) + SW. */
const MULTI_RESPONSE_MAX = 15 * 16 + 2;
/** Readers that read and write several blocks of a sector with one READ / UPDATE BINARY
 * (ACS ACR1252U; the ACR122U takes 16 bytes only). */
const MULTI_BLOCK_READERS = /ACR1252/i;
/** UIDs that opened with our keys, remembered so that a failed authentication of one is
 * never taken for a foreign card. */
const KNOWN_UIDS_KEPT = 256;

export const READER_IN_USE_MESSAGE =
  'another program is using the reader (PC/SC sharing violation): close it (pcsc_scan, a browser, another kiosk) so that the kiosk can read cards';

export class RequestFailure extends Error {
  constructor(
    readonly kind: 'gone' | 'unsteady' | 'io',
    message: string,
    /** The status word the card answered, when it answered one. */
    readonly sw: number | null = null,
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

/**
 * 63 00 or 69 82 to a LOAD KEY, AUTHENTICATE, READ or UPDATE (authentication lost, an RF
 * error, a wrong key), or a card reset by another party: the conversation is recovered
 * once (reconnect, keys, authenticate, the command again).
 */
class Recoverable extends RequestFailure {
  constructor(
    message: string,
    sw: number | null,
    /** An AUTHENTICATE that failed: on a card never opened, the keys may just not fit. */
    readonly authentication: boolean,
  ) {
    super('unsteady', message, sw);
    this.name = 'Recoverable';
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
  uid: string | null;
  authenticated: { sector: number; keyType: 'A' | 'B' } | null;
  /** A sector opened with our keys during this presence: the card is ours. */
  opened: boolean;
}

type BlockMessage = Extract<ToWorker, { type: 'read' | 'readMany' | 'write' | 'writeMany' }>;

export class PcscWorker {
  private state: ReaderState = { status: 'no_reader' };
  private reader: NfcReader | null = null;
  private presenceCounter = 0;
  private presence: Presence | null = null;
  /** The reader has a card that another program holds: retrying the connect. */
  private held: { readonly reader: NfcReader; timer: NodeJS.Timeout | null } | null = null;
  private readonly knownUids = new Set<string>();
  /**
   * The reader's key slots hold our keys. They belong to the reader, not the card: loaded
   * once per reader session and kept across taps (ACS readers keep them until unplugged),
   * loaded again after a recovery (a 63 00 may mean that another program replaced them)
   * and when another program held a card on the reader (it may have loaded its own).
   */
  private keysLoaded = false;
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
    this.stopRetrying();
  }

  handle(message: ToWorker): void {
    switch (message.type) {
      case 'init':
        return;
      case 'ping':
        this.deps.send({ type: 'pong', id: message.id });
        return;
      case 'read':
      case 'readMany':
      case 'write':
      case 'writeMany': {
        const work = () => this.blockRequest(message);
        const run = this.queue.then(work, work);
        this.queue = run.catch(() => undefined);
        run.then(
          (data) => this.deps.send(data ? { type: 'ok', id: message.id, data } : { type: 'ok', id: message.id }),
          (error: unknown) => {
            const failure = error instanceof RequestFailure ? error : new RequestFailure('gone', String(error));
            // 'unsteady' on the wire is what is left of a Recoverable after its one recovery.
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

  private stopRetrying(): void {
    if (this.held?.timer) clearTimeout(this.held.timer);
    this.held = null;
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
    this.keysLoaded = false;
    reader.autoProcessing = false;
    this.log('info', `using reader ${reader.name}`);
    reader.on('card', (card) => {
      if (this.held?.reader === reader) this.stopRetrying();
      void this.onCard(reader, card);
    });
    reader.on('card.off', () => this.onCardOff(reader));
    reader.on('connect.error', (error) => this.onConnectError(reader, error));
    reader.on('end', () => {
      if (this.reader !== reader) return;
      this.log('warn', `reader ${reader.name} is gone`);
      this.reader = null;
      this.presence = null;
      this.stopRetrying();
      this.report({ status: 'no_reader' });
    });
    this.report({ status: 'ready' });
  }

  /**
   * A card arrived but the binding could not connect to it. A sharing violation means
   * another program holds the card: a reader fault for the technician, and the worker
   * tries again until that program lets go or the card leaves.
   */
  private onConnectError(reader: NfcReader, error: Error): void {
    if (this.reader !== reader) return;
    this.presence = null;
    const inUse = pcscErrorCode(error) === PCSC_ERROR.SHARING_VIOLATION;
    // Whoever holds the card can load keys into the reader's slots.
    if (inUse) this.keysLoaded = false;
    const next: ReaderState = inUse
      ? { status: 'card_error', error: READER_IN_USE_MESSAGE, fault: 'readerInUse' }
      : { status: 'card_error', error: 'could not connect to the card: take the card away and hold it still against the reader' };
    // Logged once per fault, not at every retry.
    if (!sameReaderState(this.state, next)) this.log('warn', `${inUse ? READER_IN_USE_MESSAGE : 'could not connect to the card'}: ${error.message}`);
    this.report(next);
    if (this.held?.timer) return;
    const held: { readonly reader: NfcReader; timer: NodeJS.Timeout | null } = { reader, timer: null };
    this.held = held;
    const retry = () => {
      held.timer = null;
      if (this.held !== held || this.stopped) return;
      reader.connect().then(
        (card) => {
          if (this.held !== held) return;
          this.stopRetrying();
          void this.onCard(reader, card);
        },
        (again: unknown) => {
          if (this.held !== held) return;
          this.onConnectError(reader, again instanceof Error ? again : new Error(String(again)));
        },
      );
    };
    held.timer = setTimeout(retry, this.deps.connectRetryMs ?? 300);
  }

  private async onCard(reader: NfcReader, card: NfcCard): Promise<void> {
    if (this.reader !== reader) return;
    const id = ++this.presenceCounter;
    const family = card.atr ? classifyAtr(card.atr) : 'iso14443-4';
    const foreign = family === 'classic4k' ? null : FOREIGN_MESSAGES[family];
    const presence: Presence = { id, foreign, uid: null, authenticated: null, opened: false };
    this.presence = presence;
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
    presence.uid = uid;
    this.report({ status: 'card_present', uid });
  }

  private onCardOff(reader: NfcReader): void {
    if (this.reader !== reader) return;
    this.presence = null;
    this.stopRetrying();
    this.report({ status: 'ready' });
  }

  /** Sends one APDU for the given presence; a lost card is 'gone', a malformed answer 'io',
   * a card reset by another program Recoverable. */
  private async exchange(presence: Presence, command: Buffer, what: string, responseMax = BLOCK_RESPONSE_MAX): Promise<Response> {
    const reader = this.reader;
    if (!reader || this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
    let raw: Buffer;
    try {
      raw = await reader.transmit(command, responseMax);
    } catch (error) {
      const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
      if (this.presence === presence && pcscErrorCode(error) === PCSC_ERROR.RESET_CARD) {
        throw new Recoverable(`${message} (the card was reset)`, null, false);
      }
      throw new RequestFailure('gone', message);
    }
    if (this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
    if (raw.length === 0) throw new RequestFailure('gone', `${what}: no answer (card left?)`);
    const response = splitResponse(raw);
    if (!response) throw new RequestFailure('io', `${what}: malformed answer ${raw.toString('hex')}`);
    return response;
  }

  /**
   * An APDU that must answer 90 00. 63 00 / 69 82 (authentication lost, an RF error, a
   * key that does not fit) are Recoverable; any other status word an 'io' failure.
   */
  private async expectOk(presence: Presence, command: Buffer, what: string, authentication = false, responseMax?: number): Promise<Buffer> {
    const response = await this.exchange(presence, command, what, responseMax);
    const kind = swKind(response.sw);
    if (kind === 'ok') return response.data;
    if (kind === 'authLostOrRf') throw new Recoverable(`${what}: status ${formatSw(response.sw)}`, response.sw, authentication);
    throw new RequestFailure('io', `${what}: status ${formatSw(response.sw)}`, response.sw);
  }

  /**
   * Authenticates the block's sector with `keyType`, unless it is already. A read takes the
   * sector as it is authenticated with either key: wherever key A may read a data block,
   * key B may too (MIFARE Classic access conditions), so the read-back after a write
   * needs no second authentication.
   */
  private async authenticate(presence: Presence, block: number, keyType: 'A' | 'B', forRead = false): Promise<void> {
    const sector = sectorOfBlock(block);
    const current = presence.authenticated;
    if (current && current.sector === sector && (current.keyType === keyType || forRead)) return;
    if (!this.keysLoaded) {
      await this.expectOk(presence, apdu.loadKey(0, this.keyA), 'LOAD KEY A');
      if (this.keyB) await this.expectOk(presence, apdu.loadKey(1, this.keyB), 'LOAD KEY B');
      this.keysLoaded = true;
    }
    presence.authenticated = null;
    await this.expectOk(presence, apdu.authenticate(block, keyType, keyType === 'A' ? 0 : 1), `AUTHENTICATE sector ${sector} with key ${keyType}`, true);
    presence.authenticated = { sector, keyType };
    if (!presence.opened) {
      presence.opened = true;
      if (presence.uid) this.rememberUid(presence.uid);
    }
  }

  private rememberUid(uid: string): void {
    this.knownUids.delete(uid);
    this.knownUids.add(uid);
    if (this.knownUids.size > KNOWN_UIDS_KEPT) {
      const oldest = this.knownUids.values().next().value;
      if (oldest !== undefined) this.knownUids.delete(oldest);
    }
  }

  /** The card has opened with our keys, now or at an earlier tap: it is ours. */
  private isOurs(presence: Presence): boolean {
    return presence.opened || (presence.uid !== null && this.knownUids.has(presence.uid));
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
      if (!(error instanceof Recoverable)) throw error;
      // The card lost its authentication (an RF hiccup, a reset between two APDUs) or a
      // key slot no longer holds our key: one fresh connection, the keys, authenticate.
      this.log('info', `reconnecting and authenticating again after ${error.message}`);
      await this.recover(presence);
      try {
        return await this.blockOnce(presence, message);
      } catch (again) {
        if (!(again instanceof Recoverable)) throw again;
        if (again.authentication && !this.isOurs(presence)) {
          throw new RequestFailure(
            'io',
            `${again.message}: the sector does not open with the configured keys: not a card of this system`,
            again.sw,
          );
        }
        throw new RequestFailure('unsteady', `${again.message} after reconnecting: hold the card still and try again`, again.sw);
      }
    }
  }

  private async recover(presence: Presence): Promise<void> {
    const reader = this.reader;
    if (!reader || this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
    presence.authenticated = null;
    this.keysLoaded = false;
    try {
      await reader.reconnect();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (pcscErrorCode(error) === PCSC_ERROR.SHARING_VIOLATION) {
        throw new RequestFailure('unsteady', `reconnecting: ${READER_IN_USE_MESSAGE}`);
      }
      throw new RequestFailure('gone', `reconnecting: ${message}`);
    }
    if (this.presence !== presence) throw new RequestFailure('gone', 'card left the reader');
  }

  /** Several blocks with one READ / UPDATE BINARY where the reader can (ACR1252U), else one by one. */
  private multiBlock(): boolean {
    return this.config.multiBlock ?? MULTI_BLOCK_READERS.test(this.reader?.name ?? '');
  }

  private async blockOnce(presence: Presence, message: BlockMessage): Promise<string | undefined> {
    if (message.type === 'read') {
      await this.authenticate(presence, message.block, 'A', true);
      const data = await this.expectOk(presence, apdu.readBinary(message.block), `READ BINARY ${message.block}`);
      if (data.length !== 16) throw new RequestFailure('io', `READ BINARY ${message.block}: ${data.length} bytes`);
      return data.toString('hex');
    }
    if (message.type === 'write') {
      await this.authenticate(presence, message.block, this.keyB ? 'B' : 'A');
      await this.expectOk(presence, apdu.updateBinary(message.block, Buffer.from(message.data, 'hex')), `UPDATE BINARY ${message.block}`);
      return undefined;
    }
    const count = message.type === 'readMany' ? message.count : message.data.length / 32;
    const last = message.block + count - 1;
    if (sectorOfBlock(last) !== sectorOfBlock(message.block)) {
      throw new RequestFailure('io', `blocks ${message.block}–${last} are not in one sector`);
    }
    const several = this.multiBlock() && count > 1;
    if (message.type === 'writeMany') {
      await this.authenticate(presence, message.block, this.keyB ? 'B' : 'A');
      const data = Buffer.from(message.data, 'hex');
      if (several) {
        // One UPDATE of exactly these blocks (a tear may leave some of them written: the
        // layout's checksum tells; no block outside them is touched).
        await this.expectOk(presence, apdu.updateBinary(message.block, data), `UPDATE BINARY ${message.block}–${last}`);
        return undefined;
      }
      for (let i = 0; i < count; i++) {
        const block = message.block + i;
        await this.expectOk(presence, apdu.updateBinary(block, data.subarray(i * 16, (i + 1) * 16)), `UPDATE BINARY ${block}`);
      }
      return undefined;
    }
    await this.authenticate(presence, message.block, 'A', true);
    if (several) {
      const what = `READ BINARY ${message.block}–${last}`;
      const data = await this.expectOk(presence, apdu.readBinary(message.block, 16 * count), what, false, MULTI_RESPONSE_MAX);
      if (data.length !== 16 * count) throw new RequestFailure('io', `${what}: ${data.length} bytes`);
      return data.toString('hex');
    }
    const parts: Buffer[] = [];
    for (let block = message.block; block <= last; block++) {
      const data = await this.expectOk(presence, apdu.readBinary(block), `READ BINARY ${block}`);
      if (data.length !== 16) throw new RequestFailure('io', `READ BINARY ${block}: ${data.length} bytes`);
      parts.push(data);
    }
    return Buffer.concat(parts).toString('hex');
  }
}
