// Card layout (docs/card-layout.md): our own open layout on a MIFARE Classic 4K card.
// Layout 2 (cards issued now) keeps the identity and both state records in one large
// sector (32: 15 data blocks = 48 + 96 + 96 bytes), so that an ACR1252U reads a card with
// one authentication and one READ BINARY; layout 1 (cards issued before: sectors 1–5) is
// still read and written where it is. State record v2 keeps a ledger of order serials (a
// low-water mark and a bitmap above it); v1 records (a journal of the last six order
// tokens) are still read. The gates keep a travel log in sector 33 (both layouts), committed
// by the state record, which also holds the open check-in. The operator's real layout can
// replace it behind CardCodec.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  BOARDING_AMOUNT_CENTS,
  PRODUCT_CODES,
  type CardJourney,
  type CardKind,
  type CardProduct,
  type GateTap,
  type StationCode,
} from '../domain/index.js';
import { BLOCK_SIZE } from './card-reader.js';

export const PRODUCT_SLOTS = 4;
export const JOURNAL_ENTRIES = 6;
export const TOKEN_BYTES = 8;
/** Bytes of the ledger's bitmap: the 48 bytes of v1's journal minus the 4-byte low-water mark. */
export const LEDGER_BITMAP_BYTES = 44;
/** How many serials above the low-water mark the ledger can record: 352. */
export const LEDGER_WINDOW = LEDGER_BITMAP_BYTES * 8;

/**
 * Which orders a card holds, by their per-card serial (docs/card-layout.md): every serial
 * up to `lowWater` is applied; above it, exactly those in `applied` (each within
 * LEDGER_WINDOW of `lowWater`, ascending, never `lowWater + 1`: that would have advanced it).
 */
export interface CardLedger {
  readonly lowWater: number;
  readonly applied: readonly number[];
}

export const EMPTY_LEDGER: CardLedger = { lowWater: 0, applied: [] };

/** The order with this serial is on the card (applied, or recorded as such). */
export function ledgerCovers(ledger: CardLedger, serial: number): boolean {
  return serial <= ledger.lowWater || ledger.applied.includes(serial);
}

/**
 * The ledger with `serial` recorded, the low-water mark advanced over every serial that is
 * now contiguous; null when `serial` lies past the window (more than LEDGER_WINDOW above
 * the low-water mark): the card cannot record it, so it must not be written.
 */
export function ledgerWith(ledger: CardLedger, serial: number): CardLedger | null {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`bad order serial: ${serial}`);
  if (ledgerCovers(ledger, serial)) return ledger;
  if (serial > ledger.lowWater + LEDGER_WINDOW) return null;
  const applied = new Set([...ledger.applied, serial]);
  let lowWater = ledger.lowWater;
  while (applied.delete(lowWater + 1)) lowWater++;
  return { lowWater, applied: [...applied].sort((a, b) => a - b) };
}

/**
 * The ledger with its low-water mark advanced over serials that are closed for good: the
 * ones it records as applied, and whole ranges of `closed` (serials the back office never
 * handed out: skipped after a restore). Serials in a range that the ledger records above
 * the mark are covered by the new mark; nothing recorded is lost.
 */
export function ledgerSkipping(ledger: CardLedger, closed: readonly (readonly [number, number])[]): CardLedger {
  const applied = new Set(ledger.applied);
  let lowWater = ledger.lowWater;
  for (;;) {
    if (applied.delete(lowWater + 1)) {
      lowWater++;
      continue;
    }
    const range = closed.find(([from, to]) => from <= lowWater + 1 && lowWater + 1 <= to);
    if (!range) break;
    lowWater = range[1];
    for (const serial of applied) if (serial <= lowWater) applied.delete(serial);
  }
  if (lowWater === ledger.lowWater) return ledger;
  return { lowWater, applied: [...applied].sort((a, b) => a - b) };
}

export interface CardIdentity {
  readonly cardNumber: string;
  readonly kind: CardKind;
  /** ISO yyyy-mm-dd, last valid day. */
  readonly expiry: string;
  /**
   * The card's seal key (SEAL_KEY_BYTES, written at issue): opens the kaartservicecodes
   * sealed to this card. Absent: a card without one (the bytes are zero).
   */
  readonly sealKey?: Uint8Array;
}

