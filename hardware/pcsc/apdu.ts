// The PC/SC part-3 pseudo-APDUs for contactless storage cards, and ATR classification.
// Shared by the worker (which sends them) and the virtual card (which answers them).

/** Status words (the last two bytes of every answer), as numbers: 0x9000, not "9000". */
export const SW = {
  OK: 0x9000,
  /** ACS readers (ACR122U, ACR1252U): a READ / UPDATE / LOAD KEY / AUTHENTICATE failed —
   * no valid authentication, a wrong key, or weak RF coupling. */
  OPERATION_FAILED: 0x6300,
  /** The virtual card (and ISO 7816-4): security status not satisfied, e.g. READ or
   * UPDATE without a valid authentication. */
  SECURITY_NOT_SATISFIED: 0x6982,
  /** GET DATA: fewer bytes than asked for (the UID is shorter than Le). */
  END_OF_DATA: 0x6282,
  WRONG_LENGTH: 0x6700,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  WRONG_PARAMETERS: 0x6a86,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
} as const;

export type KnownSw = (typeof SW)[keyof typeof SW];

/**
 * What a status word means to the worker. `authLostOrRf`: 63 00 (ACS readers: the
 * operation failed — no valid authentication, a wrong key, or weak RF coupling) and 69 82
 * (the ISO word for "security status not satisfied") are one case on purpose: the reader
 * cannot tell a lost authentication from an RF error, so neither says "foreign card".
 */
export type SwKind = 'ok' | 'authLostOrRf' | 'wrongLength' | 'notSupported' | 'other';

export function swKind(sw: number): SwKind {
  switch (sw) {
    case SW.OK:
      return 'ok';
    case SW.OPERATION_FAILED:
    case SW.SECURITY_NOT_SATISFIED:
      return 'authLostOrRf';
    case SW.WRONG_LENGTH:
      return 'wrongLength';
    case SW.FUNCTION_NOT_SUPPORTED:
    case SW.INS_NOT_SUPPORTED:
      return 'notSupported';
    default:
      return 'other';
  }
}

/** PC/SC return codes (pcsclite's winscard.h) the worker tells apart; in the binding's
 * error messages as "(0x8010000B)". */
export const PCSC_ERROR = {
  /** Another program holds the card (SCARD_E_SHARING_VIOLATION). */
  SHARING_VIOLATION: 0x8010000b,
  NO_SMARTCARD: 0x8010000c,
  /** Another program reset the card: our handle must reconnect (SCARD_W_RESET_CARD). */
  RESET_CARD: 0x80100068,
  REMOVED_CARD: 0x80100069,
} as const;

/** The PC/SC return code in an error of the binding (or an error it wraps), else null. */
export function pcscErrorCode(error: unknown): number | null {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
    const match = /0x(8010[0-9a-f]{4})/i.exec(message);
    if (match?.[1]) return Number.parseInt(match[1], 16);
    if (/sharing violation/i.test(message)) return PCSC_ERROR.SHARING_VIOLATION;
    e = typeof e === 'object' && e !== null && 'previous' in e ? (e as { previous: unknown }).previous : null;
  }
  return null;
}

export const SW_OK = SW.OK;

/** A status word as four hex digits: 0x6982 → "6982". */
export function formatSw(sw: number): string {
  return sw.toString(16).padStart(4, '0');
}

export const apdu = {
  getUid: (): Buffer => Buffer.from([0xff, 0xca, 0x00, 0x00, 0x00]),
  loadKey: (slot: number, key: Buffer): Buffer => Buffer.from([0xff, 0x82, 0x00, slot, 0x06, ...key]),
  authenticate: (block: number, keyType: 'A' | 'B', slot: number): Buffer =>
    Buffer.from([0xff, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, block, keyType === 'A' ? 0x60 : 0x61, slot]),
  /** READ BINARY of `length` bytes (16, or on an ACR1252U a multiple of 16 within one sector). */
  readBinary: (block: number, length = 16): Buffer => Buffer.from([0xff, 0xb0, 0x00, block, length]),
  /** UPDATE BINARY of `data` (16 bytes, or on an ACR1252U a multiple of 16 within one sector). */
  updateBinary: (block: number, data: Uint8Array): Buffer => Buffer.from([0xff, 0xd6, 0x00, block, data.length, ...data]),
};

export interface Response {
  readonly data: Buffer;
  readonly sw: number;
}

/** Splits a response into data and status word; null when it is too short to hold one. */
export function splitResponse(response: Buffer): Response | null {
  if (response.length < 2) return null;
  return { data: response.subarray(0, -2), sw: response.readUInt16BE(response.length - 2) };
}

export type CardFamily = 'classic4k' | 'classic1k' | 'ultralight' | 'storage-other' | 'iso14443-4';

// PC/SC part 3, 3.1.3.2.3: 3B 8F 80 01 80 4F 0C <RID A0 00 00 03 06> <SS> <NN NN> 00 00 00 00 <TCK>
const PCSC_RID = [0xa0, 0x00, 0x00, 0x03, 0x06];

export function classifyAtr(atr: Uint8Array): CardFamily {
  const storage = atr.length >= 15 && atr[4] === 0x80 && atr[5] === 0x4f && PCSC_RID.every((b, i) => atr[7 + i] === b);
  if (!storage) return 'iso14443-4';
  const name = ((atr[13] ?? 0) << 8) | (atr[14] ?? 0);
  switch (name) {
    case 0x0001:
      return 'classic1k';
    case 0x0002:
      return 'classic4k';
    case 0x0003:
      return 'ultralight';
    default:
      return 'storage-other';
  }
}

/** An ATR with its check byte (XOR of T0 .. last historical byte). */
export function withCheckByte(bytesWithoutTck: readonly number[]): Buffer {
  const tck = bytesWithoutTck.slice(1).reduce((x, b) => x ^ b, 0);
  return Buffer.from([...bytesWithoutTck, tck]);
}

export function storageCardAtr(name: number): Buffer {
  return withCheckByte([0x3b, 0x8f, 0x80, 0x01, 0x80, 0x4f, 0x0c, ...PCSC_RID, 0x03, name >> 8, name & 0xff, 0, 0, 0, 0]);
}

/** ISO 14443-4 card ATR per PC/SC part 3: 3B 8n 80 01 <historical bytes> TCK. */
export function iso14443_4Atr(historical: readonly number[]): Buffer {
  return withCheckByte([0x3b, 0x80 | historical.length, 0x80, 0x01, ...historical]);
}

export const ATR = {
  classic4k: storageCardAtr(0x0002),
  classic1k: storageCardAtr(0x0001),
  ultralight: storageCardAtr(0x0003),
  /** DESFire EV1 as ACS readers report it: the ATS's historical bytes only (one, 80). */
  desfire: iso14443_4Atr([0x80]),
  /** A contactless bank card (EMV): historical bytes are what such cards often carry. */
  bankCard: iso14443_4Atr([0x80, 0x73, 0xc8, 0x21, 0x10]),
} as const;

export function parseKey(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new RangeError('a MIFARE key is 12 hex digits');
  return Buffer.from(hex, 'hex');
}
