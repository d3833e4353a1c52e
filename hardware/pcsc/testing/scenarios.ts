// The card conversations recorded as fixtures (hardware/pcsc/fixtures/*.apdu): which card,
// which requests. test/pcsc/apdu-fixtures.test.ts runs them over the real stack (pcscd,
// vpcd, the virtual card) and checks — or, with RECORD_APDU_FIXTURES=1, rewrites — the
// fixtures; worker.test.ts and worker-faults.test.ts play them to the worker over the
// fake reader. The deliveries' requests are what hardware/card-io.ts asks of PcscReader
// (run here against the card image, see `deliverySteps`). Test support only.
import { readCard, writeState } from '../../card-io.js';
import { issueCardBlocks, layoutV1, PRODUCT_SLOTS, type CardIdentity, type CardState } from '../../card-layout.js';
import type { CardAccess } from '../../card-reader.js';
import type { ReaderModel, VirtualCardKind } from '../../virtual-card/virtual-card.js';

/** The station keys of the fixtures: "KIOSKA", "KIOSKB" (the demo keys). */
export const FIXTURE_KEYS = { keyA: '4b494f534b41', keyB: '4b494f534b42' } as const;
export const FIXTURE_UID = '04A1B2C3';
export const FIXTURE_IDENTITY: CardIdentity = { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' };
export const FIXTURE_STATE: Omit<CardState, 'sequence'> = {
  balanceCents: 1250,
  products: Array.from({ length: PRODUCT_SLOTS }, () => null),
  journal: [],
};
/** What a delivery of the fixtures writes: a €20 top-up recorded in the journal. */
const TOPPED_UP: Omit<CardState, 'sequence'> = { ...FIXTURE_STATE, balanceCents: 3250, journal: [layoutV1.orderToken('fixture-topup')] };

/** The layout-1 blocks (cards issued before layout 2): identity 4–6, A 8–14, B 16–22. */
export const LAYOUT1_BLOCKS: readonly number[] = layoutV1.olderLayouts?.[0]?.blocksToRead ?? [];

/** The first block of a layout-1 record B after a €20 top-up: what write-block.apdu writes. */
export const WRITTEN_BLOCK = 16;
export const WRITTEN_DATA: Uint8Array = (() => {
  const first = layoutV1.encodeState({ ...TOPPED_UP, sequence: 2 }, 'B', 1).get(WRITTEN_BLOCK);
  if (!first) throw new Error(`record B of layout 1 does not start at block ${WRITTEN_BLOCK}`);
  return first;
})();

export type Step =
  | { readonly type: 'read'; readonly block: number }
  | { readonly type: 'readMany'; readonly block: number; readonly count: number }
  | { readonly type: 'write'; readonly block: number; readonly data: Uint8Array }
  | { readonly type: 'writeMany'; readonly block: number; readonly data: readonly Uint8Array[] };

/** A card image in the fixtures' layout (the demo keys are only in the trailers: not here). */
export function fixtureBlocks(layout: 1 | 2 = 2): Map<number, Uint8Array> {
  return issueCardBlocks(layoutV1, FIXTURE_IDENTITY, FIXTURE_STATE, layout);
}

/**
 * The requests PcscReader sends for one delivery as hardware/card-io.ts makes it (the card
 * read, record B written, only it read back) on a card in `layout` (the same on every
 * reader: the worker answers a run with one APDU on an ACR1252U, block by block elsewhere).
 * Worked out by running card-io against the card image and noting what it asks, mapped as
 * PcscReader maps it.
 */
export async function deliverySteps(layout: 1 | 2): Promise<Step[]> {
  const image = fixtureBlocks(layout);
  const steps: Step[] = [];
  const block = (n: number) => image.get(n) ?? new Uint8Array(16);
  const access: CardAccess = {
    uid: FIXTURE_UID,
    readBlock: async (n) => (steps.push({ type: 'read', block: n }), block(n)),
    readBlocks: async (first, count) => {
      steps.push(count === 1 ? { type: 'read', block: first } : { type: 'readMany', block: first, count });
      return Array.from({ length: count }, (_, i) => block(first + i));
    },
    writeBlock: async (n, data) => {
      steps.push({ type: 'write', block: n, data });
      image.set(n, data);
    },
    writeBlocks: async (first, data) => {
      steps.push(data.length === 1 && data[0] ? { type: 'write', block: first, data: data[0] } : { type: 'writeMany', block: first, data });
      data.forEach((d, i) => image.set(first + i, d));
    },
  };
  const card = await readCard(access, layoutV1);
  await writeState(access, layoutV1, card, TOPPED_UP);
  return steps;
}

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
    /** The layout the card is issued in (2, as cards are issued now, unless said). */
    readonly layout?: 1 | 2;
    readonly garbage?: boolean;
    /** The card answers this many APDUs, then leaves instead of answering. */
    readonly tearAfterApdus?: number;
  };
  /** The reader the virtual card emulates (ACR122U unless said); the worker reads a sector
   * per READ BINARY on an ACR1252U. */
  readonly reader?: ReaderModel;
  /** Requests to the worker once the card is reported, in order. */
  readonly steps: readonly Step[];
}

