// Technician PINs are stored only as salted scrypt hashes (by the back office, cached by
// the kiosk). Verification is constant-time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { TechnicianCredential } from '../store/index.js';

/** N=2^15, r=8: ~50 ms and 32 MiB per check on the kiosk's CPU, a brake on guessing. */
export const PIN_HASH_PARAMS = { N: 32_768, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(pin: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keylen, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPin(
  pin: string,
  params: TechnicianCredential['params'] = PIN_HASH_PARAMS,
  salt: Buffer = randomBytes(16),
): Promise<Pick<TechnicianCredential, 'salt' | 'hash' | 'params'>> {
  const key = await scryptAsync(pin, salt, params.keylen, { N: params.N, r: params.r, p: params.p });
  return { salt: salt.toString('hex'), hash: key.toString('hex'), params: { ...params } };
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