/** The mutable part of a card: rewritten as one record for every delivery. */
export interface CardState {
  readonly sequence: number;
  readonly balanceCents: number;
  /** Exactly PRODUCT_SLOTS entries; null is an empty slot. */
  readonly products: readonly (CardProduct | null)[];
  /**
   * A v1 record's journal: order tokens (hex) of the last deliveries applied, newest first,
   * at most JOURNAL_ENTRIES. Empty in a v2 record.
   */
  readonly journal: readonly string[];
  /**
   * A v2 record's ledger of order serials. Absent: a v1 record (read as it is; writing a
   * state without a ledger writes v1, which only the tools that issue v1 cards do).
   */
  readonly ledger?: CardLedger;
  /**
   * What the gates wrote (docs/card-layout.md, "Travel log"): the newest travel-log entry
   * this record accounts for, and the open check-in. Absent: a card that never passed a
   * gate (the bytes are zero). A write that does not set it keeps the card's (writeState).
   */
  readonly travel?: TravelState;
}

/** The gates' part of the state record: it commits the travel log and holds the open check-in. */
export interface TravelState {
  /** The sequence number of the newest travel-log entry the balance accounts for (0: none yet). */
  readonly logSequence: number;
  /** Checked in here and then (charged the boarding amount); null when not checked in. */
  readonly checkedIn: GateTap | null;
}

export type RecordSlot = 'A' | 'B';

/** Where a card keeps its records: 2 in sector 32 (cards issued now), 1 in sectors 1–5. */
export type LayoutVersion = 1 | 2;

export interface DecodedCard {
  readonly identity: CardIdentity;
  readonly state: CardState;
  /** Which record holds `state`; the next write goes to the other one. */
  readonly activeSlot: RecordSlot;
  /** The layout the card is in: its next write goes to the same place. */
  readonly layout: number;
  /**
   * The card's journeys, newest first (the open one first): only when the read asked for
   * the travel log and the card has one (`state.travel`); absent otherwise.
   */
  readonly journeys?: readonly CardJourney[];
}

/** The travel log of a layout (docs/card-layout.md, "Travel log"). */
export interface TravelLogCodec {
  /** The blocks holding the entries `travel` commits (at most TRAVEL_LOG_JOURNEYS), in read order. */
  blocksToRead(travel: TravelState): number[];
  /** The journeys, newest first: the open check-in, then the committed entries found valid. */
  decode(blocks: ReadonlyMap<number, Uint8Array>, travel: TravelState): CardJourney[];
  /** The one block of entry `sequence` (≥ 1) holding `journey`, a closed one (checked out or not). */
  encodeEntry(sequence: number, journey: CardJourney): Map<number, Uint8Array>;
}

export type LayoutErrorKind = 'foreign' | 'corrupt';

export class CardLayoutError extends Error {
  constructor(
    readonly kind: LayoutErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CardLayoutError';
  }
}

/** An older layout a codec still reads (and writes, where its cards are). */
export interface OlderLayout {
  readonly version: number;
  /** Every block `decode` needs for a card in this layout, in read order. */
  readonly blocksToRead: readonly number[];
}

/** What the kiosk needs from a layout. */
export interface CardCodec {
  /** The layout of the cards it issues. */
  readonly version: number;
  /** Every block `decode` needs for a card in the layout it issues, in read order. */
  readonly blocksToRead: readonly number[];
  /**
   * The identity's blocks among `blocksToRead` (its first ones). A reader that reads block
   * by block reads these first: when they hold no identity of ours, the rest is not read.
   */
  readonly identityBlocks?: readonly number[];
  /**
   * Layouts of cards issued before, newest first: `readCard` reads their blocks too when
   * `blocksToRead` holds nothing of ours, and `decode` then finds the card there.
   */
  readonly olderLayouts?: readonly OlderLayout[];
  /** Sectors the layouts touch (for authentication). */
  readonly sectors: readonly number[];
  /** The card in whichever layout the blocks hold (the one it issues first). */
  decode(blocks: ReadonlyMap<number, Uint8Array>): DecodedCard;
  /** The identity record's blocks in `layout` (by default the layout it issues). */
  encodeIdentity(identity: CardIdentity, layout?: number): Map<number, Uint8Array>;
  /**
   * The blocks of `state` written to `slot` of a card in `layout` (by default the layout it
   * issues), in write order: exactly that record's blocks, none of the other record's.
   */
  encodeState(state: CardState, slot: RecordSlot, layout?: number): Map<number, Uint8Array>;
  orderToken(orderId: string): string;
  /** Where the gates keep the journeys; absent: a layout without a travel log. */
  readonly travelLog?: TravelLogCodec;
}

// ------------------------------------------------------------------ geometry

/** First block of a MIFARE Classic 4K sector (sectors 0-31: 4 blocks, 32-39: 16 blocks). */
export function sectorFirstBlock(sector: number): number {
  return sector < 32 ? sector * 4 : 128 + (sector - 32) * 16;
}

