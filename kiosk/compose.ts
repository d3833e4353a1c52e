// Assembles a running kiosk from its parts: the log, the store, the reader, sync, the
// maintenance service, the machine and the health endpoint. A station (kiosk/station.ts)
// and the demo (demo/start.ts) each choose the parts and call this; nothing here knows
// which one it is building.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { layoutV1 } from '../hardware/card-layout.js';
import type { CardReader } from '../hardware/card-reader.js';
import type { ReceiptPrinter } from '../hardware/receipt-printer.js';
import type { ReaderPosition, ServiceReason } from '../domain/index.js';
import { openStore, RETENTION_DAYS, StoreFaultError, type Store } from '../store/index.js';
import packageJson from '../package.json' with { type: 'json' };
import { createKiosk, type Kiosk, type KioskOptions } from './kiosk.js';
import { LogBuffer } from './log-buffer.js';
import { createMaintenance } from './maintenance.js';
import type { HealthReport } from './contract.js';
import type { DevChannelPort, KioskService } from './service-types.js';
import { createStoreWatch } from './store-watch.js';
import { createClockWatch } from './clock-watch.js';
import { CODE_SHOWN_AGAIN_MS } from './delivery.js';
import { createReceiptService } from './receipts.js';
import { startHealthServer } from './web-host.js';
import { startSyncWiring, type BackOfficeConfig } from './sync-wiring.js';

export interface StartOptions {
  readonly dataDir: string;
  /** Station configuration file; default `<dataDir>/station.json`, or $KIOSK_CONFIG. */
  readonly configFile?: string;
  readonly log?: Logger;
  readonly now?: () => Date;
  /** The machine's clock for its delays (end-to-end tests pass a simulated one). */
  readonly clock?: KioskOptions['clock'];
  /** How often a storage fault is checked again (kiosk/store-watch.ts). */
  readonly recheckMs?: number;
  /** How often the database file on disk is checked while the kiosk is idle (kiosk/store-watch.ts). */
  readonly verifyMs?: number;
}

/** What a host (web host, Electron) needs of a kiosk: also a kiosk that could not start (kiosk/fail-closed.ts). */
export interface HostedKiosk {
  readonly service: KioskService;
  /** GET /health. */
  readonly health: () => HealthReport;
  readonly config: { readonly demo: boolean; readonly stationName: string };
  readonly log: Logger;
  readonly devChannel: DevChannelPort | undefined;
  stop(): Promise<void>;
}

export interface RunningKiosk extends HostedKiosk {
  readonly service: Kiosk;
  readonly store: Store;
  readonly config: { readonly demo: boolean; readonly stationName: string };
  readonly log: Logger;
  /** The developer dock's channel, for the hosts to carry; a station has none. */
  readonly devChannel: DevChannelPort | undefined;
  stop(): Promise<void>;
}

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'station-kiosk');
}

/** The station configuration file for these options (`$KIOSK_CONFIG`, else `<dataDir>/station.json`). */
export function configFileOf(options: Pick<StartOptions, 'dataDir' | 'configFile'>): string {
  return options.configFile ?? process.env.KIOSK_CONFIG ?? join(options.dataDir, 'station.json');
}

export interface KioskParts {
  readonly stationName: string;
  readonly demo: boolean;
  /** The reader, made once the log exists. */
  readonly reader: (log: Logger) => CardReader;
  /** The back office to sync with; undefined: none. */
  readonly backOffice: BackOfficeConfig | undefined;
  /** Pull once before the first card (a back office on loopback). */
  readonly syncFirst?: boolean;
  /** Demo only: the developer dock's channel, which the hosts carry next to the kiosk's. */
  readonly devChannel?: DevChannelPort;
  /** The receipt printer; undefined: the station has none. */
  readonly printer?: ReceiptPrinter | undefined;
  /** Where the reader is on the cabinet (the idle screen shows it); default below the screen. */
  readonly readerPosition?: ReaderPosition | undefined;
  /** How often the printer is asked its status (default 10 s). */
  readonly printerPollMs?: number;
  /** Stopped after the kiosk (e.g. the demo's embedded back office). */
  readonly onStop?: () => Promise<void>;
}

