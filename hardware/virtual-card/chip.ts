// What the virtual card answers, as strict as an ACS reader with a real card behind it
// (ACR122U API 2.02/2.04, ACM1252U-Y3 reference 1.03, the MIFARE Classic datasheet's access
// conditions): the PC/SC storage-card pseudo-APDUs, answered in-process, without vpcd.
// VirtualCard (virtual-card.ts) puts this on vsmartcard's reader; tests drive it directly.
// ../shared/notes/virtual-card-vs-readers.md lists what was looser before; chip.test.ts has
// a test for each of its rows.
//
// The reader's key slots belong to the reader, not the card: a ReaderSession holds them
// (loaded keys stay until the reader is unplugged, a never-loaded slot holds FF…FF), and
// every card on that reader shares it.
import { BLOCK_SIZE } from '../card-reader.js';
import { isTrailerBlock, sectorFirstBlock, sectorOfBlock } from '../card-layout.js';
import { ATR } from '../pcsc/apdu.js';

export type VirtualCardKind = 'classic4k' | 'classic1k' | 'ultralight' | 'desfire' | 'bankCard';

/** ACR122U: one 16-byte block per READ / UPDATE; ACR1252U: several blocks of one sector
 * (a multiple of 16 bytes, up to 240 in the 4K's large sectors 32–39). */
export type ReaderModel = 'acr122u' | 'acr1252u';

export const CLASSIC_4K_BLOCKS = 256;
export const DEFAULT_KEY = 'ffffffffffff';
/** Transport configuration: data blocks r/w with key A or B (C=000); the trailer C=011:
 * keys and access bits written with key B only, access bits readable, key B never. */
export const TRANSPORT_ACCESS_BITS = [0x7f, 0x07, 0x88, 0x69] as const;

const OK = [0x90, 0x00];
const FAILED = [0x63, 0x00];
const FUNCTION_NOT_SUPPORTED = [0x6a, 0x81];
const END_OF_DATA = [0x62, 0x82];

export const FIRMWARE: Record<ReaderModel, string> = { acr122u: 'ACR122U215', acr1252u: 'ACR1252U_V1.17' };

/** The reader's volatile key slots 00h and 01h, shared by every card and client of a reader. */
export class ReaderSession {
  readonly keys: Buffer[] = [Buffer.from(DEFAULT_KEY, 'hex'), Buffer.from(DEFAULT_KEY, 'hex')];
  constructor(readonly model: ReaderModel = 'acr122u') {}
}

/** Block 0 of a MIFARE Classic: UID0–3, BCC (their XOR), SAK, ATQA, manufacturer data. */
export function manufacturerBlock(uid: Uint8Array, kind: 'classic4k' | 'classic1k' = 'classic4k'): Uint8Array {
  const block = new Uint8Array(BLOCK_SIZE);
  const four = uid.subarray(0, 4);
  block.set(four, 0);
  block[4] = four.reduce((x, b) => x ^ b, 0);
  block[5] = kind === 'classic4k' ? 0x18 : 0x08; // SAK
  block[6] = kind === 'classic4k' ? 0x02 : 0x04; // ATQA, as stored (LSB first)
  block[7] = 0x00;
  block.set([0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69], 8); // manufacturer data
  return block;
}

/** Access bits C1 C2 C3 of block `index` (0–3: data blocks 0–2 or their group, 3 the trailer);
 * null when the inverted copies do not match (a sector bricked on a real card). */
export function accessCondition(bits: Uint8Array, index: number): number | null {
  const [b6 = 0, b7 = 0, b8 = 0] = bits;
  const c1 = (b7 >> (4 + index)) & 1;
  const c2 = (b8 >> index) & 1;
  const c3 = (b8 >> (4 + index)) & 1;
  const n1 = (b6 >> index) & 1;
  const n2 = (b6 >> (4 + index)) & 1;
  const n3 = (b7 >> index) & 1;
  if (n1 === c1 || n2 === c2 || n3 === c3) return null;
  return (c1 << 2) | (c2 << 1) | c3;
}

export function validAccessBits(bits: Uint8Array): boolean {
  return [0, 1, 2, 3].every((i) => accessCondition(bits, i) !== null);
}

type Key = 'A' | 'B';
type Who = 'A' | 'B' | 'AB' | 'never';
const may = (who: Who, key: Key) => who === 'AB' || who === key;

