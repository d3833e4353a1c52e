// The card conversations recorded as fixtures (hardware/pcsc/fixtures/*.apdu): which card,
// which requests. test/pcsc/apdu-fixtures.test.ts runs them over the real stack (pcscd,
// vpcd, the virtual card) and checks — or, with RECORD_APDU_FIXTURES=1, rewrites — the
// fixtures; worker.test.ts plays them to the worker over the fake reader. Test support only.
import { layoutV1, PRODUCT_SLOTS, type CardIdentity, type CardState } from '../../card-layout.js';
import type { VirtualCardKind } from '../../virtual-card/virtual-card.js';

/** The station keys of the fixtures: "KIOSKA", "KIOSKB" (the demo keys). */
export const FIXTURE_KEYS = { keyA: '4b494f534b41', keyB: '4b494f534b42' } as const;
export const FIXTURE_UID = '04A1B2C3';
export const FIXTURE_IDENTITY: CardIdentity = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' };
export const FIXTURE_STATE: Omit<CardState, 'sequence'> = {
  balanceCents: 1250,
  products: Array.from({ length: PRODUCT_SLOTS }, () => null),
  journal: [],
};

/** The first block of record B after a €20 top-up: what write-block.apdu writes. */
export const WRITTEN_BLOCK = 16;
export const WRITTEN_DATA: Uint8Array = (() => {
  const blocks = layoutV1.encodeState({ ...FIXTURE_STATE, sequence: 2, balanceCents: 3250, journal: [layoutV1.orderToken('fixture-topup')] }, 'B');
  const first = blocks.get(WRITTEN_BLOCK);
  if (!first) throw new Error(`record B does not start at block ${WRITTEN_BLOCK}`);
  return first;
})();

/** Record B after a €20 top-up: what delivery.apdu writes, block by block. */
export const DELIVERY_RECORD: ReadonlyMap<number, Uint8Array> = layoutV1.encodeState(
  { ...FIXTURE_STATE, sequence: 2, balanceCents: 3250, journal: [layoutV1.orderToken('fixture-topup')] },
  'B',
);

export type Step = { readonly type: 'read'; readonly block: number } | { readonly type: 'write'; readonly block: number; readonly data: Uint8Array };

export interface RecordedScenario {
  /** The fixture file: hardware/pcsc/fixtures/<fixture>.apdu */
  readonly fixture: string;
  /** The fixture's header comment. */
  readonly description: string;
  readonly card: {
    readonly kind: VirtualCardKind;
    readonly uid: string;
    /** Classic cards: our layout (FIXTURE_IDENTITY, FIXTURE_STATE) under these keys; blank otherwise. */
    readonly keys?: { readonly keyA: string; readonly keyB?: string };
    readonly garbage?: boolean;
    /** The card answers this many APDUs, then leaves instead of answering. */
    readonly tearAfterApdus?: number;
  };
  /** Requests to the worker once the card is reported, in order. */
  readonly steps: readonly Step[];
}

const foreign = (fixture: string, kind: VirtualCardKind, uid: string, what: string): RecordedScenario => ({
  fixture,
  description: `${what} is tapped; the kiosk asks for block 4, the worker refuses by ATR without a word to the card.`,
  card: { kind, uid },
  steps: [{ type: 'read', block: 4 }],
});

export const RECORDED_SCENARIOS: readonly RecordedScenario[] = [
  {
    fixture: 'read-layout',
    description:
      'Our card is tapped: UID, then the kiosk reads the layout blocks (identity 4-6, record A 8-14, record B 16-22),\n' +
      'the keys loaded once, one authentication with key A per sector.',
    card: { kind: 'classic4k', uid: FIXTURE_UID, keys: FIXTURE_KEYS },
    steps: layoutV1.blocksToRead.map((block) => ({ type: 'read', block })),
  },
  {
    fixture: 'write-block',
    description: `Our card is tapped; the kiosk writes block ${WRITTEN_BLOCK} (record B, with key B) and reads it back (key A).`,
    card: { kind: 'classic4k', uid: FIXTURE_UID, keys: FIXTURE_KEYS },
    steps: [
      { type: 'write', block: WRITTEN_BLOCK, data: WRITTEN_DATA },
      { type: 'read', block: WRITTEN_BLOCK },
    ],
  },
  {
    fixture: 'delivery',
    description:
      'Our card is tapped and a delivery runs as the kiosk does it (hardware/card-io.ts): the layout is read\n' +
      '(15 blocks), record B is written (6 blocks, key B) and the layout read back (15 blocks, key A).',
    card: { kind: 'classic4k', uid: FIXTURE_UID, keys: FIXTURE_KEYS },
    steps: [
      ...layoutV1.blocksToRead.map((block): Step => ({ type: 'read', block })),
      ...[...DELIVERY_RECORD].map(([block, data]): Step => ({ type: 'write', block, data })),
      ...layoutV1.blocksToRead.map((block): Step => ({ type: 'read', block })),
    ],
  },
  {
    fixture: 'card-leaves',
    description: 'Our card is tapped and leaves the reader while the worker reads block 4 (instead of answering READ BINARY).',
    card: { kind: 'classic4k', uid: FIXTURE_UID, keys: FIXTURE_KEYS, tearAfterApdus: 4 },
    steps: [{ type: 'read', block: 4 }],
  },
  {
    fixture: 'other-keys',
    description:
      "A card in our layout under another operator's keys: the authentication fails (63 00), and\n" +
      'again after one reconnect: a card that never opened with our keys is not ours.',
    card: { kind: 'classic4k', uid: '04A1B2FF', keys: { keyA: 'a0a1a2a3a4a5', keyB: 'b0b1b2b3b4b5' } },
    steps: [{ type: 'read', block: 4 }],
  },
  {
    fixture: 'garbage',
    description: 'A card that answers noise (one byte) to the UID command: a card error.',
    card: { kind: 'classic4k', uid: FIXTURE_UID, keys: FIXTURE_KEYS, garbage: true },
    steps: [],
  },
  foreign('bank-card', 'bankCard', '08A1B2C3', 'A contactless bank card (ISO 14443-4)'),
  foreign('desfire', 'desfire', '04112233445566', 'A MIFARE DESFire EV1'),
  foreign('ultralight', 'ultralight', '04AABBCCDDEE80', 'A MIFARE Ultralight (disposable ticket)'),
  foreign('classic1k', 'classic1k', '5A6B7C8D', 'A MIFARE Classic 1K'),
];

export function scenario(fixture: string): RecordedScenario {
  const found = RECORDED_SCENARIOS.find((s) => s.fixture === fixture);
  if (!found) throw new Error(`no recorded scenario ${fixture}`);
  return found;
}
