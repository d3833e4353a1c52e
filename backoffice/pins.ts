// Technician PINs: scrypt with a per-technician salt (node:crypto). The back office keeps
// only the hash and serves it to kiosks, which check a PIN offline in maintenance mode
// (kiosk/pin.ts).
import { randomBytes, scryptSync } from 'node:crypto';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly keylen: number;
}

/** Interactive-login strength; a kiosk checks one PIN in a few tens of milliseconds. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 16_384, r: 8, p: 1, keylen: 32 };

export interface PinHash {
  /** hex */
  readonly salt: string;
  /** hex */
  readonly hash: string;
  readonly params: ScryptParams;
}

export function hashPin(pin: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS, salt = randomBytes(16)): PinHash {
  const hash = scryptSync(pin, salt, params.keylen, { N: params.N, r: params.r, p: params.p, maxmem: 64 * 1024 * 1024 });
  return { salt: salt.toString('hex'), hash: hash.toString('hex'), params };
}