export function sectorOfBlock(block: number): number {
  return block < 128 ? Math.floor(block / 4) : 32 + Math.floor((block - 128) / 16);
}

export function isTrailerBlock(block: number): boolean {
  return block < 128 ? block % 4 === 3 : (block - 128) % 16 === 15;
}

/** The data blocks (no trailers) of the given sectors, in order. */
function dataBlocks(sectors: readonly number[]): number[] {
  return sectors.flatMap((sector) => {
    const first = sectorFirstBlock(sector);
    const count = sector < 32 ? 3 : 15;
    return Array.from({ length: count }, (_, i) => first + i);
  });
}

/** Where a layout keeps the identity and the two state records. */
interface Place {
  readonly version: LayoutVersion;
  readonly identity: readonly number[];
  readonly records: Readonly<Record<RecordSlot, readonly number[]>>;
  readonly sectors: readonly number[];
}

/** Sector 32, the first large sector of a 4K: identity 128–130, A 131–136, B 137–142. */
const LARGE_SECTOR = 32;
const LARGE_SECTOR_BLOCKS = dataBlocks([LARGE_SECTOR]);
const PLACE_V2: Place = {
  version: 2,
  identity: LARGE_SECTOR_BLOCKS.slice(0, 3),
  records: { A: LARGE_SECTOR_BLOCKS.slice(3, 9), B: LARGE_SECTOR_BLOCKS.slice(9, 15) },
  sectors: [LARGE_SECTOR],
};
/** Cards issued before layout 2: identity in sector 1, A in sectors 2–3, B in 4–5. */
const PLACE_V1: Place = {
  version: 1,
  identity: dataBlocks([1]),
  records: { A: dataBlocks([2, 3]), B: dataBlocks([4, 5]) },
  sectors: [1, 2, 3, 4, 5],
};
const PLACES: Readonly<Record<LayoutVersion, Place>> = { 1: PLACE_V1, 2: PLACE_V2 };
const placeBlocks = (place: Place) => [...place.identity, ...place.records.A, ...place.records.B];

const IDENTITY_SIZE = PLACE_V2.identity.length * BLOCK_SIZE; // 48
const RECORD_SIZE = PLACE_V2.records.A.length * BLOCK_SIZE; // 96

const IDENTITY_MAGIC = [0x4b, 0x53, 0x4b, 0x31]; // "KSK1"
/** The layout of the cards issued now. */
export const CURRENT_LAYOUT: LayoutVersion = 2;
const RECORD_VERSION_V1 = 1;
const RECORD_VERSION_V2 = 2;
const KIND_CODES: Record<CardKind, number> = { traveller: 1, technician: 2 };

// Identity record offsets
const ID_VERSION = 4;
const ID_KIND = 5;
const ID_NUMBER = 6; // 8 bytes BCD, 16 digits
const ID_EXPIRY = 14; // uint16 days since 1970-01-01
const ID_SEAL_KEY = 16; // SEAL_KEY_BYTES, the card's seal key; all zero: none
export const SEAL_KEY_BYTES = 16;
const ID_CRC = IDENTITY_SIZE - 4;

// State record offsets
const ST_VERSION = 0;
const ST_SEQUENCE = 4; // uint32
const ST_BALANCE = 8; // int32 cents
const ST_PRODUCTS = 12; // PRODUCT_SLOTS x (uint16 product, uint16 from, uint16 until)
const ST_JOURNAL = ST_PRODUCTS + PRODUCT_SLOTS * 6; // v1: JOURNAL_ENTRIES x 8-byte tokens
const ST_LOW_WATER = ST_JOURNAL; // v2: uint32 low-water mark
const ST_BITMAP = ST_LOW_WATER + 4; // v2: LEDGER_BITMAP_BYTES; bit i (MSB first) = serial lowWater + 1 + i
// The gates' fields, in bytes reserved before (zero on every card that never passed a gate):
const ST_TRAVEL_STATION = 84; // uint8, the open check-in's station number; 0: not checked in
const ST_TRAVEL_AT = 85; // uint24, its time in minutes since TRAVEL_EPOCH
const ST_TRAVEL_LOG = 88; // uint32, the travel log's committed sequence number
const ST_CRC = RECORD_SIZE - 4;

// ------------------------------------------------------------------ helpers

const DAY_MS = 86_400_000;

export function isoToDays(iso: string): number {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new RangeError(`not a date: ${iso}`);
  const days = Math.round(ms / DAY_MS);
  if (days < 0 || days > 0xffff) throw new RangeError(`date out of range for the card: ${iso}`);
  return days;
}

