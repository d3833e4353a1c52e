// Operator passwords: scrypt (node:crypto) with a salt of each operator's own, compared in
// constant time. A login for a name that does not exist costs the same scrypt as one that
// does, so the time of the answer does not tell either.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHash } from '../console-db.js';

/**
 * N = 2^15, r = 8: 32 MiB and, measured on this 2-core machine at a load of 6, a median of
 * 123 ms a login (93–127 ms), about as long for an unknown name (the same scrypt).
 */
export const PASSWORD_PARAMS: PasswordHash['params'] = { N: 32_768, r: 8, p: 1, keylen: 32 };
/** A password set from standard input must be at least this long. */
export const PASSWORD_MIN_LENGTH = 12;

function derive(password: string, salt: Buffer, params: PasswordHash['params']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, params.keylen, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params = PASSWORD_PARAMS, salt = randomBytes(16)): Promise<PasswordHash> {
  const key = await derive(password, salt, params);
  return { salt: salt.toString('hex'), hash: key.toString('hex'), params };
}

/** A password printed once for a new operator: 120 random bits, in base64url (20 characters). */
export const newPassword = (): string => randomBytes(15).toString('base64url');

// The stand-in hash a login for an unknown name is checked against.
const DUMMY: PasswordHash = { salt: '00'.repeat(16), hash: '00'.repeat(32), params: PASSWORD_PARAMS };

/** True when `password` is the one `stored` was made from; with no `stored`, false after the same work. */
export async function verifyPassword(password: string, stored: PasswordHash | undefined): Promise<boolean> {
  const against = stored ?? DUMMY;
  const expected = Buffer.from(against.hash, 'hex');
  const key = await derive(password, Buffer.from(against.salt, 'hex'), { ...against.params, keylen: expected.length || 32 });
  return stored !== undefined && key.length === expected.length && timingSafeEqual(key, expected);
}
