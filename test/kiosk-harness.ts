// A whole kiosk (real machine, delivery, SQLite file, simulated reader) for tests that
// read like what happens at the machine: tapCard, removeCard, press, tearAfter.
import { waitForScreen } from './wait-for-screen.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SimulatedClock } from 'xstate';
import { readCard as readCardBlocks } from '../hardware/card-io.js';
import { layoutV1, type DecodedCard } from '../hardware/card-layout.js';
import { SimulatedReader, type SimulatedCard, type TearCounting } from '../hardware/simulated-reader.js';
import type { KioskView, ScreenName, UiEvent } from '../kiosk/contract.js';
import { demoWallet, seedDemoOrders } from '../demo/cards.js';
import { createKiosk, type JourneysPort, type Kiosk } from '../kiosk/kiosk.js';
import { createMaintenance } from '../kiosk/maintenance.js';
import { createReceiptService, type ReceiptService } from '../kiosk/receipts.js';
import type { ReceiptPrinter } from '../hardware/receipt-printer.js';
import { openStore, type Store } from '../store/index.js';

export const NOW = new Date('2026-11-21T12:00:00Z');
export const silentLog = pino({ level: 'silent' });

export interface TestKiosk {
  readonly dir: string;
  readonly reader: SimulatedReader;
  readonly cards: ReadonlyMap<string, SimulatedCard>;
  readonly clock: SimulatedClock;
  kiosk: Kiosk;
  store: Store;
  /** The receipt service, when the kiosk was started with a printer. */
  readonly receipts: ReceiptService | undefined;
  view(): KioskView;
  tapCard(id: string): Promise<void>;
  removeCard(): void;
  press(event: UiEvent): void;
  tearAfter(n: number, counting?: TearCounting): void;
  /** Resolves when the kiosk shows `screen` (or one of several). */
  waitFor(screen: ScreenName | readonly ScreenName[], timeoutMs?: number): Promise<KioskView>;
  /** Reads the card as the kiosk would, without the kiosk. */
  inspect(id: string): Promise<DecodedCard>;
  /** As if the power went: the kiosk and its database connection are gone; a new one starts. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function startTestKiosk(
  options: { seed?: boolean; now?: () => Date; log?: pino.Logger; printer?: ReceiptPrinter; journeys?: (store: Store) => JourneysPort } = {},
): TestKiosk {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-test-'));
  const file = join(dir, 'kiosk.db');
  const now = options.now ?? (() => NOW);
  const reader = new SimulatedReader();
  const cards = new Map(demoWallet(layoutV1).map((e) => [e.id, e.card]));
  const clock = new SimulatedClock();
  const log = options.log ?? silentLog;
  let store = openStore(file, { now });
  if (options.seed ?? true) seedDemoOrders(store, NOW);
  const build = () => {
    const maintenance = createMaintenance({
      store,
      reader,
      codec: layoutV1,
      log,
      now,
      version: 'test',
      dataDir: dir,
      printer: receipts ? { name: receipts.printerName, condition: receipts.condition, reason: receipts.reason } : undefined,
    });
    return createKiosk({ reader, codec: layoutV1, store, log, now, clock, maintenance, receipts, journeys: options.journeys?.(store) });
  };
  let receipts: ReceiptService | undefined;
  const buildReceipts = () =>
    options.printer
      ? createReceiptService({ printer: options.printer, store, log: silentLog, now, stationName: 'Teststation', pollMs: 60_000 })
      : undefined;
  receipts = buildReceipts();
  let kiosk = build();

  const waitFor = (screen: ScreenName | readonly ScreenName[], timeoutMs = 2000) => waitForScreen(kiosk, screen, timeoutMs);

  const harness: TestKiosk = {
    dir,
    reader,
    cards,
    clock,
    get kiosk() {
      return kiosk;
    },
    get store() {
      return store;
    },
    view: () => kiosk.view(),
    async tapCard(id) {
      const card = cards.get(id);
      if (!card) throw new Error(`no test card ${id}`);
      reader.tap(card);
      await new Promise((resolve) => setImmediate(resolve));
    },
    removeCard: () => reader.remove(),
    press: (event) => {
      // A press the screen does not take is ignored, as at the machine; an invalid one is a test's bug.
      const result = kiosk.receiveUiEvent(event);
      if (!result.ok && !('notTaken' in result)) throw new Error(result.error);
    },
    tearAfter: (n, counting = 'operations') => reader.armTear(n, counting),
    waitFor,
    async inspect(id) {
      const card = cards.get(id);
      if (!card) throw new Error(`no test card ${id}`);
      const probe = new SimulatedReader();
      probe.tap(card);
      const access = probe.card();
      if (!access) throw new Error('probe reader has no card');
      return readCardBlocks(access, layoutV1);
    },
    get receipts() {
      return receipts;
    },
    async restart() {
      await kiosk.stop();
      receipts?.close();
      store.close();
      store = openStore(file, { now });
      receipts = buildReceipts();
      kiosk = build();
    },
    async close() {
      await kiosk.stop();
      receipts?.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
