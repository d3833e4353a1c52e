// Opening a kaartservicecode sealed to its card (protocol/kiosk-api.ts sealedCodeSchema,
// backoffice/seal.ts): with the seal key read from the card on the reader, and only as the
// order's own (the order id and card number are the associated data). The clear code lives
// only in memory, on its way to the delivered screen; it is never stored or logged.
import { createDecipheriv } from 'node:crypto';
import {
  SEAL_CIPHER,
  SEAL_KEY_BYTES,
  SEAL_NONCE_BYTES,
  SEAL_TAG_BYTES,
  SEALED_CODE_PREFIX,
  sealedCodeAad,
  sealedCodeSchema,
} from '../protocol/kiosk-api.js';

/** Why a sealed code did not open: the card has no seal key, or its key does not open this code (another card's, or the code was altered). */
export type SealedCodeRefusal = 'noKey' | 'notOpened';

export function openSealedCode(
  cardKey: Uint8Array | undefined,
  order: { readonly orderId: string; readonly cardNumber: string; readonly sealed: string },
): { readonly ok: true; readonly code: string } | { readonly ok: false; readonly refusal: SealedCodeRefusal } {
  if (!cardKey || cardKey.length !== SEAL_KEY_BYTES || cardKey.every((b) => b === 0)) return { ok: false, refusal: 'noKey' };
  if (!sealedCodeSchema.safeParse(order.sealed).success) return { ok: false, refusal: 'notOpened' };
  const bytes = Buffer.from(order.sealed.slice(SEALED_CODE_PREFIX.length), 'base64url');
  if (bytes.length < SEAL_NONCE_BYTES + SEAL_TAG_BYTES + 1) return { ok: false, refusal: 'notOpened' };
  try {
    const decipher = createDecipheriv(SEAL_CIPHER, cardKey, bytes.subarray(0, SEAL_NONCE_BYTES), { authTagLength: SEAL_TAG_BYTES });
    decipher.setAAD(Buffer.from(sealedCodeAad(order.orderId, order.cardNumber), 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - SEAL_TAG_BYTES));
    const code = Buffer.concat([decipher.update(bytes.subarray(SEAL_NONCE_BYTES, bytes.length - SEAL_TAG_BYTES)), decipher.final()]).toString('utf8');
    return { ok: true, code };
  } catch {
    return { ok: false, refusal: 'notOpened' };
  }
}