export interface KioskLog {
  readonly log: Logger;
  /** The recent log kept in memory too, for the technician's log page. */
  readonly buffer: LogBuffer | undefined;
}

/**
 * The kiosk's log: JSON lines on `console` (a station's stdout, read by journald and log
 * shippers; the demo passes a pretty printer) and the recent lines for the technician.
 */
export function createKioskLog(given?: Logger, console: DestinationStream = process.stdout): KioskLog {
  if (given) return { log: given, buffer: undefined };
  const buffer = new LogBuffer();
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.multistream([{ stream: console }, { stream: buffer }]));
  return { log, buffer };
}

export async function composeKiosk(options: StartOptions & { readonly kioskLog: KioskLog }, parts: KioskParts): Promise<RunningKiosk> {
  const { log, buffer: logBuffer } = options.kioskLog;
  const now = options.now ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // Orders expire, and the journal is stamped, by this clock: the kiosk's own, or the back
  // office's while the kiosk's is far off (kiosk/clock-watch.ts).
  const clockWatch = createClockWatch({ now, log: log.child({ component: 'clock' }) });
  const trusted = () => clockWatch.now();
  const file = join(options.dataDir, 'kiosk.db');
  // The file on disk is checked only while nobody is at the machine (it holds the event loop).
  let idle = (): boolean => false;
  const storeWatch = createStoreWatch({
    file,
    log: log.child({ component: 'store-watch' }),
    mayVerify: () => idle(),
    ...(options.recheckMs ? { recheckMs: options.recheckMs } : {}),
    ...(options.verifyMs ? { verifyMs: options.verifyMs } : {}),
  });
  const store = openStore(file, { now: trusted, logger: log.child({ component: 'store' }), onFault: (fault) => storeWatch.report(fault) });
  storeWatch.attach(store);
  // What has been started so far, stopped again (newest first) if a later step fails.
  const started: (() => Promise<void> | void)[] = [() => store.close(), () => storeWatch.close()];
  try {
    // Opened and checked (quick_check at open); can it also be written? A store that
    // cannot is no start: the caller (kiosk/fail-closed.ts) shows why and tries again.
    const first = store.check({ integrity: false });
    if (first.fault) throw new StoreFaultError(first.fault, file);
    const codec = layoutV1;
    // The heartbeat says what the status page says; the maintenance service (made after the
    // sync client, which it asks) answers once it exists.
    let report: (() => { health: 'green' | 'amber' | 'red'; outOfService: ServiceReason | null }) | null = null;
    const sync = await startSyncWiring({
      report: () => report?.() ?? {},
      config: parts.backOffice,
      store,
      log,
      now,
      syncFirst: parts.syncFirst ?? false,
      dataDir: options.dataDir,
      onServerDate: (date, sentAt, receivedAt) => clockWatch.observe(date, sentAt, receivedAt),
    });
    started.push(() => sync.stop());
    const reader = parts.reader(log);
    started.push(() => reader.close());
    const receipts = parts.printer
      ? createReceiptService({
          printer: parts.printer,
          store,
          log: log.child({ component: 'printer' }),
          now: trusted,
          stationName: parts.stationName,
          ...(parts.printerPollMs ? { pollMs: parts.printerPollMs } : {}),
        })
      : undefined;
    if (receipts) started.push(() => receipts.close());
    const maintenance = createMaintenance({
      store,
      reader,
      codec,
      log,
      now,
      version: packageJson.version,
      dataDir: options.dataDir,
      logBuffer,
      sync: sync.client ?? undefined,
      fault: () => storeWatch.current(),
      clock: () => clockWatch.status(),
      printer: receipts ? { name: receipts.printerName, condition: receipts.condition, reason: receipts.reason } : undefined,
    });
    report = () => ({ health: maintenance.status().overall, outOfService: maintenance.serviceReason() });
    // The heartbeat of the sync client's start went before there was anything to report.
    void sync.client?.heartbeat();
    const kiosk = createKiosk({
      reader,
      codec,
      store,
      log,
      now: trusted,
      clock: options.clock,
      maintenance,
      demo: parts.demo,
      orderKey: sync.orderKey ?? undefined,
      faults: storeWatch,
      receipts,
      readerPosition: parts.readerPosition,
      journeys: sync.client ?? undefined,
    });
    started.push(() => kiosk.stop());
    idle = () => kiosk.view().screen.name === 'idle';
    // The store opened again (a restored file may be older): catch up with the back office now.
    const stopCatchUp = storeWatch.onChange((fault) => {
      if (fault === null) sync.client?.syncNow().catch((error: unknown) => log.warn({ err: String(error) }, 'sync after the store was opened again failed (retried)'));
    });
    started.push(stopCatchUp);

    // Kaartservicecodes nobody can need any more are forgotten: at start, then hourly.
    const forgetCodes = () => {
      try {
        const forgotten = store.deliveries.forgetCodes(new Date(trusted().getTime() - CODE_SHOWN_AGAIN_MS).toISOString());
        if (forgotten > 0) log.info({ forgotten }, 'kaartservicecodes no longer needed were forgotten');
      } catch (error) {
        log.warn({ err: String(error) }, 'could not forget old kaartservicecodes (tried again in an hour)');
      }
    };
    // Delivered rows, acknowledged reports, old audit entries and receipt marks go after RETENTION_DAYS
    // (store/retention.ts): at start, then daily.
    // In short batches with a pause between them: a backlog never holds up a card tap.
    let pruning = false;
    const prune = async () => {
      if (pruning) return;
      pruning = true;
      const total = { outbox: 0, deliveries: 0, orders: 0, audit: 0, receipts: 0 };
      try {
        const at = trusted().toISOString();
        for (;;) {
          const pruned = store.retention.prune(at);
          for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += pruned[key];
          if (Object.values(pruned).every((n) => n === 0) || stopped) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (stopped) break;
        }
        if (Object.values(total).some((n) => n > 0)) log.info({ pruned: total, days: RETENTION_DAYS }, 'retention: old rows deleted');
      } catch (error) {
        log.warn({ err: String(error) }, 'retention: could not delete old rows (tried again tomorrow)');
      } finally {
        pruning = false;
      }
    };
    let stopped = false;
    started.push(() => {
      stopped = true;
    });
    let hours = 0;
    const hourly = () => {
      forgetCodes();
      if (hours++ % 24 === 0) void prune();
    };
    hourly();
    const forgetTimer = setInterval(hourly, 3_600_000);
    forgetTimer.unref();
    started.push(() => clearInterval(forgetTimer));

    // Fleet monitoring polls GET /health; the web host serves it on its own port too.
    const healthPort = process.env.KIOSK_HEALTH_PORT ? Number(process.env.KIOSK_HEALTH_PORT) : null;
    const healthServer =
      healthPort === null
        ? null
        : await startHealthServer({
            health: kiosk.maintenance.status,
            screen: () => kiosk.view().screen.name,
            log,
            port: healthPort,
          });
    if (healthServer) log.info({ url: `${healthServer.url}/health` }, 'health endpoint');

    return {
      service: kiosk,
      health: kiosk.maintenance.status,
      store,
      config: { demo: parts.demo, stationName: parts.stationName },
      log,
      devChannel: parts.devChannel,
      async stop() {
        stopped = true;
        clearInterval(forgetTimer);
        await healthServer?.close();
        await kiosk.stop();
        receipts?.close();
        await reader.close();
        await sync.stop();
        await parts.onStop?.();
        storeWatch.close();
        store.close();
      },
    };
  } catch (error) {
    for (const stop of started.reverse()) {
      try {
        await stop();
      } catch (cleanup) {
        log.warn({ err: cleanup }, 'a part of the kiosk did not stop after a failed start');
      }
    }
    throw error;
  }
}