export function daysToIso(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

function checksum(bytes: Uint8Array, length: number): number {
  return crc32(bytes.subarray(0, length));
}

function encodeBcd(cardNumber: string): Uint8Array {
  if (!/^\d{16}$/.test(cardNumber)) throw new RangeError('card number must be 16 digits');
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) {
    out[i] = (Number(cardNumber[2 * i]) << 4) | Number(cardNumber[2 * i + 1]);
  }
  return out;
}

function decodeBcd(bytes: Uint8Array): string | null {
  let digits = '';
  for (const byte of bytes) {
    const hi = byte >> 4;
    const lo = byte & 0x0f;
    if (hi > 9 || lo > 9) return null;
    digits += `${hi}${lo}`;
  }
  return digits;
}

const PRODUCT_BY_NUMBER = new Map<number, string>(Object.entries(PRODUCT_CODES).map(([code, n]) => [n, code]));

/** A product this kiosk does not know keeps its number (UNKNOWN_n) through a rewrite. */
function productNumber(code: string): number {
  const n = (PRODUCT_CODES as Record<string, number | undefined>)[code] ?? Number(/^UNKNOWN_(\d+)$/.exec(code)?.[1]);
  if (!Number.isInteger(n) || n < 1 || n > 0xffff) throw new RangeError(`unknown product code: ${code}`);
  return n;
}

function join(blocks: ReadonlyMap<number, Uint8Array>, numbers: readonly number[]): Uint8Array | null {
  const out = new Uint8Array(numbers.length * BLOCK_SIZE);
  for (const [i, n] of numbers.entries()) {
    const block = blocks.get(n);
    if (!block || block.length !== BLOCK_SIZE) return null;
    out.set(block, i * BLOCK_SIZE);
  }
  return out;
}

function split(bytes: Uint8Array, numbers: readonly number[]): Map<number, Uint8Array> {
  return new Map(numbers.map((n, i) => [n, bytes.slice(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE)]));
}

// ------------------------------------------------------------------ identity

/** The identity record found where layout `version` keeps it. */
function decodeIdentity(bytes: Uint8Array, version: LayoutVersion): CardIdentity {
  if (!IDENTITY_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new CardLayoutError('foreign', 'no station-kiosk layout on this card');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(ID_CRC) !== checksum(bytes, ID_CRC)) {
    throw new CardLayoutError('corrupt', 'identity record checksum mismatch');
  }
  // The version names the place: an identity that says another layout is not ours here.
  if (bytes[ID_VERSION] !== version) {
    throw new CardLayoutError('foreign', `unsupported layout version ${bytes[ID_VERSION]} in the blocks of layout ${version}`);
  }
  const kind = (Object.keys(KIND_CODES) as CardKind[]).find((k) => KIND_CODES[k] === bytes[ID_KIND]);
  const cardNumber = decodeBcd(bytes.subarray(ID_NUMBER, ID_NUMBER + 8));
  if (!kind || !cardNumber) throw new CardLayoutError('corrupt', 'identity record has invalid fields');
  const sealKey = bytes.slice(ID_SEAL_KEY, ID_SEAL_KEY + SEAL_KEY_BYTES);
  const identity = { cardNumber, kind, expiry: daysToIso(view.getUint16(ID_EXPIRY)) };
  return sealKey.some((b) => b !== 0) ? { ...identity, sealKey } : identity;
}

function encodeIdentityBytes(identity: CardIdentity, version: LayoutVersion): Uint8Array {
  const bytes = new Uint8Array(IDENTITY_SIZE);
  const view = new DataView(bytes.buffer);
  bytes.set(IDENTITY_MAGIC, 0);
  bytes[ID_VERSION] = version;
  bytes[ID_KIND] = KIND_CODES[identity.kind];
  bytes.set(encodeBcd(identity.cardNumber), ID_NUMBER);
  view.setUint16(ID_EXPIRY, isoToDays(identity.expiry));
  if (identity.sealKey) {
    if (identity.sealKey.length !== SEAL_KEY_BYTES) throw new RangeError(`a seal key has ${SEAL_KEY_BYTES} bytes`);
    bytes.set(identity.sealKey, ID_SEAL_KEY);
  }
  view.setUint32(ID_CRC, checksum(bytes, ID_CRC));
  return bytes;
}

// ------------------------------------------------------------------ state record

