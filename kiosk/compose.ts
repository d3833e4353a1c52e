// Assembles a running kiosk from its parts: the log, the store, the reader, sync, the
// maintenance service, the machine and the health endpoint. A station (kiosk/station.ts)
// and the demo (demo/start.ts) each choose the parts and call this; nothing here knows
// which one it is building.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { layoutV1 } from '../hardware/card-layout.js';
import type { CardReader } from '../hardware/card-reader.js';
import type { ReceiptPrinter } from '../hardware/receipt-printer.js';
import type { ReaderPosition } from '../domain/index.js';
import { openStore, type Store } from '../store/index.js';
import packageJson from '../package.json' with { type: 'json' };
import { createKiosk, type Kiosk, type KioskOptions } from './kiosk.js';
import { LogBuffer } from './log-buffer.js';
import { createMaintenance } from './maintenance.js';
import type { DevChannelPort } from './service-types.js';
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
}

export interface RunningKiosk {
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

export function createKioskLog(given?: Logger): KioskLog {
  if (given) return { log: given, buffer: undefined };
  const buffer = new LogBuffer();
  const log = pino(
    { level: process.env.LOG_LEVEL ?? 'info' },
    pino.multistream([{ stream: process.stdout }, { stream: buffer }]),
  );
  return { log, buffer };
}

export async function composeKiosk(options: StartOptions & { readonly kioskLog: KioskLog }, parts: KioskParts): Promise<RunningKiosk> {
  const { log, buffer: logBuffer } = options.kioskLog;
  const now = options.now ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const store = openStore(join(options.dataDir, 'kiosk.db'), { now, logger: log.child({ component: 'store' }) });
  // What has been started so far, stopped again (newest first) if a later step fails.
  const started: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    const codec = layoutV1;
    const sync = await startSyncWiring({ config: parts.backOffice, store, log, now, syncFirst: parts.syncFirst ?? false, dataDir: options.dataDir });
    started.push(() => sync.stop());
    const reader = parts.reader(log);
    started.push(() => reader.close());
    const receipts = parts.printer
      ? createReceiptService({
          printer: parts.printer,
          store,
          log: log.child({ component: 'printer' }),
          now,
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
      printer: receipts ? { name: receipts.printerName, condition: receipts.condition } : undefined,
    });
    const kiosk = createKiosk({ reader, codec, store, log, now, clock: options.clock, maintenance, demo: parts.demo, orderKey: sync.orderKey ?? undefined, receipts, readerPosition: parts.readerPosition });
    started.push(() => kiosk.stop());

    // Kaartservicecodes nobody can need any more are forgotten: at start, then hourly.
    const forgetCodes = () => {
      try {
        const forgotten = store.deliveries.forgetCodes(new Date(now().getTime() - CODE_SHOWN_AGAIN_MS).toISOString());
        if (forgotten > 0) log.info({ forgotten }, 'kaartservicecodes no longer needed were forgotten');
      } catch (error) {
        log.warn({ err: String(error) }, 'could not forget old kaartservicecodes (tried again in an hour)');
      }
    };
    forgetCodes();
    const forgetTimer = setInterval(forgetCodes, 3_600_000);
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
      store,
      config: { demo: parts.demo, stationName: parts.stationName },
      log,
      devChannel: parts.devChannel,
      async stop() {
        clearInterval(forgetTimer);
        await healthServer?.close();
        await kiosk.stop();
        receipts?.close();
        await reader.close();
        await sync.stop();
        await parts.onStop?.();
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
