// Fixture cards for the virtual reader: the demo wallet's cards (images in our layout,
// trailers carrying the station's keys) and cards of other kinds a traveller may hold
// to the reader. The caller passes the wallet so that hardware/ stays below kiosk/.
import { isTrailerBlock } from '../card-layout.js';
import type { SimulatedCard } from '../simulated-reader.js';
import { classicImage, DEFAULT_KEY, VirtualCard, type ReaderSession, type VirtualCardKind } from './virtual-card.js';

export interface CardKeys {
  readonly keyA: string;
  readonly keyB?: string | undefined;
}

export interface Fixture {
  readonly id: string;
  readonly label: string;
  readonly kind: VirtualCardKind;
  readonly uid: string;
  /** Classic cards: the 256 blocks, trailers included. */
  readonly blocks?: Uint8Array[];
}

/** A Classic 4K image from a simulated card's data blocks, with the given keys. */
export function imageOf(card: SimulatedCard, keys: CardKeys): Uint8Array[] {
  const data = new Map<number, Uint8Array>();
  card.blocks.forEach((block, n) => {
    if (!isTrailerBlock(n)) data.set(n, block);
  });
  return classicImage(data, keys.keyA, keys.keyB);
}

export function fixtures(
  wallet: readonly { id: string; label: string; card: SimulatedCard }[],
  keys: CardKeys,
): Fixture[] {
  const ours = wallet.map((entry): Fixture => {
    // A blank card comes from the factory with transport keys, not the station's.
    const blank = entry.card.blocks.every((b, n) => isTrailerBlock(n) || b.every((x) => x === 0));
    return {
      id: entry.id,
      label: entry.label,
      kind: 'classic4k',
      uid: entry.card.uid,
      blocks: imageOf(entry.card, blank ? { keyA: DEFAULT_KEY } : keys),
    };
  });
  const anna = wallet.find((e) => e.id === 'anna');
  const others: Fixture[] = [
    { id: 'bankcard', label: 'Contactless bank card (ISO 14443-4)', kind: 'bankCard', uid: '08A1B2C3' },
    { id: 'desfire', label: 'MIFARE DESFire EV1', kind: 'desfire', uid: '04112233445566' },
    { id: 'ultralight', label: 'MIFARE Ultralight (disposable ticket)', kind: 'ultralight', uid: '04AABBCCDDEE80' },
    { id: 'classic1k', label: 'MIFARE Classic 1K', kind: 'classic1k', uid: '5A6B7C8D' },
  ];
  if (anna) {
    // Anna's layout under keys this station does not have (another operator's card).
    others.push({
      id: 'otherkeys',
      label: 'Classic 4K with other keys',
      kind: 'classic4k',
      uid: '04A1B2FF',
      blocks: imageOf(anna.card, { keyA: 'a0a1a2a3a4a5', keyB: 'b0b1b2b3b4b5' }),
    });
  }
  return [...ours, ...others];
}

/** The fixture as a virtual card on vpcd's `port`, held to the given reader session
 * (by default the port's: an ACR122U unless made otherwise). */
export function virtualCard(fixture: Fixture, port?: number, session?: ReaderSession): VirtualCard {
  return new VirtualCard({
    kind: fixture.kind,
    uid: fixture.uid,
    ...(fixture.blocks ? { blocks: fixture.blocks.map((b) => b.slice()) } : {}),
    ...(port ? { port } : {}),
    ...(session ? { session } : {}),
  });
}