/** Data blocks: [read, write] per access condition (MIFARE Classic datasheet, table 8). */
const DATA_ACCESS: Record<number, [Who, Who]> = {
  0b000: ['AB', 'AB'],
  0b010: ['AB', 'never'],
  0b100: ['AB', 'B'],
  0b110: ['AB', 'B'],
  0b001: ['AB', 'never'],
  0b011: ['B', 'B'],
  0b101: ['B', 'never'],
  0b111: ['never', 'never'],
};
/** Trailer: [write key A, read access bits, write access bits, read key B, write key B] (table 7). */
const TRAILER_ACCESS: Record<number, [Who, Who, Who, Who, Who]> = {
  0b000: ['A', 'A', 'never', 'A', 'A'],
  0b010: ['never', 'A', 'never', 'A', 'never'],
  0b100: ['B', 'AB', 'never', 'never', 'B'],
  0b110: ['never', 'AB', 'never', 'never', 'never'],
  0b001: ['A', 'A', 'A', 'A', 'A'],
  0b011: ['B', 'AB', 'B', 'never', 'B'],
  0b101: ['never', 'AB', 'B', 'never', 'never'],
  0b111: ['never', 'AB', 'never', 'never', 'never'],
};

export interface ChipOptions {
  readonly kind: VirtualCardKind;
  /** Hex; 4 bytes for Classic, 7 for Ultralight and DESFire. */
  readonly uid: string;
  /** Classic: the card's blocks, trailers included (block 0 is made from the UID when all zero).
   * Ultralight: 16 pages of 4 bytes, as 4 blocks of 16. */
  readonly blocks?: Uint8Array[];
  readonly session?: ReaderSession;
}

/** A contactless card on an ACS reader, answering APDUs. */
export class Chip {
  readonly kind: VirtualCardKind;
  readonly uid: Buffer;
  readonly blocks: Uint8Array[];
  readonly session: ReaderSession;
  /** Called with the block numbers an UPDATE BINARY changed. */
  onWrite: ((blocks: number[]) => void) | null = null;
  private authenticated: { sector: number; key: Key } | null = null;
  /** An RF error (63 00) at the n-th APDU from now (0: the next). */
  private rfErrorIn: number | null = null;
  private haltOnRfError = false;
  /** After an RF error that halted the card: 63 00 to everything until a reset. */
  private halted = false;

  constructor(options: ChipOptions) {
    this.kind = options.kind;
    this.uid = Buffer.from(options.uid, 'hex');
    this.session = options.session ?? new ReaderSession();
    const classic = this.kind === 'classic4k' || this.kind === 'classic1k';
    this.blocks = options.blocks ?? (classic ? blankClassic() : Array.from({ length: 4 }, () => new Uint8Array(BLOCK_SIZE)));
    if (classic) {
      if (this.blocks.length !== CLASSIC_4K_BLOCKS) throw new RangeError(`a card image has ${CLASSIC_4K_BLOCKS} blocks`);
      const zero = this.blocks[0]?.every((b) => b === 0) ?? true;
      if (zero) this.blocks[0] = manufacturerBlock(this.uid, this.kind === 'classic1k' ? 'classic1k' : 'classic4k');
    }
  }

  get atr(): Buffer {
    return ATR[this.kind];
  }

  /** The field was switched off and on, or the reader reset the card: authentication gone. */
  reset(): void {
    this.authenticated = null;
    this.halted = false;
  }

  /**
   * The n-th APDU from now (0: the next) is answered 63 00, as an ACS reader does on weak RF
   * coupling; `halt`: the card then stops answering (63 00) until it is reset.
   */
  injectRfError(n: number, { halt = false }: { halt?: boolean } = {}): void {
    this.rfErrorIn = n;
    this.haltOnRfError = halt;
  }