/** Decodes one A/B record; null when it is torn, blank or otherwise invalid. */
function decodeState(bytes: Uint8Array): CardState | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[ST_VERSION];
  if (version !== RECORD_VERSION_V1 && version !== RECORD_VERSION_V2) return null;
  if (view.getUint32(ST_CRC) !== checksum(bytes, ST_CRC)) return null;
  const products: (CardProduct | null)[] = [];
  for (let i = 0; i < PRODUCT_SLOTS; i++) {
    const at = ST_PRODUCTS + i * 6;
    const number = view.getUint16(at);
    if (number === 0) {
      products.push(null);
      continue;
    }
    const productCode = PRODUCT_BY_NUMBER.get(number) ?? `UNKNOWN_${number}`;
    products.push({
      productCode,
      validFrom: daysToIso(view.getUint16(at + 2)),
      validUntil: daysToIso(view.getUint16(at + 4)),
    });
  }
  const travel = decodeTravelState(bytes, view);
  const base = {
    sequence: view.getUint32(ST_SEQUENCE),
    balanceCents: view.getInt32(ST_BALANCE),
    products,
    ...(travel ? { travel } : {}),
  };
  if (version === RECORD_VERSION_V2) {
    const lowWater = view.getUint32(ST_LOW_WATER);
    const applied: number[] = [];
    for (let i = 0; i < LEDGER_WINDOW; i++) {
      if ((bytes[ST_BITMAP + (i >> 3)] ?? 0) & (0x80 >> (i & 7))) applied.push(lowWater + 1 + i);
    }
    // Bit 0 set would have advanced the mark: a writer of this layout never leaves it so.
    if (applied[0] === lowWater + 1) return null;
    return { ...base, journal: [], ledger: { lowWater, applied } };
  }
  const journal: string[] = [];
  for (let i = 0; i < JOURNAL_ENTRIES; i++) {
    const token = bytes.subarray(ST_JOURNAL + i * TOKEN_BYTES, ST_JOURNAL + (i + 1) * TOKEN_BYTES);
    if (token.every((b) => b === 0)) break;
    journal.push(Buffer.from(token).toString('hex'));
  }
  return { ...base, journal };
}

