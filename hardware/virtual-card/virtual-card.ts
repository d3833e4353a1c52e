// A contactless card of our own on vsmartcard's virtual reader (vpcd): it connects to
// vpcd as a TCP client, answers the control messages (power, reset, ATR) and the PC/SC
// storage-card APDUs with MIFARE Classic semantics (keys checked against the sector
// trailers), and can be told to leave mid-conversation (a tear) or to answer garbage.
// Protocol: every message is a 2-byte big-endian length, then the payload; a 1-byte
// payload from vpcd is a control message, anything longer a command APDU.
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { BLOCK_SIZE } from '../card-reader.js';
import { isTrailerBlock } from '../card-layout.js';
import { Chip, CLASSIC_4K_BLOCKS, DEFAULT_KEY, ReaderSession, TRANSPORT_ACCESS_BITS, type ReaderModel, type VirtualCardKind } from './chip.js';

export { CLASSIC_4K_BLOCKS, DEFAULT_KEY, ReaderSession, type ReaderModel, type VirtualCardKind } from './chip.js';

export const VPCD_PORTS = [35963, 35964] as const;
const ACCESS_BITS = TRANSPORT_ACCESS_BITS;

/** The reader session of each vpcd port in this process: cards tapped at one reader share
 * its key slots, as on a real reader (kept until it is unplugged, i.e. this process ends). */
const sessions = new Map<number, ReaderSession>();
export function readerSession(port: number, model?: ReaderModel): ReaderSession {
  let session = sessions.get(port);
  if (!session || (model && session.model !== model)) {
    session = new ReaderSession(model);
    sessions.set(port, session);
  }
  return session;
}

export interface VirtualCardOptions {
  readonly kind: VirtualCardKind;
  /** Hex; 4 bytes for Classic, 7 for Ultralight and DESFire. */
  readonly uid: string;
  /** The card's blocks (Classic only): exactly CLASSIC_4K_BLOCKS of 16 bytes, trailers included. */
  readonly blocks?: Uint8Array[];
  readonly host?: string;
  readonly port?: number;
  /** The reader the card is held to (its key slots, its model); by default the port's. */
  readonly session?: ReaderSession;
}

/** The sector trailer for the given keys, with transport access bits. */
export function trailer(keyA: string, keyB: string = DEFAULT_KEY): Uint8Array {
  return new Uint8Array([...Buffer.from(keyA, 'hex'), ...ACCESS_BITS, ...Buffer.from(keyB, 'hex')]);
}

/** A Classic 4K image: the given data blocks, every trailer set to the given keys. */
export function classicImage(data: ReadonlyMap<number, Uint8Array>, keyA: string, keyB?: string): Uint8Array[] {
  const blocks = Array.from({ length: CLASSIC_4K_BLOCKS }, (_, n) =>
    isTrailerBlock(n) ? trailer(keyA, keyB) : new Uint8Array(BLOCK_SIZE),
  );
  for (const [n, bytes] of data) {
    if (isTrailerBlock(n) || bytes.length !== BLOCK_SIZE || !blocks[n]) throw new RangeError(`bad data block ${n}`);
    blocks[n] = bytes.slice();
  }
  return blocks;
}

export interface VirtualCardEvents {
  /** The socket closed: the card is off the reader. */
  gone: [];
  /** An UPDATE BINARY changed the card's memory (the block numbers written). */
  written: [blocks: number[]];
}

export class VirtualCard extends EventEmitter<VirtualCardEvents> {
  readonly kind: VirtualCardKind;
  readonly uid: Buffer;
  readonly blocks: Uint8Array[];
  readonly chip: Chip;
  /** Command APDUs answered since the card was created. */
  apdus = 0;
  /** Every command APDU seen, hex, for tests and the CLI's --trace. */
  readonly trace: string[] = [];
  private socket: Socket | null = null;
  private tearAfter: number | null = null;
  private garbage = false;
  private readonly host: string;
  private readonly port: number;

  constructor(options: VirtualCardOptions) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? VPCD_PORTS[0];
    this.chip = new Chip({
      kind: options.kind,
      uid: options.uid,
      ...(options.blocks ? { blocks: options.blocks } : {}),
      session: options.session ?? readerSession(this.port),
    });
    this.chip.onWrite = (blocks) => this.emit('written', blocks);
    this.kind = this.chip.kind;
    this.uid = this.chip.uid;
    this.blocks = this.chip.blocks;
  }

  get onReader(): boolean {
    return this.socket !== null;
  }

  /** Holds the card to the reader: connects to vpcd. Resolves once connected. */
  tap(): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port, noDelay: true });
      let pending = Buffer.alloc(0);
      socket.once('connect', () => {
        this.socket = socket;
        this.chip.reset();
        resolve();
      });
      socket.once('error', (error) => {
        if (this.socket !== socket) reject(error);
      });
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2) {
          const length = pending.readUInt16BE(0);
          if (pending.length < 2 + length) break;
          const message = pending.subarray(2, 2 + length);
          pending = pending.subarray(2 + length);
          if (this.socket !== socket) return;
          this.receive(socket, message);
        }
      });
      socket.once('close', () => {
        if (this.socket === socket) {
          this.socket = null;
          this.emit('gone');
        }
      });
    });
  }

  /** Takes the card away. Resolves when the connection is closed. */
  remove(): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  /** The card answers `n` more APDUs, then leaves instead of answering the next one. */
  tearAfterApdus(n: number | null): void {
    this.tearAfter = n;
  }

  /** An RF error (63 00) at the n-th APDU from now (0: the next); `halt`: then 63 00 to
   * everything until the reader resets the card (as a real card halts). */
  injectRfError(n: number, options: { halt?: boolean } = {}): void {
    this.chip.injectRfError(n, options);
  }

  /** Answer every APDU with a byte of noise (a damaged card or a bad antenna contact). */
  answerGarbage(on: boolean): void {
    this.garbage = on;
  }

  private send(socket: Socket, payload: Uint8Array): void {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  }

  private receive(socket: Socket, message: Buffer): void {
    if (message.length === 1) {
      switch (message[0]) {
        case 0x00: // power off
        case 0x01: // power on
        case 0x02: // reset
          this.chip.reset();
          return;
        case 0x04:
          this.send(socket, this.chip.atr);
          return;
        default:
          return;
      }
    }
    this.apdus++;
    this.trace.push(message.toString('hex'));
    if (this.tearAfter !== null) {
      if (this.tearAfter === 0) {
        this.tearAfter = null;
        socket.destroy();
        if (this.socket === socket) {
          this.socket = null;
          this.emit('gone');
        }
        return;
      }
      this.tearAfter--;
    }
    if (this.garbage) {
      this.send(socket, Buffer.from([0x6f]));
      return;
    }
    this.send(socket, this.chip.answer(message));
  }
}