  answer(command: Uint8Array): Uint8Array {
    if (this.rfErrorIn !== null) {
      if (this.rfErrorIn === 0) {
        this.rfErrorIn = null;
        this.authenticated = null;
        if (this.haltOnRfError) this.halted = true;
        return new Uint8Array(FAILED);
      }
      this.rfErrorIn--;
    }
    const [cla, ins, p1 = 0, p2 = 0] = command;
    if (cla !== 0xff) return sw(FUNCTION_NOT_SUPPORTED);
    // Reader pseudo-APDUs, answered by the reader whatever the card.
    if (ins === 0x00 && p1 === 0x48) return new Uint8Array([...Buffer.from(FIRMWARE[this.session.model], 'ascii'), ...OK]);
    if (ins === 0x00 && p1 === 0x40) return new Uint8Array([0x90, 0x00]);
    if (this.halted) return sw(FAILED);
    if (ins === 0xca) return this.getData(command);
    if (this.kind === 'ultralight') return this.ultralight(command);
    if (this.kind !== 'classic4k' && this.kind !== 'classic1k') return sw(FUNCTION_NOT_SUPPORTED);
    switch (ins) {
      case 0x82:
        return this.loadKey(command);
      case 0x86:
        return this.generalAuthenticate(command);
      case 0x88:
        // Obsolete AUTHENTICATE: FF 88 00 <block> <60|61> <slot>
        return this.authenticate(p2, command[4], command[5], p1 === 0x00 && command.length === 6);
      case 0xb0:
        return this.read(p1, p2, command.length === 5 ? (command[4] ?? 0) : -1);
      case 0xd6:
        return this.update(p1, p2, command);
      default:
        return sw(FAILED);
    }
  }

  private getData(command: Uint8Array): Uint8Array {
    const [, , p1, p2, le] = command;
    if (p2 !== 0x00 || command.length !== 5) return sw(FUNCTION_NOT_SUPPORTED);
    // P1 01: the ATS of an ISO 14443-4 card; a Classic or Ultralight has none.
    if (p1 !== 0x00) return sw(FUNCTION_NOT_SUPPORTED);
    const length = le ?? 0;
    if (length === 0 || length === this.uid.length) return new Uint8Array([...this.uid, ...OK]);
    if (length < this.uid.length) return sw([0x6c, this.uid.length]);
    return new Uint8Array([...this.uid, ...END_OF_DATA]);
  }

  private loadKey(command: Uint8Array): Uint8Array {
    // FF 82 00 <slot 00|01> 06 <key>: P1 00 = volatile; anything else is reserved here.
    const [, , p1, slot = 0xff, lc] = command;
    if (p1 !== 0x00 || slot > 0x01 || lc !== 0x06 || command.length !== 11) return sw(FAILED);
    this.session.keys[slot] = Buffer.from(command.subarray(5, 11));
    return sw(OK);
  }

  private generalAuthenticate(command: Uint8Array): Uint8Array {
    // FF 86 00 00 05 01 00 <block> <60|61> <slot>
    const [, , p1, p2, lc, version, msb, block = 0, keyType, slot] = command;
    const wellFormed = p1 === 0 && p2 === 0 && lc === 5 && command.length === 10 && version === 0x01 && msb === 0x00;
    return this.authenticate(block, keyType, slot, wellFormed);
  }

  private authenticate(block: number, keyType: number | undefined, slot: number | undefined, wellFormed: boolean): Uint8Array {
    this.authenticated = null;
    if (!wellFormed || (keyType !== 0x60 && keyType !== 0x61) || slot === undefined || slot > 0x01) return sw(FAILED);
    if (block >= this.blockCount()) return sw(FAILED);
    const key = this.session.keys[slot];
    const trailer = this.blocks[this.trailerOf(block)] as Uint8Array;
    const expected = keyType === 0x60 ? trailer.subarray(0, 6) : trailer.subarray(10, 16);
    if (!key?.equals(expected)) return sw(FAILED);
    this.authenticated = { sector: sectorOfBlock(block), key: keyType === 0x60 ? 'A' : 'B' };
    return sw(OK);
  }

  /** The blocks of a READ / UPDATE of `length` bytes from `block`, or null when the reader refuses. */
  private span(p1: number, block: number, length: number): number[] | null {
    if (p1 !== 0x00 || length <= 0 || length % BLOCK_SIZE !== 0) return null;
    const count = length / BLOCK_SIZE;
    if (this.session.model === 'acr122u' ? count !== 1 : count > 15) return null;
    const last = block + count - 1;
    if (last >= this.blockCount() || sectorOfBlock(last) !== sectorOfBlock(block)) return null;
    return Array.from({ length: count }, (_, i) => block + i);
  }

