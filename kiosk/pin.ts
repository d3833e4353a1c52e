// Technician PINs exist only as salted scrypt hashes: made by the back office
// (backoffice/pins.ts), cached by the kiosk, and checked here, in constant time.
import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { TechnicianCredential } from '../protocol/kiosk-api.js';

function scryptAsync(pin: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  const N = options.N ?? 16_384;
  const r = options.r ?? 8;
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keylen, { ...options, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function pinMatches(pin: string, credential: Pick<TechnicianCredential, 'salt' | 'hash' | 'params'>): Promise<boolean> {
  const { params } = credential;
  const expected = Buffer.from(credential.hash, 'hex');
  const key = await scryptAsync(pin, Buffer.from(credential.salt, 'hex'), expected.length, {
    N: params.N,
    r: params.r,
    p: params.p,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