function encodeStateBytes(state: CardState): Uint8Array {
  if (state.products.length !== PRODUCT_SLOTS) throw new RangeError(`a card has ${PRODUCT_SLOTS} product slots`);
  if (state.journal.length > JOURNAL_ENTRIES) throw new RangeError('journal too long');
  if (state.ledger && state.journal.length > 0) {
    throw new RangeError('a v2 record has no journal: fold it into the ledger first');
  }
  if (!Number.isInteger(state.sequence) || state.sequence < 0 || state.sequence > 0xffffffff) {
    throw new RangeError('sequence out of range');
  }
  const bytes = new Uint8Array(RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  bytes[ST_VERSION] = state.ledger ? RECORD_VERSION_V2 : RECORD_VERSION_V1;
  view.setUint32(ST_SEQUENCE, state.sequence);
  view.setInt32(ST_BALANCE, state.balanceCents);
  state.products.forEach((product, i) => {
    if (!product) return;
    const at = ST_PRODUCTS + i * 6;
    view.setUint16(at, productNumber(product.productCode));
    view.setUint16(at + 2, isoToDays(product.validFrom));
    view.setUint16(at + 4, isoToDays(product.validUntil));
  });
  if (state.ledger) encodeLedger(state.ledger, bytes, view);
  if (state.travel) encodeTravelState(state.travel, bytes, view);
  state.journal.forEach((token, i) => {
    if (!/^[0-9a-f]{16}$/.test(token)) throw new RangeError(`bad journal token: ${token}`);
    bytes.set(Buffer.from(token, 'hex'), ST_JOURNAL + i * TOKEN_BYTES);
  });
  view.setUint32(ST_CRC, checksum(bytes, ST_CRC));
  return bytes;
}

function encodeLedger(ledger: CardLedger, bytes: Uint8Array, view: DataView): void {
  const { lowWater, applied } = ledger;
  if (!Number.isInteger(lowWater) || lowWater < 0 || lowWater > 0xffffffff) throw new RangeError('low-water mark out of range');
  view.setUint32(ST_LOW_WATER, lowWater);
  for (const serial of applied) {
    const i = serial - lowWater - 1;
    if (!Number.isInteger(serial) || i < 1 || i >= LEDGER_WINDOW || serial > 0xffffffff) {
      throw new RangeError(`serial ${serial} does not fit the ledger (low-water mark ${lowWater})`);
    }
    bytes[ST_BITMAP + (i >> 3)] = (bytes[ST_BITMAP + (i >> 3)] ?? 0) | (0x80 >> (i & 7));
  }
}

// ------------------------------------------------------------------ travel log

/**
 * Stations as the card stores them: one byte each. Append-only: a number once given is never
 * changed or reused (cards carry them for years); a station added to the network gets the
 * next one. A number this kiosk does not know reads as `UNKNOWN_<n>` (and is kept so).
 */
export const STATION_NUMBERS: Readonly<Record<StationCode, number>> = {
  'amsterdam-centraal': 1,
  'schiphol-airport': 2,
  'den-haag-centraal': 3,
  'rotterdam-centraal': 4,
  'utrecht-centraal': 5,
  breda: 6,
  'eindhoven-centraal': 7,
  'arnhem-centraal': 8,
  zwolle: 9,
};
const STATION_BY_NUMBER = new Map<number, StationCode>(Object.entries(STATION_NUMBERS).map(([code, n]) => [n, code]));

/** The travel log's sector: the second large sector, unused by both layouts. */
export const TRAVEL_LOG_SECTOR = 33;
/** Entry slots (one block each): one more than the journeys kept, so a torn write of the next entry only ever hits a slot no committed entry is read from. */
export const TRAVEL_LOG_SLOTS = 11;
/** The closed journeys the card keeps (the open check-in, in the state record, comes on top). */
export const TRAVEL_LOG_JOURNEYS = TRAVEL_LOG_SLOTS - 1;
/** Blocks 144–154 (sector 33's first 11 data blocks; 155–158 stay free). */
export const TRAVEL_LOG_BLOCKS: readonly number[] = dataBlocks([TRAVEL_LOG_SECTOR]).slice(0, TRAVEL_LOG_SLOTS);
/** Times on the card are minutes since 2020-01-01T00:00Z, in 24 bits: up to 2051-11-25. */
const TRAVEL_EPOCH_MS = Date.UTC(2020, 0, 1);
const UINT24 = 0xffffff;
/** CRC-32 of this tag followed by an entry's first 12 bytes: a block of anything else (blank, another format) does not pass. */
const ENTRY_TAG = Buffer.from('KSK travel log v1');

// Entry offsets (one 16-byte block)
const TL_SEQUENCE = 0; // uint24, ≥ 1; the slot is sequence mod TRAVEL_LOG_SLOTS
const TL_IN_STATION = 3; // uint8
const TL_IN_AT = 4; // uint24 minutes since TRAVEL_EPOCH
const TL_OUT_STATION = 7; // uint8; 0: not checked out
const TL_OUT_AFTER = 8; // uint16 minutes after the check-in (0 when not checked out)
const TL_CHARGED = 10; // uint16 euro cents
const TL_CRC = 12; // uint32

function stationNumber(code: StationCode): number {
  const n = STATION_NUMBERS[code] ?? Number(/^UNKNOWN_(\d+)$/.exec(code)?.[1]);
  if (!Number.isInteger(n) || n < 1 || n > 0xff) throw new RangeError(`unknown station: ${code}`);
  return n;
}

const stationCode = (n: number): StationCode => STATION_BY_NUMBER.get(n) ?? `UNKNOWN_${n}`;

/** A time as the card keeps it: whole minutes since the epoch (seconds dropped). */
export function toCardMinutes(at: string | Date): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  const minutes = Math.floor((ms - TRAVEL_EPOCH_MS) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > UINT24) throw new RangeError(`time out of range for the card: ${String(at)}`);
  return minutes;
}

export function fromCardMinutes(minutes: number): string {
  return new Date(TRAVEL_EPOCH_MS + minutes * 60_000).toISOString();
}

const getUint24 = (view: DataView, at: number) => (view.getUint8(at) << 16) | view.getUint16(at + 1);
function setUint24(view: DataView, at: number, value: number): void {
  view.setUint8(at, value >>> 16);
  view.setUint16(at + 1, value & 0xffff);
}

function decodeTravelState(bytes: Uint8Array, view: DataView): TravelState | null {
  if (bytes.subarray(ST_TRAVEL_STATION, ST_CRC).every((b) => b === 0)) return null;
  const station = view.getUint8(ST_TRAVEL_STATION);
  return {
    logSequence: view.getUint32(ST_TRAVEL_LOG),
    checkedIn: station === 0 ? null : { station: stationCode(station), at: fromCardMinutes(getUint24(view, ST_TRAVEL_AT)) },
  };
}

