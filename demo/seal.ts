// The demo's seal master: a demo-only secret, like the demo sector keys, so that the demo
// cards, the embedded back office and the tests agree on every card's seal key. A station
// back office makes its own master (`backoffice.db.seal-key`, backoffice/seal.ts) and
// never uses this one.
import { cardSealKey, sealCode } from '../backoffice/seal.js';

export const DEMO_SEAL_MASTER: Uint8Array = Buffer.from('6b696f736b2d64656d6f2d7365616c2d6d61737465722d6e6f742d612d736563', 'hex');

/** A demo card's seal key (what the demo wallet issues it with). */
export const demoSealKey = (cardNumber: string): Buffer => cardSealKey(DEMO_SEAL_MASTER, cardNumber);

/** A code sealed as the demo back office seals it. */
export const demoSeal = (orderId: string, cardNumber: string, code: string): string => sealCode(DEMO_SEAL_MASTER, orderId, cardNumber, code);
