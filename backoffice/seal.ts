// Kaartservicecodes sealed to their card (docs/card-layout.md, "Seal key"): the back office
// keeps one seal master (32 random bytes, in a file beside its database, mode 0600); each
// card's seal key is HKDF-SHA256(master, info = the card number), written to the card at
// issue. A code is sealed with AES-128-GCM under the card's key, with the order id and card
// number as associated data (protocol/kiosk-api.ts), so only a kiosk holding the card opens
// it, and only as that order's. The master never leaves the back office (and the system that
// issues cards, `npm run backoffice -- card-seal-key`).
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  SEAL_CIPHER,
  SEAL_KEY_BYTES,
  SEAL_NONCE_BYTES,
  SEALED_CODE_PREFIX,
  sealedCodeAad,
  sealKeyInfo,
} from '../protocol/kiosk-api.js';

export const SEAL_MASTER_BYTES = 32;

/** The card's seal key (16 bytes) diversified from the master: what the card is issued with. */
export function cardSealKey(master: Uint8Array, cardNumber: string): Buffer {
  if (!/^\d{16}$/.test(cardNumber)) throw new RangeError('card number must be 16 digits');
  if (master.length !== SEAL_MASTER_BYTES) throw new RangeError(`the seal master has ${SEAL_MASTER_BYTES} bytes`);
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), sealKeyInfo(cardNumber), SEAL_KEY_BYTES));
}

/** `code` sealed for this order on this card (a fresh random nonce every time). */
export function sealCode(master: Uint8Array, orderId: string, cardNumber: string, code: string): string {
  const key = cardSealKey(master, cardNumber);
  const nonce = randomBytes(SEAL_NONCE_BYTES);
  const cipher = createCipheriv(SEAL_CIPHER, key, nonce);
  cipher.setAAD(Buffer.from(sealedCodeAad(orderId, cardNumber), 'utf8'));
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return SEALED_CODE_PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * The back office's seal master: read from `path` (64 hex digits), or made there (mode
 * 0600) the first time; an in-memory database (path null) gets a throwaway one.
 */
export function loadSealMaster(path: string | null): Buffer {
  if (path === null) return randomBytes(SEAL_MASTER_BYTES);
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`back office: cannot read its seal master key ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (text !== null) {
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`back office: ${path} is not a seal master key (64 hex digits)`);
    return Buffer.from(text, 'hex');
  }
  const master = randomBytes(SEAL_MASTER_BYTES);
  writeFileSync(path, `${master.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return master;
}