function encodeTravelState(travel: TravelState, bytes: Uint8Array, view: DataView): void {
  if (!Number.isInteger(travel.logSequence) || travel.logSequence < 0 || travel.logSequence > UINT24) {
    throw new RangeError('travel log sequence out of range');
  }
  view.setUint32(ST_TRAVEL_LOG, travel.logSequence);
  if (travel.checkedIn) {
    view.setUint8(ST_TRAVEL_STATION, stationNumber(travel.checkedIn.station));
    setUint24(view, ST_TRAVEL_AT, toCardMinutes(travel.checkedIn.at));
  }
}

const entryChecksum = (bytes: Uint8Array) => crc32(bytes.subarray(0, TL_CRC), crc32(ENTRY_TAG));
const slotBlock = (sequence: number) => TRAVEL_LOG_BLOCKS[sequence % TRAVEL_LOG_SLOTS] as number;
/** The sequences `travel` commits that the card still keeps, newest first. */
function committed(travel: TravelState): number[] {
  const count = Math.min(travel.logSequence, TRAVEL_LOG_JOURNEYS);
  return Array.from({ length: count }, (_, i) => travel.logSequence - i);
}

function decodeEntry(bytes: Uint8Array, sequence: number): CardJourney | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(TL_CRC) !== entryChecksum(bytes)) return null;
  // A valid entry of another sequence in this slot: an older one (or a newer one whose state write was torn).
  if (getUint24(view, TL_SEQUENCE) !== sequence || bytes[TL_IN_STATION] === 0) return null;
  const inAt = getUint24(view, TL_IN_AT);
  const out = view.getUint8(TL_OUT_STATION);
  return {
    checkIn: { station: stationCode(view.getUint8(TL_IN_STATION)), at: fromCardMinutes(inAt) },
    checkOut: out === 0 ? null : { station: stationCode(out), at: fromCardMinutes(inAt + view.getUint16(TL_OUT_AFTER)) },
    chargedCents: view.getUint16(TL_CHARGED),
  };
}

function encodeEntryBytes(sequence: number, journey: CardJourney): Uint8Array {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > UINT24) throw new RangeError(`travel log sequence out of range: ${sequence}`);
  const { checkIn, checkOut, chargedCents } = journey;
  if (!Number.isInteger(chargedCents) || chargedCents < 0 || chargedCents > 0xffff) throw new RangeError(`amount out of range: ${chargedCents}`);
  const bytes = new Uint8Array(BLOCK_SIZE);
  const view = new DataView(bytes.buffer);
  setUint24(view, TL_SEQUENCE, sequence);
  view.setUint8(TL_IN_STATION, stationNumber(checkIn.station));
  const inAt = toCardMinutes(checkIn.at);
  setUint24(view, TL_IN_AT, inAt);
  if (checkOut) {
    const after = toCardMinutes(checkOut.at) - inAt;
    if (after < 0 || after > 0xffff) throw new RangeError('a check-out lies between 0 and 65 535 minutes after its check-in');
    view.setUint8(TL_OUT_STATION, stationNumber(checkOut.station));
    view.setUint16(TL_OUT_AFTER, after);
  }
  view.setUint16(TL_CHARGED, chargedCents);
  view.setUint32(TL_CRC, entryChecksum(bytes));
  return bytes;
}

const travelLog: TravelLogCodec = {
  // Before the ring wraps the slots in use are 1 … S, one run; after, the whole ring (one
  // run of 11: one READ on an ACR1252U rather than two, the slot of the next entry ignored).
  blocksToRead: (travel) =>
    travel.logSequence >= TRAVEL_LOG_SLOTS ? [...TRAVEL_LOG_BLOCKS] : committed(travel).map(slotBlock).reverse(),
  decode(blocks, travel) {
    const journeys: CardJourney[] = [];
    if (travel.checkedIn) journeys.push({ checkIn: travel.checkedIn, checkOut: null, chargedCents: BOARDING_AMOUNT_CENTS });
    for (const sequence of committed(travel)) {
      const bytes = blocks.get(slotBlock(sequence));
      // An entry that does not decode (a damaged block) is left out: the log informs, the balance is the state's.
      const journey = bytes && bytes.length === BLOCK_SIZE ? decodeEntry(bytes, sequence) : null;
      if (journey) journeys.push(journey);
    }
    return journeys;
  },
  encodeEntry: (sequence, journey) => new Map([[slotBlock(sequence), encodeEntryBytes(sequence, journey)]]),
};

// ------------------------------------------------------------------ the codec

function placeOf(layout: number | undefined): Place {
  const place = PLACES[(layout ?? CURRENT_LAYOUT) as LayoutVersion] as Place | undefined;
  if (!place) throw new RangeError(`no card layout ${String(layout)}`);
  return place;
}