  private read(p1: number, block: number, le: number): Uint8Array {
    const blocks = this.span(p1, block, le === 0 ? 256 : le);
    const auth = this.authenticated;
    if (!blocks || !auth || auth.sector !== sectorOfBlock(block)) return sw(FAILED);
    const out: number[] = [];
    for (const n of blocks) {
      const data = (this.blocks[n] as Uint8Array).slice();
      if (isTrailerBlock(n)) {
        const condition = accessCondition(data.subarray(6, 10), 3);
        const rules = condition === null ? null : TRAILER_ACCESS[condition];
        data.fill(0, 0, 6); // key A is never readable
        if (!rules || !may(rules[1], auth.key)) data.fill(0, 6, 10);
        if (!rules || !may(rules[3], auth.key)) data.fill(0, 10, 16);
      } else {
        const rules = this.dataRules(n);
        if (!rules || !may(rules[0], auth.key)) return sw(FAILED);
      }
      out.push(...data);
    }
    return new Uint8Array([...out, ...OK]);
  }

  private update(p1: number, block: number, command: Uint8Array): Uint8Array {
    const lc = command[4] ?? 0;
    if (command.length !== 5 + lc) return sw(FAILED);
    const blocks = this.span(p1, block, lc);
    const auth = this.authenticated;
    if (!blocks || !auth || auth.sector !== sectorOfBlock(block)) return sw(FAILED);
    for (const [i, n] of blocks.entries()) {
      const data = command.subarray(5 + i * BLOCK_SIZE, 5 + (i + 1) * BLOCK_SIZE);
      if (n === 0) return sw(FAILED); // the manufacturer block is read-only
      if (isTrailerBlock(n)) {
        const condition = accessCondition((this.blocks[n] as Uint8Array).subarray(6, 10), 3);
        const rules = condition === null ? null : TRAILER_ACCESS[condition];
        // The whole trailer is written: each of its parts must be writable with this key,
        // and the new access bits well formed (a real card would be bricked otherwise).
        const writable = rules && may(rules[0], auth.key) && may(rules[2], auth.key) && may(rules[4], auth.key);
        if (!writable || !validAccessBits(data.subarray(6, 10))) return sw(FAILED);
      } else {
        const rules = this.dataRules(n);
        if (!rules || !may(rules[1], auth.key)) return sw(FAILED);
      }
    }
    for (const [i, n] of blocks.entries()) (this.blocks[n] as Uint8Array).set(command.subarray(5 + i * BLOCK_SIZE, 5 + (i + 1) * BLOCK_SIZE));
    this.onWrite?.(blocks);
    return sw(OK);
  }

  /** Ultralight: READ BINARY of 16 bytes from page P2 (four pages), no authentication. */
  private ultralight(command: Uint8Array): Uint8Array {
    const [, ins, p1, page = 0, le] = command;
    if (ins !== 0xb0 || p1 !== 0x00 || le !== 0x10 || command.length !== 5 || page > 15) return sw(FAILED);
    const memory = Buffer.concat(this.blocks);
    const out = Buffer.alloc(16);
    for (let i = 0; i < 4; i++) memory.copy(out, i * 4, ((page + i) % 16) * 4, ((page + i) % 16) * 4 + 4);
    return new Uint8Array([...out, ...OK]);
  }

  private dataRules(block: number): [Who, Who] | null {
    const sector = sectorOfBlock(block);
    const trailer = this.blocks[this.trailerOf(block)] as Uint8Array;
    const offset = block - sectorFirstBlock(sector);
    // Large sectors (32–39): blocks 0–4, 5–9, 10–14 share one group's access bits.
    const group = sector < 32 ? offset : Math.floor(offset / 5);
    const condition = accessCondition(trailer.subarray(6, 10), group);
    return condition === null ? null : (DATA_ACCESS[condition] ?? null);
  }

  private blockCount(): number {
    return this.kind === 'classic1k' ? 64 : CLASSIC_4K_BLOCKS;
  }

  private trailerOf(block: number): number {
    const sector = sectorOfBlock(block);
    return sectorFirstBlock(sector) + (sector < 32 ? 3 : 15);
  }
}

function sw(word: readonly number[]): Uint8Array {
  return new Uint8Array(word);
}

function blankClassic(): Uint8Array[] {
  const trailer = new Uint8Array([...Buffer.from(DEFAULT_KEY, 'hex'), ...TRANSPORT_ACCESS_BITS, ...Buffer.from(DEFAULT_KEY, 'hex')]);
  return Array.from({ length: CLASSIC_4K_BLOCKS }, (_, n) => (isTrailerBlock(n) ? trailer.slice() : new Uint8Array(BLOCK_SIZE)));
}
