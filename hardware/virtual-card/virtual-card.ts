// A contactless card of our own on vsmartcard's virtual reader (vpcd): it connects to
// vpcd as a TCP client, answers the control messages (power, reset, ATR) and the PC/SC
// storage-card APDUs with MIFARE Classic semantics (keys checked against the sector
// trailers), and can be told to leave mid-conversation (a tear) or to answer garbage.
// Protocol: every message is a 2-byte big-endian length, then the payload; a 1-byte
// payload from vpcd is a control message, anything longer a command APDU.
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { BLOCK_SIZE } from '../card-reader.js';
import { isTrailerBlock, sectorOfBlock, sectorFirstBlock } from '../card-layout.js';
import { ATR } from '../pcsc/apdu.js';

export const VPCD_PORTS = [35963, 35964] as const;
export const CLASSIC_4K_BLOCKS = 256;
export const DEFAULT_KEY = 'ffffffffffff';
/** Transport configuration: key A and key B may read and write data blocks. */
const ACCESS_BITS = [0x7f, 0x07, 0x88, 0x69];

export type VirtualCardKind = 'classic4k' | 'classic1k' | 'ultralight' | 'desfire' | 'bankCard';

export interface VirtualCardOptions {
  readonly kind: VirtualCardKind;
  /** Hex; 4 bytes for Classic, 7 for Ultralight and DESFire. */
  readonly uid: string;
  /** The card's blocks (Classic only): exactly CLASSIC_4K_BLOCKS of 16 bytes, trailers included. */
  readonly blocks?: Uint8Array[];
  readonly host?: string;
  readonly port?: number;
}

const SW = {
  ok: [0x90, 0x00],
  authFailed: [0x63, 0x00],
  notAllowed: [0x69, 0x82],
  wrongParams: [0x6a, 0x86],
  notSupported: [0x6a, 0x81],
  insNotSupported: [0x6d, 0x00],
} as const;

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
  /** Command APDUs answered since the card was created. */
  apdus = 0;
  /** Every command APDU seen, hex, for tests and the CLI's --trace. */
  readonly trace: string[] = [];
  private socket: Socket | null = null;
  private tearAfter: number | null = null;
  private garbage = false;
  private keys = new Map<number, Buffer>();
  private authenticatedSector: number | null = null;
  private readonly host: string;
  private readonly port: number;

  constructor(options: VirtualCardOptions) {
    super();
    this.kind = options.kind;
    this.uid = Buffer.from(options.uid, 'hex');
    this.blocks = options.blocks ?? classicImage(new Map(), DEFAULT_KEY);
    if (this.blocks.length !== CLASSIC_4K_BLOCKS) throw new RangeError(`a card image has ${CLASSIC_4K_BLOCKS} blocks`);
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? VPCD_PORTS[0];
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
        this.keys.clear();
        this.authenticatedSector = null;
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
          this.authenticatedSector = null;
          return;
        case 0x04:
          this.send(socket, ATR[this.kind]);
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
    this.send(socket, this.answer(message));
  }

  private answer(command: Buffer): Uint8Array {
    const [cla, ins, p1, p2] = command;
    if (cla !== 0xff) return new Uint8Array(SW.insNotSupported);
    if (ins === 0xca && p1 === 0x00) return new Uint8Array([...this.uid, ...SW.ok]);
    const classic = this.kind === 'classic4k' || this.kind === 'classic1k';
    if (!classic) return new Uint8Array(SW.notSupported);
    switch (ins) {
      case 0x82: {
        // LOAD KEY: FF 82 00 <slot> 06 <key>
        if (command[4] !== 6 || command.length < 11 || p2 === undefined) return new Uint8Array(SW.wrongParams);
        this.keys.set(p2, Buffer.from(command.subarray(5, 11)));
        return new Uint8Array(SW.ok);
      }
      case 0x86: {
        // GENERAL AUTHENTICATE: FF 86 00 00 05 01 00 <block> <60|61> <slot>
        const block = command[7] ?? 0;
        const keyType = command[8];
        const key = this.keys.get(command[9] ?? -1);
        this.authenticatedSector = null;
        if (!key || block >= this.blockCount()) return new Uint8Array(SW.authFailed);
        const trailerBlock = this.blocks[this.trailerOf(block)] as Uint8Array;
        const expected = keyType === 0x60 ? trailerBlock.subarray(0, 6) : trailerBlock.subarray(10, 16);
        if (!key.equals(expected)) return new Uint8Array(SW.authFailed);
        this.authenticatedSector = sectorOfBlock(block);
        return new Uint8Array(SW.ok);
      }
      case 0xb0: {
        const block = p2 ?? 0;
        if (!this.mayAccess(block)) return new Uint8Array(SW.notAllowed);
        const data = (this.blocks[block] as Uint8Array).slice();
        // Keys never leave a real card: trailers read back with key A as zeros.
        if (isTrailerBlock(block)) data.fill(0, 0, 6);
        return new Uint8Array([...data, ...SW.ok]);
      }
      case 0xd6: {
        const block = p2 ?? 0;
        if (command[4] !== BLOCK_SIZE || command.length < 5 + BLOCK_SIZE) return new Uint8Array(SW.wrongParams);
        if (!this.mayAccess(block)) return new Uint8Array(SW.notAllowed);
        (this.blocks[block] as Uint8Array).set(command.subarray(5, 5 + BLOCK_SIZE));
        this.emit('written', [block]);
        return new Uint8Array(SW.ok);
      }
      default:
        return new Uint8Array(SW.insNotSupported);
    }
  }

  private blockCount(): number {
    return this.kind === 'classic1k' ? 64 : CLASSIC_4K_BLOCKS;
  }

  private trailerOf(block: number): number {
    const sector = sectorOfBlock(block);
    return sectorFirstBlock(sector) + (sector < 32 ? 3 : 15);
  }

  private mayAccess(block: number): boolean {
    return block < this.blockCount() && this.authenticatedSector === sectorOfBlock(block);
  }
}