/** The identity where `place` keeps it; null when those blocks were not read. */
function identityAt(place: Place, blocks: ReadonlyMap<number, Uint8Array>): CardIdentity | CardLayoutError | null {
  const bytes = join(blocks, place.identity);
  if (!bytes) return null;
  try {
    return decodeIdentity(bytes, place.version);
  } catch (error) {
    if (error instanceof CardLayoutError) return error;
    throw error;
  }
}

/** The active record of a card whose identity is at `place`. */
function cardAt(place: Place, identity: CardIdentity, blocks: ReadonlyMap<number, Uint8Array>): DecodedCard {
  const a = join(blocks, place.records.A);
  const b = join(blocks, place.records.B);
  const stateA = a ? decodeState(a) : null;
  const stateB = b ? decodeState(b) : null;
  if (!stateA && !stateB) throw new CardLayoutError('corrupt', 'neither state record is valid');
  if (stateA && (!stateB || stateA.sequence > stateB.sequence)) {
    return { identity, state: stateA, activeSlot: 'A', layout: place.version };
  }
  return { identity, state: stateB as CardState, activeSlot: 'B', layout: place.version };
}

/**
 * The codec of this layout. It issues cards in layout 2 and reads and writes cards of
 * layout 1 where they are (the name stays from v1: the records are the same).
 *
 * A card is in layout 2 when sector 32 holds a valid identity of layout 2, corrupt when it
 * holds a damaged one (never then read as layout 1), in layout 1 when sector 32 holds
 * nothing of ours and sectors 1–5 a valid identity of layout 1; otherwise foreign (nothing
 * of ours) or corrupt (a damaged identity in sector 1).
 */
export const layoutV1: CardCodec = {
  version: CURRENT_LAYOUT,
  blocksToRead: placeBlocks(PLACE_V2),
  identityBlocks: PLACE_V2.identity,
  olderLayouts: [{ version: PLACE_V1.version, blocksToRead: placeBlocks(PLACE_V1) }],
  sectors: [...PLACE_V2.sectors, ...PLACE_V1.sectors, TRAVEL_LOG_SECTOR],

  decode(blocks) {
    for (const place of [PLACE_V2, PLACE_V1]) {
      const identity = identityAt(place, blocks);
      // Not read, or nothing of ours there: the next (older) place.
      if (identity === null || (identity instanceof CardLayoutError && identity.kind === 'foreign')) continue;
      // A damaged identity is the card's answer: an older place may hold anything older.
      if (identity instanceof CardLayoutError) throw identity;
      // A valid identity decides the layout: its records are the card's, valid or not.
      return cardAt(place, identity, blocks);
    }
    if (!join(blocks, PLACE_V2.identity) && !join(blocks, PLACE_V1.identity)) {
      throw new CardLayoutError('corrupt', 'identity blocks missing');
    }
    throw new CardLayoutError('foreign', 'no station-kiosk layout on this card');
  },

  encodeIdentity(identity, layout) {
    const place = placeOf(layout);
    return split(encodeIdentityBytes(identity, place.version), place.identity);
  },

  encodeState(state, slot, layout) {
    return split(encodeStateBytes(state), placeOf(layout).records[slot]);
  },

  orderToken(orderId) {
    return createHash('sha256').update(`order:${orderId}`).digest('hex').slice(0, TOKEN_BYTES * 2);
  },

  travelLog,
};

export function otherSlot(slot: RecordSlot): RecordSlot {
  return slot === 'A' ? 'B' : 'A';
}

/**
 * A freshly issued card: identity plus record A with sequence 1 (record B blank), in the
 * codec's layout (or in `layout`: tests and tools that make a card issued before).
 */
export function issueCardBlocks(
  codec: CardCodec,
  identity: CardIdentity,
  state: Omit<CardState, 'sequence'>,
  layout?: number,
): Map<number, Uint8Array> {
  return new Map([...codec.encodeIdentity(identity, layout), ...codec.encodeState({ ...state, sequence: 1 }, 'A', layout)]);
}

/** Every block a codec may need, current layout first: to decode a whole card image. */
export function allLayoutBlocks(codec: CardCodec): number[] {
  return [...codec.blocksToRead, ...(codec.olderLayouts ?? []).flatMap((older) => older.blocksToRead)];
}

/** A whole card image (block number → 16 bytes) decoded, in whichever layout it holds. */
export function decodeImage(codec: CardCodec, image: readonly Uint8Array[]): DecodedCard {
  return codec.decode(new Map(allLayoutBlocks(codec).flatMap((n) => (image[n] ? [[n, image[n]] as const] : []))));
}
