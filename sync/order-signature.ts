// The back office's signature of an order (Ed25519 over protocol/kiosk-api.ts's
// orderSignedText), checked against the key the station pins (station.json
// backOffice.orderKey): before the sync client stores an order and before the delivery
// writes one to a card.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { orderSignatureSchema, orderSignedText, type SignedOrderFields } from '../protocol/kiosk-api.js';

/** The back office's public key from its pinned form (SPKI DER, base64); throws a clear error otherwise. */
export function orderKeyFrom(pinned: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(pinned, 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    throw new Error(`backOffice.orderKey is not a public key (SPKI DER in base64): ${(error as Error).message}`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`backOffice.orderKey is a ${key.asymmetricKeyType ?? '?'} key, not Ed25519`);
  return key;
}

/** True only for a well-formed signature of exactly these fields by the key. */
export function orderSignatureValid(key: KeyObject, order: SignedOrderFields, signature: string | null | undefined): boolean {
  if (!orderSignatureSchema.safeParse(signature).success) return false;
  try {
    return verify(null, Buffer.from(orderSignedText(order), 'utf8'), key, Buffer.from(signature as string, 'base64url'));
  } catch {
    return false;
  }
}
