// A whole kiosk on the real PC/SC stack: PcscReader (worker process, nfc-pcsc) → pcscd →
// vpcd → our virtual card. pcscd is started by the 'pcsc' project's global setup.
import { waitForScreen } from '../wait-for-screen.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { inject } from 'vitest';
import { decodeImage, layoutV1, type DecodedCard } from '../../hardware/card-layout.js';
import type { ReaderState } from '../../hardware/card-reader.js';
import { PcscReader, type PcscReaderOptions } from '../../hardware/pcsc/pcsc-reader.js';
import { fixtures, virtualCard } from '../../hardware/virtual-card/fixtures.js';
import { ReaderSession, type ReaderModel, type VirtualCard } from '../../hardware/virtual-card/virtual-card.js';
import type { KioskView, ScreenName, UiEvent } from '../../kiosk/contract.js';
import { demoWallet, seedDemoOrders } from '../../demo/cards.js';
import { createKiosk, type Kiosk } from '../../kiosk/kiosk.js';
import { openStore, type Store } from '../../store/index.js';

export const NOW = new Date('2026-11-21T12:00:00Z');
export const KEYS = { keyA: '4b494f534b41', keyB: '4b494f534b42' } as const;
export const READER = 'Virtual PCD 00 00';
export const PORT = 35963;
export const log = pino({ level: process.env.PCSC_TEST_LOG ?? 'silent' });

/** Waits for `predicate` over the reader's state; resolves at once when it holds now. */
export function waitForReader(
  reader: PcscReader,
  predicate: (state: ReaderState) => boolean,
  timeoutMs = 8000,
  what = 'reader state',
): Promise<ReaderState> {
  return new Promise((resolve, reject) => {
    if (predicate(reader.state())) return resolve(reader.state());
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}; reader is ${JSON.stringify(reader.state())}`));
    }, timeoutMs);
    const unsubscribe = reader.subscribe((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
  });
}

/** Connects the card to vpcd, retrying while vpcd is not listening (pcscd starting). */
export async function tapWhenListening(card: VirtualCard, timeoutMs = 8000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await card.tap();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export interface PcscKiosk {
  readonly reader: PcscReader;
  readonly cards: ReadonlyMap<string, VirtualCard>;
  readonly store: Store;
  readonly kiosk: Kiosk;
  view(): KioskView;
  /** Holds the card to the reader and waits until the reader reports it. */
  tap(id: string): Promise<void>;
  /** Takes the card away and waits until the reader is empty. */
  remove(id: string): Promise<void>;
  press(event: UiEvent): void;
  waitFor(screen: ScreenName | readonly ScreenName[], timeoutMs?: number): Promise<KioskView>;
  /** The card's content decoded straight from the virtual card's memory. */
  decode(id: string): DecodedCard;
  close(): Promise<void>;
}

export async function startPcscKiosk(
  options: Partial<PcscReaderOptions> = {},
  {
    waitForReady = true,
    readerModel,
    cardLayout,
  }: {
    waitForReady?: boolean;
    readerModel?: ReaderModel;
    /** The layout the demo cards are issued in: as now (2) unless said (1: cards issued before). */
    cardLayout?: 1 | 2;
  } = {},
): Promise<PcscKiosk> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-pcsc-'));
  const store = openStore(join(dir, 'kiosk.db'), { now: () => NOW });
  seedDemoOrders(store, NOW);
  // The worker is built by the global setup (PcscReader never builds it).
  const reader = new PcscReader({ ...KEYS, readerName: READER, log, workerPath: inject('pcscWorker'), ...options });
  // The reader the cards are held to: an ACR122U unless asked (its key slots shared by them).
  const session = readerModel ? new ReaderSession(readerModel) : undefined;
  const wallet = demoWallet(layoutV1, cardLayout ? { layout: cardLayout } : {});
  const cards = new Map(fixtures(wallet, KEYS).map((f) => [f.id, virtualCard(f, PORT, session)]));
  const kiosk = createKiosk({ reader, codec: layoutV1, store, log, now: () => NOW });
  if (waitForReady) await waitForReader(reader, (s) => s.status === 'ready', 10_000, 'the reader to be ready');

  const card = (id: string) => {
    const found = cards.get(id);
    if (!found) throw new Error(`no fixture card ${id}`);
    return found;
  };
  const waitFor = (screen: ScreenName | readonly ScreenName[], timeoutMs = 8000) => waitForScreen(kiosk, screen, timeoutMs);

  return {
    reader,
    cards,
    store,
    kiosk,
    view: () => kiosk.view(),
    async tap(id) {
      await tapWhenListening(card(id));
      await waitForReader(reader, (s) => s.status === 'card_present' || s.status === 'card_error', 8000, `card ${id}`);
    },
    async remove(id) {
      await card(id).remove();
      await waitForReader(reader, (s) => s.status === 'ready', 8000, 'the card to leave');
    },
    press(event) {
      // A press the screen does not take is ignored, as at the machine; an invalid one is a test's bug.
      const result = kiosk.receiveUiEvent(event);
      if (!result.ok && !('notTaken' in result)) throw new Error(result.error);
    },
    waitFor,
    decode(id) {
      return decodeImage(layoutV1, card(id).blocks);
    },
    async close() {
      const hadCard = [...cards.values()].some((c) => c.onReader);
      for (const c of cards.values()) await c.remove();
      // The next test's reader must not inherit a card that vpcd has not yet seen leave.
      if (hadCard) await waitForReader(reader, (s) => s.status !== 'card_present' && s.status !== 'card_error', 8000).catch(() => undefined);
      await kiosk.stop();
      await reader.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