const foreign = (fixture: string, kind: VirtualCardKind, uid: string, what: string): RecordedScenario => ({
  fixture,
  description: `${what} is tapped; the kiosk asks for block 4, the worker refuses by ATR without a word to the card.`,
  card: { kind, uid },
  steps: [{ type: 'read', block: 4 }],
});

const OURS = { kind: 'classic4k', uid: FIXTURE_UID, keys: FIXTURE_KEYS } as const;

export const RECORDED_SCENARIOS: readonly RecordedScenario[] = [
  {
    fixture: 'read-layout',
    description:
      'A card issued in layout 1 (sectors 1–5) is tapped: UID, then the worker is asked for its blocks one by one\n' +
      '(identity 4-6, record A 8-14, record B 16-22): the keys loaded once, one authentication with key A per sector.',
    card: { ...OURS, layout: 1 },
    steps: LAYOUT1_BLOCKS.map((block) => ({ type: 'read', block })),
  },
  {
    fixture: 'write-block',
    description:
      `A card of layout 1 is tapped; the kiosk writes block ${WRITTEN_BLOCK} (record B, with key B) and reads it back\n` +
      '(the sector is authenticated with key B already: key B may read wherever key A may).',
    card: { ...OURS, layout: 1 },
    steps: [
      { type: 'write', block: WRITTEN_BLOCK, data: WRITTEN_DATA },
      { type: 'read', block: WRITTEN_BLOCK },
    ],
  },
  {
    fixture: 'delivery',
    description:
      'A card of layout 2 (sector 32) on an ACR122U (16 bytes per READ / UPDATE) and a delivery as the kiosk makes it\n' +
      '(hardware/card-io.ts): the identity (3 blocks) and the rest of the sector (12), one authentication; record B\n' +
      'written (6 blocks, key B) and only it read back (6 blocks, still authenticated with key B).',
    card: OURS,
    steps: await deliverySteps(2),
  },
  {
    fixture: 'delivery-acr1252u',
    description:
      'A card of layout 2 (sector 32) on an ACR1252U and a delivery as the kiosk makes it: one authentication, the\n' +
      'identity in one READ BINARY of 48 bytes and the records in one of 192; record B written with one UPDATE BINARY\n' +
      'of 96 bytes (exactly its blocks 137-142) and read back with one READ of 96 bytes.',
    card: OURS,
    reader: 'acr1252u',
    steps: await deliverySteps(2),
  },
  {
    fixture: 'delivery-layout1',
    description:
      'A card issued in layout 1 (sectors 1–5) on an ACR122U and a delivery as the kiosk makes it: sector 32 first\n' +
      '(its identity blocks: blank), then the layout-1 blocks; record B written where it is (sectors 4-5, key B) and\n' +
      'only it read back.',
    card: { ...OURS, layout: 1 },
    steps: await deliverySteps(1),
  },
  {
    fixture: 'card-leaves',
    description: 'Our card is tapped and leaves the reader while the worker reads block 4 (instead of answering READ BINARY).',
    card: { ...OURS, layout: 1, tearAfterApdus: 4 },
    steps: [{ type: 'read', block: 4 }],
  },
  {
    fixture: 'other-keys',
    description:
      "A card in our layout under another operator's keys: the authentication fails (63 00), and\n" +
      'again after one reconnect: a card that never opened with our keys is not ours.',
    card: { kind: 'classic4k', uid: '04A1B2FF', keys: { keyA: 'a0a1a2a3a4a5', keyB: 'b0b1b2b3b4b5' }, layout: 1 },
    steps: [{ type: 'read', block: 4 }],
  },
  {
    fixture: 'garbage',
    description: 'A card that answers noise (one byte) to the UID command: a card error.',
    card: { ...OURS, garbage: true },
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
